"""The config file `config/sources.yaml`: its model, and errors that name file, line and field.

Maintainers edit this file by hand, so every mistake must come back as one line they can act on:
`config/sources.yaml:41: sources[3].state: 'Ohio' is not a 2-letter US state code`.
Unknown keys are errors, so a typo such as `strat_urls` never passes silently.
"""

from __future__ import annotations

import difflib
import functools
import re
import reprlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from contract.identity import site_host
from crawlers import fast_yaml
from crawlers.addresses import private_reason

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY GU VI AS MP".split()
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?::\d{1,5})?$")


class ConfigError(Exception):
    """A config that cannot be used; its text is one line per problem, each naming file and line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def http_url(url: str) -> str:
    """Accept an absolute http(s) URL with a host; reject anything else with a plain reason."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{url!r} is not an http(s) URL")
    if not parts.hostname or " " in url.strip():
        raise ValueError(f"{url!r} is not a valid URL")
    return url.strip()


def css(selector: str) -> str:
    """Accept a selector only if it compiles as crawlers.extract.selectors compiles it, so a typo fails
    `validate` instead of every night's extraction."""
    try:
        CSSSelector(selector, translator="html")
    except SelectorError as exc:
        raise ValueError(f"{selector!r} is not a valid CSS selector ({exc})") from None
    return selector


def staging_url(url: str) -> str:
    """Accept a URL of a filesystem fsspec can open here, or an absolute local path (a relative one
    would name another folder on each worker)."""
    import fsspec
    from fsspec.core import split_protocol

    protocol, path = split_protocol(url.strip())
    if protocol is None and not Path(path).is_absolute():
        raise ValueError(f"{url!r} is neither an fsspec URL (scheme://...) nor an absolute path")
    try:
        fsspec.get_filesystem_class(protocol or "file")
    except (ValueError, ImportError) as exc:
        raise ValueError(f"{url!r}: {exc}") from None
    return url.strip()


class Schedule(Strict):
    cron: str = Field("0 3 * * *", description="When the nightly run starts (5-field cron).")
    timezone: str = Field("America/New_York", description="IANA time zone of the cron.")

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a valid cron expression")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value


class Politeness(Strict):
    download_delay: float = Field(1.0, ge=0, description="Seconds between requests to one host.")
    concurrency_per_host: int = Field(1, ge=1, le=2, description="Parallel requests per host (1 or 2).")
    download_timeout: float = Field(30.0, gt=0, description="Seconds before a request is given up.")
    max_page_bytes: int = Field(10_000_000, gt=0, description="Larger responses are dropped.")


