"""`social check` and `social follow`: our accounts as configured, and the related accounts we follow."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..channels import load_channels
from ..errors import DorpspleinError
from .config import social_config
from .push import _networks, describe, make_publisher
from .retry import redact


@dataclass(frozen=True)
class AccountCheck:
    network: str
    handle: str
    server: str
    ok: bool
    problem: str = ""
    detail: str = ""


@dataclass(frozen=True)
class FollowResult:
    network: str
    name: str
    handle: str
    result: str  # followed, already following, requested, failed
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.result == "failed"


def _setup(settings: dict, environ):
    """(config, environment, secrets to keep out of every message)."""
    config = social_config(settings)
    environ = os.environ if environ is None else environ
    return config, environ, [config.secret(network, environ) for network in ("mastodon", "bluesky")]


def check_accounts(settings: dict, network: str | None = None, environ=None, sleep=time.sleep,
                   channels_file: Path | None = None) -> list[AccountCheck]:
    """Log in to every configured account and say what is wrong; never shows a token."""
    config, environ, secrets = _setup(settings, environ)
    channels_path = channels_file or config.channels_file
    own = None
    if channels_path is not None and Path(channels_path).exists():
        own = load_channels(channels_path)
    results = []
    for name in _networks(config, network):
        server = config.mastodon_url if name == "mastodon" else config.bluesky_service
        configured_handle = config.bluesky_handle if name == "bluesky" else ""
        problem = config.configured(name)
        if problem:
            results.append(AccountCheck(name, configured_handle, server, False, problem))
            continue
        try:
            info = make_publisher(name, config, environ, sleep).connect()
        except Exception as exc:  # noqa: BLE001 - whatever the client raises: this account is reported, the next checked
            results.append(AccountCheck(name, configured_handle, server, False, redact(describe(exc), secrets)))
            continue
        listed = own.own(name) if own else None
        problem = ""
        if listed is not None and listed.handle and listed.handle.lower() != info.handle.lower():
            problem = f"logged in as {info.handle}, but {channels_path} lists {listed.handle}"
        results.append(AccountCheck(name, info.handle, info.server, not problem, problem, info.detail))
    return results


def follow_related(settings: dict, network: str | None = None, environ=None, sleep=time.sleep,
                   channels_file: Path | None = None) -> list[FollowResult]:
    """Make each of our accounts follow the related accounts in the channel list (idempotent)."""
    config, environ, secrets = _setup(settings, environ)
    path = channels_file or config.channels_file
    if path is None:
        raise DorpspleinError("PATH: no content folder, so no channels.toml to read")
    channels = load_channels(path)
    results = []
    for name in _networks(config, network):
        wanted = [(related.name, related.handles[name]) for related in channels.related if name in related.handles]
        if not wanted:
            continue
        problem = config.configured(name)
        try:
            if problem:
                raise DorpspleinError(problem)
            publisher = make_publisher(name, config, environ, sleep)
            publisher.connect()
        except Exception as exc:  # noqa: BLE001 - whatever the client raises: the next network still runs
            message = redact(describe(exc), secrets)
            results += [FollowResult(name, who, handle, "failed", message) for who, handle in wanted]
            continue
        for who, handle in wanted:
            try:
                results.append(FollowResult(name, who, handle, publisher.follow(handle)))
            except Exception as exc:  # noqa: BLE001 - one account failing never stops the others
                results.append(FollowResult(name, who, handle, "failed", redact(describe(exc), secrets)))
    return results
