"""A small Mastodon API on 127.0.0.1, after docs.joinmastodon.org/methods/, for the real Mastodon.py.

Implements: GET /api/v1/instance and /api/v2/instance, GET /api/v1/accounts/verify_credentials,
POST /api/v1/statuses (with Idempotency-Key: a repeat returns the first status for an hour
(`forget_idempotency_keys()` lets that hour pass); a request while another with the same key is
being handled gets 503, as Mastodon 4's redis lock in PostStatusService answers; validation 422
for text over 500 characters, URLs counted as 23, and for media still processing), POST
/api/v2/media (202, processed after `processing_polls` GETs of /api/v1/media/:id answering 206),
GET /api/v1/accounts/:id/statuses (newest first; limit default 20, at most 40; max_id, since_id,
min_id; a Link header), GET /api/v1/accounts/lookup, GET /api/v1/accounts/search,
GET /api/v1/accounts/relationships, POST /api/v1/accounts/:id/follow. Bearer token required.
Status ids are Mastodon's snowflakes: milliseconds since the epoch shifted left 16 bits, so they
sort by time; `seed_status(text, created_at)` puts an older status on the account.
"""

from __future__ import annotations

import datetime
import html
import itertools
import re
from email.parser import BytesParser
from email.policy import HTTP

from .base import FakeServer, Reply, Request

URL_RE = re.compile(r"https?://\S+")
TAG_RE = re.compile(r"(?<![\w&])#(\w+)")


