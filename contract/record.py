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

    program_key: str = Field(
        "",
        description=(
            "Tells the programs of one page apart (their heading, normalized); empty when the page "
            "describes one program."
        ),
    )
    program_name: str | None = Field(None, description="The program's own name as the page gives it.")
    program_type: ProgramType = Field(
        "other",
        description=(
            "The kind of program, in the page's own noun: an observership watches, a clerkship, elective "
            "or sub-internship is a hands-on student rotation; other when none fits."
        ),
    )
    audience: Audience = Field(
        "unknown",
        description="Who may apply: enrolled medical students, graduates (physicians, residents, IMGs) or both.",
    )
    accepts_international: Accepts = Field(
        "unknown",
        description=(
            "Whether applicants from abroad are taken; restricted: only from partner schools, or only "
            "with a sponsor or an invitation."
        ),
    )
    hands_on: bool | None = Field(
        None,
        description=(
            "True when the visitor cares for patients, false when the page says they only observe; null "
            "when it does not say."
        ),
    )
    specialties: list[str] | None = Field(
        None,
        description=(
            "The specialties the page names as available, each once, in the page's order; null when it names none."
        ),
    )
    duration_weeks_min: float | None = Field(
        None,
        description=(
            "Shortest length of one rotation or visit, in weeks (a month counts 4, days are divided by "
            '7); null for an "up to" length.'
        ),
    )
    duration_weeks_max: float | None = Field(
        None, description="Longest length of one rotation or visit, in weeks; equal to the minimum for a fixed length."
    )
    application_fee_usd: float | None = Field(
        None,
        description=(
            "Fee to apply, register or have the application processed, in US dollars; 0 when waived, null"
            " when no amount in dollars is given."
        ),
    )
    program_fee_usd: float | None = Field(
        None, description="Tuition or program fee, in US dollars, per program_fee_unit."
    )
    program_fee_unit: FeeUnit | None = Field(
        None, description="What program_fee_usd pays for: one rotation, a week, a month, a day, or once."
    )
    usmle_steps_required: list[str] | None = Field(
        None,
        description=(
            "USMLE steps that must be passed; an empty list when the page says none is needed, null when "
            "it does not mention them."
        ),
    )
    ecfmg_certificate_required: bool | None = Field(
        None, description="Whether the program itself asks for ECFMG certification."
    )
    max_years_since_graduation: int | None = Field(
        None, description="At most this many years since medical school, by the program's own rule."
    )
    english_requirement: str | None = Field(
        None,
        description=(
            'Minimum English test scores, in short form (e.g. "TOEFL iBT >= 100"); "not required" when '
            "the page says so."
        ),
    )
    visa: str | None = Field(None, description="The visa categories the page names for visitors.")
    application_method: Method = Field(
        "unknown",
        description=(
            "How to apply: VSLO (formerly VSAS), the institution's own portal, e-mail, post; unknown "
            'includes "find a sponsor first".'
        ),
    )
    application_url: str | None = Field(None, description="Where the application starts.")
    contact_email: str | None = Field(None, description="An address written on the page for questions or applications.")
    deadline_text: str | None = Field(
        None, description="The deadline, application window or lead time, as the page words it."
    )
    next_deadline: date | None = Field(
        None, description="The next deadline as a date, when the page gives one that can be read as a date."
    )
    lor_policy: LorPolicy = Field(
        "unknown",
        description=(
            "Whether the program writes letters of recommendation: provided, at the preceptor's "
            "discretion, or not; a certificate of attendance is not one."
        ),
    )
    status: Status = Field(
        "unknown",
        description=(
            "Whether the program is offered now, to international applicants: open; closed with no "
            "return; suspended for a while; unknown."
        ),
    )
    evidence: dict[str, str] = Field(
        default_factory=dict, description="Field name -> the sentence of the page its value came from."
    )

    @field_validator("specialties", "usmle_steps_required")
    @classmethod
    def _distinct(cls, values: list[str] | None) -> list[str] | None:
        """A list names each value once, in the page's order."""
        return list(dict.fromkeys(values)) if values is not None else None


class ProgramRecord(ExtractedProgram):
    """A staged record: the extracted facts plus the source's identity and the page's provenance."""

    program_id: str = Field(
        description="Stable id of the program: its source, canonical page and program key, hashed; "
        "it survives cosmetic URL and heading changes."
    )
    source_id: str = Field(description="The watched source (an institution or campus) in config/sources.yaml.")
    institution: str = Field(description="The institution offering the program, as the config names it.")
    campus: str | None = Field(None, description="The campus, for an institution watched campus by campus.")
    city: str | None = Field(None, description="City of the institution or campus, from the config.")
    state: str | None = Field(None, description="US state (two letters) of the institution or campus, from the config.")
    source_url: str = Field(description="The page the program was read from.")
    page_sha256: str = Field(description="SHA-256 of the page bytes read: equal hashes mean the same page.")
    fetched_at: str = Field(description="When the page was fetched (UTC; ISO 8601 in staging).")


FACT_FIELDS: tuple[str, ...] = tuple(
    name for name in ExtractedProgram.model_fields if name not in ("program_key", "evidence")
)
RECORD_FIELDS: tuple[str, ...] = tuple(ProgramRecord.model_fields)
