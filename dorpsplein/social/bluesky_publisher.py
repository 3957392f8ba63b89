"""Posting to Bluesky through atproto: one login per run, link facets, a link card with an uploaded thumb.

Bluesky has no Idempotency-Key; instead a feed item is posted under a record key (a TID) derived
from the item itself (`ledger.item_tid`), the same on every machine. A second createRecord with
that key, from a retry, a rerun or another checkout, can never make a second post: the PDS refuses
an existing key (with a 500 today: bluesky-social/indigo#873, atproto#4728). After such an answer
we read the record under our key (getRecord): there, it is the post, ours or another run's.
`find` recognises a post in the account's feed (getAuthorFeed) by its link, record key or text.
"""

from __future__ import annotations

import datetime
import functools

import httpx
from atproto import Client, client_utils, models
from atproto_client.exceptions import (
    BadRequestError,
    InvokeTimeoutError,
    LoginRequiredError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
    UnauthorizedError,
)
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError

from .compose import Composed
from .feedsource import Image
from .remote import AccountInfo, AccountPost, Remote, parse_time
from .retry import PERMANENT, RATE_LIMITED, TRANSIENT, Failure, PublishError, RetryingPublisher


def _xrpc_message(exc: RequestErrorBase) -> str:
    response = exc.response
    if response is None:
        return exc.__class__.__name__
    content = response.content
    error = getattr(content, "error", None)
    message = getattr(content, "message", None)
    detail = f"{error}: {message}" if error and message else (error or message or "")
    return f"{response.status_code} {detail}".strip()


def _error_name(exc: RequestErrorBase) -> str | None:
    return getattr(exc.response.content, "error", None) if exc.response is not None else None


def _already_exists(exc: RequestErrorBase) -> bool:
    """An explicit "record exists" answer (a 409, or an error name such as atproto#4728 proposes) instead
    of today's 500: then we read the record under our key too, rather than report a refusal."""
    if exc.response is None:
        return False
    return exc.response.status_code == 409 or "exist" in (_error_name(exc) or "").lower()


def _sort_time(post) -> datetime.datetime | None:
    """Where the author feed sorts a post: the earlier of its createdAt and indexedAt."""
    times = [parse_time(value) for value in (getattr(post.record, "created_at", None), post.indexed_at) if value]
    times = [moment for moment in times if moment is not None]
    return min(times) if times else None


