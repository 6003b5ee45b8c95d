"""accepts_international and status: who from abroad may come, and whether the program runs now.

Families: not accepted at all ("does not accept students who attend international schools",
"no longer accepts international", "unable to accommodate students from outside the United States")
→ no + closed; partner / affiliated schools, exchange agreements, a faculty sponsor → restricted;
international applicants named → yes. A pause with a return ("not accepting for the 2022-23 year",
"cancelled until further notice", "no applications until the cycle opens") → suspended. A COVID
vaccine rule is never a status.
"""

from __future__ import annotations

import re

from crawlers.extract.fields.common import Found
from crawlers.extract.fields.kind import TYPES
from crawlers.extract.text import Sentence

ABROAD = (
    r"(?:international|foreign|non-?LCME|off-?shore|outside (?:of )?the (?:United States|U\.?S\.?A?\.?)|"
    r"located outside|abroad|non-U\.?S\.?)"
)
PROGRAM_NOUN = r"(?:programs?|clerkships?|electives?|rotations?|observerships?|externships?)\b"
NOT_ACCEPTED = re.compile(
    rf"\b(?:not|no longer|unable to|cannot|not able to)\b\s+(?:currently\s+)?(?:be\s+)?"
    rf"(?:accept\w*|accommodat\w*|provide rotations for|consider\w*|take)\b[^.;]{{0,90}}{ABROAD}"
    rf"|{ABROAD}[^.;]{{0,50}}\b(?:are|is|will) not (?:be )?(?:accepted|accommodated|considered)\b"
    rf"|\b(?:not|no longer)\s+offer\w*\b[^.;]{{0,60}}\b{PROGRAM_NOUN}[^.;]{{0,60}}{ABROAD}"
    rf"|\b(?:discontinued|ended|terminated|eliminated)\s+(?:its|our|the|all)\b[^.;]{{0,60}}?"
    rf"(?:{ABROAD}[^.;]{{0,40}}{PROGRAM_NOUN}|{PROGRAM_NOUN}[^.;]{{0,40}}{ABROAD})"
    rf"|^\W*{ABROAD}[\w\s]{{0,30}}:\s*(?:no|not accepted|none)\W*$"  # a catalog's "International students: No"
    rf"|{PROGRAM_NOUN}[^.;]{{0,20}}\bfor {ABROAD}[^.;]{{0,40}}\b(?:has|have) been "
    r"(?:discontinued|eliminated|terminated)\b",
    re.I,
)
# a denial for one academic year or cycle, or "until" something, is a pause, not a "no"
FOR_A_TIME = re.compile(
    r"\bfor the \d{4}\s*[-–/]\s*\d{2,4}\b|\b(?:during|for) the (?:current|upcoming|\d{4}) (?:academic |application )?"
    r"(?:year|cycle)\b|\buntil\b",
    re.I,
)
NON_PARTNER = re.compile(r"\bnon-?(?:partner|affiliated)\b", re.I)
CLAUSE_END = re.compile(r",? and we\b|,? but\b|;", re.I)  # the denial's own clause ends at its next clause
# "not accepted from other international schools" after a partner-only rule restricts, it does not deny
OTHER_ABROAD = re.compile(rf"\b(?:other|non-?partner|non-?affiliated)\s+{ABROAD}", re.I)
RESTRICTED = re.compile(
    r"\bpartner (?:medical )?(?:institutions?|schools?|universities)\b|"
    r"\baffiliat\w+ (?:medical )?(?:agreements?|schools?|institutions?)\b|"
    r"\b(?:existing|exchange|institutional|reciprocal) (?:contracts?|agreements?)\b|\bexchange programs?\b|"
    r"\bonly accepts? students from the following\b|\bapplicants from approved institutions\b|"
    r"\b(?:must|only|unless)\b[^.]{0,80}\bfaculty sponsor|\bonly with a sponsoring\b|"
    r"\bwith sponsorship of\b[^.]{0,60}\bfaculty|"
    r"\b(?:only if|unless)\b[^.]{0,40}\bfaculty\b[^.]{0,40}\bsponsor|"
    r"\b(?:identify\w*|find|finding|secur\w+|obtain\w*)\b[^.]{0,20}\bfaculty sponsor\b|"
    r"\bobservers? only\b|\bas observers? only\b|\b(?:at|from) one of the following\b|\bexchange affiliation\b|"
    r"\bmust (?:be sponsored by|agree to sponsor)\b|\bby invitation only\b|\binvitation[- ]only\b|"
    r"\bonly by invitation\b|\bmust (?:be )?invit(?:e|ed)\b|\bidentify(?:ing)? a (?:faculty |physician )?sponsor\b",
    re.I,
)
INTERNATIONAL = re.compile(
    r"\b(?:international|foreign|overseas)\s+(?:medical\s+)?(?:students?|physicians?|applicants?|graduates|"
    r"visiting|observers?|colleagues|trainees|participants|candidates|schools?|exchange|residents|"
    r"observerships?|electives?|rotations|healthcare professionals|md students|post ?graduate|doctors)|"
    r"\b(?:physicians?|doctors|graduates|students)\s+(?:from|trained)\s+outside (?:of )?the (?:United States|U\.?S\.?)|"
    r"\bmedical schools? (?:located )?outside (?:of )?the (?:United States|U\.?S\.?)|"
    r"\bforeign-trained\b|\binternationally[- ]trained\b|"
    r"\bschools? abroad\b|\bIMGs?\b|\bnational (?:and|or) international\b|\binternational/domestic\b|"
    r"\b(?:students|physicians|observers|professionals|participants|applicants|trainees)\b[^.]{0,40}"
    r"\bfrom around the (?:globe|world)\b|\b(?:foreign|other) countries\b|\bfrom abroad\b|"
    r"\bfrom any country\b|\bappropriate visa\b|\bvisa (?:waiver|status)\b|\bB-?1\b|\bnon-U\.?S\.? citizens\b|"
    r"\bTOEFL\b|\bIELTS\b",
    re.I,
)
SUSPENDED = re.compile(
    r"\b(?:not|no longer)\s+(?:currently\s+)?accepting\s+(?:any\s+)?(?:new\s+)?(?:students|"
    r"applications|applicants|observers)|"
    r"\buntil further notice\b|\bno applications will be accepted until\b|\bnot be accepted until\b|"
    r"\b(?:plan|expect|hope|anticipate|intend)s? (?:to resume|resuming)\b|"
    r"\bapplications (?:are|have been) (?:currently )?(?:temporarily )?(?:on hold|suspended|paused)\b|"
    r"\bwill resume accepting\b|"
    r"\b(?:will not|won't|cannot) be accepted (?:during|while)\b|\bwill re-?open\b|"
    r"\bapplication(?: portal| system| cycle)?\b[^.;]{0,50}\b(?:is|are) (?:currently |now )?closed\b|"
    r"\b(?:programs?|observerships?|electives?|rotations?|clerkships?|externships?)\b(?:\s+[\w,-]+){0,6}?\s+"
    r"(?:(?:have|has) been|are|is|were|was)?\s*(?:temporarily\s+)?(?:suspended|"
    r"paused|on hold|cancell?ed|halted|postponed)\b|"
    r"\b(?:suspended|paused|cancell?ed|halted|postponed)\s+(?:all\s+|our\s+|the\s+)?(?:[\w-]+\s+)?(?:programs?|observerships?|electives?|rotations?)\b",
    re.I,
)
REOPENED = re.compile(
    r"\b(?:resumed|currently (?:only )?accepting|are now accepting|will accept students|are open to)\b", re.I
)
# Cheap substring gates: a sentence without any of these cannot match the family's regex.
ABROAD_CUES = ("international", "foreign", "lcme", "shore", "outside", "abroad", "non-u", "non-us")
RESTRICTED_CUES = ("partner", "affiliat", "agreement", "contract", "exchange", "only", "following", "approved",
                   "sponsor", "observer", "invit")  # fmt: skip
