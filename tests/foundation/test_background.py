"""dorpsplein/background.py: work in a forked child whose warnings and errors come back to the build."""

from __future__ import annotations

import logging
import os
import time

import pytest

from dorpsplein.background import Background
from dorpsplein.errors import DorpspleinError


def _writes(path, text):
    logging.getLogger("feeds.test").warning("schreef %s", path.name)
    path.write_text(text)


def _fails():
    raise ValueError("FEEDS_MAX_ITEMS moet een getal zijn")


def test_the_child_writes_and_its_warnings_come_back_once_on_join(tmp_path, caplog):
    work = Background("feeds", _writes, tmp_path / "uit.txt", "klaar")
    assert work.pid not in (None, os.getpid())
    assert not [r for r in caplog.records if "schreef" in r.getMessage()]  # nothing shown before join
    work.join()
    assert (tmp_path / "uit.txt").read_text() == "klaar"
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records if "schreef" in r.getMessage()] == [
        ("feeds.test", logging.WARNING, "schreef uit.txt")]


def test_an_error_in_the_child_fails_the_join_in_one_line():
    work = Background("feeds", _fails)
    with pytest.raises(DorpspleinError) as failure:
        work.join()
    assert str(failure.value) == "feeds failed: ValueError: FEEDS_MAX_ITEMS moet een getal zijn"


def test_cancel_stops_a_child_that_is_still_running(tmp_path):
    work = Background("feeds", time.sleep, 60)
    pid = work.pid
    started = time.monotonic()
    work.cancel()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def _counts_frozen(path):
    import gc

    path.write_text(str(gc.get_freeze_count()))


def test_the_child_leaves_inherited_objects_to_the_parent_and_the_parent_collects_as_before(tmp_path):
    """gc.freeze() around the fork: the child's collector skips what it inherits; the build's does not."""
    import gc

    work = Background("feeds", _counts_frozen, tmp_path / "bevroren.txt")
    assert gc.get_freeze_count() == 0
    work.join()
    assert int((tmp_path / "bevroren.txt").read_text()) > 1000
