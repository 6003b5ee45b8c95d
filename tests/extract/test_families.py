"""Each phrasing family on short texts written for these tests (not taken from the dev pages)."""

from __future__ import annotations

from datetime import date

import pytest

from contract.record import ExtractedProgram
from crawlers.extract import extract_document
from crawlers.extract.text import continues


def one(text: str) -> ExtractedProgram:
    programs = extract_document(text.encode("utf-8"))
    assert len(programs) == 1, programs
    return programs[0]


@pytest.mark.parametrize(
    ("text", "kind", "hands_on"),
    [
        ("Clinical Observership\nObservers may not scrub in and have no patient contact.", "observership", False),
        ("The preceptorship is strictly observational; participants shadow attendings.", "observership", False),
        ("Visiting Elective\nStudents provide direct patient care experiences under supervision.", "elective", True),
        ("Our sub-internship places students on the wards for four weeks.", "sub_internship", None),
        ("Away Rotations\nWe host away rotations in several departments.", "elective", None),
    ],
)
def test_type_and_hands_on(text: str, kind: str, hands_on: bool | None) -> None:
    p = one(text)
    assert (p.program_type, p.hands_on) == (kind, hands_on)
    if hands_on is not None:
        assert "hands_on" in p.evidence


@pytest.mark.parametrize(
    ("text", "audience", "accepts"),
    [
        ("Electives are open to final-year medical students from schools abroad.", "students", "yes"),
        (
            "The observership is designed for practicing physicians and residents from foreign countries.",
            "graduates",
            "yes",
        ),
        (
            "Observers may be physicians, fellows or medical students; we accept applicants from any country.",
            "both",
            "yes",
        ),
        ("Electives: we only accept students from our partner institutions.", "students", "restricted"),
        ("Electives for final-year students from our partner medical schools in Japan only.", "students", "restricted"),
        ("Observerships for physicians who completed medical school outside the United States.", "graduates", "yes"),
        (
            "Visiting electives require a sponsoring faculty member; "
            "students must have a faculty sponsor before applying.",
            "students",
            "restricted",
        ),
        (
            "Electives for visiting students. We do not accept applicants who attend foreign medical schools.",
            "students",
            "no",
        ),
        ("Observership for physicians. We do not accept medical students at this time.", "graduates", "unknown"),
    ],
)
def test_who_may_apply(text: str, audience: str, accepts: str) -> None:
    p = one(text)
    assert (p.audience, p.accepts_international) == (audience, accepts)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("International Electives\nElectives are offered to international students year-round.", "open"),
        ("International Electives\nOur school no longer accepts international students for electives.", "closed"),
        ("International Electives\nWe are unable to accommodate students from outside the United States.", "closed"),
        ("Electives\nWe are not accepting applications for the 2025-2026 academic year.", "suspended"),
        ("Observerships\nAll observerships have been suspended until further notice.", "suspended"),
        (
            "Electives\nWe are not accepting international visiting students for the 2026-2027 academic year.",
            "suspended",
        ),
        ("Cardiology Elective\nDuration: 4 weeks\nVisiting students: Yes\nInternational students: No", "closed"),
        ("Observerships\nThe observership program is temporarily paused while we move to a new system.", "suspended"),
        ("Electives\nSpace is limited; electives for international students are offered as space permits.", "open"),
        (
            "Electives for international students.\nAll visitors must show a COVID-19 vaccination record; "
            "unvaccinated visitors will be cancelled.",
            "open",
        ),
        (
            "Internal Medicine Residency\nOur residency program accepts ERAS applications. "
            "Our residency program does not offer observerships.",
            "closed",
        ),
    ],
)
def test_status(text: str, status: str) -> None:
    assert one(text).status == status


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Observerships last three to six weeks.", 3, 6),
        ("Each elective rotation is one month long.", 4, 4),
        ("Observers may stay up to 60 days.", None, 8.6),
        ("The observership lasts one to two months.", 4, 8),
        ("Electives are 2 or 4 weeks in length.", 2, 4),
        ("Observership\n- Length: 2–4 wks\n- Fee: none", 2, 4),
        ("Students may complete a maximum of two electives. Apply 3 months before the rotation.", None, None),
        ("Applicants must have completed 48 weeks of core clerkships before the elective.", None, None),
        ("Fees\nProgram | Length | Fee\nObservership | 4 weeks | $900\nObservership | 12 weeks | $2,400", 4, 12),
    ],
)
def test_durations(text: str, low: float | None, high: float | None) -> None:
    p = one(text)
    assert (p.duration_weeks_min, p.duration_weeks_max) == (low, high)


