"""Facts a page declares in JSON-LD (schema.org Course / EducationalOccupationalProgram / Event)."""

from __future__ import annotations

import json
import re
from typing import Any

from crawlers.extract.fields.common import Found
from crawlers.extract.fields.fees import usd
from crawlers.extract.text import snippet

PROGRAM_TYPES = {"Course", "EducationalOccupationalProgram", "Event", "EducationEvent", "CourseInstance"}
WRAPPER = re.compile(r"^\s*(?://[^\n]*(?:\n|$)|<!--|<!\[CDATA\[)|(?:\n\s*//[^\n]*|-->|\]\]>)\s*$")
"""What a site wraps a script's JSON in for old browsers: HTML comment or CDATA marks, `//` lines."""


def jsonld_facts(scripts: list[str]) -> dict[str, Found]:
    """program_name, deadline_text, program_fee_usd and contact_email from the first program node
    of the page's JSON-LD scripts (the texts `crawlers.extract.html` keeps); an unreadable one is skipped."""
    for node in _nodes([item for script in scripts for item in _items(script)]):
        types = node.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if types & PROGRAM_TYPES:
            return _facts(node)
    return {}


def _items(script: str) -> list[Any]:
    """The top-level values of one script: its object, or each value of its array."""
    for text in (script, _unwrapped(script)):
        try:
            data = json.loads(text, strict=False)  # strict=False: raw newlines inside strings, as sites write them
        except ValueError:
            continue
        return data if isinstance(data, list) else [data]
    return []


def _unwrapped(script: str) -> str:
    """The script without its wrapping marks, peeled from both ends until none is left."""
    while (peeled := WRAPPER.sub("", script)) != script:
        script = peeled
    return script


def _nodes(items: list[Any]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            out += _nodes(item.get("@graph", []))
    return out


def _facts(node: dict[str, Any]) -> dict[str, Found]:
    out: dict[str, Found] = {}
    evidence = snippet(f"JSON-LD {node.get('@type')}: {node.get('name', '')}")
    if isinstance(node.get("name"), str):
        out["program_name"] = Found(node["name"].strip(), evidence)
    if isinstance(node.get("applicationDeadline"), str):
        out["deadline_text"] = Found(
            node["applicationDeadline"], snippet(f"applicationDeadline: {node['applicationDeadline']}")
        )
    offers = node.get("offers")
    offer = offers[0] if isinstance(offers, list) and offers else offers
    if (
        isinstance(offer, dict)
        and offer.get("price") is not None
        and str(offer.get("priceCurrency", "USD")).upper() == "USD"
    ):
        amount = usd(f"${offer['price']}")
        if amount is not None:
            out["program_fee_usd"] = Found(amount, snippet(f"offers.price: {offer['price']} USD"))
    provider = node.get("provider")
    email = node.get("email") or (provider.get("email") if isinstance(provider, dict) else None)
    if isinstance(email, str):
        out["contact_email"] = Found(email.removeprefix("mailto:"), snippet(f"email: {email}"))
    return out