class Settings(Strict):
    user_agent: str = Field(description="Sent with every request; must name a contact URL or e-mail.")
    closure_grace_runs: int = Field(2, ge=1, description="Consecutive ok runs a program must be missing to close.")
    schedule: Schedule = Field(Schedule(), description="The nightly schedule: `cron`, `timezone`.")
    notify: list[str] = Field([], description="Apprise URLs, or `webhook+https://...` for a plain JSON POST.")
    notify_when_empty: bool = Field(False, description="Also notify on nights when nothing happened.")
    politeness: Politeness = Field(Politeness(), description="Defaults for every source (see below).")
    site_url: str | None = Field(
        None,
        description="Where the exports are published (http(s)): the feeds' ids and links, and the program pages' "
        "addresses; unset, the feeds' links are relative to the feed.",
    )

    @field_validator("site_url")
    @classmethod
    def _site(cls, value: str | None) -> str | None:
        if value is None:
            return None
        url = http_url(value)
        if urlsplit(url).query or urlsplit(url).fragment:
            raise ValueError(f"{value!r} has a query or fragment: give the address the exports are served from")
        return url

    staging_url: str | None = Field(
        None,
        description="Where shard flows on a work pool leave their run folders (an fsspec URL such as "
        "`s3://bucket/runs`, or an absolute path every worker shares); `null`: the data dir's `runs/`.",
    )

    @field_validator("user_agent")
    @classmethod
    def _contact(cls, value: str) -> str:
        if not re.search(r"https?://\S+|\S+@\S+\.\w+", value):
            raise ValueError("must name a contact URL or e-mail, e.g. 'clerkships/0.1 (+https://example.org)'")
        return value

    @field_validator("notify")
    @classmethod
    def _notify(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", url):
                raise ValueError(f"{url!r} is not a notification URL (scheme://...)")
        return urls

    @field_validator("staging_url")
    @classmethod
    def _staging(cls, url: str | None) -> str | None:
        return staging_url(url) if url is not None else None


class Follow(Strict):
    keywords: list[str] = Field([], description="Extra words that mark a link as a program page.")
    max_depth: int = Field(2, ge=0, le=6, description="Links followed away from a start URL.")
    max_pages: int = Field(40, ge=1, le=2000, description="Pages fetched per source per run, at most.")
    sitemap: bool = Field(
        False,
        description="`true` also follows the program-looking URLs the hosts' sitemaps list (the sitemaps named "
        "in robots.txt, else `/sitemap.xml`; `clerkships probe` turns it on).",
    )


class Selectors(Strict):
    program_block: str | None = Field(None, description="CSS selector; each match is one program.")
    fields: dict[str, str] = Field({}, description="Record field → CSS selector; wins over generic extraction.")

    @field_validator("program_block")
    @classmethod
    def _block(cls, value: str | None) -> str | None:
        return css(value) if value is not None else None

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        from contract.record import FACT_FIELDS

        for name, selector in fields.items():
            if name not in FACT_FIELDS:
                raise ValueError(f"{name!r} is not a field of the program record")
            try:
                css(selector)
            except ValueError as exc:
                raise LocatedError((name,), str(exc)) from None
        return fields


class SourcePoliteness(Strict):
    download_delay: float | None = Field(None, ge=0, description="Overrides `settings.politeness.download_delay`.")
    concurrency: int | None = Field(None, ge=1, le=2, description="Overrides `concurrency_per_host`.")


class Source(Strict):
    id: str = Field(description="Unique slug, e.g. `cleveland-clinic`; part of every program id.")
    institution: str = Field(min_length=1, description="As the institution names itself.")
    campus: str | None = Field(None, description="Campus or hospital, where one institution has several.")
    city: str = Field(min_length=1, description="City of the program.")
    state: str = Field(description="2-letter US state code.")
    start_urls: list[str] = Field(min_length=1, description="http(s) pages the crawl starts from.")
    allowed_hosts: list[str] | None = Field(
        None, description="Hosts (and their sub-domains) the crawl may visit; default: the start URLs' hosts."
    )
    allow_private: bool = Field(
        False,
        description="`true` lets start URLs and hosts be loopback, private or link-local addresses or local "
        "names (`localhost`); refused otherwise, so a config cannot point the crawler at its own network.",
    )
    render: Literal["static", "js"] = Field("static", description="`js` renders pages in Chromium first.")
    wait_for: str | None = Field(None, description="With `render: js`, a CSS selector to wait for.")
    follow: Follow = Field(Follow(), description="Link discovery: `keywords`, `max_depth`, `max_pages`.")
    selectors: Selectors | None = Field(None, description="Per-source CSS selectors: `program_block`, `fields`.")
    enabled: bool = Field(True, description="`false` keeps the source in the file but out of runs.")
    politeness: SourcePoliteness | None = Field(None, description="Per-source `download_delay`, `concurrency`.")
    notes: str | None = Field(
        None, description="What the pages are, and anything the next maintainer should know about this source."
    )
    found_at: str | None = Field(
        None, description="Where the URLs were found: a stored page's address, or a file such as `real-sources.yaml`."
    )

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and dashes)")
        return value

    @field_validator("state")
    @classmethod
    def _state(cls, value: str) -> str:
        if value not in US_STATES:
            raise ValueError(f"{value!r} is not a 2-letter US state code")
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        return [http_url(url) for url in urls]

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, hosts: list[str] | None) -> list[str] | None:
        for host in hosts or []:
            if not HOST.match(host):
                raise ValueError(f"{host!r} is not a host name (no scheme, no path)")
        return [host.lower().removeprefix("www.") for host in hosts] if hosts is not None else None

    @field_validator("wait_for")
    @classmethod
    def _wait_for(cls, value: str | None) -> str | None:
        return css(value) if value is not None else None

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.wait_for and self.render != "js":
            raise LocatedError(("wait_for",), "wait_for only applies to render: js")
        if not self.allow_private:
            self._public_only()
        if self.allowed_hosts is not None:
            for index, url in enumerate(self.start_urls):
                if not self.allows(url):
                    raise LocatedError(("start_urls", index), f"{url!r} is outside allowed_hosts")
        return self

    def _public_only(self) -> None:
        """Refuse start URLs and allowed hosts that are not public (see crawlers.addresses)."""
        named = [(("start_urls", i), urlsplit(url).hostname or "", url) for i, url in enumerate(self.start_urls)]
        named += [(("allowed_hosts", i), h.rsplit(":", 1)[0], h) for i, h in enumerate(self.allowed_hosts or [])]
        for sub_loc, host, value in named:
            reason = private_reason(host)
            if reason:
                raise LocatedError(sub_loc, f"{value!r} is {reason}; set allow_private: true to crawl it")

    @functools.cached_property
    def hosts(self) -> list[str]:
        """Hosts the crawler may visit: `allowed_hosts` when given, else the start URLs' hosts (worked
        out once: every request and link asks, and the source is frozen)."""
        if self.allowed_hosts is not None:
            return list(self.allowed_hosts)
        return sorted({site_host(url) for url in self.start_urls})

    def allows(self, url: str) -> bool:
        """True when the URL is on one of the source's hosts or a sub-domain of one."""
        host = site_host(url)
        bare = host.split(":")[0]
        for allowed in self.hosts:
            if host == allowed or (":" not in allowed and (bare == allowed or bare.endswith("." + allowed))):
                return True
        return False


