"""JSON-LD read from the page's own script tags: one unreadable script does not hide another."""

from __future__ import annotations

import json

from crawlers.extract import extract_document

NODE = {"@type": "EducationalOccupationalProgram", "name": "Harbor Valley Observership",
        "provider": {"@type": "Organization", "email": "mailto:visitors@harbor-valley.test"}}  # fmt: skip
BODY = "<body><p>Our observership lets physicians observe clinics for two weeks.</p></body></html>"


def _page(*scripts: str) -> bytes:
    tags = "".join(f'<script type="application/ld+json">{script}</script>' for script in scripts)
    return f"<html><head>{tags}</head>{BODY}".encode()


def test_a_broken_script_does_not_hide_the_next() -> None:
    (program,) = extract_document(_page('{"@type": "WebSite", "name": "Harbor"', json.dumps(NODE)))
    assert program.program_name == "Harbor Valley Observership"
    assert program.contact_email == "visitors@harbor-valley.test"


def test_a_script_wrapped_for_old_browsers_is_read() -> None:
    (program,) = extract_document(_page(f"//<![CDATA[\n{json.dumps([NODE])}\n//]]>"))
    assert program.program_name == "Harbor Valley Observership"