INTERNATIONAL_CUES = ("international", "foreign", "overseas", "abroad", "img", "countr", "globe", "world", "visa",
                      "b-1", "b1", "citizen", "toefl", "ielts", "outside", "trained")  # fmt: skip
PAUSE_CUES = ("accepting", "notice", "until", "accepted", "suspend", "pause", "hold", "cancel", "halt", "postpon",
              "reopen", "re-open", "closed", "resume")  # fmt: skip
REFUND = re.compile(r"\brefund\w*|\bif\b[^.]{0,40}\bcancell?ed\b", re.I)
# pause words that a "now accepting" sentence elsewhere overrides
PAUSE_WORDS = re.compile(r"halted|suspended|paused|on hold|postponed|accepted until", re.I)
VACCINE = re.compile(r"vaccin|booster|immuniz", re.I)
OTHER_TYPE_WORDS = {k: p for k, p in TYPES.items()}


def _names_other_type(text: str, kind: str | None) -> bool:
    """The denial is about a different program type than the page's one (e.g. its externships)."""
    named = {k for k, p in OTHER_TYPE_WORDS.items() if p.search(text)}
    same = {kind} | ({"elective", "clerkship"} if kind in ("elective", "clerkship") else set())
    return bool(named) and not (named & same)


def find_accepts(sentences: list[Sentence], kind: str | None, only_denied: Found | None) -> Found | None:
    if only_denied:
        return Found("no", only_denied.evidence)
    for s in sentences:
        if _denial(s, kind) and not FOR_A_TIME.search(s.text):
            return Found.of("no", s)
    others_too = any(s.has("non") and NON_PARTNER.search(s.text) and s.has(*ABROAD_CUES) for s in sentences)
    for s in sentences:
        m = RESTRICTED.search(s.text) if s.has(*RESTRICTED_CUES) and not others_too else None
        if m and not s.residency and not re.search(r"\b(?:not|without)\b[^.]{0,30}$", s.text[: m.start()]):
            return Found.of("restricted", s)
    for s in sentences:
        if s.has(*INTERNATIONAL_CUES) and INTERNATIONAL.search(s.text):
            return Found.of("yes", s)
    return None


