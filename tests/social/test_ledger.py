"""The ledger: one complete line per record, torn last lines detected and set apart, one writer at a time."""

from __future__ import annotations

import json

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.social.ledger import INTENT, POSTED, REJECTED, Ledger, Record, new_tid


def record(status, key="https://x/a/", network="mastodon", **fields):
    return Record(url=key, network=network, account="@g@x", key=key, status=status, text="Hallo", at="t", **fields)


def test_records_are_whole_json_lines_with_the_archive_fields(tmp_path):
    path = tmp_path / "state" / "social-ledger.jsonl"
    with Ledger(path) as ledger:
        ledger.append(record(INTENT, idempotency_key="k1"))
        ledger.append(record(POSTED, remote_id="9", remote_url="https://s/9", idempotency_key="k1"))
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    posted = json.loads(lines[1])
    assert list(posted)[:9] == ["url", "network", "account", "key", "status", "remote_id", "remote_url", "text", "at"]
    assert Ledger(path).state("mastodon", "https://x/a/").done.remote_url == "https://s/9"


def test_state_machine(tmp_path):
    with Ledger(tmp_path / "l.jsonl") as ledger:
        ledger.append(record(INTENT, key="a", idempotency_key="first"))
        ledger.append(record(INTENT, key="b"))
        ledger.append(record(REJECTED, key="b"))
        ledger.append(record(INTENT, key="c", network="bluesky"))
        a, b, c = ledger.state("mastodon", "a"), ledger.state("mastodon", "b"), ledger.state("mastodon", "c")
    assert a.needs_reconcile and a.first_intent.idempotency_key == "first"
    assert not b.needs_reconcile and b.done is None  # refused by the network: certainly not posted
    assert not c.needs_reconcile and c.first_intent is None  # other network


def test_a_torn_last_line_is_reported_ignored_and_set_apart(tmp_path):
    path = tmp_path / "l.jsonl"
    good = record(INTENT, key="a").to_line()
    path.write_bytes(good + record(POSTED, key="a").to_line()[:40])  # a crash in the middle of a write
    ledger = Ledger(path)
    assert ledger.warnings == [f"{path}:2: incomplete last line (a crash while writing?); ignored"]
    assert ledger.state("mastodon", "a").needs_reconcile  # so the next run looks on the account first
    with ledger:
        ledger.append(record(POSTED, key="a"))
    again = Ledger(path)
    assert again.state("mastodon", "a").done is not None
    assert len(again.records) == 2 and len(again.warnings) == 1
    assert again.warnings[0].startswith(f"{path}:2: unreadable line (Unterminated string")


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "l.jsonl"
    with Ledger(path):
        with pytest.raises(DorpspleinError, match=r"another `social` command is writing this ledger"):
            Ledger(path).open()


def test_tids_are_13_sortable_characters():
    first, second = new_tid(0), new_tid(0)
    assert len(first) == 13 and first[0] in "234567abcdefghij"
    assert first <= second