class BlueskyPublisher(RetryingPublisher):
    network = "bluesky"
    did = ""  # of our account, known after connect()

    # Errors ------------------------------------------------------------------------------------

    def classify(self, exc: BaseException) -> Failure | None:
        if isinstance(exc, RateLimitExceededError):
            delay = exc.retry_after
            if delay is None and exc.reset_at is not None:
                delay = max((exc.reset_at - datetime.datetime.now(datetime.UTC)).total_seconds(), 0.0)
            return Failure(RATE_LIMITED, _xrpc_message(exc), retry_after=delay)
        if isinstance(exc, (InvokeTimeoutError, httpx.TransportError)):
            return Failure(TRANSIENT, "no answer from the server (timeout or broken connection)", uncertain=True)
        if isinstance(exc, UnauthorizedError):
            return Failure(PERMANENT, f"login refused: {_xrpc_message(exc)}")
        if isinstance(exc, RequestErrorBase) and _already_exists(exc):  # a create that did arrive, ours or not
            return Failure(TRANSIENT, _xrpc_message(exc), uncertain=True)
        if isinstance(exc, BadRequestError):
            return Failure(PERMANENT, _xrpc_message(exc))
        if isinstance(exc, NetworkError):
            if exc.response is None:
                return Failure(TRANSIENT, "no answer from the server (timeout or broken connection)", uncertain=True)
            if exc.response.status_code == 413:
                return Failure(PERMANENT, _xrpc_message(exc))
            return Failure(TRANSIENT, _xrpc_message(exc), uncertain=True)
        if isinstance(exc, RequestErrorBase) and exc.response is not None:
            if exc.response.status_code >= 500:
                return Failure(TRANSIENT, _xrpc_message(exc), uncertain=True)
            return Failure(PERMANENT, _xrpc_message(exc))
        if isinstance(exc, (LoginRequiredError, AtProtocolError)):
            return Failure(PERMANENT, str(exc) or exc.__class__.__name__)
        return None

    # Session -----------------------------------------------------------------------------------

    def connect(self) -> AccountInfo:
        """Log in once per run (createSession is rate-limited); later calls reuse the session."""
        if self.client is not None:
            return self.info
        if not self._secret:
            raise PublishError(Failure(PERMANENT, "DORPSPLEIN_BLUESKY_PASSWORD is not set"), "Bluesky")
        client = Client(base_url=self.config.bluesky_service, request=Request(timeout=self.config.timeout))
        handle = self.config.bluesky_handle
        # Without the profile lookup, so that a retry of a failed lookup does not log in again.
        self._retry(lambda: client.login(handle, self._secret, fetch_bsky_profile=False), f"logging in as {handle}")
        profile = self._retry(lambda: client.get_profile(handle), f"reading the profile of {handle}")
        client.me = profile
        self.session_string = client.export_session_string()
        self.client, self.did, self.account = client, profile.did, profile.handle
        self.info = AccountInfo("bluesky", profile.handle, self.config.bluesky_service,
                                profile.display_name or "", profile.did)
        return self.info

    # Posting -----------------------------------------------------------------------------------

    def _thumb(self, image: Image):
        response = self._retry(
            lambda: self.client.com.atproto.repo.upload_blob(image.data, headers={"Content-Type": image.mime}),
            "uploading the image")
        return response.blob

    def _record(self, composed: Composed, thumb) -> models.AppBskyFeedPost.Record:
        builder = client_utils.TextBuilder()
        for segment in composed.segments:
            if segment.kind == "link":
                builder.link(segment.text, segment.target)
            elif segment.kind == "tag":
                builder.tag(segment.text, segment.target)
            else:
                builder.text(segment.text)
        draft = composed.draft
        embed = None
        if composed.card:
            embed = models.AppBskyEmbedExternal.Main(external=models.AppBskyEmbedExternal.External(
                uri=draft.link, title=draft.title or "", description=draft.description or "", thumb=thumb))
        elif composed.attach_image and thumb is not None:
            embed = models.AppBskyEmbedImages.Main(images=[models.AppBskyEmbedImages.Image(
                alt=draft.image_alt, image=thumb)])
        return models.AppBskyFeedPost.Record(created_at=self.client.get_current_time_iso(),
                                             text=builder.build_text(), facets=builder.build_facets() or None,
                                             embed=embed, langs=[draft.language])

    def _remote(self, uri: str) -> Remote:
        return Remote(uri, f"https://bsky.app/profile/{self.account}/post/{uri.rsplit('/', 1)[-1]}")

    def publish(self, composed: Composed, image: Image | None, key: str) -> Remote:
        self.connect()
        thumb = self._thumb(image) if image is not None else None
        record = self._record(composed, thumb)

        def post():
            return self.client.app.bsky.feed.post.create(self.did, record, rkey=key)

        def look_first(failure: Failure):
            # Under our record key there is at most one post: the one this attempt or another run made.
            if not failure.uncertain:
                return None
            stored = self._stored(key)
            if stored is None:
                return None
            text = getattr(stored.value, "text", None)
            ours = getattr(stored.value, "created_at", None) == record.created_at
            return Remote(stored.uri, self._remote(stored.uri).url, None if ours else text, existing=not ours)

        created = self._retry(post, "posting", before_retry=look_first)
        return created if isinstance(created, Remote) else self._remote(created.uri)

    def _stored(self, key: str):
        """The post under our record key (com.atproto.repo.getRecord), or None when there is none."""
        def get():
            try:
                return self.client.app.bsky.feed.post.get(self.did, key)
            except BadRequestError as exc:
                if _error_name(exc) == "RecordNotFound":
                    return None
                raise
        return self._retry(get, "looking for the post under its record key")

    def read_account(self, since) -> list[AccountPost]:
        """Our posts in the author feed (getAuthorFeed), newest first, paged back to `since`."""
        self.connect()
        posts, cursor = [], None
        while True:
            response = self._retry(functools.partial(self.client.get_author_feed, self.did, cursor=cursor,
                                                     limit=min(self.config.reconcile_limit, 100),
                                                     filter="posts_no_replies"),
                                   "reading the account's recent posts")
            times = []
            for view in response.feed:
                reason = getattr(view, "reason", None)
                times.append(parse_time(getattr(reason, "indexed_at", None)) if reason is not None
                             else _sort_time(view.post))
                if reason is None and view.post.author.did == self.did:
                    posts.append(self._account_post(view.post))
            if not response.feed or not response.cursor or since is None or response.cursor == cursor:
                return posts
            known = [moment for moment in times if moment is not None]
            if known and min(known) < since:
                return posts
            cursor = response.cursor

    def _account_post(self, post) -> AccountPost:
        record = post.record
        text = getattr(record, "text", None) or ""
        links = set()
        for facet in getattr(record, "facets", None) or []:
            links.update(feature.uri for feature in facet.features if getattr(feature, "uri", None))
        external = getattr(getattr(record, "embed", None), "external", None)
        if getattr(external, "uri", None):
            links.add(external.uri)
        remote = Remote(post.uri, self._remote(post.uri).url, text)
        return AccountPost(remote, text, frozenset(links), post.uri.rsplit("/", 1)[-1])

    # Accounts ----------------------------------------------------------------------------------

    def follow(self, handle: str) -> str:
        """Follow a handle; returns "followed" or "already following"."""
        self.connect()
        profile = self._retry(lambda: self.client.get_profile(handle), f"looking up {handle}")
        if profile.viewer is not None and profile.viewer.following:
            return "already following"
        def now_following(failure: Failure):
            if not failure.uncertain:
                return None
            again = self._retry(lambda: self.client.get_profile(handle), f"looking up {handle}")
            return True if again.viewer is not None and again.viewer.following else None

        self._retry(lambda: self.client.follow(profile.did), f"following {handle}", before_retry=now_following)
        return "followed"
