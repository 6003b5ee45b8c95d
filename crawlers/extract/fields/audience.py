"""audience: students, graduates or both, from who the page says may apply (or may not).

Student rotations (elective, clerkship, sub-internship) are for enrolled students unless the page
says graduates are the ones who apply. For observerships the page must name who: physicians,
residents, fellows, graduates, professionals → graduates; medical students → students. A group the
page excludes ("we do not accept medical graduates", "we currently do not accept students") counts
for the other side.
"""

from __future__ import annotations

from crawlers.extract import phrases
from crawlers.extract.fields.common import Found
from crawlers.extract.fields.registry import Finder, Page
from crawlers.extract.lexicon import could_match, joint_gate, load
from crawlers.extract.text import Sentence

STUDENT_TYPES = {"elective", "clerkship", "sub_internship"}
LEXICON = load("audience")
GRADUATES, STUDENTS, STUDENT_CONTEXT, ELIGIBLE, EXCLUDE, CONDITION, SCHOOL_QUALIFIED = (
    LEXICON.rule(name).patterns[0]
    for name in ("graduates_noun", "students_noun", "student_context", "eligibility", "exclusion",
                 "exclusion_condition", "school_qualified")
)  # fmt: skip
PEOPLE = (LEXICON.rule("graduates_noun"), LEXICON.rule("students_noun"))
PEOPLE_GATE = joint_gate(PEOPLE)
VISITING, NO_ANSWER = (LEXICON.rule(name).patterns[0] for name in ("visiting_program", "no_answer"))


def _speaks(s: Sentence) -> bool:
    """A residency sentence says who the program is for only when it names the visiting program."""
    return not s.residency or VISITING.search(s.text) is not None


def find_audience(sentences: list[Sentence], kind: str | None, closed: bool = False) -> Found | None:
    """A page whose program is closed (or that only denies it) says who it is for only in eligibility
    terms, if at all: its other requirements are usually residency's."""
    found = _by_eligibility(sentences, kind)
    return found if found or closed else _by_frame(sentences, kind)


def _by_frame(sentences: list[Sentence], kind: str | None) -> Found | None:
    """Who the program is said to be for (lexicon audience.yaml), when no eligibility sentence says."""
    own = [s for s in sentences if _speaks(s)]
    grads = phrases.first(LEXICON.with_value("graduates"), own)
    students = phrases.first(LEXICON.with_value("students"), own)
    if kind in STUDENT_TYPES:
        return Found.of("students", students.sentence) if students else None
    if grads and students:
        return Found("both", f"{grads.sentence.text} … {students.sentence.text}"[:300])
    found = grads or students
    return Found.of(found.value, found.sentence) if found else None


def _by_eligibility(sentences: list[Sentence], kind: str | None) -> Found | None:
    grads: Sentence | None = None
    students: Sentence | None = None
    no_grads = no_students = None
    for i, s in enumerate(sentences):
        if not could_match(PEOPLE_GATE, s.lower):
            continue
        if not _speaks(s):
            continue
        if _answered_no(sentences, i):
            if GRADUATES.search(s.text) and not STUDENTS.search(s.text):
                no_grads = no_grads or s
            elif STUDENTS.search(s.text) and not GRADUATES.search(s.text):
                no_students = no_students or s
            continue
        for m in EXCLUDE.finditer(s.text):
            scope = m.group(0)
            broad = GRADUATES.search(s.text) and not STUDENTS.search(s.text) and not CONDITION.search(s.text)
            if GRADUATES.search(scope) or broad:
                no_grads = no_grads or s
            elif STUDENTS.search(scope) and not SCHOOL_QUALIFIED.search(s.text[m.start() :]):
                no_students = no_students or s
        text = EXCLUDE.sub(" ", s.text)
        if not ELIGIBLE.search(text):
            continue
        if grads is None and GRADUATES.search(text):
            grads = s
        if students is None and STUDENTS.search(text) and STUDENT_CONTEXT.search(text):
            students = s
    if no_grads and not no_students:
        return Found.of("students", no_grads)
    if no_students and not no_grads and (grads or kind not in STUDENT_TYPES):
        return Found.of("graduates", no_students)
    if kind in STUDENT_TYPES:
        any_students = students or next((s for s in sentences if STUDENTS.search(s.text)), None)
        return Found.of("students", any_students) if any_students else None
    if grads and students:
        return Found("both", f"{grads.text} … {students.text}"[:300])
    if grads:
        return Found.of("graduates", grads)
    if students:
        return Found.of("students", students)
    return None


def _answered_no(sentences: list[Sentence], i: int) -> bool:
    """An FAQ question ("I am a medical student, can I apply?") whose answer begins "No": the group
    it names is excluded, not admitted."""
    s = sentences[i]
    nxt = sentences[i + 1] if i + 1 < len(sentences) else None
    return s.text.rstrip().endswith("?") and nxt is not None and NO_ANSWER.search(nxt.text) is not None


def _find(page: Page) -> tuple[Found | None]:
    closed = page.denied is not None or page.value("status") == "closed"
    return (find_audience(page.sentences, page.value("program_type"), closed),)


FINDER = Finder(("audience",), ("program_type", "status"), _find)
