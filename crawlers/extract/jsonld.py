"""Facts a page declares in JSON-LD (schema.org Course / EducationalOccupationalProgram / Event)."""

from __future__ import annotations

from typing import Any

import extruct

from crawlers.extract.fields.common import Found
from crawlers.extract.fields.fees import usd
from crawlers.extract.text import snippet

PROGRAM_TYPES = {"Course", "EducationalOccupationalProgram", "Event", "EducationEvent", "CourseInstance"}


def jsonld_facts(html: str, url: str | None) -> dict[str, Found]:
    """program_name, deadline_text, program_fee_usd and contact_email from the first program node."""
    if "application/ld+json" not in html:
        return {}
    try:
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True, errors="ignore")
    except Exception:  # extruct raises many parser-specific errors on broken markup; JSON-LD is optional
        return {}
    for node in _nodes(data.get("json-ld", [])):
        types = node.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if types & PROGRAM_TYPES:
            return _facts(node)
    return {}


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
