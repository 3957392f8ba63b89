"""Synthetic logs with known ground truth, and a helper to run the analysis on them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from dorpsplein.analytics import SiteShape, analyse
from dorpsplein.analytics.synthetic import TZ, Generator, log_line

SHAPE = SiteShape(site_hosts=frozenset({"voorbeeld.nl"}))
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/18.1 Mobile/15E148 Safari/604.1")


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def line(ip="198.51.100.7", when=None, request="GET / HTTP/1.1", status=200, referrer="-", ua=CHROME) -> str:
    return log_line(ip, when or at(1), request, status, referrer, ua)


def run(paths, state: Path):
    return analyse([Path(p) for p in paths], state, SHAPE)


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    """A 4-day synthetic log of 24,000 lines with malformed lines, and the truth behind it."""
    generator = Generator(seed=7, malformed_every=5_000)
    lines = list(generator.lines(24_000, days=4))
    path = tmp_path_factory.mktemp("synthetic") / "access.log"
    path.write_text("".join(lines), encoding="utf-8")
    return path, lines, generator.truth
