"""Signed links: confirmation (expiring, single-use through the subscriber's nonce) and unsubscribe.

The newsletter sender builds its List-Unsubscribe URL with `unsubscribe_url`, so the link it
mails and the service that reads it share one definition. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM_SALT = "dorpsplein.forms.confirm"
UNSUBSCRIBE_SALT = "dorpsplein.forms.unsubscribe"


class InvalidToken(Exception):
    """The link was altered, truncated or signed with another key."""


@dataclass(frozen=True)
class ConfirmToken:
    key: str
    nonce: str
    consent_version: str
    issued_at: datetime


def _serializer(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=salt)


def make_confirm_token(secret_key: str, key: str, nonce: str, consent_version: str) -> str:
    """The consent version travels in the link: the version the e-mail showed is the one confirmed."""
    return _serializer(secret_key, CONFIRM_SALT).dumps({"k": key, "n": nonce, "v": consent_version})


def read_confirm_token(secret_key: str, token: str) -> ConfirmToken:
    """The token's contents and signing time; the caller decides whether it is too old."""
    try:
        payload, issued = _serializer(secret_key, CONFIRM_SALT).loads(token, return_timestamp=True)
        return ConfirmToken(str(payload["k"]), str(payload["n"]), str(payload["v"]), issued.astimezone(UTC))
    except (BadSignature, KeyError, TypeError) as exc:
        raise InvalidToken(str(exc)) from None


def make_unsubscribe_token(secret_key: str, key: str) -> str:
    """Never expires: a newsletter from years ago must still unsubscribe."""
    return _serializer(secret_key, UNSUBSCRIBE_SALT).dumps(key)


def read_unsubscribe_token(secret_key: str, token: str) -> str:
    try:
        key = _serializer(secret_key, UNSUBSCRIBE_SALT).loads(token)
    except BadSignature as exc:
        raise InvalidToken(str(exc)) from None
    if not isinstance(key, str):
        raise InvalidToken("not an unsubscribe token")
    return key


def confirm_url(forms_url: str, secret_key: str, key: str, nonce: str, consent_version: str) -> str:
    return f"{forms_url.rstrip('/')}/bevestigen/{make_confirm_token(secret_key, key, nonce, consent_version)}"


def unsubscribe_url(forms_url: str, secret_key: str, key: str) -> str:
    """The page with one button, and the RFC 8058 one-click POST target (List-Unsubscribe header)."""
    return f"{forms_url.rstrip('/')}/afmelden/{make_unsubscribe_token(secret_key, key)}"