def _parse_form(request: Request) -> tuple[dict, dict]:
    """(fields, files) of a urlencoded or multipart body; list fields keep every value."""
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body)
        fields, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename() is not None:
                files[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            else:
                fields.setdefault(name, []).append(part.get_payload(decode=True).decode())
        return fields, files
    from urllib.parse import parse_qs

    return parse_qs(request.body.decode(), keep_blank_values=True), {}


def _html(text: str) -> str:
    """Roughly what Mastodon makes of a status text: paragraphs, <br>, links with display spans, hashtag links."""
    def link(url):
        scheme, rest = url.split("://", 1)
        return (f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
                f'<span class="invisible">{scheme}://</span><span class="ellipsis">{html.escape(rest[:30])}</span>'
                f'<span class="invisible">{html.escape(rest[30:])}</span></a>')

    def plain(part):
        return TAG_RE.sub(lambda m: f'<a href="https://social.example/tags/{m.group(1).lower()}" '
                                    f'class="mention hashtag" rel="tag">#<span>{m.group(1)}</span></a>',
                          html.escape(part, quote=False))

    paragraphs = []
    for block in text.split("\n\n"):
        pieces, last = [], 0
        for match in URL_RE.finditer(block):
            pieces += [plain(block[last:match.start()]), link(match.group(0))]
            last = match.end()
        pieces.append(plain(block[last:]))
        paragraphs.append("<p>" + "".join(pieces).replace("\n", "<br />") + "</p>")
    return "".join(paragraphs)


class FakeMastodon(FakeServer):
    version = "4.3.2"
    processing_polls = 2  # GETs of a new media attachment before it is processed

    def __init__(self, token: str = "mastodon-secret-token-1234567890"):
        super().__init__()
        self.token = token
        self.statuses: list[dict] = []  # oldest first
        self.texts: list[str] = []
        self.idempotency: dict[str, str] = {}
        self._posting: set[str] = set()  # Idempotency-Keys of requests being handled (Mastodon's redis lock)
        self.media: dict[str, dict] = {}
        self.media_files: dict[str, bytes] = {}
        self.following: set[str] = set()
        self.me = self._account("1", "gemeentevoorbeeld", "Gemeente Voorbeeld")
        self.local = {"veiligheidsregio": self._account("2", "veiligheidsregio", "Veiligheidsregio")}
        # Known to the world, but not yet to this server: found only by a search with resolve=true.
        self.remote = {"voorbeeldpolders@waterschap.example": self._account(
            "3", "voorbeeldpolders@waterschap.example", "Waterschap De Voorbeeldpolders")}
        self._next = 100
        self._sequence = itertools.count(1)

    def _account(self, id_, acct, name):
        return {"id": id_, "username": acct.split("@")[0], "acct": acct, "display_name": name,
                "url": f"https://social.example/@{acct}", "created_at": "2026-01-01T00:00:00.000Z",
                "locked": False, "bot": False, "note": "", "followers_count": 0, "following_count": 0,
                "statuses_count": 0, "avatar": "", "header": "", "emojis": [], "fields": []}

    def error_body(self, status: int) -> dict:
        return {429: {"error": "Too many requests"}, 422: {"error": "Validation failed: Text can't be blank"},
                401: {"error": "This method requires an authenticated user"}}.get(
            status, {"error": "Internal server error"})

    def _snowflake(self, moment: datetime.datetime) -> str:
        return str((int(moment.timestamp() * 1000) << 16) | (next(self._sequence) & 0xFFFF))

    def forget_idempotency_keys(self) -> None:
        """An hour has passed: Mastodon keeps an Idempotency-Key for 3,600 s."""
        with self.lock:
            self.idempotency.clear()

    def _status(self, text: str, created_at: datetime.datetime, **fields) -> dict:
        status_id = self._snowflake(created_at)
        return {"id": status_id, "uri": f"https://social.example/users/gemeentevoorbeeld/statuses/{status_id}",
                "url": f"https://social.example/@gemeentevoorbeeld/{status_id}",
                "created_at": created_at.isoformat(), "content": _html(text), "visibility": "public",
                "language": None, "sensitive": False, "spoiler_text": "", "account": self.me,
                "media_attachments": [], "mentions": [], "tags": [], "emojis": [], "card": None, "reblog": None,
                "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, **fields}

    def seed_status(self, text: str, created_at: datetime.datetime) -> dict:
        """A status the account posted earlier (by hand, or by a run whose ledger we do not have)."""
        status = self._status(text, created_at)
        with self.lock:
            self.statuses.append(status)
            self.texts.append(text)
        return status

    def _id(self) -> str:
        with self.lock:
            self._next += 1
            return str(self._next)

    def route(self, method: str, path: str):
        routes = {
            ("GET", "/api/v1/instance"): ("instance", self.instance),
            ("GET", "/api/v2/instance"): ("instance", self.instance_v2),
            ("GET", "/api/v1/accounts/verify_credentials"): ("verify_credentials", self.auth(self.verify)),
            ("POST", "/api/v1/statuses"): ("statuses", self.auth(self.post_status)),
            ("POST", "/api/v2/media"): ("media", self.auth(self.post_media)),
            ("GET", "/api/v1/accounts/lookup"): ("lookup", self.auth(self.lookup)),
            ("GET", "/api/v1/accounts/search"): ("search", self.auth(self.search)),
            ("GET", "/api/v1/accounts/relationships"): ("relationships", self.auth(self.relationships)),
        }
        if (method, path) in routes:
            return routes[(method, path)]
        if method == "GET" and re.fullmatch(r"/api/v1/media/\w+", path):
            return "media_status", self.auth(self.get_media)
        if method == "GET" and re.fullmatch(r"/api/v1/accounts/\w+/statuses", path):
            return "account_statuses", self.auth(self.account_statuses)
        if method == "POST" and re.fullmatch(r"/api/v1/accounts/\w+/follow", path):
            return "follow", self.auth(self.follow)
        return None, None

    def auth(self, handler):
        def checked(request: Request) -> Reply:
            if request.bearer != self.token:
                return Reply(401, {"error": "The access token is invalid"})
            return handler(request)
        return checked

    # Endpoints ---------------------------------------------------------------------------------

    def instance(self, request):
        return Reply(200, {"uri": "social.example", "title": "Fake Mastodon", "version": self.version,
                           "description": "", "email": "", "urls": {}, "stats": {}, "languages": ["nl"]})

    def instance_v2(self, request):
        return Reply(200, {"domain": "social.example", "title": "Fake Mastodon", "version": self.version,
                           "api_versions": {"mastodon": 2}})

    def verify(self, request):
        return Reply(200, self.me)

    def post_status(self, request):
        fields, _ = _parse_form(request)
        if request.headers.get("Content-Type", "").startswith("application/json"):
            fields = {k: (v if isinstance(v, list) else [v]) for k, v in request.json().items()}
        key = request.headers.get("Idempotency-Key")
        if not key:
            with self.lock:
                return self._create_status(fields)
        with self.lock:  # Mastodon 4: with_redis_lock("idempotency:lock:status:…"), 503 when it is held
            if key in self._posting:
                return Reply(503, {"error": "There was a temporary problem serving your request, please try again"})
            self._posting.add(key)
        try:
            with self.lock:
                if key in self.idempotency:  # a repeat of a request that already made a status
                    return Reply(200, next(s for s in self.statuses if s["id"] == self.idempotency[key]))
                reply = self._create_status(fields)
                if reply.status == 200:
                    self.idempotency[key] = reply.body["id"]
                return reply
        finally:
            with self.lock:
                self._posting.discard(key)

    def _create_status(self, fields) -> Reply:
        text = (fields.get("status") or [""])[0]
        # Independent of the client's counting: code points, each URL 23 (fine for Latin text).
        length = len(URL_RE.sub("x" * 23, text))
        if not text.strip() or length > 500:
            return Reply(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
        media_ids = fields.get("media_ids[]") or fields.get("media_ids") or []
        for media_id in media_ids:
            if media_id not in self.media:
                return Reply(422, {"error": "Validation failed: Media ids are invalid"})
            if self.media[media_id]["url"] is None:
                return Reply(422, {"error": "Cannot attach files that have not finished processing. "
                                            "Try again in a moment!"})
        status = self._status(text, datetime.datetime.now(datetime.UTC),
                              visibility=(fields.get("visibility") or ["public"])[0],
                              language=(fields.get("language") or [None])[0],
                              media_attachments=[self.media[m] for m in media_ids])
        self.statuses.append(status)
        self.texts.append(text)
        return Reply(200, status)

    def post_media(self, request):
        fields, files = _parse_form(request)
        if "file" not in files:
            return Reply(422, {"error": "Validation failed: File can't be blank"})
        name, mime, data = files["file"]
        media_id = self._id()
        with self.lock:
            self.media[media_id] = {"id": media_id, "type": "image", "url": None, "preview_url": None,
                                    "description": (fields.get("description") or [None])[0],
                                    "_polls": 0, "_mime": mime}
            self.media_files[media_id] = data
        return Reply(202, self._public(self.media[media_id]))

    def get_media(self, request):
        media_id = request.path.rsplit("/", 1)[-1]
        with self.lock:
            media = self.media.get(media_id)
            if media is None:
                return Reply(404, {"error": "Record not found"})
            media["_polls"] += 1
            if media["_polls"] >= self.processing_polls:
                media["url"] = f"https://files.social.example/media/{media_id}.jpg"
            return Reply(200 if media["url"] else 206, self._public(media))

    @staticmethod
    def _public(media):
        return {k: v for k, v in media.items() if not k.startswith("_")}

    def account_statuses(self, request):
        account_id = request.path.split("/")[4]
        limit = max(1, min(int(request.param("limit", 20)), 40))
        max_id, since_id, min_id = (int(request.param(name) or 0) or None for name in ("max_id", "since_id", "min_id"))
        with self.lock:
            mine = sorted((s for s in self.statuses if s["account"]["id"] == account_id),
                          key=lambda s: int(s["id"]), reverse=True)
        mine = [s for s in mine if (max_id is None or int(s["id"]) < max_id)
                and (since_id is None or int(s["id"]) > since_id) and (min_id is None or int(s["id"]) > min_id)]
        page = mine[-limit:] if min_id is not None else mine[:limit]  # min_id: the page just above it
        headers = {}
        if page:
            base = f"{self.url}{request.path}?limit={limit}"
            headers["Link"] = (f'<{base}&max_id={page[-1]["id"]}>; rel="next", '
                               f'<{base}&min_id={page[0]["id"]}>; rel="prev"')
        return Reply(200, page, headers)

    def _all_accounts(self, resolve: bool):
        accounts = {**self.local, **({} if not resolve else self.remote)}
        return accounts

    def lookup(self, request):
        acct = request.param("acct", "").lstrip("@")
        local = acct.split("@")[0] if acct.endswith("@social.overheid.nl") else acct
        account = self.local.get(local) or self.local.get(acct)
        return Reply(200, account) if account else Reply(404, {"error": "Record not found"})

    def search(self, request):
        query = request.param("q", "").lstrip("@")
        resolve = request.param("resolve") in ("true", "True", "1")
        accounts = self._all_accounts(resolve)
        if resolve and query in self.remote:
            self.local[query] = self.remote[query]  # now known to this server
        return Reply(200, [a for acct, a in accounts.items() if query in acct])

    def relationships(self, request):
        ids = request.query.get("id[]") or request.query.get("id") or []
        return Reply(200, [{"id": i, "following": i in self.following, "requested": False,
                            "followed_by": False} for i in ids])

    def follow(self, request):
        account_id = request.path.split("/")[4]
        with self.lock:
            self.following.add(account_id)
        return Reply(200, {"id": account_id, "following": True, "requested": False, "followed_by": False})
