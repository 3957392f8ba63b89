"""A production build that is killed leaves its staging folder; the next build removes it (issue 18.8),
but never the folder of a build that is still running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from dorpsplein.build import _remove_stale_staging

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_staging_folder_of_a_killed_build_is_removed_by_the_next(site):
    site.post("goed", "Goed bericht", "2026-01-05 09:00")
    # A real production build in its own process, stopped (SIGSTOP) the moment its first page is
    # written, then killed: what a CI job cancelled half-way leaves behind.
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {ROOT!r}); sys.path.insert(0, {os.path.join(ROOT, "tests")!r})
        from pelican import signals
        from conftest import Site
        from pathlib import Path
        site = Site.__new__(Site)
        site.content, site.output = Path({str(site.content)!r}), Path({str(site.output)!r})
        def stop(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGSTOP)
        signals.article_writer_finalized.connect(stop)  # a weak reference: `stop` lives as long as the script
        site.build(production=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, start_new_session=True)
    try:
        _, status = os.waitpid(child.pid, os.WUNTRACED)  # the event: it stopped itself mid-build
        assert os.WIFSTOPPED(status)
        os.killpg(child.pid, signal.SIGKILL)  # the build and its workers, as a cancelled CI job is killed
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    left = sorted(site.output.parent.glob(".output-new-*"))
    assert [p.suffix for p in left] == ["", ".lock"] and any(left[0].rglob("*.html"))

    site.build(production=True)
    assert list(site.output.parent.glob(".output-*")) == []
    assert (site.output / "blog/2026/01/goed-bericht/index.html").is_file()


def test_a_running_build_keeps_its_folder_and_a_lockless_leftover_goes(tmp_path):
    output = tmp_path / "output"
    running = tmp_path / ".output-new-running"
    running.mkdir()
    lock = os.open(tmp_path / ".output-new-running.lock", os.O_RDWR | os.O_CREAT)
    leftover = tmp_path / ".output-new-from-an-older-version"
    (leftover / "blog").mkdir(parents=True)
    old = tmp_path / ".output-old"
    old.mkdir()
    # A build in another process holds the lock (POSIX locks are per process: not this one's).
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, sys
        fd = os.open({str(tmp_path / ".output-new-running.lock")!r}, os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        _remove_stale_staging(output)
        assert running.is_dir() and not leftover.exists()
        assert old.is_dir()  # the running build may be between its two renames
    finally:
        holder.communicate("")  # the build ends: its lock is gone
        os.close(lock)
    _remove_stale_staging(output)
    assert list(tmp_path.iterdir()) == []