@pytest.mark.parametrize(
    ("text", "app", "prog", "unit"),
    [
        ("Elective fees: a $150 application fee; tuition is $3,000 per rotation.", 150, 3000, "per_rotation"),
        ("The observership fee is $750 per week.", None, 750, "per_week"),
        ("Observership fee: CAD 2,000 per month.", None, None, None),
        ("Electives: a $100 application fee and a $500 administrative fee per rotation.", 100, 500, "per_rotation"),
        ("Observership: a one-time $250 administrative fee is charged when you apply.", 250, None, None),
        (
            "Observership fees: a $300 nonrefundable processing fee and a $1,000 per week observership fee.",
            300,
            1000,
            "per_week",
        ),
        (
            "Electives: a non-refundable $150 application fee when an elective is offered, and international "
            "students pay a tuition fee of $2,500 for each elective.",
            150,
            2500,
            "per_rotation",
        ),
        ("Electives: the application fee is waived for partner schools.", 0, None, None),
        (
            "Electives: students need health insurance of $100,000 and housing costs about $900 a month.",
            None,
            None,
            None,
        ),
        ("Observership: a fee applies (amount subject to change).", None, None, None),
        ("Electives\nCuota de $100 / $100 non-refundable application fee", 100, None, None),
        (
            "Observership fees\nRegistration (all programs) | — | $150\nClinical Observership | 4 weeks | $1,200",
            150,
            1200,
            None,
        ),
    ],
)
def test_fees(text: str, app: float | None, prog: float | None, unit: str | None) -> None:
    p = one(text)
    assert (p.application_fee_usd, p.program_fee_usd, p.program_fee_unit) == (app, prog, unit)


def test_exams_and_visa() -> None:
    p = one(
        "Visiting Elective\nApplicants must have passed USMLE Step 1 and Step 2 CK. "
        "Non-native speakers need a TOEFL iBT minimum score of 90 or IELTS of at least 6.5. "
        "Participants enter the US on a B-1/B-2 visa or the Visa Waiver Program."
    )
    assert p.usmle_steps_required == ["Step 1", "Step 2 CK"]
    assert p.english_requirement == "TOEFL ≥ 90 or IELTS ≥ 6.5"
    assert p.visa == "B-1/B-2 or Visa Waiver Program"


def test_residency_requirements_do_not_leak() -> None:
    p = one(
        "Clinical Observership\nObservers shadow our faculty for two weeks.\n\n"
        "Residency Applicants\nOur residency program requires ECFMG certification, USMLE Step 1 and 2 CK, "
        "and graduation within the last five years. Our residency program sponsors J-1 visas."
    )
    assert p.program_type == "observership"
    assert (p.ecfmg_certificate_required, p.usmle_steps_required, p.max_years_since_graduation, p.visa) == (
        None,
        None,
        None,
        None,
    )


def test_a_list_a_residency_sentence_introduces_is_residency() -> None:
    p = one(
        "Observerships\nOur residency programs accept IMGs who meet the following requirements:\n"
        "- ECFMG certification\n- Passing scores on USMLE Step 1 and Step 2 CK\n\n"
        "Observers shadow our faculty for two weeks."
    )
    assert (p.ecfmg_certificate_required, p.usmle_steps_required, p.duration_weeks_max) == (None, None, 2)


def test_a_heading_whose_types_are_all_denied_is_a_denial() -> None:
    p = one("Observerships, externships and shadowing\nWe do not offer observerships, externships or shadowing.")
    assert (p.program_type, p.status) == ("observership", "closed")


def test_no_usmle_scores_required_is_none() -> None:
    assert one("Electives\nNo USMLE scores are required for visiting students.").usmle_steps_required == []


@pytest.mark.parametrize(
    "text",
    [
        "Observership\nThe Department of Neurology offers observerships to physicians who have completed medical "
        "school abroad and are preparing to apply for residency training.",
        "Observership\nThe Department of Medicine offers observerships in Neurology to graduates preparing for the "
        "U.S. residency match.",
    ],
)
def test_a_residency_aim_does_not_hide_the_offer(text: str) -> None:
    assert one(text).specialties == ["Neurology"]


