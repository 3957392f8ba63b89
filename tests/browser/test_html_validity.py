"""Every kind of page, as the server sends it, has 0 errors in the Nu Html Checker (vnu-jar, run with Java)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from dorpsplein.settings import ROOT

from .template_kinds import TEMPLATE_KINDS

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture(scope="module")
def vnu():
    missing = [what for what, ok in (("java", shutil.which("java")), (str(VNU), VNU.is_file())) if not ok]
    if missing:
        # CI must have them (`npm ci` and Java 17); a developer machine may skip with the reason.
        if os.environ.get("CI"):
            pytest.fail(f"the HTML check needs {', '.join(missing)}")
        pytest.skip(f"the HTML check needs {', '.join(missing)} (run `npm ci`; Java 17)")
    return ["java", "-jar", str(VNU), "--errors-only", "--format", "json"]


def fetch(url: str) -> bytes:
    try:
        return urllib.request.urlopen(url).read()
    except urllib.error.HTTPError as error:  # the 404 page is sent with status 404
        return error.read()


def check(vnu, files) -> list[str]:
    run = subprocess.run([*vnu, *map(str, files)], capture_output=True, text=True)
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    return [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_every_template_kind_is_valid_html(vnu, demo_url, tmp_path):
    # A page with a duplicate id and a stray end tag rides along in the same run (one JVM start):
    # it shows the checker really reports errors, so the empty list below means something.
    bad = tmp_path / "known-bad.html"
    bad.write_text('<!DOCTYPE html><html lang="nl"><title>x</title><p id="a"></p><p id="a"></p></div>')
    files = [bad]
    for kind, path in TEMPLATE_KINDS.items():
        files.append(tmp_path / f"{kind}.html")
        files[-1].write_bytes(fetch(demo_url + path))
    errors = check(vnu, files)
    assert len([e for e in errors if e.startswith("known-bad.html:")]) == 2, errors
    assert [e for e in errors if not e.startswith("known-bad.html:")] == []
