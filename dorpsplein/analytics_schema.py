"""The contract for monthly visit aggregates: `state/analytics/YYYY-MM.json`.

Written by `tasks.py analytics` (dorpsplein.analytics), read by the statistics page and the
periodic overviews. Only aggregates live here: no IP address, user agent or visitor hash.

`MONTH_SCHEMA` is a JSON Schema (draft 2020-12) and the single source of the shape;
`validate_month` checks a document against it without needing the jsonschema package at run
time (it understands the subset of keywords the schema uses). Bump `VERSION` on any change a
reader would notice, and keep readers accepting older versions they know.

Nothing a visitor typed is published: a path is listed by name (in pages, posts and 404s) only
when it exists on the site (the analysis is given the site's addresses) and passes
`publishable_path`: no query string, no e-mail address, no run of six or more digits, nothing
that looks like a token, nothing under the forms service. Everything else is counted without a
name: "other" is the month's page views (or 404 total) minus the listed ones. Version 1 files,
written before this rule, are read through `upgrade_month`, which applies it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import DorpspleinError
from .files import write_json_atomically

SCHEMA_ID = "dorpsplein/analytics-month"
VERSION = 2  # 2: only publishable paths of pages that exist (1: every path as requested)
MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.json$")

# Referrer classes, device types and traffic classes, with the Dutch labels the site shows.
SOURCE_LABELS = {"search": "Zoekmachines", "social": "Sociale media", "newsletter": "Nieuwsbrief",
                 "other_sites": "Andere websites", "direct": "Direct of onbekend"}
DEVICE_LABELS = {"desktop": "Computer", "mobile": "Telefoon", "tablet": "Tablet", "other": "Overig"}
TRAFFIC_LABELS = {"people": "Mensen", "bots": "Bots", "feed_readers": "Feedlezers"}
# Feed readers that do not report a subscriber count are counted as distinct clients per day.
OTHER_FEED_READERS = "Overige feedlezers"

_COUNT = {"type": "integer", "minimum": 0}
_COUNTS = {"type": "object", "additionalProperties": _COUNT}
_DAY = r"^\d{4}-\d{2}-\d{2}$"

# A path that may be published by name. One regular expression (ECMA-262 and Python alike), so the
# schema, the counting and the reader of old files apply the same rule:
FORMS_PREFIXES = ("formulieren", "afmelden", "bevestigen", "aanmelden")  # the forms service's addresses
_SEGMENT = r"(?:[0-9]{0,5}[a-z._~-])*[0-9]{0,5}"  # lower-case letters, digits, . _ ~ -; digit runs ≤ 5
PUBLISHABLE_PATH = (
    r"^(?=/.{0,199}$)(?!.*//)"                           # at most 200 characters, no empty segment
    rf"/(?!(?:{'|'.join(FORMS_PREFIXES)})(?:/|$))"       # nothing of the forms service (tokens live there)
    r"(?!(?:[^/]*/)*(?=[^/-]*[0-9])[^/-]{16,}(?:/|$))"   # no segment of 16+ characters with a digit and no
                                                         # hyphen (a token; slugs have hyphens)
    rf"(?:{_SEGMENT}/)*{_SEGMENT}$")                     # so no ?, @, %, space, <, upper case or 6+ digits
_PUBLISHABLE = re.compile(PUBLISHABLE_PATH)
_PATH_COUNTS = {"type": "object", "additionalProperties": False, "patternProperties": {PUBLISHABLE_PATH: _COUNT}}


def publishable_path(path: str) -> bool:
    """Whether `path` (decoded, without query) may be shown by name; see the module docstring."""
    return bool(_PUBLISHABLE.match(path))

MONTH_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Dorpsplein monthly visit aggregates",
    "type": "object",
    "required": ["schema", "version", "month", "complete_through", "days", "requests", "status",
                 "devices", "operating_systems", "referrers", "pages", "posts", "not_found",
                 "not_found_total", "feed_subscribers"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "version": {"const": VERSION},
        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        # The last day whose counts are final; later days are still being counted.
        "complete_through": {"type": ["string", "null"], "pattern": _DAY},
        "days": {
            "description": "Per day: unique visitors (people who viewed a page), their page views, "
                           "and requests per traffic class.",
            "type": "object",
            "additionalProperties": False,
            "patternProperties": {_DAY: {
                "type": "object",
                "required": ["visitors", "page_views", "people", "bots", "feed_readers"],
                "additionalProperties": False,
                "properties": {key: _COUNT for key in
                               ("visitors", "page_views", "people", "bots", "feed_readers")},
            }},
        },
        "requests": {
            "description": "All requests of the month by traffic class; link_previews is the part of "
                           "bots that fetched a link preview (Mastodon instances and the like).",
            "type": "object",
            "required": ["people", "bots", "link_previews", "feed_readers"],
            "additionalProperties": False,
            "properties": {key: _COUNT for key in ("people", "bots", "link_previews", "feed_readers")},
        },
        "status": {"description": "Requests by status class: 1xx … 5xx.", "type": "object",
                   "additionalProperties": False, "patternProperties": {r"^[1-5]xx$": _COUNT}},
        "devices": {"description": "Visits (visitor-days) by device type.", "type": "object",
                    "additionalProperties": False,
                    "properties": {key: _COUNT for key in DEVICE_LABELS}},
        "operating_systems": {"description": "Visits by operating system family.", **_COUNTS},
        "referrers": {
            "description": "Visits by how the visitor came: the referrer of the first page view of the day.",
            "type": "object",
            "required": ["search", "social", "newsletter", "other_sites", "direct"],
            "additionalProperties": False,
            "properties": {"search": _COUNTS, "social": _COUNTS, "newsletter": _COUNT,
                           "other_sites": _COUNTS, "direct": _COUNT},
        },
        "pages": {"description": "Page views by people per HTML page path that exists on the site and is "
                                 "publishable; the rest of the page views are 'other'.", **_PATH_COUNTS},
        "posts": {"description": "The part of pages that are blog posts.", **_PATH_COUNTS},
        "not_found": {"description": "404s hit by people, per path of the site (the most frequent ones); the "
                                     "rest of not_found_total, paths that never existed included, is 'other'.",
                      **_PATH_COUNTS},
        "not_found_total": _COUNT,
        "feed_subscribers": {
            "description": "Per aggregator, per day: the highest subscriber count it reported.",
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": False,
                                     "patternProperties": {_DAY: _COUNT}},
        },
    },
}


def empty_month(month: str) -> dict:
    """A month with nothing counted yet, in the current shape."""
    return {"schema": SCHEMA_ID, "version": VERSION, "month": month, "complete_through": None,
            "days": {}, "requests": {"people": 0, "bots": 0, "link_previews": 0, "feed_readers": 0},
            "status": {}, "devices": {key: 0 for key in DEVICE_LABELS}, "operating_systems": {},
            "referrers": {"search": {}, "social": {}, "newsletter": 0, "other_sites": {}, "direct": 0},
            "pages": {}, "posts": {}, "not_found": {}, "not_found_total": 0, "feed_subscribers": {}}


# --- validation: the subset of JSON Schema that MONTH_SCHEMA uses ---------------------------------

_TYPES = {"object": dict, "string": str, "null": type(None)}


def _type_ok(value, expected) -> bool:
    for name in [expected] if isinstance(expected, str) else expected:
        if name == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if name in _TYPES and isinstance(value, _TYPES[name]):
            return True
    return False


def _problems(value, schema: dict, where: str):
    if "const" in schema and value != schema["const"]:
        yield f"{where}: expected {schema['const']!r}, got {value!r}"
        return
    if "type" in schema and not _type_ok(value, schema["type"]):
        yield f"{where}: expected {schema['type']}, got {type(value).__name__}"
        return
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        yield f"{where}: must be at least {schema['minimum']}, got {value}"
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        yield f"{where}: {value!r} does not match {schema['pattern']}"
    if not isinstance(value, dict):
        return
    for key in schema.get("required", ()):
        if key not in value:
            yield f"{where}: missing field {key!r}"
    properties, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
    for key, item in value.items():
        path = f"{where}.{key}"
        if key in properties:
            yield from _problems(item, properties[key], path)
            continue
        matching = [sub for pattern, sub in patterns.items() if re.search(pattern, key)]
        for sub in matching:
            yield from _problems(item, sub, path)
        if not matching:
            extra = schema.get("additionalProperties", True)
            if extra is False:
                yield f"{where}: unexpected field {key!r}"
            elif isinstance(extra, dict):
                yield from _problems(item, extra, path)


def month_problems(data) -> list[str]:
    """Every way `data` differs from MONTH_SCHEMA, as `field: problem` strings."""
    return list(_problems(data, MONTH_SCHEMA, "month"))


def upgrade_month(data):
    """A version 1 month in the current shape, with the publishing rule applied: pages and posts keep
    the publishable paths (they were served, so they existed), 404 paths become 'other' (they did not
    exist). Anything else is returned as it is, for validation to judge."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID or data.get("version") != 1:
        return data
    data = {**data, "version": VERSION, "not_found": {}}
    for key in ("pages", "posts"):
        if isinstance(data.get(key), dict):
            data[key] = {path: n for path, n in data[key].items() if publishable_path(path)}
    return data


