"""application_method, application_url, contact_email.

Channel families: VSLO / VSAS (AAMC's service) → vslo; the institution's own web application or
portal → portal; applications or documents sent by e-mail → email; by post → mail. A channel only
for U.S. / LCME students, or a question-only e-mail address, is not the program's channel.
"""

from __future__ import annotations

import re

from w3lib.url import safe_url_string

from crawlers.extract.fields.common import Found
from crawlers.extract.text import Sentence

VSLO = re.compile(r"\bVSLO\b|\bVSAS\b|\bVisiting Student (?:Learning Opportunities|Application Service)\b", re.I)
APPLY = re.compile(r"\bappl(?:y|ies|ying|ications?)\b|\bsubmit\w*\b|\bCV\b|\bdocuments\b", re.I)
DOMESTIC = re.compile(r"\bLCME\b|\bU\.?S\.? (?:medical|LCME|osteopathic)|\bCOCA\b|\bdomestic\b", re.I)
# "Domestic and international applicants alike apply through VSLO": the route is international students' too
BOTH_ROUTE = re.compile(
    r"\b(?:domestic|U\.?S\.?) and international\b[^.;]{0,40}\balike\b|\binternational\b[^.;]{0,60}"
    r"\b(?:as well|also)\b",
    re.I,
)
SENT = r"(?:appl\w+|CV|documents|nominations?|forms?|packets?|materials)"
EMAIL_CHANNEL = re.compile(
    rf"\b(?:e-?mail)\b[^.]{{0,80}}\b{SENT}\b|\b{SENT}\b[^.]{{0,80}}\b(?:via|by|to)\b[^.]{{0,30}}\be-?mail\b|"
    r"\bto apply\b\W{0,3}e-?mail\b|\b(?:send|submit|forward)\b[^.]{0,120}\bto:? ADDRESS\b",
    re.I,
)
NO_EMAIL = re.compile(r"\b(?:do not|don't|not|never|cannot|no)\s+(?:\w+\s+)?e-?mail(?:ed)?\b", re.I)
QUESTION_ONLY = re.compile(
    r"\bquestions?\b|\binquir\w+ only\b|\bcontact us\b|\b(?:prior to|"
    r"before) applying\b|\b(?:receive|notif\w+|confirm\w*)\b",
    re.I,
)
VSLO_ROUTE = re.compile(r"\b(?:through|via|using|in|on) (?:the )?(?:AAMC'?s? )?(?:VSLO|VSAS)\b", re.I)
NOT_VSLO = re.compile(
    r"\bnon-?(?:VSLO|VSAS)\b|\bnot participating in (?:the )?(?:VSLO|VSAS)\b|"
    r"\bnot (?:be )?(?:processed|accepted|submitted|handled) (?:through|via|in|by) "
    r"(?:the )?(?:AAMC'?s? )?(?:VSLO|VSAS)\b",
    re.I,
)
PORTAL = re.compile(
    r"\bweb-based application\b|\bapplication portal\b|\bonline (?:application )?portal\b|\bapply online\b|"
    r"\bapplications? (?:are|is|must be) (?:to be )?(?:completed|"
    r"submitted) online\b|\bthrough (?:our|the) (?:online )?(?:[\w-]+ )?portal\b",
    re.I,
)
# "complete the online application": the channel itself, unless it is a later step after an invitation or link
ONLINE_FORM = re.compile(
    r"\b(?:complete|submit|fill (?:out|in)|through|via|using)\b[^.]{0,20}"
    r"\bonline (?:[\w-]+ )?(?:application|request|registration|form)\b|"
    r"\b(?:complete|submit|fill (?:out|in))\b[^.]{0,40}\b(?:application|request|registration) (?:form )?online\b",
    re.I,
)
LATER_STEP = re.compile(r"\b(?:once|after|receive\w*|invit\w*|link)\b", re.I)
MAIL = re.compile(
    r"\b(?:by (?:postal )?mail|mail (?:it|them|your application|the completed)|by post)\b|(?<![-\w])mailed to\b", re.I
)
EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+", re.I)


def find_method(sentences: list[Sentence]) -> Found | None:
    """The first channel the page gives for sending an application."""
    for s in sentences:
        if not s.has("vslo", "vsas", "visiting student", "mail", "portal", "online", "web", "post", "@") or s.residency:
            continue
        text = EMAIL.sub("ADDRESS", s.text)
        vslo = VSLO.search(text) and (APPLY.search(text) or VSLO_ROUTE.search(text))
        if vslo and (not DOMESTIC.search(text) or BOTH_ROUTE.search(text)) and not NOT_VSLO.search(text):
            return Found.of("vslo", s)
        if EMAIL_CHANNEL.search(text) and not QUESTION_ONLY.search(text) and not NO_EMAIL.search(text):
            return Found.of("email", s)
        if PORTAL.search(s.text) or (ONLINE_FORM.search(s.text) and not LATER_STEP.search(s.text)):
            return Found.of("portal", s)
        if (
            MAIL.search(s.text)
            and APPLY.search(s.text)
            and not re.search(r"\bche(?:ck|que)\b|\bresults\b", s.text, re.I)
        ):
            return Found.of("mail", s)
    return None


def find_email(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        m = EMAIL.search(s.text) if "@" in s.text else None
        if m and (not s.names_residency or "contact" in s.lower):
            return Found.of(m.group(0).rstrip("."), s)
    return None


def find_application_url(sentences: list[Sentence]) -> Found | None:
    for s in sentences:
        m = URL.search(s.text) if "http" in s.lower else None
        if m and APPLY.search(s.text) and not s.residency:
            return Found.of(safe_url_string(m.group(0).rstrip(".,;")), s)
    return None
