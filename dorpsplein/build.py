"""Building the site programmatically, collecting every warning Pelican logs."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.log import LimitFilter, console

from .errors import DorpspleinError
from .linkcheck import dead_links, dead_links_message, own_addresses

logger = logging.getLogger(__name__)


class WarningCollector(logging.Handler):
    """Keeps every WARNING or worse logged (by a build, or by a process working beside one)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@dataclass
class BuildResult:
    output: Path
    warnings: list[str] = field(default_factory=list)


@contextmanager
def _collecting(quiet: bool):
    """Collect every warning; with `quiet`, show nothing (the caller reports for itself)."""
    collector = WarningCollector()
    root = logging.getLogger()
    saved_handlers, saved_quiet = root.handlers[:], console.quiet
    root.handlers = [collector] if quiet else saved_handlers + [collector]
    console.quiet = quiet or saved_quiet
    try:
        yield collector.records
    finally:
        root.handlers, console.quiet = saved_handlers, saved_quiet


def _forget_logged_messages() -> None:
    """Pelican drops a warning it has logged before in this process; every build must see all of its own."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def _run(settings: dict, quiet: bool = False) -> list[str]:
    _forget_logged_messages()
    with _collecting(quiet) as records:
        try:
            Pelican(settings).run()
        except Exception as exc:  # a template or plugin error: say it in one line
            raise DorpspleinError(f"build failed: {type(exc).__name__}: {exc}") from exc
    return [r.getMessage() for r in records]


def build(settings: dict, strict: bool = False, quiet: bool = False,
          release_check: Callable[[Path], None] | None = None) -> BuildResult:
    """Build the site described by `settings`.

    With `strict` (production), any warning fails the build and the previous
    output stays in place untouched: the site is built in a sibling folder and
    only swapped in when it is complete and clean, and `release_check` (given the
    new folder) has raised nothing.
    """
    output = Path(settings["OUTPUT_PATH"])
    if not strict:
        return BuildResult(output, _run(settings, quiet))

    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    # The lock file first, then the folder: a staging folder without a held lock is a killed build's.
    lock, lock_name = tempfile.mkstemp(prefix=f".{output.name}-new-", suffix=".lock", dir=output.parent)
    fcntl.lockf(lock, fcntl.LOCK_EX)
    staging = Path(lock_name.removesuffix(".lock"))
    try:
        staging.mkdir()
        warnings = _run(dict(settings, OUTPUT_PATH=str(staging)), quiet)
        if warnings:
            raise DorpspleinError(
                "production build failed on warnings; the site was not changed:\n"
                + "\n".join(f"  - {w}" for w in warnings)
                + "\nRun `python tasks.py check` for the file and line of each content problem."
            )
        _fail_on_dead_links(staging, settings)
        if release_check:
            release_check(staging)
        _swap_in(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.unlink(lock_name)
        os.close(lock)
    return BuildResult(output, [])


def _fail_on_dead_links(site: Path, settings: dict) -> None:
    """A production site whose pages link to pages or files it does not have is not published."""
    bases, forms = own_addresses(settings)
    dead = dead_links(site, bases, forms)
    if dead:
        raise DorpspleinError(
            f"production build failed: {len(dead)} link(s) to pages or files this site does not have; "
            "the site was not changed:\n" + dead_links_message(dead))


def _remove_stale_staging(output: Path) -> None:
    """Remove the full-size staging folders that killed production builds left beside `output`.

    A build holds a POSIX lock on `<staging>.lock` while it runs and the kernel releases it when the
    process dies, however it dies: a folder whose lock can be taken (or that has none) is stale.
    POSIX locks (lockf), not flock: a worker process the build forked does not inherit them, so a
    worker still winding down after its build was killed does not keep the folder alive.
    """
    live = False
    for folder in output.parent.glob(f".{output.name}-new-*"):
        if not folder.is_dir():
            continue
        lock_path = folder.with_name(folder.name + ".lock")
        try:
            handle = os.open(lock_path, os.O_RDWR)
        except FileNotFoundError:
            handle = None
        try:
            if handle is not None:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: held
            live = True  # another build is running right now: its folder stays
            os.close(handle)
            continue
        logger.info("removing %s, left behind by a production build that was stopped", folder)
        shutil.rmtree(folder, ignore_errors=True)
        if handle is not None:
            lock_path.unlink(missing_ok=True)
            os.close(handle)
    old = output.with_name(f".{output.name}-old")
    if not live and old.is_dir():  # a build stopped between its two renames
        shutil.rmtree(old, ignore_errors=True)


def _swap_in(new: Path, output: Path) -> None:
    """Replace `output` by `new` with two renames, so no reader sees half a site."""
    old = output.with_name(f".{output.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    new.rename(output)
    shutil.rmtree(old, ignore_errors=True)