def test_own_requirements_are_read() -> None:
    p = one("Observership\nObservers must be ECFMG certified and must have graduated within the last 3 years.")
    assert (p.ecfmg_certificate_required, p.max_years_since_graduation) == (True, 3)


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("Electives\nStudents apply through VSLO.", "vslo"),
        ("Electives\nApplications are only accepted via VSAS.", "vslo"),
        ("Observership\nE-mail your application and CV to the coordinator.", "email"),
        ("Observership\nComplete our online application portal to apply.", "portal"),
        ("Observership\nIf you have questions, e-mail us.", "unknown"),
        ("Observership\nApply through our online form. Please do not e-mail documents to faculty.", "portal"),
    ],
)
def test_application_method(text: str, method: str) -> None:
    assert one(text).application_method == method


@pytest.mark.parametrize(
    ("text", "lor"),
    [
        ("Observership\nFaculty cannot provide letters of recommendation to observers.", "not_provided"),
        ("Observership\nLetters of recommendation are at the preceptor's discretion.", "discretionary"),
        ("Elective\nStudents who excel will receive a letter of recommendation from the course director.", "provided"),
        ("Observership\nObservers receive a certificate of attendance at the end.", "unknown"),
        ("Observership\nApplicants must submit two letters of recommendation.", "unknown"),
        ("Elective\nA letter of recommendation will be written for students who request one.", "provided"),
        (
            "Elective\nWill I get a letter of recommendation?\nLetters are at the discretion of the faculty.",
            "discretionary",
        ),
        ("Observership\n- Length: 4 weeks\n- LOR: not provided", "not_provided"),
        ("Elective\nDo I need a visa?\nLetters from your dean are required.", "unknown"),
    ],
)
def test_letters(text: str, lor: str) -> None:
    assert one(text).lor_policy == lor


def test_deadline_and_next_deadline() -> None:
    p = one("Electives\nThe application deadline is March 15, 2026 for summer rotations.")
    assert p.deadline_text and p.next_deadline == date(2026, 3, 15)
    lead = one("Observership\nPlease apply at least 10 weeks before your preferred start date.")
    assert lead.deadline_text and lead.next_deadline is None
    silent = one("Observership\nReview the calendar for observership deadlines.")
    assert silent.deadline_text is None
    due_to = one("Electives\nUpdate (May 2025): Due to capacity we are not accepting applications for 2025-2026.")
    assert due_to.deadline_text is None
    again = one("Electives\nWe expect to begin accepting applications again in summer 2026.")
    assert again.deadline_text is None
    send = one("Observership\nSend a CV to the coordinator at least 90 days in advance.")
    assert send.deadline_text


def test_specialties_from_vocabulary() -> None:
    p = one("Clinical Observerships\nSpecialties include:\n• Cardiology\n• OB/GYN\n• Neurosurgery\n• Pediatrics")
    assert p.specialties == ["Cardiology", "Obstetrics and Gynecology", "Neurological Surgery", "Pediatrics"]
    prereq = one("Electives\nStudents must have completed clerkships in Internal Medicine and Surgery.")
    assert prereq.specialties is None


def test_scrubbed_email_and_plain_email() -> None:
    assert one("Observership\nContact [email protected] for details.").contact_email is None
    assert one("Observership\nContact visiting@example.edu for details.").contact_email == "visiting@example.edu"


def test_page_without_a_program_yields_nothing() -> None:
    assert extract_document(b"Parking and directions to the main campus.") == []


def test_wrapped_lines_are_one_sentence() -> None:
    """A PDF text layer or fixed-width text puts one sentence over several lines; a heading stays apart."""
    p = one(
        "Visiting Observership Policy\n"
        "Observers may not examine patients and\n"
        "have no patient contact. Applicants must have passed USMLE\n"
        "Step 1 and pay a non-refundable application fee of\n"
        "$250 with the completed application."
    )
    assert (p.hands_on, p.usmle_steps_required, p.application_fee_usd) == (False, ["Step 1"], 250)
    assert "have no patient contact" in p.evidence["hands_on"]


