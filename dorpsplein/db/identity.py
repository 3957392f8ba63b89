"""One identity per address: the canonical form under which an address is stored, found and kept unique.

Mail systems treat the domain case-insensitively (and an internationalised domain equals its IDNA
form); the local part may in theory be case-sensitive, but no mailbox provider a resident uses is, and
treating `Jan.Jansen@…` and `jan.jansen@…` as two people sends two copies and lets one unsubscribe
miss the other. So: IDNA-encoded lower-case domain, lower-case local part. The address as typed is kept
for display. This definition is part of the schema (a unique constraint and migration 0003 use it):
changing it needs a migration that recomputes `email_canonical`.
"""

from __future__ import annotations

import functools
import unicodedata

import idna


@functools.lru_cache(maxsize=4096)  # idna's UTS 46 mapping is pure Python; a sign-up asks several times
def canonical_email(address: str) -> str:
    """`Jan.Jansen@Gemeente-Ë.NL` → `jan.jansen@xn--gemeente--34a.nl`; works on invalid input too (for lookups)."""
    address = unicodedata.normalize("NFC", address.strip())
    local, at, domain = address.rpartition("@")
    if not at:
        return address.lower()
    try:
        domain = idna.encode(domain.rstrip("."), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        pass  # not a valid domain: lower case is the best we can do, and such an address is never stored
    return f"{local.lower()}@{domain.lower()}"