def _denial(s: Sentence, kind: str | None) -> bool:
    """The sentence says applicants from abroad are not accepted (for this program type)."""
    m = NOT_ACCEPTED.search(s.text) if s.has(*ABROAD_CUES) and not s.residency else None
    clause = CLAUSE_END.split(s.text[m.start() :], maxsplit=1)[0] if m else ""
    return bool(m) and not OTHER_ABROAD.search(s.text) and not _names_other_type(clause, kind)


def find_status(
    sentences: list[Sentence], accepts: Found | None, only_denied: Found | None, kind: str | None = None
) -> Found:
    """closed when the program (for international applicants) is not offered; suspended on a pause."""
    if only_denied:
        return Found("closed", only_denied.evidence)
    if accepts and accepts.value == "no":
        return Found("closed", accepts.evidence)
    for s in sentences:
        if _denial(s, kind) and FOR_A_TIME.search(s.text):
            return Found.of("suspended", s)
    reopened = any(s.has("resum", "accepting", "will accept", "open to") and REOPENED.search(s.text) for s in sentences)
    for s in sentences:
        if not s.has(*PAUSE_CUES) or VACCINE.search(s.text) or REFUND.search(s.text) or s.residency:
            continue
        m = SUSPENDED.search(s.text)
        if m and not (reopened and PAUSE_WORDS.search(m.group(0))):
            return Found.of("suspended", s)
    first = sentences[0].text if sentences else ""
    return Found("open", first[:300])