def test_wrapped_line_rule_keeps_headings_and_rows_apart() -> None:
    assert continues("Students must be enrolled in the final", "year of an accredited school.")
    assert continues("Rotations last two or", "Four weeks.")
    assert not continues("Eligibility", "applicants must be enrolled.")
    assert not continues("Visiting Students", "Students must be enrolled.")
    assert not continues("Fees are due on arrival.", "and refunds are not given.")
    assert not continues("Course | Length", "cardiology | 4 weeks")
    assert not continues("Requirements", "- a CV")


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "Pediatric Observership\nObservers shadow our faculty. There is no cost to participate.",
            "program_fee_usd",
            0,
        ),
        ("Clinical Observership\nNo fee is charged for observerships.", "program_fee_usd", 0),
        ("Clinical Observership\nThere is no application fee.", "program_fee_usd", None),
        ("Clinical Observership\nHousing is provided at no cost to observers.", "program_fee_usd", None),
        ("Visiting Sub-Internships\nSub-interns have direct patient care responsibilities.", "hands_on", True),
        (
            "Visiting Electives\nStudents receive a letter of evaluation from the elective director.",
            "lor_policy",
            "provided",
        ),
        ("Visiting Electives\nApplicants must submit a letter of evaluation from their dean.", "lor_policy", "unknown"),
        (
            "Visiting Electives\nStudents rotate at our hospitals in Neurology and Urology.",
            "specialties",
            ["Neurology", "Urology"],
        ),
        ("Visiting Electives\nResidents rotate in cardiology and nephrology.", "specialties", None),
        (
            "Clinical Observership\nTo apply, complete the observership application form online.",
            "application_method",
            "portal",
        ),
    ],
)
def test_free_programs_duties_letters_rotations_forms(text: str, field: str, value: object) -> None:
    assert getattr(one(text), field) == value


@pytest.mark.parametrize(
    ("text", "specialties"),
    [
        (
            "Visiting Electives\nNeurology, Urology and Dermatology accept visiting students.",
            ["Neurology", "Urology", "Dermatology"],
        ),
        ("Visiting Electives\nMost departments, including Neurology and Urology.", ["Neurology", "Urology"]),
        ("Visiting Electives\nNeurology does not accept visiting students.", None),
    ],
)
def test_departments_that_accept_visitors(text: str, specialties: list[str] | None) -> None:
    assert one(text).specialties == specialties


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "Visiting Electives\nDepartments accepting visiting students\nNeurology, Urology, Dermatology, Radiology, "
            "Obstetrics and Gynecology, Anesthesiology\n\nElectives last four weeks.",
            "specialties",
            ["Neurology", "Urology", "Dermatology", "Radiology", "Obstetrics and Gynecology", "Anesthesiology"],
        ),
        (
            "Visiting Electives\nCourse | Department | Length\nNEPH 410 Nephrology Consults | Medicine | 4 weeks\n"
            "DERM 420 Dermatology Clinic | Dermatology | 2 weeks\nApply through VSLO.",
            "specialties",
            ["Nephrology", "Dermatology"],
        ),
        ("Clinical Preceptorship\nPhysicians observe a faculty preceptor in Urology.", "specialties", ["Urology"]),
        ("Clinical Observership\nObservers spend two weeks with a team in Nephrology.", "specialties", ["Nephrology"]),
        ("Clinical Observership\nThe faculty in Urology publish widely.", "specialties", None),
        (
            "Visiting Electives\nCategory    Application Fee    Tuition\nUS students    $0    $0\n"
            "International students    $150    $900 per rotation\nFees are subject to change.",
            "application_fee_usd",
            150,
        ),
        ("Clinical Observership\nObservers may not provide hands-on care to patients.", "hands_on", False),
        (
            "Clinical Observership\nThe course gives visiting doctors four weeks of observation.",
            "audience",
            "graduates",
        ),
        ("Clinical Observership\nApplicants must be in the final year of medical school.", "audience", "students"),
        (
            "Clinical Observership\nThe course is for visiting clinicians from partner hospitals.",
            "audience",
            "graduates",
        ),
        ("Clinical Observership\nVisits are capped at 3 weeks.", "duration_weeks_max", 3),
        ("Clinical Observership\nOur next session runs March 2, 2026 – April 24, 2026.", "duration_weeks_max", 8),
        (
            "Visiting Electives\nWe recommend applying seven (7) months ahead of the elective.",
            "duration_weeks_max",
            None,
        ),
    ],
)
def test_specialties_fees_and_audiences_named_without_offer_wording(text: str, field: str, value: object) -> None:
    assert getattr(one(text), field) == value
