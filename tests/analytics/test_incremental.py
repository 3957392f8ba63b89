"""Reruns, appends, rotation, truncation and .gz: every line counted once, visitors per day exact."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from dorpsplein.analytics_schema import load_month

from .conftest import at, line, run


def month(state, key="2026-11"):
    return load_month(state / f"{key}.json")


@pytest.fixture(scope="module")
def one_shot(synthetic, tmp_path_factory):
    """The month as a single run over the whole log counts it: what every split must give too."""
    path, _, _ = synthetic
    state = tmp_path_factory.mktemp("one-shot")
    run([path], state)
    return month(state)


def write(path, lines):
    path.write_bytes("".join(lines).encode())


def test_a_rerun_counts_nothing_twice(synthetic, one_shot, tmp_path):
    path, _, _ = synthetic
    run([path], tmp_path)
    again = run([path], tmp_path)
    assert again.counted == 0
    assert again.malformed_total == 0  # reported once, in the run that read them
    assert again.files[0].recounted > 0  # the open day was recounted …
    assert month(tmp_path) == one_shot  # … and came out the same


@pytest.mark.parametrize("cuts", [(0.3,), (0.5, 0.51, 0.9), (0.999,)], ids=["one", "three", "near-end"])
def test_appending_in_pieces_gives_the_one_shot_month(synthetic, one_shot, tmp_path, cuts):
    _, lines, _ = synthetic
    log = tmp_path / "access.log"
    state = tmp_path / "state"
    for cut in cuts:
        write(log, lines[: int(len(lines) * cut)])
        run([log], state)
    write(log, lines)
    run([log], state)
    assert month(state) == one_shot


def test_a_half_written_last_line_waits_for_the_next_run(synthetic, one_shot, tmp_path):
    _, lines, _ = synthetic
    log, state = tmp_path / "access.log", tmp_path / "state"
    half = len(lines) // 2
    log.write_bytes("".join(lines[:half]).encode() + lines[half][:40].encode())  # nginx is mid-write
    first = run([log], state)
    assert first.counted + first.malformed_total == half
    write(log, lines)
    run([log], state)
    assert month(state) == one_shot


def test_rotation_by_rename_and_gzip_in_any_argument_order(synthetic, one_shot, tmp_path):
    _, lines, _ = synthetic
    state = tmp_path / "state"
    a, b, c = len(lines) // 3, len(lines) // 2, 2 * len(lines) // 3
    log = tmp_path / "access.log"
    write(log, lines[:a])
    run([log], state)
    write(log, lines[:b])                         # more lines, then logrotate renames …
    os.rename(log, tmp_path / "access.log.1")
    write(log, lines[b:c])                        # … and nginx starts a new file
    run([log, tmp_path / "access.log.1"], state)
    with open(tmp_path / "access.log.1", "rb") as old, gzip.open(tmp_path / "access.log.2.gz", "wb") as packed:
        packed.write(old.read())                  # the next rotation compresses the old one
    os.remove(tmp_path / "access.log.1")
    os.rename(log, tmp_path / "access.log.1")
    write(log, lines[c:])
    report = run([log, tmp_path / "access.log.2.gz", tmp_path / "access.log.1"], state)
    assert [f.counted for f in report.files] == [0, 0, len(lines) - c - report.malformed_total]
    assert month(state) == one_shot


def test_copytruncate_reads_the_new_content_from_the_start(synthetic, one_shot, tmp_path):
    _, lines, _ = synthetic
    state, log = tmp_path / "state", tmp_path / "access.log"
    half = len(lines) // 2
    write(log, lines[:half])
    run([log], state)
    (tmp_path / "access.log.1").write_bytes(log.read_bytes())   # logrotate's copytruncate: copy …
    with open(log, "r+b") as handle:                              # … then truncate in place
        handle.truncate(0)
        handle.write("".join(lines[half:]).encode())
    report = run([tmp_path / "access.log.1", log], state)
    assert report.files[0].counted == 0
    assert month(state) == one_shot


def test_a_truncated_file_is_read_again_from_the_start(tmp_path):
    log, state = tmp_path / "access.log", tmp_path / "state"
    write(log, [line(when=at(1, 10, n)) for n in range(10)])
    run([log], state)
    write(log, [line(when=at(1, 11, n)) for n in range(3)])  # same first-line shape? no: new content, shorter
    report = run([log], state)
    assert report.files[0].counted == 3
    assert report.files[0].note.endswith("read from the start")
    assert month(state)["days"]["2026-11-01"]["people"] == 13


def test_a_missing_rotated_log_with_the_open_day_is_reported(tmp_path):
    state = tmp_path / "state"
    write(tmp_path / "access.log.1", [line(when=at(2, 10))])
    run([tmp_path / "access.log.1"], state)
    write(tmp_path / "access.log", [line(ip="203.0.113.5", when=at(2, 11))])
    report = run([tmp_path / "access.log"], state)
    assert report.warnings == [
        f"{tmp_path / 'access.log.1'}: not among the logs given, but it holds lines of 2026-11-02, the day still "
        "being counted: that day now keeps its counts, and its visitors may be counted twice. Give all rotated "
        "logs, e.g. access.log*"]
    assert month(state)["days"]["2026-11-02"]["visitors"] == 2  # nothing lost


def test_visitors_are_unique_per_day_not_per_month(tmp_path):
    log = tmp_path / "access.log"
    write(log, [line(when=at(1, 9)), line(when=at(1, 10), request="GET /blog/ HTTP/1.1"),  # same visitor twice
                line(ip="2001:db8::7", when=at(1, 11)),                                     # another one
                line(when=at(2, 9))])                                                       # first one, next day
    run([log], tmp_path / "state")
    days = month(tmp_path / "state")["days"]
    assert {d: v["visitors"] for d, v in days.items()} == {"2026-11-01": 2, "2026-11-02": 1}
    assert {d: v["page_views"] for d, v in days.items()} == {"2026-11-01": 3, "2026-11-02": 1}


def test_days_in_two_months_go_to_two_files_and_only_the_last_day_stays_open(tmp_path):
    log, state = tmp_path / "access.log", tmp_path / "state"
    write(log, [line(when=at(30, 23, 59)), line(when=at(1, 0, 1, month=12))])
    report = run([log], state)
    assert sorted(report.months) == ["2026-11", "2026-12"]
    assert month(state)["complete_through"] == "2026-11-30"
    assert month(state, "2026-12")["complete_through"] is None
    assert report.open_day == "2026-12-01"
    progress = json.loads((state / "progress.json").read_text())
    assert progress["open_day"] == "2026-12-01"


def test_a_late_line_of_a_closed_day_inside_the_open_day_is_not_recounted(tmp_path):
    """nginx logs when a request ends: a slow request from 23:59 can follow the first line of the next day."""
    log, state = tmp_path / "access.log", tmp_path / "state"
    write(log, [line(when=at(1, 12)), line(ip="203.0.113.1", when=at(2, 0, 0)),
                line(ip="203.0.113.2", when=at(1, 23, 59)), line(ip="203.0.113.3", when=at(2, 0, 1))])
    run([log], state)
    first = month(state)
    assert first["days"]["2026-11-01"]["visitors"] == 2
    run([log], state)  # recounts 2 November from its first line, which lies before the late line
    assert month(state) == first


def test_a_run_interrupted_after_its_commit_point_is_completed_by_the_next(synthetic, one_shot, tmp_path, monkeypatch):
    from dorpsplein.analytics import incremental

    path, _, _ = synthetic
    state = tmp_path / "state"

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(incremental, "save_month", crash)  # killed right after progress.json was written
    with pytest.raises(KeyboardInterrupt):
        run([path], state)
    assert not (state / "2026-11.json").exists()
    monkeypatch.undo()
    assert run([path], state).counted == 0
    assert month(state) == one_shot
    assert json.loads((state / "progress.json").read_text())["pending"] == {}
