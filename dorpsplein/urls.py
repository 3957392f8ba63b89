"""Absolute URLs for a build: the live address in production, the preview address in development."""

from __future__ import annotations


def base_url(settings: dict) -> str:
    """SITEURL, or PREVIEW_URL when SITEURL is empty (a development build), without a trailing slash."""
    return (settings.get("SITEURL") or settings.get("PREVIEW_URL") or "http://127.0.0.1:8000").rstrip("/")


def absolute_url(path: str, settings: dict) -> str:
    """`blog/2026/x/` → `https://dorpsplein.voorbeeld.nl/blog/2026/x/`; absolute URLs pass unchanged."""
    if "://" in path:
        return path
    return f"{base_url(settings)}/{path.lstrip('/')}"
