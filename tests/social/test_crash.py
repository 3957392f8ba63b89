"""SIGKILL of a real `tasks.py social push` process between the request and the ledger write, then a rerun.

The fake server kills the client process while it handles the request (after creating the post,
or before), so the kill lands exactly between "request sent" and "result written".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from dorpsplein.social import push
from dorpsplein.social.ledger import Ledger

from .conftest import ROOT
from .test_faults import assert_exactly_once

CASES = [  # network, request kind, when, which request of that kind
    ("mastodon", "statuses", "after", 1),
    ("mastodon", "statuses", "before", 2),
    ("mastodon", "media", "after", 1),
    ("bluesky", "createRecord", "after", 1),
    ("bluesky", "createRecord", "before", 2),
    ("bluesky", "uploadBlob", "after", 1),
]


def cli_env(mastodon, bluesky, environ) -> dict:
    return {**os.environ, **environ, "DORPSPLEIN_MASTODON_URL": mastodon.url,
            "DORPSPLEIN_BLUESKY_SERVICE": bluesky.url, "DORPSPLEIN_BLUESKY_HANDLE": bluesky.handle,
            "DORPSPLEIN_SOCIAL_RETRY_BASE_SECONDS": "0", "DORPSPLEIN_SOCIAL_TIMEOUT_SECONDS": "10"}


@pytest.mark.parametrize(("network", "kind", "when", "nth"), CASES)
def test_sigkill_between_request_and_ledger_write_then_rerun(network, kind, when, nth, mastodon, bluesky, environ,
                                                             settings, sleeps, site, ledger_path):
    site.post("brug", "Nieuwe brug", hours_ago=2, image=site.image("brug.jpg"), image_alt="Een houten brug")
    site.post("markt", "Weekmarkt verhuist", hours_ago=1)
    server = mastodon if network == "mastodon" else bluesky
    for _ in range(nth - 1):
        server.inject(kind, "pass")
    server.inject(kind, "kill", when=when)
    process = subprocess.Popen(
        [sys.executable, "tasks.py", "social", "push", "--feed", str(site.feed_path), "--network", network,
         "--ledger", str(ledger_path)], cwd=ROOT, env=cli_env(mastodon, bluesky, environ),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    server.kill_pid = process.pid
    out, err = process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL, (out + err).decode()
    killed = site.items[nth - 1]  # posts go out oldest first
    assert Ledger(ledger_path).state(network, killed.id).needs_reconcile  # intent written, result not
    rerun = push(settings, feed=site.feed_path, network=network, environ=environ, sleep=sleeps)
    assert not rerun.failed
    statuses = {o.label: o.status for o in rerun.outcomes}
    assert statuses[killed.title] == ("reconciled" if when == "after" and kind in ("statuses", "createRecord")
                                      else "posted")
    assert_exactly_once(site, mastodon, bluesky, ledger_path, (network,))
