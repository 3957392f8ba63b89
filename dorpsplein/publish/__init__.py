"""`publish`: check the content, build the production site, pre-compress it, deploy it to a target.

    from dorpsplein.publish import publish
    report = publish(load_settings(production=True), target="live", dry_run=True)

The content check runs first, so a mistake is reported by file and line and output/ is not
touched; the build is strict (any warning stops it); only then does anything leave the machine.
Targets and their layout: config.py; dir/rsync releases: directory.py and rsync.py; S3: s3.py.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..build import build
from ..check import check_content
from ..errors import DorpspleinError
from ..production import check_release, check_settings
from .compress import precompress
from .config import choose_target, publish_settings
from .directory import deploy_directory
from .report import DeployReport, Progress, PublishReport, no_progress, summary_lines
from .rsync import deploy_rsync
from .s3 import deploy_s3

__all__ = ["DeployReport", "PublishReport", "deploy", "publish", "summary_lines"]
DEPLOYERS = {"dir": deploy_directory, "rsync": deploy_rsync, "s3": deploy_s3}
MAX_LISTED_PROBLEMS = 20


def deploy(source: Path, settings: dict, target: str | None = None, dry_run: bool = False,
           progress: Progress = no_progress) -> DeployReport:
    """Deploy an already built (and compressed) folder to a target of PUBLISH_TARGETS."""
    config = publish_settings(settings)
    chosen = choose_target(config, target)
    with _without_excluded(Path(source), config["PUBLISH_EXCLUDE"]) as folder:
        return DEPLOYERS[chosen.kind](folder, chosen, config, dry_run, progress)


@contextmanager
def _without_excluded(source: Path, patterns: list[str]):
    """The folder to send: `source` itself, or a copy made of hard links that leaves out PUBLISH_EXCLUDE."""
    if not patterns:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix=".publish-", dir=source.parent) as staging:
        for folder, _, names in os.walk(source):
            for name in names:
                rel = Path(folder, name).relative_to(source)
                if any(fnmatch.fnmatch(rel.as_posix(), pattern) for pattern in patterns):
                    continue
                (Path(staging) / rel).parent.mkdir(parents=True, exist_ok=True)
                os.link(source / rel, Path(staging) / rel)
        yield Path(staging)


def publish(settings: dict, target: str | None = None, dry_run: bool = False,
            progress: Progress = no_progress) -> PublishReport:
    """Check, build (production, strict), compress and deploy; stops at the first step that fails."""
    config = publish_settings(settings)
    choose_target(config, target)  # a wrong target name fails before minutes of building
    check_settings(settings)
    progress("Controleren", 0, 0)
    problems = check_content(settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        listed = "\n".join(f"  {p}" for p in errors[:MAX_LISTED_PROBLEMS])
        more = f"\n  … and {len(errors) - MAX_LISTED_PROBLEMS} more" if len(errors) > MAX_LISTED_PROBLEMS else ""
        raise DorpspleinError(f"publish stopped: the content check found {len(errors)} error(s); "
                              f"nothing was built or sent:\n{listed}{more}")
    progress("Bouwen", 0, 0)
    # A dry run publishes nothing, so it records nothing in state/published.json (plugins/published).
    output = build(dict(settings, PUBLISHED_WRITE=False) if dry_run else settings, strict=True, quiet=True,
                   release_check=check_release).output
    progress("Comprimeren", 0, 0)
    packed = precompress(output, config["PUBLISH_COMPRESS_MIN_BYTES"])
    report = deploy(output, settings, target, dry_run, progress)
    return PublishReport(report, packed, [str(p) for p in problems if p.severity != "error"])
