"""The demo content (Gemeente Voorbeeld) builds into the site the foundation issue describes."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pelican.utils import get_date

from dorpsplein.build import build
from dorpsplein.settings import ROOT, load_settings
from dorpsplein.source import read_source

NOW = datetime.datetime.now(ZoneInfo("Europe/Amsterdam"))


def posts():
    for path in sorted((ROOT / "content/blog").glob("*.md")):
        meta = {k: f.value for k, f in read_source(path).meta.items()}
        meta["date"] = get_date(meta["date"]).replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
        if "expires" in meta:
            meta["expires"] = get_date(meta["expires"]).replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
        yield path, meta


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, datetime.datetime]:
    """The demo site's output, and the time its build started (what it counted as now)."""
    out = tmp_path_factory.mktemp("demo") / "output"
    started = datetime.datetime.now(ZoneInfo("Europe/Amsterdam"))
    result = build(load_settings(output=out, extra={"CACHE_PATH": str(out.parent / "cache")}))
    assert result.warnings == []
    return out, started


@pytest.fixture(scope="module")
def output(built) -> Path:
    return built[0]


def listed_titles(output: Path) -> str:
    pages = sorted((output / "blog").glob("index.html")) + sorted((output / "blog/pagina").glob("*/index.html"))
    return "".join(p.read_text(encoding="utf-8") for p in pages)


def test_demo_has_enough_published_posts_categories_and_months():
    published = [m for _, m in posts() if m.get("status", "published") == "published"
                 and m["date"] <= NOW and not (m.get("expires") and m["expires"] <= NOW)]
    assert len(published) >= 12
    assert len(Counter(m["category"] for m in published)) >= 4
    assert len({(m["date"].year, m["date"].month) for m in published}) >= 3
    assert all(m.get("summary") and m.get("tags") for m in published)
    with_image = [m for m in published if m.get("image")]
    assert len(with_image) >= 3 and all(m.get("image_alt") for m in with_image)


def test_demo_has_a_draft_and_a_notice_that_expired():
    metas = [m for _, m in posts()]
    assert any(m.get("status") == "draft" for m in metas)
    assert any(m.get("expires") and m["expires"] <= NOW for m in metas)


def test_home_page_is_the_welcome_text_with_latest_posts(output):
    home = (output / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in home
    assert "<h1>Welkom op het Dorpsplein van Gemeente Voorbeeld</h1>" in home
    assert "Laatste berichten" in home


@pytest.mark.parametrize("page", ["over-ons", "contact", "helpdesk", "privacy", "toegankelijkheid",
                                  "kanalen", "volgen"])
def test_required_pages_exist_and_are_linked_from_every_page(output, page):
    assert (output / page / "index.html").is_file()
    if page in ("toegankelijkheid", "privacy", "kanalen", "contact"):
        for html in (output / "index.html", output / "blog/index.html"):
            assert f'href="/{page}/"' in html.read_text(encoding="utf-8")


def test_status_rules_hold_for_every_demo_post(built):
    output, now = built
    listed = listed_titles(output)
    for path, meta in posts():
        title = meta["title"].replace("&", "&amp;")
        hidden = (meta.get("status") == "draft" or meta["date"] > now
                  or (meta.get("expires") and meta["expires"] <= now))
        assert (title not in listed) if hidden else (title in listed), path.name
        if meta.get("expires") and meta["expires"] <= now:
            pages = (output / f"blog/{meta['date']:%Y/%m}").glob("*/index.html")
            own = [p for p in pages if f"<h1>{title}</h1>" in p.read_text(encoding="utf-8")]
            assert own, f"expired notice {path.name} lost its page"
            assert "Verlopen:" in own[0].read_text(encoding="utf-8")
