"""Publish settings: defaults in one place, targets parsed from `PUBLISH_TARGETS`.

A target is `name: spec`, with spec one of
  dir:/srv/dorpsplein                   a local folder (releases/ + a `current` symlink)
  rsync:deploy@web.voorbeeld.nl:/srv/x  over SSH with rsync (same layout on the server)
  rsync:/mnt/share/dorpsplein           rsync to a local path (same layout)
  s3://bucket/prefix                    an S3-compatible bucket (no releases: S3 has no symlinks)
Secrets never live here: S3 keys come from DORPSPLEIN_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DorpspleinError
from ..settings import env_overrides

DEFAULTS = {
    "PUBLISH_TARGETS": {"live": "rsync:deploy@dorpsplein.voorbeeld.nl:/srv/dorpsplein"},
    "PUBLISH_TARGET": "live",  # used when --target is not given
    "PUBLISH_KEEP_RELEASES": 5,  # releases kept on dir/rsync targets, the live one included
    "PUBLISH_SSH": "ssh",  # the SSH command for rsync targets, e.g. "ssh -p 2222 -i ~/.ssh/deploy"
    "PUBLISH_RSYNC": "rsync",
    "PUBLISH_COMPRESS_MIN_BYTES": 256,  # smaller files are not worth a .gz/.br beside them
    "PUBLISH_S3_ENDPOINT_URL": "",  # empty: AWS; else e.g. https://s3.nl-ams.scw.cloud
    "PUBLISH_S3_REGION": "",
    "PUBLISH_S3_ENCODING": "none",  # "none": plain objects; "gzip": the .gz body with Content-Encoding: gzip
    # Built files never sent (fnmatch on the path in the site), e.g. ["nieuwsbrief/*/intern/*"] to keep the
    # internal newsletter's browser copy off the public site; they stay in output/ for `newsletter send`.
    "PUBLISH_EXCLUDE": [],
}

_REMOTE = re.compile(r"^(?P<host>(?:[^@/:\s]+@)?[^@/:\s]+):(?P<path>/.*)$")
_S3 = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(?P<prefix>.*))?$")


@dataclass(frozen=True)
class Target:
    name: str
    spec: str
    kind: str  # "dir", "rsync" or "s3"
    path: str = ""  # dir/rsync: the folder holding releases/ and current; s3: the key prefix ("" or "a/b")
    host: str = ""  # rsync over SSH: user@host; "" for a local path
    bucket: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.spec})"


def publish_settings(settings: dict) -> dict:
    """Our defaults, then the settings file, then DORPSPLEIN_PUBLISH_* variables for names the file lacks."""
    merged = {**DEFAULTS, **{k: v for k, v in settings.items() if k in DEFAULTS}}
    missing = {k: v for k, v in DEFAULTS.items() if k not in settings}
    merged.update(env_overrides(missing))
    if merged["PUBLISH_S3_ENCODING"] not in ("none", "gzip"):
        raise DorpspleinError(f"PUBLISH_S3_ENCODING: expected none or gzip, got {merged['PUBLISH_S3_ENCODING']!r}")
    if not isinstance(merged["PUBLISH_KEEP_RELEASES"], int) or merged["PUBLISH_KEEP_RELEASES"] < 1:
        raise DorpspleinError(f"PUBLISH_KEEP_RELEASES: expected a whole number ≥ 1, got "
                              f"{merged['PUBLISH_KEEP_RELEASES']!r}")
    return merged


def parse_target(name: str, spec: str) -> Target:
    """One `PUBLISH_TARGETS` entry, or an error that names it and shows the accepted forms."""
    if not isinstance(spec, str):
        raise DorpspleinError(f"PUBLISH_TARGETS[{name!r}]: expected a string, got {spec!r}")
    if spec.startswith("dir:"):
        path = spec[4:]
        if path.startswith("/") and path.rstrip("/"):
            return Target(name, spec, "dir", path=path.rstrip("/"))
    elif spec.startswith("rsync:"):
        rest = spec[6:]
        remote = _REMOTE.match(rest)
        if remote and remote["path"].rstrip("/"):
            return Target(name, spec, "rsync", path=remote["path"].rstrip("/"), host=remote["host"])
        if rest.startswith("/") and rest.rstrip("/"):
            return Target(name, spec, "rsync", path=rest.rstrip("/"))
    elif spec.startswith("s3://"):
        s3 = _S3.match(spec)
        if s3:
            return Target(name, spec, "s3", path=(s3["prefix"] or "").strip("/"), bucket=s3["bucket"])
    raise DorpspleinError(
        f"PUBLISH_TARGETS[{name!r}]: cannot read {spec!r}; write dir:/absolute/path, "
        "rsync:user@host:/absolute/path, rsync:/absolute/path or s3://bucket/prefix")


def choose_target(config: dict, name: str | None) -> Target:
    targets = config["PUBLISH_TARGETS"]
    if not isinstance(targets, dict) or not targets:
        raise DorpspleinError("PUBLISH_TARGETS: expected a non-empty mapping of name to target")
    name = name or config["PUBLISH_TARGET"]
    if name not in targets:
        raise DorpspleinError(f"unknown publish target {name!r}; PUBLISH_TARGETS has: {', '.join(sorted(targets))}")
    return parse_target(name, targets[name])
