"""Social settings: defaults in one place, read from the Pelican settings, secrets from the environment only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import DorpspleinError
from ..settings import ENV_PREFIX, ROOT

NETWORKS = ("mastodon", "bluesky")
SECRET_NAMES = {"mastodon": "MASTODON_TOKEN", "bluesky": "BLUESKY_PASSWORD"}

DEFAULTS = {
    "MASTODON_URL": "",
    "BLUESKY_SERVICE": "https://bsky.social",
    "BLUESKY_HANDLE": "",
    "SOCIAL_NETWORKS": list(NETWORKS),
    "SOCIAL_MAX_AGE_DAYS": 7,
    "SOCIAL_INCLUDE_CATEGORIES": [],
    "SOCIAL_EXCLUDE_CATEGORIES": [],
    "SOCIAL_INCLUDE_TAGS": [],
    "SOCIAL_EXCLUDE_TAGS": [],
    "SOCIAL_TEMPLATE": "{title}\n\n{summary}",
    "SOCIAL_CATEGORY_TEMPLATES": {},
    "SOCIAL_HASHTAGS": True,
    "SOCIAL_HASHTAGS_MAX": 3,
    "SOCIAL_EXTRA_HASHTAGS": [],
    "SOCIAL_MASTODON_IMAGES": True,
    "SOCIAL_BLUESKY_CARDS": True,
    "SOCIAL_SHARE_IMAGE": "",
    "SOCIAL_LANGUAGE": "nl",
    "SOCIAL_LEDGER": "state/social-ledger.jsonl",
    "SOCIAL_RETRIES": 4,
    "SOCIAL_RETRY_BASE_SECONDS": 2.0,
    "SOCIAL_RETRY_MAX_SECONDS": 60.0,
    "SOCIAL_RETRY_AFTER_MAX_SECONDS": 300.0,
    "SOCIAL_TIMEOUT_SECONDS": 30.0,
    "SOCIAL_MEDIA_WAIT_SECONDS": 60.0,
    "SOCIAL_MEDIA_POLL_SECONDS": 1.0,
    "SOCIAL_RECONCILE_LIMIT": 40,
}
_TEMPLATE_FIELDS = ("title", "summary", "category")


@dataclass(frozen=True)
class SocialConfig:
    mastodon_url: str
    bluesky_service: str
    bluesky_handle: str
    networks: tuple[str, ...]
    max_age_days: float
    include_categories: frozenset[str]
    exclude_categories: frozenset[str]
    include_tags: frozenset[str]
    exclude_tags: frozenset[str]
    template: str
    category_templates: dict
    hashtags: bool
    hashtags_max: int
    extra_hashtags: tuple[str, ...]
    mastodon_images: bool
    bluesky_cards: bool
    share_image: str
    language: str
    ledger: Path
    retries: int
    retry_base: float
    retry_max: float
    retry_after_max: float
    timeout: float
    media_wait: float
    media_poll: float
    reconcile_limit: int
    channels_file: Path | None = None

    def secret(self, network: str, environ=None) -> str | None:
        """The token or app password of a network, from the environment only."""
        value = (os.environ if environ is None else environ).get(ENV_PREFIX + SECRET_NAMES[network], "")
        return value or None

    def configured(self, network: str) -> str | None:
        """What is missing before we can talk to a network (None when nothing is)."""
        if network == "mastodon" and not self.mastodon_url:
            return f"MASTODON_URL is not set (setting or {ENV_PREFIX}MASTODON_URL)"
        if network == "bluesky" and not self.bluesky_handle:
            return f"BLUESKY_HANDLE is not set (setting or {ENV_PREFIX}BLUESKY_HANDLE)"
        return None


def _number(settings: dict, name: str, kind=float, minimum=0):
    raw = settings.get(name, DEFAULTS[name])
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        raise DorpspleinError(f"{name}: expected a number, got {raw!r}") from None
    if value < minimum:
        raise DorpspleinError(f"{name}: must be at least {minimum}, got {raw!r}")
    return value


def _names(settings: dict, name: str) -> frozenset[str]:
    raw = settings.get(name, DEFAULTS[name])
    if isinstance(raw, str):
        raw = [part for part in raw.split(",") if part.strip()]
    if not isinstance(raw, (list, tuple, set, frozenset)) or not all(isinstance(x, str) for x in raw):
        raise DorpspleinError(f"{name}: expected a list of names, got {raw!r}")
    return frozenset(x.strip().lower() for x in raw)


def _bool(settings: dict, name: str) -> bool:
    raw = settings.get(name, DEFAULTS[name])
    if isinstance(raw, str):
        if raw.lower() in {"1", "true", "yes", "ja"}:
            return True
        if raw.lower() in {"0", "false", "no", "nee", ""}:
            return False
    if not isinstance(raw, bool):
        raise DorpspleinError(f"{name}: expected yes or no, got {raw!r}")
    return raw


def check_template(name: str, template: str) -> str:
    if not isinstance(template, str) or not template.strip():
        raise DorpspleinError(f"{name}: expected a text template, got {template!r}")
    try:
        template.format(**{key: "" for key in _TEMPLATE_FIELDS})
    except (KeyError, IndexError, ValueError) as exc:
        raise DorpspleinError(f"{name}: unknown field {exc} in {template!r}; "
                              f"use {', '.join('{' + f + '}' for f in _TEMPLATE_FIELDS)}") from None
    return template


def _url(settings: dict, name: str) -> str:
    value = str(settings.get(name, DEFAULTS[name]) or "").strip().rstrip("/")
    if value and not value.startswith(("https://", "http://")):
        raise DorpspleinError(f"{name}: expected an http(s):// address, got {value!r}")
    return value


def social_config(settings: dict, root: Path = ROOT) -> SocialConfig:
    """Validated social settings; a DorpspleinError names the setting that is wrong."""
    for secret in SECRET_NAMES.values():
        if settings.get(secret):
            raise DorpspleinError(f"{secret}: secrets never go in a settings file; "
                                  f"set the environment variable {ENV_PREFIX}{secret} instead")
    networks = settings.get("SOCIAL_NETWORKS", DEFAULTS["SOCIAL_NETWORKS"])
    if isinstance(networks, str):
        networks = [n.strip() for n in networks.split(",") if n.strip()]
    unknown = [n for n in networks if n not in NETWORKS]
    if unknown:
        raise DorpspleinError(f"SOCIAL_NETWORKS: unknown network {unknown[0]!r} (known: {', '.join(NETWORKS)})")
    category_templates = settings.get("SOCIAL_CATEGORY_TEMPLATES", DEFAULTS["SOCIAL_CATEGORY_TEMPLATES"])
    if not isinstance(category_templates, dict):
        raise DorpspleinError("SOCIAL_CATEGORY_TEMPLATES: expected a mapping of category to template")
    extra = settings.get("SOCIAL_EXTRA_HASHTAGS", DEFAULTS["SOCIAL_EXTRA_HASHTAGS"])
    if not isinstance(extra, (list, tuple)) or not all(isinstance(x, str) for x in extra):
        raise DorpspleinError(f"SOCIAL_EXTRA_HASHTAGS: expected a list of words, got {extra!r}")
    ledger = Path(settings.get("SOCIAL_LEDGER", DEFAULTS["SOCIAL_LEDGER"]))
    content = settings.get("PATH")
    return SocialConfig(
        mastodon_url=_url(settings, "MASTODON_URL"),
        bluesky_service=_url(settings, "BLUESKY_SERVICE") or DEFAULTS["BLUESKY_SERVICE"],
        bluesky_handle=str(settings.get("BLUESKY_HANDLE") or "").strip().lstrip("@").lower(),
        networks=tuple(networks),
        max_age_days=_number(settings, "SOCIAL_MAX_AGE_DAYS"),
        include_categories=_names(settings, "SOCIAL_INCLUDE_CATEGORIES"),
        exclude_categories=_names(settings, "SOCIAL_EXCLUDE_CATEGORIES"),
        include_tags=_names(settings, "SOCIAL_INCLUDE_TAGS"),
        exclude_tags=_names(settings, "SOCIAL_EXCLUDE_TAGS"),
        template=check_template("SOCIAL_TEMPLATE", settings.get("SOCIAL_TEMPLATE", DEFAULTS["SOCIAL_TEMPLATE"])),
        category_templates={str(k).lower(): check_template(f"SOCIAL_CATEGORY_TEMPLATES[{k!r}]", v)
                            for k, v in category_templates.items()},
        hashtags=_bool(settings, "SOCIAL_HASHTAGS"),
        hashtags_max=_number(settings, "SOCIAL_HASHTAGS_MAX", int),
        extra_hashtags=tuple(extra),
        mastodon_images=_bool(settings, "SOCIAL_MASTODON_IMAGES"),
        bluesky_cards=_bool(settings, "SOCIAL_BLUESKY_CARDS"),
        share_image=str(settings.get("SOCIAL_SHARE_IMAGE") or ""),
        language=str(settings.get("SOCIAL_LANGUAGE") or "nl"),
        ledger=ledger if ledger.is_absolute() else root / ledger,
        retries=_number(settings, "SOCIAL_RETRIES", int),
        retry_base=_number(settings, "SOCIAL_RETRY_BASE_SECONDS"),
        retry_max=_number(settings, "SOCIAL_RETRY_MAX_SECONDS"),
        retry_after_max=_number(settings, "SOCIAL_RETRY_AFTER_MAX_SECONDS"),
        timeout=_number(settings, "SOCIAL_TIMEOUT_SECONDS", minimum=0.01),
        media_wait=_number(settings, "SOCIAL_MEDIA_WAIT_SECONDS"),
        media_poll=_number(settings, "SOCIAL_MEDIA_POLL_SECONDS"),
        reconcile_limit=_number(settings, "SOCIAL_RECONCILE_LIMIT", int, minimum=1),
        channels_file=Path(content) / "channels.toml" if content else None,
    )
