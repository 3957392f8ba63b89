"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, valid until Expires.

Expires is the build date plus SECURITY_TXT_EXPIRES_DAYS, at midnight UTC, so every build on the
same day writes the same file and a regular (daily) publish keeps it valid. SOURCE_DATE_EPOCH,
the reproducible-builds convention, fixes the build date. A fixed SECURITY_TXT_EXPIRES date (for
a file someone reviews by hand) is warned about 30 days ahead; once passed, the warning fails a
production build.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pelican import signals

from dorpsplein.files import write_if_changed

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SECURITY_TXT_CONTACT": None,  # None: mailto: CONTACT_EMAIL; a string or a list (mailto:, https:, tel:)
    "SECURITY_TXT_EXPIRES_DAYS": 180,  # RFC 9116 advises less than a year
    "SECURITY_TXT_EXPIRES": None,  # a fixed ISO date instead, e.g. "2027-05-01"
    "SECURITY_TXT_PREFERRED_LANGUAGES": "nl, en",
    "SECURITY_TXT_POLICY": "https://www.ncsc.nl/contact/kwetsbaarheid-melden",  # the CVD policy; None: no line
    "SECURITY_TXT_ENCRYPTION": None,  # URL of a PGP key, if any
    "SECURITY_TXT_SAVE_AS": ".well-known/security.txt",
}


def security_txt_settings(settings: dict) -> dict:
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    if not merged["SECURITY_TXT_CONTACT"]:
        merged["SECURITY_TXT_CONTACT"] = f"mailto:{settings.get('CONTACT_EMAIL') or 'security@voorbeeld.nl'}"
    if isinstance(merged["SECURITY_TXT_CONTACT"], str):
        merged["SECURITY_TXT_CONTACT"] = [merged["SECURITY_TXT_CONTACT"]]
    return merged


def build_date(environ=os.environ) -> datetime:
    epoch = environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)


WARN_DAYS = 30


def expires_at(config: dict, now: datetime) -> datetime:
    fixed = config["SECURITY_TXT_EXPIRES"]
    if fixed:
        value = datetime.fromisoformat(str(fixed))
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return (now + timedelta(days=int(config["SECURITY_TXT_EXPIRES_DAYS"]))).replace(
        hour=0, minute=0, second=0, microsecond=0)


def expiry_warning(settings: dict, now: datetime) -> str | None:
    """A warning while fewer than 30 days are left, or once the date has passed (fatal in production)."""
    expires = expires_at(security_txt_settings(settings), now)
    if expires <= now:
        return f"security.txt: Expires {expires:%Y-%m-%d} has passed; set a new SECURITY_TXT_EXPIRES"
    if expires - now < timedelta(days=WARN_DAYS):
        return f"security.txt: Expires {expires:%Y-%m-%d} is {(expires - now).days} days away; renew it"
    return None


def render(settings: dict, now: datetime) -> str:
    config = security_txt_settings(settings)
    expires = expires_at(config, now)
    lines = [f"Contact: {contact}" for contact in config["SECURITY_TXT_CONTACT"]]
    lines.append(f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if config["SECURITY_TXT_ENCRYPTION"]:
        lines.append(f"Encryption: {config['SECURITY_TXT_ENCRYPTION']}")
    if config["SECURITY_TXT_PREFERRED_LANGUAGES"]:
        lines.append(f"Preferred-Languages: {config['SECURITY_TXT_PREFERRED_LANGUAGES']}")
    if config["SECURITY_TXT_POLICY"]:
        lines.append(f"Policy: {config['SECURITY_TXT_POLICY']}")
    siteurl = settings.get("SITEURL") or ""
    if siteurl.startswith("https://"):  # Canonical only where the file really lives
        lines.append(f"Canonical: {siteurl.rstrip('/')}/{config['SECURITY_TXT_SAVE_AS']}")
    return "\n".join(lines) + "\n"


def write_security_txt(pelican) -> None:
    settings = pelican.settings
    path = Path(pelican.output_path) / security_txt_settings(settings)["SECURITY_TXT_SAVE_AS"]
    now = build_date()
    if warning := expiry_warning(settings, now):
        logger.warning(warning)
    write_if_changed(path, render(settings, now).encode("utf-8"))
    logger.info("wrote %s", path)


def register():
    signals.finalized.connect(write_security_txt)
