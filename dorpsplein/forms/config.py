"""The forms service's configuration: site settings (pelicanconf/publishconf) plus secrets from the environment."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many

from ..db.database import database_url
from ..errors import DorpspleinError
from ..mail import SmtpConfig, smtp_config_from_env
from ..settings import ROOT
from ..unsubscribe_queue import queue_path
from ..urls import forms_url as absolute_forms_url

logger = logging.getLogger(__name__)

SECRET_KEY_VARIABLE = "DORPSPLEIN_SECRET_KEY"
SECRET_KEY_MIN_LENGTH = 32
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def origin_of(url: str) -> str:
    """`scheme://host[:port]` as a browser sends it in the Origin header (default ports left out)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host}{port}"


@dataclass(frozen=True)
class FormsConfig:
    production: bool
    site_url: str  # absolute address of the static site: links and the theme's CSS
    forms_url: str  # absolute address of this service: the links in e-mails
    allowed_origins: frozenset[str]
    secret_key: str = field(repr=False)
    database_url: str = field(repr=False)
    smtp: SmtpConfig | None
    mail_from: str
    contact_email: str
    consent_version: str
    consent_text: str
    newsletter_lists: dict[str, str]
    signup_lists: tuple[str, ...]
    rate_limit: str
    confirm_max_age: timedelta
    prune_after: timedelta
    proxy_count: int
    theme_templates: Path
    template_settings: dict  # site settings the pages and the shared form partials use
    site_root: Path | None = None  # the folder the site is served from: its navigation (dorpsplein/navigation.py)
    unsubscribe_queue: Path = field(default_factory=queue_path)  # unsubscribes the database could not take yet
    unsubscribe_wait: float = 5.0  # seconds a one-click unsubscribe waits for a busy database, then is queued
    confirm_interval: timedelta = timedelta(hours=24)  # at most one sign-up e-mail per address this often

    @property
    def confirm_hours(self) -> int:
        return int(self.confirm_max_age.total_seconds() // 3600)

    def origin_allowed(self, origin: str) -> bool:
        if origin in self.allowed_origins:
            return True
        # While developing, the preview may run on any port (`tasks.py serve --port`).
        parts = urlsplit(origin)
        return not self.production and parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0] in LOOPBACK_HOSTS


def _secret_key(environ: Mapping[str, str], production: bool) -> str:
    key = environ.get(SECRET_KEY_VARIABLE, "")
    if not key:
        if production:
            raise DorpspleinError(f"{SECRET_KEY_VARIABLE} is not set; the forms service will not run in production "
                                  f"without it. Make one with: {MAKE_A_KEY}")
        logger.warning("%s is not set: using a random key, so links stop working when the service restarts",
                       SECRET_KEY_VARIABLE)
        return secrets.token_urlsafe(32)
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise DorpspleinError(f"{SECRET_KEY_VARIABLE} is too short ({len(key)} characters, at least "
                              f"{SECRET_KEY_MIN_LENGTH}). Make one with: {MAKE_A_KEY}")
    return key


def _absolute(name: str, value: str) -> str:
    if not origin_of(value):
        raise DorpspleinError(f"{name}: expected an absolute http(s) address, got {value!r}")
    return value.rstrip("/")


def path_of(url: str) -> str:
    """The path the service answers under: `/formulieren` for https://site/formulieren, `` for a host of its own."""
    return urlsplit(url).path.rstrip("/")


