"""Posting to Mastodon through Mastodon.py: status with Idempotency-Key, media with alt text, follows.

The client is made as DESIGN.md says (version_check_mode="created", ratelimit_method="throw") so
that this module, not the library, decides how long to wait; a response hook on the requests
session keeps the last response's headers, because MastodonRatelimitError does not carry them.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
    MastodonVersionError,
)

from .compose import Composed
from .feedsource import Image
from .remote import AccountInfo, AccountPost, Remote, parse_time
from .retry import PERMANENT, RATE_LIMITED, TRANSIENT, Failure, PublishError, RetryingPublisher
from .retry import parse_retry_after as _parse_retry_after


def idempotency_key(key: str) -> str:
    """The same key for the same post every time, so Mastodon answers a repeat with the first status."""
    return "dorpsplein-" + hashlib.sha256(f"mastodon\x00{key}".encode()).hexdigest()[:40]


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _plain(content_html: str) -> str:
    text = re.sub(r"<br\s*/?>|</p>\s*<p>", "\n", content_html or "")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def _links(status) -> frozenset[str]:
    parser = _Hrefs()
    parser.feed(status.get("content") or "")
    card = status.get("card") or {}
    return frozenset([*parser.hrefs, *([card["url"]] if card.get("url") else [])])


def account_post(status) -> AccountPost:
    url = status.get("url") or status.get("uri") or ""
    text = _plain(status.get("content") or "")
    return AccountPost(Remote(str(status["id"]), url, text), text, _links(status))


class MastodonPublisher(RetryingPublisher):
    network = "mastodon"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_id = None
        self._headers: dict = {}  # of the last response: MastodonRatelimitError does not carry them

    # Errors ------------------------------------------------------------------------------------

    def classify(self, exc: BaseException) -> Failure | None:
        if isinstance(exc, MastodonVersionError) and exc.__cause__ is not None:
            return self.classify(exc.__cause__)
        if isinstance(exc, MastodonRatelimitError):
            delay = _parse_retry_after(self._headers.get("Retry-After"))
            reset = getattr(self.client, "ratelimit_reset", None)
            if delay is None and reset:
                delay = max(reset - time.time(), 0.0)
            return Failure(RATE_LIMITED, "rate limited (429)", retry_after=delay)
        if isinstance(exc, MastodonNetworkError):
            return Failure(TRANSIENT, "no answer from the server (timeout or broken connection)", uncertain=True)
        if isinstance(exc, MastodonAPIError):
            status = exc.args[1] if len(exc.args) > 1 else "?"
            reason = exc.args[3] if len(exc.args) > 3 and exc.args[3] else (exc.args[2] if len(exc.args) > 2 else "")
            message = f"{status} {reason}".strip()
            if isinstance(exc, MastodonServerError):
                return Failure(TRANSIENT, message, uncertain=True)
            if isinstance(exc, MastodonUnauthorizedError):
                return Failure(PERMANENT, f"access token refused: {message}")
            return Failure(PERMANENT, message)
        if isinstance(exc, MastodonError):
            return Failure(PERMANENT, str(exc) or exc.__class__.__name__)
        return None

    def _remember(self, response, *args, **kwargs):
        self._headers = dict(response.headers)

    # Session -----------------------------------------------------------------------------------

    def connect(self) -> AccountInfo:
        if self.client is not None:
            return self.info
        if not self._secret:
            raise PublishError(Failure(PERMANENT, "DORPSPLEIN_MASTODON_TOKEN is not set"), "Mastodon")
        session = requests.Session()
        session.hooks["response"].append(self._remember)

        def create():
            # Made without its own version check: when /api/v1/instance fails (a 401 from a server that
            # wants a login for it), Mastodon.py 2.3's check calls itself until RecursionError. We read
            # the version ourselves and insist on it (fail_hard: no silent fallback to version 1.0.0).
            client = Mastodon(api_base_url=self.config.mastodon_url, access_token=self._secret,
                              version_check_mode="none", ratelimit_method="throw",
                              request_timeout=self.config.timeout, session=session)
            client.version_check_mode = "created"
            client.retrieve_mastodon_version(fail_hard=True)
            return client

        client = self._retry(create, "reading the server's version")
        me = self._retry(client.account_verify_credentials, "checking the access token")
        self.client = client
        self.account_id = me["id"]
        acct = me["acct"]
        self.account = "@" + (acct if "@" in acct else f"{acct}@{urlsplit(self.config.mastodon_url).hostname}")
        self.info = AccountInfo("mastodon", self.account, self.config.mastodon_url,
                                me.get("display_name") or "", f"Mastodon {client.retrieve_mastodon_version()}")
        return self.info

    # Posting -----------------------------------------------------------------------------------

    def _upload(self, image: Image, alt: str) -> str:
        media = self._retry(lambda: self.client.media_post(image.data, mime_type=image.mime, description=alt,
                                                           file_name=image.name), "uploading the image")
        waited, media_id = 0.0, media["id"]
        # v2 media is processed in the background; a status may only use it once it has a URL.
        while not media.get("url"):
            if waited >= self.config.media_wait:
                raise PublishError(Failure(TRANSIENT, f"image still processing after {waited:.0f} s"),
                                   "uploading the image")
            self._sleep(self.config.media_poll)
            waited += max(self.config.media_poll, 0.01)
            media = self._retry(lambda: self.client.media(media_id), "waiting for the image")
        return media_id

    def publish(self, composed: Composed, image: Image | None, key: str) -> Remote:
        self.connect()
        media_ids = [self._upload(image, composed.draft.image_alt)] if image is not None else None

        def post():
            return self.client.status_post(composed.text, media_ids=media_ids, visibility="public",
                                           language=composed.draft.language, idempotency_key=key)

        def look_first(failure: Failure):
            # The newest page is enough: an attempt that arrived is among the newest posts.
            if not failure.uncertain:
                return None
            # Ours (or the same request's, by its Idempotency-Key): the ledger keeps the text as we sent it.
            return next((dataclasses.replace(post.remote, text=None) for post in self.read_account(None)
                         if post.matches(composed.draft.link, composed.text, ())), None)

        status = self._retry(post, "posting", before_retry=look_first)
        if isinstance(status, Remote):
            return status
        return Remote(str(status["id"]), status.get("url") or status.get("uri") or "")

    def read_account(self, since) -> list[AccountPost]:
        """Our statuses, newest first (GET /api/v1/accounts/:id/statuses), paged with max_id back to `since`."""
        self.connect()
        posts, max_id = [], None
        while True:
            page = self._retry(functools.partial(self.client.account_statuses, self.account_id, max_id=max_id,
                                                 limit=min(self.config.reconcile_limit, 40), exclude_reblogs=True),
                               "reading the account's recent posts")
            posts += [account_post(status) for status in page]
            if not page or since is None or str(page[-1]["id"]) == max_id:
                return posts
            oldest = parse_time(page[-1].get("created_at"))
            if oldest is not None and oldest < since:
                return posts
            max_id = str(page[-1]["id"])

    # Accounts ----------------------------------------------------------------------------------

    def follow(self, handle: str) -> str:
        """Follow `@user@server`; returns "followed", "already following" or "requested"."""
        self.connect()
        acct = handle.lstrip("@")
        try:
            account = self._retry(lambda: self.client.account_lookup(acct), f"looking up {handle}")
        except PublishError as exc:
            if "404" not in str(exc):
                raise
            # Not known on our server yet: a search with resolve asks the other server (WebFinger).
            found = self._retry(lambda: self.client.account_search(acct, resolve=True, limit=5),
                                f"looking up {handle}")
            account = next((a for a in found if a["acct"].lower() in (acct.lower(), acct.split("@")[0].lower())),
                           None)
            if account is None:
                raise PublishError(Failure(PERMANENT, "account not found"), handle) from None
        relation = self._retry(lambda: self.client.account_relationships(account["id"]), f"checking {handle}")
        if relation and (relation[0].get("following") or relation[0].get("requested")):
            return "already following"
        result = self._retry(lambda: self.client.account_follow(account["id"]), f"following {handle}")
        return "followed" if result.get("following") else "requested"

