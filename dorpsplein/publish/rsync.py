"""The `rsync:` target: the `dir:` layout (releases/ + `current` symlink) on a server over SSH, or a local path.

rsync compares by checksum (a fresh build gives every file a new mtime) against the live
release: a first dry run lists what changed, and when something did, the real run writes a new
release with `--link-dest` to the live one, so unchanged files are hard links and only changed
files cross the network. Then one shell command renames the release into place and switches
`current` with `mv -T` (rename(2)); a failure before that removes the half-written release.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from ..errors import DorpspleinError
from .config import Target
from .files import manifest
from .report import DeployReport, Progress, release_id

# Permissions fixed, times not kept: a new file gets the upload time and a hard-linked one keeps
# its own, so Last-Modified on the server says when the content last changed.
RSYNC_OPTIONS = ["-rl", "--perms", "--chmod=D755,F644", "--checksum", "--out-format=%i %n"]


class _Remote:
    def __init__(self, target: Target, config: dict):
        self.target, self.config = target, config
        self.root = target.path

    def location(self, path: str) -> str:
        return f"{self.target.host}:{path}" if self.target.host else path

    def _command(self, argv: list[str], what: str) -> str:
        try:
            result = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise DorpspleinError(f"target {self.target}: {argv[0]} is not installed (Debian: apt-get install "
                                  "rsync openssh-client)") from None
        if result.returncode:
            detail = result.stderr.strip()[-600:] or result.stdout.strip()[-600:]
            raise DorpspleinError(f"target {self.target}: {what} failed (exit {result.returncode}): {detail}")
        return result.stdout

    def shell(self, script: str, what: str) -> str:
        """Run a POSIX shell script on the target's machine (over SSH, or here for a local path)."""
        if self.target.host:
            argv = shlex.split(self.config["PUBLISH_SSH"]) + [self.target.host, script]
        else:
            argv = ["sh", "-c", script]
        return self._command(argv, what)

    def rsync(self, options: list[str], source: Path, destination: str, what: str, progress=None) -> list[str]:
        argv = shlex.split(self.config["PUBLISH_RSYNC"]) + RSYNC_OPTIONS + options
        if self.target.host:
            argv += ["-e", self.config["PUBLISH_SSH"]]
        argv += [f"{source}/", self.location(destination) + "/"]
        if progress is None:
            return self._command(argv, what).splitlines()
        lines = []
        try:
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise DorpspleinError(f"target {self.target}: {argv[0]} is not installed") from None
        with process:
            for line in process.stdout:
                lines.append(line.rstrip("\n"))
                progress(len(lines))
            error = process.stderr.read()
        if process.returncode:
            raise DorpspleinError(f"target {self.target}: {what} failed (exit {process.returncode}): "
                                  f"{error.strip()[-600:]}")
        return lines


def _changes(lines: list[str]) -> tuple[list[str], list[str]]:
    """Sent and deleted files from rsync's `%i %n` lines (folders left out)."""
    sent, deleted = [], []
    for line in lines:
        code, _, name = line.partition(" ")
        if name.endswith("/") or not name:
            continue
        if code == "*deleting":
            deleted.append(name.strip())
        elif len(code) == 11 and code[1] == "f":
            sent.append(name)
    return sent, deleted


def _live(remote: _Remote) -> str | None:
    q = shlex.quote(remote.root)
    out = remote.shell(f'cd {q} 2>/dev/null || exit 0; if [ -L current ]; then readlink current; '
                       f'elif [ -e current ]; then echo "!"; fi', "reading the live release").strip()
    if out == "!":
        raise DorpspleinError(f"target {remote.target}: {remote.root}/current is not a symlink; move it away "
                              "so releases can be switched")
    if out and not (out.startswith("releases/") and "/" not in out[9:]):
        raise DorpspleinError(f"target {remote.target}: {remote.root}/current points to {out!r}, not releases/<id>")
    return f"{remote.root}/{out}" if out else None


def deploy_rsync(source: Path, target: Target, config: dict, dry_run: bool, progress: Progress) -> DeployReport:
    remote, report = _Remote(target, config), DeployReport(target, dry_run)
    files = manifest(source)
    live = _live(remote)
    if live:
        lines = remote.rsync(["--delete", "--dry-run"], source, live, "comparing with the live release")
        report.sent, report.deleted = _changes(lines)
    else:
        report.sent = list(files)
    report.unchanged = len(files) - len(report.sent)
    if dry_run or not report.changed:
        return report

    root, name = shlex.quote(remote.root), release_id()
    partial = f"{remote.root}/releases/.{name}.partial"
    remote.shell(f"mkdir -p {root}/releases", "creating releases/")
    try:
        remote.rsync([f"--link-dest={live}"] if live else [], source, partial, "sending the new release",
                     progress=lambda done: progress("Versturen", done, len(report.sent)))
        remote.shell(f"cd {root} && mv releases/.{name}.partial releases/{name} && "
                     f"ln -sfn releases/{name} .current-{name} && mv -T .current-{name} current",
                     "switching to the new release")
    except DorpspleinError as exc:
        try:
            remote.shell(f'cd {root} && rm -rf releases/.{name}.partial .current-{name}; '
                         f'[ "$(readlink current)" = releases/{name} ] || rm -rf releases/{name}', "cleaning up")
        except DorpspleinError:
            pass  # best effort: the next publish removes leftovers too
        raise DorpspleinError(f"{exc}; the live site was not changed") from exc
    report.release = name
    report.pruned = _prune(remote, config["PUBLISH_KEEP_RELEASES"], name)
    return report


def _prune(remote: _Remote, keep: int, live: str) -> list[str]:
    releases = shlex.quote(f"{remote.root}/releases")
    names = sorted(remote.shell(f"ls -1A {releases}", "listing releases").split())
    leftovers = [n for n in names if n.startswith(".") and n.endswith(".partial")]
    current = [n for n in names if not n.startswith(".")]
    old = [n for n in current[:-keep] if n != live]
    if old or leftovers:
        remote.shell(f"cd {releases} && rm -rf -- " + " ".join(shlex.quote(n) for n in old + leftovers),
                     "removing old releases")
    return old
