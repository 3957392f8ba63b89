"""Production guards, in one place: the live addresses, and every address a release, a mail or a post carries.

A production site, mail or social post must only point at the public internet: `SITEURL` and
`FORMS_URL` are absolute https:// addresses on a public host, and no written page, feed or mail links
a loopback, private, link-local or `.local`/`localhost` address (the development `http://127.0.0.1:…`
that once reached 92 production pages and every List-Unsubscribe header). Used by `build --production`,
`publish`, `newsletter send --production`, `social push` and `forms serve --production` (and the WSGI entry).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import DorpspleinError
from .settings import ENV_PREFIX
from .urls import forms_url

# Files of a release that carry addresses: pages, feeds, sitemap, JSON Feed, robots.txt, security.txt, …
SCANNED_SUFFIXES = {".html", ".htm", ".xml", ".xsl", ".json", ".txt", ".ics", ".atom", ".rss", ".css", ".js",
                    ".svg", ".webmanifest"}
# The authority of every http(s) address, plain or percent-encoded (share links carry our URL encoded).
ADDRESS = re.compile(rb"https?://(\[[0-9A-Fa-f:.]+\][^/\s\"'<>\\?#]*|[^/\s\"'<>\\?#()]+)", re.IGNORECASE)
ENCODED_ADDRESS = re.compile(rb"https?%3A%2F%2F([^%&\s\"'<>]+(?:%3A\d+)?)", re.IGNORECASE)
MAX_LISTED = 10


def non_public_reason(host: str) -> str | None:
    """Why `host` is no address of the public internet ('a loopback address', …), or None if it is."""
    host = host.lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return "a local host name"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_unspecified or ip.is_reserved or ip.is_multicast:
        return "not a public address"
    return None


def check_public_url(name: str, value: str | None, variable: str | None = None) -> str:
    """`value` as a live address (https://, public host) or a one-line error naming the setting and its variable."""
    variable = variable or f"{ENV_PREFIX}{name}"
    parts = urlsplit(value or "")
    if parts.scheme != "https" or not parts.hostname:
        raise DorpspleinError(f"{name}: {value!r} is not an absolute https:// address; set {variable} to the "
                              "live address, e.g. https://www.gemeente-voorbeeld.nl")
    reason = non_public_reason(parts.hostname)
    if reason:
        raise DorpspleinError(f"{name}: {value} is {reason}, not the live site; set {variable} to the "
                              "public https:// address")
    return value.rstrip("/")


def check_settings(settings: Mapping) -> None:
    """SITEURL and FORMS_URL (when the site has forms) of a production run."""
    check_public_url("SITEURL", settings.get("SITEURL"))
    if settings.get("FORMS_URL") is not None:
        check_public_url("FORMS_URL", forms_url(settings))


def non_public_addresses(data: bytes) -> list[tuple[str, str]]:
    """(address, reason) for each http(s) address in `data` whose host is not public, in order, once each."""
    found = {}
    for pattern, decode in ((ADDRESS, False), (ENCODED_ADDRESS, True)):
        for match in pattern.finditer(data):
            authority = match.group(1).decode("utf-8", "replace")
            authority = unquote(authority) if decode else authority
            try:
                host = urlsplit(f"http://{authority}").hostname or ""
            except ValueError:  # a malformed port or bracket: not an address a browser would follow
                continue
            reason = non_public_reason(host)
            if reason:
                found.setdefault(match.group(0).decode("utf-8", "replace"), reason)
    return list(found.items())


def _refuse(what: str, problems: list[str]) -> None:
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:MAX_LISTED])
        more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        raise DorpspleinError(f"{what} links addresses that are not on the public internet:\n{listed}{more}")


def check_release(folder: Path) -> None:
    """Every page, feed and text file written into a production release links only public hosts."""
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in SCANNED_SUFFIXES and path.is_file():
            rel = path.relative_to(folder).as_posix()
            problems += [f"{rel}: {address} ({reason})" for address, reason in non_public_addresses(path.read_bytes())]
    _refuse("the production build", problems)


def _mail_text(message: EmailMessage) -> Iterable[bytes]:
    for name in ("List-Unsubscribe", "List-Archive", "List-Post"):
        if message.get(name):
            yield f"{name}: {message[name]}".encode()
    for part in message.walk():
        if part.get_content_maintype() == "text":
            yield part.get_content().encode("utf-8", "replace")


def check_mail(message: EmailMessage) -> None:
    """A mail about to be sent links only public hosts, its List-Unsubscribe included; https:// for that one."""
    problems = list(dict.fromkeys(f"{address} ({reason})" for text in _mail_text(message)
                                  for address, reason in non_public_addresses(text)))
    for link in re.findall(r"<(https?://[^>]+)>", str(message.get("List-Unsubscribe") or "")):
        if not link.startswith("https://"):
            problems.append(f"List-Unsubscribe {link} (not https://)")
    _refuse("the mail", problems)  # not naming the recipient: this message may end up in a CI log


def check_links(what: str, links: Iterable[str]) -> None:
    """Addresses about to leave in a post or a message (e.g. a social post's link and image)."""
    _refuse(what, [f"{address} ({reason})" for link in links if link
                   for address, reason in non_public_addresses(link.encode())])