def load_config(settings: Mapping, environ: Mapping[str, str] = os.environ, production: bool = False) -> FormsConfig:
    """Check every setting the service needs and say which one is wrong."""
    site_url = _absolute("SITEURL" if settings.get("SITEURL") else "PREVIEW_URL",
                         settings.get("SITEURL") or settings.get("PREVIEW_URL", ""))
    forms_url = _absolute("FORMS_URL", absolute_forms_url(settings))
    secret_key = _secret_key(environ, production)
    smtp = smtp_config_from_env(environ)
    if production and smtp is None:
        raise DorpspleinError("DORPSPLEIN_SMTP_URL is not set; in production the service must send its e-mails "
                              "(e.g. smtp://user:password@mail.example.nl:587)")
    lists = dict(settings.get("NEWSLETTER_LISTS") or {})
    signup_lists = tuple(settings.get("FORMS_SIGNUP_LISTS") or ())
    unknown = [name for name in signup_lists if name not in lists]
    if not signup_lists or unknown:
        raise DorpspleinError(f"FORMS_SIGNUP_LISTS: {', '.join(unknown) or 'empty'}; "
                              f"name one or more of NEWSLETTER_LISTS ({', '.join(lists) or 'none defined'})")
    rate_limit = str(settings.get("FORMS_RATE_LIMIT", "10 per minute"))
    try:
        parse_many(rate_limit)
    except ValueError:
        raise DorpspleinError(f"FORMS_RATE_LIMIT: {rate_limit!r} is not a rate limit; "
                              "e.g. '10 per minute; 50 per hour'") from None
    extra_origins = [origin_of(_absolute("FORMS_ALLOWED_ORIGINS", url))
                     for url in settings.get("FORMS_ALLOWED_ORIGINS") or ()]
    site_origins = [origin_of(site_url), origin_of(forms_url)]
    if settings.get("SITEURL"):
        site_origins.append(origin_of(settings["SITEURL"]))
    for name in ("CONTACT_EMAIL", "MAIL_FROM", "FORMS_CONSENT_VERSION", "FORMS_CONSENT_TEXT"):
        if not settings.get(name):
            raise DorpspleinError(f"{name}: the forms service needs this setting (see dorpsplein/forms/README.md)")
    return FormsConfig(
        production=production,
        site_url=site_url,
        forms_url=forms_url,
        allowed_origins=frozenset(site_origins + extra_origins),
        secret_key=secret_key,
        database_url=database_url(environ),
        smtp=smtp,
        mail_from=settings["MAIL_FROM"],
        contact_email=settings["CONTACT_EMAIL"],
        consent_version=str(settings["FORMS_CONSENT_VERSION"]),
        consent_text=settings["FORMS_CONSENT_TEXT"],
        newsletter_lists=lists,
        signup_lists=signup_lists,
        rate_limit=rate_limit,
        confirm_max_age=timedelta(hours=int(settings.get("FORMS_CONFIRM_HOURS", 48))),
        prune_after=timedelta(days=int(settings.get("FORMS_PRUNE_DAYS", 7))),
        confirm_interval=timedelta(hours=float(settings.get("FORMS_CONFIRM_INTERVAL_HOURS", 24))),
        proxy_count=int(settings.get("FORMS_PROXY_COUNT", 0)),
        unsubscribe_queue=queue_path(environ),
        unsubscribe_wait=float(settings.get("FORMS_UNSUBSCRIBE_WAIT_SECONDS", 5)),
        theme_templates=(ROOT / settings.get("THEME", "theme") / "templates").resolve(),
        site_root=_site_root(settings, environ),
        template_settings={
            "SITENAME": settings.get("SITENAME", ""),
            "MUNICIPALITY": settings.get("MUNICIPALITY", ""),
            "SITEURL": site_url,
            "FORMS_URL": forms_url,
            "THEME_LOGO": settings.get("THEME_LOGO"),
            "MENUITEMS": settings.get("MENUITEMS", []),
            "FOOTER_LINKS": settings.get("FOOTER_LINKS", []),
            "NEWSLETTER_LISTS": lists,
            "FORMS_SIGNUP_LISTS": list(signup_lists),
            "FORMS_CONSENT_TEXT": settings["FORMS_CONSENT_TEXT"],
            "CONTACT_EMAIL": settings["CONTACT_EMAIL"],
        },
    )


def _site_root(settings: Mapping, environ: Mapping[str, str]) -> Path | None:
    """Where the built site is: DORPSPLEIN_FORMS_SITE_ROOT (the server's /srv/dorpsplein/current), else the output."""
    value = environ.get("DORPSPLEIN_FORMS_SITE_ROOT") or settings.get("OUTPUT_PATH")
    return Path(value) if value else None
