"""The program record: the data contract shared by the crawler, the warehouse and the exports.

One place names every field and its allowed values, so extraction, staging, DuckDB and Parquet
cannot drift apart. `null` always means "the page does not say".
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1

ProgramType = Literal["observership", "clerkship", "elective", "sub_internship", "externship", "research", "other"]
Audience = Literal["students", "graduates", "both", "unknown"]
Accepts = Literal["yes", "no", "restricted", "unknown"]
FeeUnit = Literal["per_rotation", "per_week", "per_month", "per_day", "one_time"]
Method = Literal["vslo", "portal", "email", "mail", "unknown"]
LorPolicy = Literal["provided", "discretionary", "not_provided", "unknown"]
Status = Literal["open", "closed", "suspended", "unknown"]


class ExtractedProgram(BaseModel):
    """What extraction finds on one page for one program: the facts and their evidence."""

    model_config = ConfigDict(extra="forbid")

    program_key: str = ""  # tells programs of one page apart; "" when the page has one program
    program_name: str | None = None
    program_type: ProgramType = "other"
    audience: Audience = "unknown"
    accepts_international: Accepts = "unknown"
    hands_on: bool | None = None
    specialties: list[str] | None = None
    duration_weeks_min: float | None = None
    duration_weeks_max: float | None = None
    application_fee_usd: float | None = None
    program_fee_usd: float | None = None
    program_fee_unit: FeeUnit | None = None
    usmle_steps_required: list[str] | None = None
    ecfmg_certificate_required: bool | None = None
    max_years_since_graduation: int | None = None
    english_requirement: str | None = None
    visa: str | None = None
    application_method: Method = "unknown"
    application_url: str | None = None
    contact_email: str | None = None
    deadline_text: str | None = None
    next_deadline: date | None = None
    lor_policy: LorPolicy = "unknown"
    status: Status = "unknown"
    evidence: dict[str, str] = Field(default_factory=dict)

    @field_validator("specialties", "usmle_steps_required")
    @classmethod
    def _distinct(cls, values: list[str] | None) -> list[str] | None:
        """A list names each value once, in the page's order."""
        return list(dict.fromkeys(values)) if values is not None else None


class ProgramRecord(ExtractedProgram):
    """A staged record: the extracted facts plus the source's identity and the page's provenance."""

    program_id: str
    source_id: str
    institution: str
    campus: str | None = None
    city: str | None = None
    state: str | None = None
    source_url: str
    page_sha256: str
    fetched_at: str  # ISO 8601, UTC


FACT_FIELDS: tuple[str, ...] = tuple(
    name for name in ExtractedProgram.model_fields if name not in ("program_key", "evidence")
)
RECORD_FIELDS: tuple[str, ...] = tuple(ProgramRecord.model_fields)