def listed_and_other(counts: dict[str, int], total: int) -> tuple[dict[str, int], int]:
    """(the paths listed by name, the count of everything else) of pages or 404s."""
    return counts, max(0, total - sum(counts.values()))


def validate_month(data, source: str = "analytics month") -> dict:
    problems = month_problems(data)
    if problems:
        raise DorpspleinError(f"{source}: not a valid analytics month: " + "; ".join(problems[:5]))
    return data


# --- files ---------------------------------------------------------------------------------------

def month_path(state_dir: Path, month: str) -> Path:
    return Path(state_dir) / f"{month}.json"


def load_month(path: Path) -> dict:
    """Read and validate one month; a clear error naming the file when it is broken."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DorpspleinError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise DorpspleinError(f"{path}: not valid JSON: {exc}") from None
    return validate_month(upgrade_month(data), str(path))


def load_months(state_dir: Path) -> dict[str, dict]:
    """All months in `state_dir`, oldest first, keyed "YYYY-MM"; empty when the folder is missing."""
    folder = Path(state_dir)
    if not folder.is_dir():
        return {}
    names = sorted(p.name for p in folder.iterdir() if MONTH_FILE.match(p.name))
    return {name[:-5]: load_month(folder / name) for name in names}


def save_month(state_dir: Path, data: dict) -> Path:
    path = month_path(state_dir, data["month"])
    write_json_atomically(path, validate_month(data, str(path)))
    return path


# --- what readers usually want -------------------------------------------------------------------

def visits(month: dict) -> int:
    """Unique visitors per day, summed over the month (Plausible's "visits" without cookies)."""
    return sum(day["visitors"] for day in month["days"].values())


def page_views(month: dict) -> int:
    return sum(day["page_views"] for day in month["days"].values())


def top(counts: dict[str, int], n: int) -> list[tuple[str, int]]:
    """The n largest entries, largest first, ties by name so the order is stable."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def sources(month: dict) -> list[tuple[str, str, int]]:
    """How visitors came, as (class, name, visits): each search engine and social network by name."""
    referrers = month["referrers"]
    rows = [("search", name, n) for name, n in top(referrers["search"], 100)]
    rows += [("social", name, n) for name, n in top(referrers["social"], 100)]
    rows.append(("newsletter", SOURCE_LABELS["newsletter"], referrers["newsletter"]))
    rows.append(("other_sites", SOURCE_LABELS["other_sites"], sum(referrers["other_sites"].values())))
    rows.append(("direct", SOURCE_LABELS["direct"], referrers["direct"]))
    return rows


def source_classes(month: dict) -> dict[str, int]:
    """Visits per referrer class: search, social, newsletter, other_sites, direct."""
    referrers = month["referrers"]
    return {key: value if isinstance(value, int) else sum(value.values()) for key, value in referrers.items()}


def feed_subscribers(month: dict) -> dict[str, int]:
    """Per aggregator, the count on the last day it reported in the month."""
    return {name: per_day[max(per_day)] for name, per_day in sorted(month["feed_subscribers"].items())
            if per_day}
