"""hands_on: only when the text says so — observation only / no patient contact vs direct patient care."""

from __future__ import annotations

import re

from crawlers.extract.fields.common import Found
from crawlers.extract.text import Sentence

NO_CONTACT = re.compile(
    r"\b(?:no|without|not (?:\w+ ){0,3}(?:any|have|include|provide|permitted to have any)|may not have any)\s+"
    r"(?:\w+[- ]){0,2}(?:direct )?(?:hands-on )?patient (?:contact|care)\b|"
    r"\b(?:not|never)\s+(?:be\s+)?(?:(?:permitted|allowed) to\s+)?(?:involved|participat\w*|engaged)\s+in\s+(?:any\s+)?"
    r"(?:direct\s+)?patient care\b|"
    r"\b(?:do|does|may|will|can)\s*not\s+have\s+(?:any\s+)?(?:hands-on\s+|direct\s+|physical\s+)?"
    r"contact with patients\b|"
    r"\b(?:do|does|may|will|can)\s*not\s+(?:examine|treat|touch)\b[^.]{0,20}\bpatients\b|"
    r"\b(?:cannot|can't|may not|do not|will not) perform (?:any )?(?:physical )?(?:examinations|procedures)\b|"
    r"\bobservation[- ]only\b|\bobservers? only\b|\bhands-in-pockets?\b|\bhands-off\b|"
    r"\bstrictly (?:observational|a shadowing)\b|"
    r"\bwatching and listening only\b|\bmay not (?:scrub|touch|examine)\b|\bno hands-on\b|"
    r"\bunable to perform clinical care\b|\bnon-clinical role\b|"
    r"\b(?:may not|cannot|can't|do not|does not|will not|not (?:permitted|allowed) to) (?:provide|give|deliver) "
    r"(?:any )?(?:hands-on |direct )?(?:patient )?care\b|"
    r"\b(?:hands-on|direct)\s+(?:patient\s+)?(?:care|contact)\s+(?:is|are)\s+not\s+(?:permitted|allowed)\b",
    re.I,
)
CONTACT = re.compile(
    r"\bdirect patient care experiences?\b|\bhands-on (?:experience|clinical|patient)\w*\b|\bpatient care duties\b|"
    r"\bsub-?intern(?:ship)? (?:level|duties|responsibilities)\b|\btaking patient histories\b|"
    r"\bperforming physical examinations\b|\bfunctions? as (?:a|an) (?:sub-?intern|team member)\b|"
    r"\b(?:function|work|serve|act) as (?:sub-?interns|acting interns|team members)\b|"
    r"\bpatient care responsibilit\w+\b|"
    r"\bactive role in (?:\w+ ){0,2}patient care\b|\bas acting interns?\b|"
    r"\b(?:participat\w*|take part|engaged?)\s+(?:\w+\s+){0,2}in\s+(?:the\s+)?(?:daily\s+|direct\s+)?patient care\b|"
    r"\bparticipation in (?:direct )?patient care\b|"
    r"\b(?:participat\w*|take part) in patient (?:evaluation|management)\b|"
    r"\b(?:carry|follow|admit)\b[^.]{0,25}\btheir own patients\b|"
    r"\bwrite (?:\w+ ){0,3}(?:progress )?notes\b|\bpresent (?:patients )?on (?:\w+ )?rounds\b|"
    r"\bhistory[- ]taking and physical exam\w*\b|\bperform(?:s|ing)? (?:\w+ ){0,2}admissions\b|"
    r"\bpresent(?:s|ing)? patients\b|"
    r"\b(?:evaluate|manage|examine)s? (?:and manage )?(?:their own )?patients\b|\bsee (?:new )?consults\b|"
    r"\bassigned patients\b|\bfunction at the level of an? intern\b|\btake call\b",
    re.I,
)
OBSERVER = re.compile(r"\bobserv(?:er|ers|ership|erships|e|ing|ation)\b", re.I)
SHADOW = re.compile(r"\bshadow(?:s|ing)?\s+(?:\w+\s+)?(?:physicians|faculty|attendings?|doctors|surgeons)\b", re.I)
HYPOTHETICAL = re.compile(r"\bif\b|\bwish\w*\b|\bshould explore\b|\bother (?:educational )?opportunities\b", re.I)


CUES = ("patient", "observ", "hands", "scrub", "touch", "examin", "procedure", "watching", "clinical", "intern",
        "notes", "rounds", "histor", "shadow", "admission", "consult", "call", "manage")  # fmt: skip


def find_hands_on(sentences: list[Sentence], kind: str | None, status: str | None = None) -> Found | None:
    sentences = [s for s in sentences if s.has(*CUES)]
    for s in sentences:
        if NO_CONTACT.search(s.text) and not s.residency:
            return Found.of(False, s)
    if kind == "observership":  # an observer observes: no patient care unless the page says otherwise
        named = next((s for s in sentences if status != "closed" and _offers(s)), None)
        shadow = next((s for s in sentences if SHADOW.search(s.text) and not s.residency), None)
        return Found.of(False, shadow or named) if shadow or named else None
    for s in sentences:
        if CONTACT.search(s.text) and not HYPOTHETICAL.search(s.text) and not s.residency:
            return Found.of(True, s)
    return None


def _offers(s: Sentence) -> bool:
    """A full statement about the observers or the observership (not a heading, a question or residency)."""
    return bool(OBSERVER.search(s.text)) and not s.residency and len(s.text.split()) >= 8 and not s.text.endswith("?")
