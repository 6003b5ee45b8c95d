"""A kept record's staged line (`crawlers.pipelines.restaged`) is the line its validated model would write."""

from __future__ import annotations

import json

import pytest

from contract.record import ProgramRecord
from crawlers.pipelines import restaged

TEXT = 'Hôpital "Nord" – Saint-Lô\u2028\x01\t\n\\ 😀'  # quotes, non-ASCII, a line separator, control characters


def record(**values: object) -> ProgramRecord:
    identity = {"program_id": "p1", "source_id": "nord", "source_url": "http://nord.test/v", "page_sha256": "ab"}
    return ProgramRecord.model_validate(
        {**identity, "institution": TEXT, "fetched_at": "2026-12-01T03:00:00Z", **values}
    )


@pytest.mark.parametrize("weeks", [4.0, 0.5, 2.25, 0.30000000000000004, 123456789.125, 1e16])
def test_a_kept_record_is_staged_byte_for_byte_as_its_model(weeks: float) -> None:
    kept = record(
        duration_weeks_min=weeks,
        specialties=["Surgery", "Pédiatrie"],
        evidence={"program_name": TEXT},
        next_deadline="2027-01-05",
        hands_on=False,
    )
    update = {"fetched_at": "2026-12-02T03:00:00Z"}
    assert (
        restaged(json.loads(kept.model_dump_json()), update["fetched_at"])
        == kept.model_copy(update=update).model_dump_json()
    )


def test_a_tiny_float_is_the_same_number_in_another_spelling() -> None:
    """Below 1e-4 Python writes 1e-05 where pydantic writes 0.00001: the same value when read."""
    kept = record(application_fee_usd=1e-5)
    line = restaged(json.loads(kept.model_dump_json()), kept.fetched_at)
    assert ProgramRecord.model_validate_json(line) == kept
