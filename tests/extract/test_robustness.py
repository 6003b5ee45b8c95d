"""Bad inputs never crash extraction: one clear error for that input, the others still extracted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.extract import ExtractError, extract_document
from tests.extract.pages import html_page, pdf_with_text, pdf_without_text

GOOD = "Clinical Observership\nObservers shadow physicians for four weeks. There is no patient contact."


def test_pdf_text_layer_is_read() -> None:
    programs = extract_document(pdf_with_text(["Clinical Observership", "Observers shadow physicians for four weeks."]))
    assert [(p.program_type, p.duration_weeks_max) for p in programs] == [("observership", 4.0)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty input"),
        (b"   \n\t ", "empty input"),
        (os.urandom(4096), "binary data"),
        (pdf_without_text(), "no text layer"),
        (b"%PDF-1.4\n1 0 obj broken", "unreadable PDF"),
    ],
    ids=["empty", "blank", "garbage", "pdf-no-text", "pdf-broken"],
)
def test_unreadable_inputs_raise_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ExtractError) as info:
        extract_document(data)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_deeply_nested_html_keeps_its_text() -> None:
    markup = b"<html><body>" + b"<div>" * 5000 + b"<p>Observerships last two weeks.</p>" + b"</div>" * 5000
    assert [p.duration_weeks_max for p in extract_document(markup)] == [2.0]


def test_ten_megabyte_page() -> None:
    paragraph = b"<p>Observers shadow physicians for two weeks. Lorem ipsum dolor sit amet, consectetur.</p>"
    markup = b"<html><body><h1>Observership</h1>" + paragraph * (10_000_000 // len(paragraph)) + b"</body></html>"
    assert len(markup) >= 9_900_000
    assert [p.program_type for p in extract_document(markup)] == ["observership"]


def test_charset_missing_or_wrong() -> None:
    latin1 = "<html><body><p>Observership for physicians at the Café clinic, two weeks.</p></body></html>"
    assert extract_document(latin1.encode("latin-1"))[0].duration_weeks_max == 2.0
    lying = '<html><head><meta charset="utf-8"></head><body><p>Observership – two weeks, café.</p></body></html>'
    assert extract_document(lying.encode("cp1252"))[0].duration_weeks_max == 2.0


def test_html_boilerplate_is_dropped() -> None:
    page = html_page(GOOD)
    programs = extract_document(page, content_type="text/html")
    assert [p.program_fee_usd for p in programs] == [None]  # the $9 in a <script> is not a fee
    assert programs[0].hands_on is False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_give_programs_or_one_error(data: bytes) -> None:
    try:
        programs = extract_document(data)
    except ExtractError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(programs, list)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_valid_records(text: str) -> None:
    try:
        programs = extract_document(text.encode("utf-8"))
    except ExtractError:
        return
    for p in programs:
        assert set(p.evidence) >= {f for f, v in p.model_dump().items() if v not in (None, "unknown", "other", "", [])
                                   and f not in ("program_key", "evidence")}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.text(max_size=30), lambda inner: st.builds("<div>{}</div>".format, inner), max_leaves=40))
def test_any_nested_markup(fragment: str) -> None:
    extract_document(f"<html><body>{fragment}<p>Observership, two weeks.</p></body></html>".encode())


def test_cli_mixes_good_and_bad_inputs(tmp_path: Path) -> None:
    good_txt = tmp_path / "good.txt"
    good_txt.write_text(GOOD, encoding="utf-8")
    good_html = tmp_path / "page.bin"
    good_html.write_bytes(html_page("Visiting Electives\nElectives are four weeks long for international students."))
    good_pdf = tmp_path / "flyer.pdf.txt"  # a PDF whatever its name
    good_pdf.write_bytes(pdf_with_text(["Observership Program", "Observers stay up to 90 days."]))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(os.urandom(2048))
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(pdf_without_text())
    missing = tmp_path / "missing.html"
    paths = [good_txt, empty, good_html, garbage, scanned, missing, good_pdf]
    proc = subprocess.run(
        [sys.executable, "-m", "flows", "extract", *map(str, paths), "--json"],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["input"] for line in lines] == [str(p) for p in paths]
    by_name = {Path(line["input"]).name: line for line in lines}
    assert by_name["good.txt"]["programs"][0]["program_type"] == "observership"
    assert by_name["page.bin"]["programs"][0]["duration_weeks_max"] == 4.0
    assert by_name["flyer.pdf.txt"]["programs"][0]["duration_weeks_max"] == 12.9
    for name in ("empty.html", "garbage.html", "scan.pdf", "missing.html"):
        assert by_name[name]["error"] and "programs" not in by_name[name]
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 4 and all(line.startswith(str(tmp_path)) for line in errors)


def test_cli_table_output(tmp_path: Path) -> None:
    page = tmp_path / "good.txt"
    page.write_text(GOOD, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flows", "extract", str(page)], capture_output=True, text=True, timeout=300,
        cwd=Path(__file__).parents[2], env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "observership" in proc.stdout and "good.txt" in proc.stdout
