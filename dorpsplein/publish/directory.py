"""The `dir:` target: releases/<id>/ folders and a `current` symlink switched in one rename.

    /srv/dorpsplein/current -> releases/20261128T090000.000000Z   (the web server's root)
    /srv/dorpsplein/releases/20261128T090000.000000Z/…

A new release is written under a dot name, renamed when complete, and only then does
`current` change, with rename(2) over the old symlink: a visitor sees the old site or the
new one, never a mix. Unchanged files are hard links to the live release, so they keep their
modification time (Last-Modified stays true) and cost no space. Anything that fails before the
switch removes the half-written release and leaves `current` as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import DorpspleinError
from .config import Target
from .files import manifest
from .report import DeployReport, Progress, release_id


def live_release(root: Path, target: Target) -> Path | None:
    current = root / "current"
    if current.is_symlink():
        resolved = current.resolve()
        return resolved if resolved.is_dir() else None
    if current.exists():
        raise DorpspleinError(f"target {target}: {current} is not a symlink; move it away so releases can be switched")
    return None


def switch(root: Path, release: str) -> None:
    """Point `current` at releases/<release> atomically (a new symlink renamed over the old one)."""
    temporary = root / f".current-{release}"
    temporary.unlink(missing_ok=True)
    os.symlink(Path("releases") / release, temporary)
    try:
        os.replace(temporary, root / "current")
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def prune(releases: Path, keep: int, live: str) -> list[str]:
    """Remove the oldest releases beyond `keep` (never the live one) and leftovers of failed runs."""
    for leftover in releases.glob(".*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)
    names = sorted(p.name for p in releases.iterdir() if not p.name.startswith("."))
    old = [name for name in names[:-keep] if name != live]
    for name in old:
        shutil.rmtree(releases / name)
    return old


def _place(source: Path, live: Path | None, rel: str, destination: Path, unchanged: bool) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if unchanged and live is not None:
        try:
            os.link(live / rel, destination)
            return
        except OSError:  # another file system, or no hard links there: a copy is as good
            pass
    shutil.copyfile(source / rel, destination)
    destination.chmod(0o644)


def deploy_directory(source: Path, target: Target, config: dict, dry_run: bool, progress: Progress) -> DeployReport:
    root = Path(target.path)
    report = DeployReport(target, dry_run)
    live = live_release(root, target)
    new, old = manifest(source), manifest(live) if live else {}
    report.sent = [rel for rel, info in new.items() if old.get(rel) != info]
    report.deleted = [rel for rel in old if rel not in new]
    report.unchanged = len(new) - len(report.sent)
    if dry_run or not report.changed:
        return report

    releases = root / "releases"
    name = release_id()
    partial = releases / f".{name}.partial"
    try:
        partial.mkdir(parents=True)
        for done, (rel, info) in enumerate(new.items(), 1):
            _place(source, live, rel, partial / rel, unchanged=old.get(rel) == info)
            progress("Kopiëren", done, len(new))
        partial.chmod(0o755)
        partial.rename(releases / name)
        switch(root, name)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if not _is_live(root, name):
            shutil.rmtree(releases / name, ignore_errors=True)
        raise DorpspleinError(f"target {target}: deploy failed, the live site was not changed: {exc}") from exc
    report.release = name
    report.pruned = prune(releases, config["PUBLISH_KEEP_RELEASES"], name)
    return report


def _is_live(root: Path, name: str) -> bool:
    current = root / "current"
    return current.is_symlink() and os.readlink(current) == str(Path("releases") / name)
