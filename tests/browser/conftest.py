"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against the demo site on 127.0.0.1."""

from __future__ import annotations

import shutil

import pytest

from dorpsplein.build import build
from dorpsplein.serve import start_server
from dorpsplein.settings import load_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    """The demo site, built and served on a free port for this test session."""
    out = tmp_path_factory.mktemp("browser") / "output"
    build(load_settings(output=out, extra={"CACHE_PATH": str(out.parent / "cache")}))
    server = start_server(out, 0)
    yield f"http://127.0.0.1:{server.server_address[1]}"
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
