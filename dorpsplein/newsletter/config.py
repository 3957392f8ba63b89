"""What `newsletter send` needs: site settings plus secrets from the environment (SMTP, signing key, DKIM)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from ..errors import DorpspleinError
from ..forms.config import SECRET_KEY_VARIABLE
from ..mail import SmtpConfig, smtp_config_from_env
from ..urls import forms_url as absolute_forms_url

DKIM_KEY_VARIABLE = "DORPSPLEIN_DKIM_KEY_PATH"
DKIM_SELECTOR_VARIABLE = "DORPSPLEIN_DKIM_SELECTOR"
DKIM_DOMAIN_VARIABLE = "DORPSPLEIN_DKIM_DOMAIN"


@dataclass(frozen=True)
class DkimKey:
    selector: str
    domain: str
    private_key: bytes = field(repr=False)


@dataclass(frozen=True)
class SendConfig:
    smtp: SmtpConfig | None
    secret_key: str | None = field(repr=False)
    forms_url: str
    mail_from: str
    domain: str  # of MAIL_FROM: Message-ID and List-Id
    unsubscribe_mailto: str
    list_labels: dict[str, str]
    rate_per_second: float  # 0: as fast as the server takes them
    reconnects: int
    dkim: DkimKey | None
    messages_per_connection: int = 0  # 0: one connection for the whole mailing; some relays allow fewer
    production: bool = False  # the mail is checked for development addresses before anything is sent


def _dkim(environ: Mapping[str, str], domain: str) -> DkimKey | None:
    path = environ.get(DKIM_KEY_VARIABLE, "").strip()
    if not path:
        return None
    selector = environ.get(DKIM_SELECTOR_VARIABLE, "").strip()
    if not selector:
        raise DorpspleinError(f"{DKIM_SELECTOR_VARIABLE}: required with {DKIM_KEY_VARIABLE} (e.g. nieuwsbrief2026)")
    try:
        key = Path(path).read_bytes()
    except OSError as exc:
        raise DorpspleinError(f"{DKIM_KEY_VARIABLE}: cannot read {path}: {exc.strerror}") from None
    if b"PRIVATE KEY" not in key:
        raise DorpspleinError(f"{DKIM_KEY_VARIABLE}: {path} is not a PEM private key")
    return DkimKey(selector, environ.get(DKIM_DOMAIN_VARIABLE, "").strip() or domain, key)


def load_send_config(settings: Mapping, environ: Mapping[str, str] = os.environ, dry_run: bool = False,
                     production: bool = False) -> SendConfig:
    """Check everything before the first message; a dry run needs no SMTP server and no key."""
    mail_from = settings.get("MAIL_FROM") or ""
    address = parseaddr(mail_from)[1]
    if "@" not in address:
        raise DorpspleinError(f"MAIL_FROM: {mail_from!r} has no e-mail address; e.g. 'Gemeente <nieuwsbrief@…>'")
    domain = address.rsplit("@", 1)[1].lower()
    smtp = smtp_config_from_env(environ)
    secret_key = environ.get(SECRET_KEY_VARIABLE) or None
    if not dry_run and smtp is None:
        raise DorpspleinError("DORPSPLEIN_SMTP_URL is not set; e.g. smtp://user:password@mail.example.nl:587")
    if not dry_run and not secret_key:
        raise DorpspleinError(f"{SECRET_KEY_VARIABLE} is not set: the unsubscribe links must be signed with the "
                              "forms service's key")
    try:
        rate = float(settings.get("NEWSLETTER_RATE_PER_SECOND") or 0)
    except (TypeError, ValueError):
        raise DorpspleinError("NEWSLETTER_RATE_PER_SECOND: expected a number of messages per second") from None
    if rate < 0:
        raise DorpspleinError("NEWSLETTER_RATE_PER_SECOND: must be 0 (no limit) or more")
    forms_url = absolute_forms_url(settings)
    if not forms_url.startswith(("http://", "https://")):
        raise DorpspleinError(f"FORMS_URL: expected the forms service's absolute address, got {forms_url!r}")
    return SendConfig(
        smtp=smtp, secret_key=secret_key, forms_url=forms_url, mail_from=mail_from, domain=domain,
        unsubscribe_mailto=settings.get("NEWSLETTER_UNSUBSCRIBE_MAILTO") or address,
        list_labels=dict(settings.get("NEWSLETTER_LISTS") or {}), rate_per_second=rate,
        reconnects=int(settings.get("NEWSLETTER_RECONNECTS", 3)), dkim=_dkim(environ, domain),
        messages_per_connection=int(settings.get("NEWSLETTER_MESSAGES_PER_CONNECTION") or 0), production=production)
