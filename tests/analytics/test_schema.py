"""The contract with the overviews: one JSON Schema, checked by jsonschema and by our own validator alike."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from dorpsplein.analytics_schema import (
    MONTH_SCHEMA,
    empty_month,
    feed_subscribers,
    load_months,
    month_problems,
    page_views,
    source_classes,
    sources,
    visits,
)
from dorpsplein.errors import DorpspleinError

from .conftest import run


@pytest.fixture(scope="module")
def real_month(synthetic, tmp_path_factory):
    path, _, _ = synthetic
    state = tmp_path_factory.mktemp("schema")
    run([path], state)
    return load_months(state)["2026-11"]


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(MONTH_SCHEMA)


def test_written_and_empty_months_are_valid_for_both(real_month):
    for month in (real_month, empty_month("2026-12")):
        jsonschema.validate(month, MONTH_SCHEMA)
        assert month_problems(month) == []


BREAKAGES = {
    "wrong version": lambda m: m.update(version=3),
    "an e-mail address as a page": lambda m: m["pages"].update({"/afmelden/jan.jansen@example.org/": 1}),
    "a BSN as a post": lambda m: m["posts"].update({"/blog/BSN-123456782/": 1}),
    "markup as a 404": lambda m: m["not_found"].update({"/x<script>alert(2)</script>": 1}),
    "a query string": lambda m: m["pages"].update({"/zoeken/?q=jan": 1}),
    "a token": lambda m: m["not_found"].update({"/bevestigen/eyJrIjoiYSJ9.Z1x2.abc": 1}),
    "no name at all": lambda m: m["not_found"].update({"(geen pad)": 1}),
    "missing days": lambda m: m.pop("days"),
    "negative count": lambda m: m["requests"].update(people=-1),
    "count as text": lambda m: m["pages"].update({"/": "12"}),
    "boolean count": lambda m: m["referrers"].update(direct=True),
    "bad day key": lambda m: m["days"].update({"28-11-2026": m["days"].popitem()[1]}),
    "day missing a field": lambda m: next(iter(m["days"].values())).pop("visitors"),
    "unknown field": lambda m: m.update(ip_addresses=[]),
    "unknown device": lambda m: m["devices"].update(smartwatch=1),
    "bad status class": lambda m: m["status"].update({"9xx": 1}),
    "bad month": lambda m: m.update(month="november"),
    "subscribers per month, not day": lambda m: m["feed_subscribers"].update(Feedly={"2026-11": 3}),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_broken_months_are_rejected_by_both(real_month, name):
    month = copy.deepcopy(real_month)
    BREAKAGES[name](month)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(month, MONTH_SCHEMA)
    assert month_problems(month) != []


def test_a_broken_file_names_itself(tmp_path):
    (tmp_path / "2026-11.json").write_text("[1, 2")
    with pytest.raises(DorpspleinError, match=r"2026-11\.json: not valid JSON: "):
        load_months(tmp_path)


def test_helpers_for_readers(real_month):
    assert visits(real_month) == sum(d["visitors"] for d in real_month["days"].values()) > 0
    assert page_views(real_month) > visits(real_month)
    classes = source_classes(real_month)
    assert set(classes) == {"search", "social", "newsletter", "other_sites", "direct"}
    assert sum(classes.values()) == visits(real_month)
    assert sum(n for _, _, n in sources(real_month)) == visits(real_month)
    latest = feed_subscribers(real_month)
    assert latest["Feedly"] == real_month["feed_subscribers"]["Feedly"]["2026-11-04"]


def test_a_version_1_file_is_read_with_the_same_rule(tmp_path):
    """Files written before the rule: served pages keep their publishable paths; 404 paths never existed."""
    import json

    old = empty_month("2026-11") | {"version": 1}
    old["pages"] = {"/": 5, "/afmelden/jan.jansen@example.org/BSN-123456782/": 1, "/blog/": 2,
                    "/x/Jan.Jansen/": 1}
    old["posts"] = {"/blog/2026/11/a/": 1, "/blog/2026/11/123456789/": 1}
    old["not_found"], old["not_found_total"] = {"/x<script>alert(2)</script>": 3, "/oude-pagina/": 2}, 5
    (tmp_path / "2026-11.json").write_text(json.dumps(old))
    month = load_months(tmp_path)["2026-11"]
    assert month["version"] == 2
    assert month["pages"] == {"/": 5, "/blog/": 2} and month["posts"] == {"/blog/2026/11/a/": 1}
    assert (month["not_found"], month["not_found_total"]) == ({}, 5)
    jsonschema.validate(month, MONTH_SCHEMA)
