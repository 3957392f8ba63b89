"""Absolute URLs for a build: the live address in production, the preview address in development."""

from __future__ import annotations

# Where the forms service answers on the site's own origin: nginx (deploy/) and `serve` proxy this path to it.
FORMS_PATH = "/formulieren"


def base_url(settings: dict) -> str:
    """SITEURL, or PREVIEW_URL when SITEURL is empty (a development build), without a trailing slash."""
    return (settings.get("SITEURL") or settings.get("PREVIEW_URL") or "http://127.0.0.1:8000").rstrip("/")


def absolute_url(path: str, settings: dict) -> str:
    """`blog/2026/x/` → `https://dorpsplein.voorbeeld.nl/blog/2026/x/`; absolute URLs pass unchanged."""
    if "://" in path:
        return path
    return f"{base_url(settings)}/{path.lstrip('/')}"


def site_forms_url(settings: dict) -> str | None:
    """FORMS_URL as the site's pages use it: the setting if given, else SITEURL + /formulieren
    (in development, with SITEURL empty, the site-relative /formulieren). None: the site has no forms."""
    value = settings.get("FORMS_URL")
    if value is None:
        return None
    return (value or f"{(settings.get('SITEURL') or '').rstrip('/')}{FORMS_PATH}").rstrip("/")


def forms_url(settings: dict) -> str:
    """The forms service's absolute address, for links in e-mails: FORMS_URL made absolute against
    the site (or the preview) when it is a path on the site. A value that is neither stays as it is,
    for the caller to refuse."""
    value = site_forms_url(settings) or ""
    return absolute_url(value, settings).rstrip("/") if value.startswith("/") else value