class Config(Strict):
    settings: Settings
    sources: list[Source]
    _path: Path | None = PrivateAttr(None)  # the file it was read from, for errors found after loading

    @field_validator("sources")
    @classmethod
    def _unique(cls, sources: list[Source]) -> list[Source]:
        if not sources:
            raise ValueError("no sources; add at least one")
        seen: set[str] = set()
        for index, source in enumerate(sources):
            if source.id in seen:
                raise LocatedError((index, "id"), f"duplicate source id {source.id!r}")
            seen.add(source.id)
        return sources

    def enabled_sources(self, ids: list[str] | None = None) -> list[Source]:
        """The sources a run crawls: all enabled ones, or exactly the ones named.

        A file whose sources are all `enabled: false` is valid, but a run of it has nothing to do:
        that is refused here, before any crawl or load starts."""
        if not ids:
            enabled = [s for s in self.sources if s.enabled]
            if not enabled:
                disabled = f"all {len(self.sources)} have enabled: false"
                raise ConfigError([f"{self._path or 'config'}: no enabled source ({disabled}); nothing to crawl"])
            return enabled
        known = {s.id: s for s in self.sources}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ConfigError([f"unknown source id(s): {', '.join(unknown)}"])
        return [known[i] for i in ids]


class LocatedError(ValueError):
    """A validation error about a part of the model below the validator, e.g. `[3, "id"]`."""

    def __init__(self, sub_loc: tuple[Any, ...], message: str):
        self.sub_loc = sub_loc
        super().__init__(message)


def load_config(path: Path | str) -> Config:
    """Read and validate a config file; raise ConfigError with one line per problem.

    Parsed once per process and content (a night asks for it several times): the file is read each
    time, so an edit is always seen; the Config is frozen. A file that is fine is read at C speed
    (`crawlers.fast_yaml`, 0.13 s for 1,000 sources); one with a problem again by the round-trip
    parser, which names its lines (2.7 s for 1,000 sources)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read config: {getattr(exc, 'strerror', None) or exc}"]) from None
    return _parsed(path, text)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, text: str) -> Config:
    check_tabs(path, text)
    try:  # a file that is fine needs no line numbers: read it at C speed (crawlers.fast_yaml)
        check_aliases(path, fast_yaml.events(text))
        config = Config.model_validate(fast_yaml.load(text))
    except (fast_yaml.NeedsRoundTrip, ValidationError):
        config = _validated(path, parse_yaml(path, text))
    config._path = path
    return config


def _validated(path: Path, data: CommentedMap) -> Config:
    """The round-trip reading validated, its errors named by the lines it remembers."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(sorted(set(describe(path, data, exc)), key=line_order)) from None


def check_tabs(path: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip())]
        if "\t" in indent:
            raise ConfigError([f"{path}:{number}: tab character in indentation; YAML needs spaces"])


def parse_yaml(path: Path, text: str) -> CommentedMap:
    """YAML → mapping that remembers line numbers; syntax problems become one-line errors."""
    try:
        check_aliases(path, YAML(typ="rt").parse(text))
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark else 1
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
        raise ConfigError([f"{path}:{at}: not valid YAML: {problem}"]) from None
    if data is None:
        raise ConfigError([f"{path}:1: the config is empty; it needs 'settings' and 'sources'"])
    if not isinstance(data, CommentedMap):
        raise ConfigError([f"{path}:1: the config must be a mapping with 'settings' and 'sources'"])
    return data


ALIAS_BUDGET = 10_000  # values a file may reach through aliases; sharing a block among 1000 sources fits


