"""Synthetic logs with known ground truth, and a helper to run the analysis on them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from dorpsplein.analytics import SiteShape, analyse
from dorpsplein.analytics.synthetic import ASSETS, FEEDS, PAGES, POSTS, TZ, Generator, log_line

# The synthetic site's addresses: its pages, posts, assets and feeds (its broken links do not exist).
SITE_PATHS = frozenset(PAGES + POSTS + ASSETS + FEEDS)
SHAPE = SiteShape(site_hosts=frozenset({"voorbeeld.nl"}), known_paths=SITE_PATHS)
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/18.1 Mobile/15E148 Safari/604.1")


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def line(ip="198.51.100.7", when=None, request="GET / HTTP/1.1", status=200, referrer="-", ua=CHROME) -> str:
    return log_line(ip, when or at(1), request, status, referrer, ua)


def run(paths, state: Path, shape: SiteShape = SHAPE):
    return analyse([Path(p) for p in paths], state, shape)


@pytest.fixture(autouse=True)
def site_addresses(built_site, monkeypatch):
    """`tasks.py analytics` learns the site's addresses from this folder (never from the network)."""
    monkeypatch.setenv("DORPSPLEIN_ANALYTICS_SITE", str(built_site))


@pytest.fixture
def built_site(tmp_path) -> Path:
    """A folder shaped like a built site with the synthetic site's addresses, for `analytics --site`."""
    folder = tmp_path / "gebouwd"
    for path in SITE_PATHS:
        file = folder / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("x")
    return folder


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    """A 4-day synthetic log of 24,000 lines with malformed lines, and the truth behind it."""
    generator = Generator(seed=7, malformed_every=5_000)
    lines = list(generator.lines(24_000, days=4))
    path = tmp_path_factory.mktemp("synthetic") / "access.log"
    path.write_text("".join(lines), encoding="utf-8")
    return path, lines, generator.truth
