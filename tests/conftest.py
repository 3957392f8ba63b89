"""Shared fixtures: tiny real Pelican sites written into tmp_path."""

from __future__ import annotations

import os
import shutil
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dorpsplein.build import build
from dorpsplein.serve import start_server
from dorpsplein.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
# aiosmtpd's Controller gives its test SMTP server 5 s to start; a loaded CI machine can need more.
os.environ.setdefault("AIOSMTPD_CONTROLLER_TIMEOUT", "60")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class Site:
    """A content folder in tmp_path with blog/ and pages/, and a way to build it."""

    def __init__(self, root: Path):
        self.content = root / "content"
        self.output = root / "output"
        (self.content / "blog").mkdir(parents=True)
        (self.content / "pages").mkdir()

    def write(self, relpath: str, text: str) -> Path:
        path = self.content / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        saving = self.content.parent / f".{path.name}.saving"  # whole, as an editor saves: a watcher never reads half
        saving.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        saving.replace(path)
        return path

    def post(self, slug: str, title: str, date: str, body: str = "Tekst van het bericht.", **meta) -> Path:
        header = {"Title": title, "Date": date, "Category": "Nieuws", **meta}
        lines = [f"{key}: {value}" for key, value in header.items()]
        return self.write(f"blog/{slug}.md", "\n".join(lines) + "\n\n" + body + "\n")

    def settings(self, production: bool = False, **extra) -> dict:
        extra.setdefault("CACHE_PATH", str(self.content.parent / "cache"))
        return load_settings(production=production, content=self.content, output=self.output, extra=extra)

    def build(self, production: bool = False, **extra):
        return build(self.settings(production, **extra), strict=production)

    def html(self, relpath: str) -> str:
        return (self.output / relpath).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def published_state_in_tmp(tmp_path, monkeypatch):
    """A production build records what it published (plugins/published); in a test that is never the
    repository's state/published.json, whatever content it builds (a Site's own is this same file)."""
    monkeypatch.setenv("DORPSPLEIN_PUBLISHED_STATE_PATH", str(tmp_path / "state" / "published.json"))


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against the demo site on 127.0.0.1.
@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    """The demo site, built and served on a free port for this test session."""
    out = tmp_path_factory.mktemp("browser") / "output"
    out.mkdir()
    server = start_server(out, 0)  # first, so the build knows its preview address
    url = f"http://127.0.0.1:{server.server_address[1]}"
    build(load_settings(output=out, extra={"CACHE_PATH": str(out.parent / "cache"), "PREVIEW_URL": url}))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM}; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def same_day(monkeypatch):
    """For builds compared byte for byte: security.txt's Expires follows the build date
    (SOURCE_DATE_EPOCH), so midnight UTC between two builds would make them differ."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time())))


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL server (tests/postgres_server.py) for the tests that run on both databases."""
    from postgres_server import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()