def check_aliases(path: Path, events: Iterable[Any]) -> None:
    """Refuse YAML aliases that expand to more than ALIAS_BUDGET values (a "billion laughs" of nested
    aliases is a few hundred bytes), or that contain themselves. Sizes are counted on the parser's
    events, never expanded. The events are ruamel's or PyYAML's: ruamel is PyYAML's fork, and both
    name their event classes alike."""
    sizes: dict[str, int] = {}  # anchor → values in its node, aliases counted expanded
    stack: list[list[Any]] = [["", 0]]  # open collections: [anchor, values so far]
    through_aliases = 0
    for event in events:
        kind = type(event).__name__
        if kind == "AliasEvent":
            if event.anchor in (anchor for anchor, _ in stack):
                line = event.start_mark.line + 1
                raise ConfigError([f"{path}:{line}: YAML alias *{event.anchor} is inside the value it names"])
            size = sizes.get(event.anchor, 0)  # an undefined alias is the loader's error
            through_aliases += size
            if through_aliases > ALIAS_BUDGET:
                line = event.start_mark.line + 1
                raise ConfigError(
                    [f"{path}:{line}: YAML aliases expand to more than {ALIAS_BUDGET} values; write the values out"]
                )
            stack[-1][1] += size
        elif kind in COLLECTION_STARTS:
            stack.append([event.anchor or "", 1])
        elif kind in COLLECTION_ENDS:
            anchor, size = stack.pop()
            stack[-1][1] += size
            if anchor:
                sizes[anchor] = size
        elif kind == "ScalarEvent":
            stack[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1


COLLECTION_STARTS = frozenset({"MappingStartEvent", "SequenceStartEvent"})
COLLECTION_ENDS = frozenset({"MappingEndEvent", "SequenceEndEvent"})


class Quote(reprlib.Repr):
    """reprlib's bounded repr (a few items per level, a few levels), taught the round-trip containers."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = self.maxlong = 120

    def repr_CommentedSeq(self, value: CommentedSeq, level: int) -> str:
        return self.repr_list(value, level)

    def repr_CommentedMap(self, value: CommentedMap, level: int) -> str:
        return self.repr_dict(value, level)


QUOTE_LIMIT = 200


def quoted(value: Any) -> str:
    """The repr of a bad input in at most QUOTE_LIMIT characters, built without expanding big values
    (a wrong-type value made of nested aliases once gave a 580 MB error line)."""
    text = Quote().repr(value)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def describe(path: Path, data: CommentedMap, exc: ValidationError) -> list[str]:
    """One `file:line: field: message` line per pydantic error."""
    lines = []
    for error in exc.errors():
        loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-"))]
        message = error["msg"].removeprefix("Value error, ")
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, LocatedError):
            loc = [*loc, *cause.sub_loc]
        node_line, key_known = locate(data, loc)
        if error["type"] == "extra_forbidden":
            message = unknown_key_message(data, loc)
        elif error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] in ("literal_error", "bool_parsing", "int_parsing", "float_parsing") or (
            error["type"].endswith("_type") and key_known
        ):
            message = f"{quoted(error['input'])}: {message}"
        lines.append(f"{path}:{node_line}: {field_path(loc)}: {message}")
    return lines


def locate(data: Any, loc: list[Any]) -> tuple[int, bool]:
    """Line (1-based) of the deepest node of `loc` present in the YAML, and whether all of it is."""
    line = 1
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            if isinstance(node, CommentedMap | CommentedSeq):
                line = max(line, node.lc.line + 1)
            return line, False
    return line, True


def unknown_key_message(data: Any, loc: list[Any]) -> str:
    """'unknown key' plus the closest known key, so `strat_urls` points to `start_urls`."""
    models: dict[str, type[BaseModel]] = {
        "settings": Settings,
        "schedule": Schedule,
        "politeness": Politeness,
        "follow": Follow,
        "selectors": Selectors,
    }
    parent = loc[-2] if len(loc) > 1 else None
    model: type[BaseModel] = Config
    if isinstance(parent, int):
        model = Source
    elif parent == "politeness" and len(loc) > 3:
        model = SourcePoliteness
    elif isinstance(parent, str):
        model = models.get(parent, Config)
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
    return "unknown key" + (f" (did you mean {close[0]!r}?)" if close else "")


def field_path(loc: list[Any]) -> str:
    """('sources', 3, 'state') → 'sources[3].state'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def line_order(line: str) -> tuple[int, str]:
    match = re.search(r":(\d+):", line)
    return (int(match.group(1)) if match else 0, line)


def reference_markdown() -> str:
    """The config reference for README.md, generated from the models so the two cannot drift."""
    sections: list[tuple[str, type[BaseModel]]] = [
        ("settings", Settings),
        ("settings.schedule", Schedule),
        ("settings.politeness", Politeness),
        ("sources[]", Source),
        ("sources[].follow", Follow),
        ("sources[].selectors", Selectors),
        ("sources[].politeness", SourcePoliteness),
    ]
    out = []
    for title, model in sections:
        out += [f"**`{title}`**", "", "| key | default | meaning |", "|---|---|---|"]
        for name, field in model.model_fields.items():
            default = "required" if field.is_required() else json_default(field.default)
            out.append(f"| `{name}` | {default} | {field.description} |")
        out.append("")
    return "\n".join(out)


def json_default(value: Any) -> str:
    if isinstance(value, BaseModel):
        return "see below"
    text = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return f"`{text}`"
