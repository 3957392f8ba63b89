"""A small Bluesky PDS + AppView on 127.0.0.1 (XRPC, after docs.bsky.app), for the real atproto client.

Implements: com.atproto.server.createSession / refreshSession (JWTs with `exp`, no didDoc, so the
client stays on this server), app.bsky.actor.getProfile (with viewer.following),
com.atproto.repo.uploadBlob, com.atproto.repo.createRecord (posts and follows; the record key,
given or made, must be a TID as their lexicons say (`"key": "tid"`); a record key that exists
already gives a 500, as the PDS does today: the MST refuses the second value, see
bluesky-social/indigo#873 and the open atproto#4728), com.atproto.repo.getRecord (400
RecordNotFound when there is none), app.bsky.feed.getAuthorFeed (newest first by sortAt, the
earlier of createdAt and indexedAt; limit 1–100, default 50; an opaque cursor). Checks what the
real services check and we rely on: text ≤ 300 graphemes (counted here as code points) and 3000
bytes, facets inside the text on UTF-8 byte offsets, a card thumb ≤ 1,000,000 bytes that was
uploaded. `indexing = False` keeps new posts out of the author feed (the AppView lagging behind
the PDS); `seed_post(text, link, created_at)` puts an older post on the account.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import itertools
import json
import re
import threading

from .base import FakeServer, Reply, Request

_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_S32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs use
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")  # atproto syntax/tid.ts
TID_COLLECTIONS = {"app.bsky.feed.post", "app.bsky.graph.follow"}  # lexicon "key": "tid"


def tid_at(moment: datetime.datetime, clock_id: int) -> str:
    value = (int(moment.timestamp() * 1_000_000) << 10) | (clock_id & 0x3FF)
    return "".join(_S32[(value >> shift) & 31] for shift in range(60, -1, -5))


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def make_jwt(payload: dict) -> str:
    return f"{_b64({'typ': 'at+jwt', 'alg': 'HS256'})}.{_b64(payload)}.c2lnbmF0dXJl"


def cid_for(data: bytes, codec: int = 0x55) -> str:
    """A CIDv1 (base32, sha-256) like the PDS returns: codec 0x55 raw for blobs, 0x71 dag-cbor for records."""
    raw = bytes([0x01, codec, 0x12, 0x20]) + hashlib.sha256(data).digest()
    bits = "".join(f"{byte:08b}" for byte in raw)
    bits += "0" * (-len(bits) % 5)
    return "b" + "".join(_B32[int(bits[i:i + 5], 2)] for i in range(0, len(bits), 5))


class FakeBluesky(FakeServer):
    validation_status = 400
    def __init__(self, handle: str = "gemeentevoorbeeld.nl", password: str = "bsky-app-pass-abcd-efgh-ijkl"):
        super().__init__()
        self.handle, self.password = handle, password
        self.did = "did:plc:gemeentevoorbeeld0000000"
        self.access_lifetime = 7200  # seconds; a test sets it below 15 minutes to make the client refresh
        self.tokens: dict[str, tuple[str, float]] = {}  # jwt -> (scope, exp)
        self.blobs: dict[str, dict] = {}
        self.records: dict[str, dict] = {}  # uri -> {"record":…, "cid":…, "indexedAt":…}
        self.profiles = {
            "vrvoorbeeldland.bsky.social": "did:plc:veiligheidsregio000000000",
            "provincievoorbeeldland.nl": "did:plc:provincie00000000000000000",
        }
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.indexing = True  # False: new posts stay out of the author feed (the AppView is behind)
        # The answer to a createRecord under a key that exists: a 500 today; an explicit error may follow.
        self.duplicate_reply = Reply(500, {"error": "InternalServerError", "message": "Internal Server Error"})

    def error_body(self, status: int) -> dict:
        if status == 429:
            return {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
        if status == 422:
            return {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record: Record/text too long"}
        return {"error": "InternalServerError", "message": "Internal Server Error"}

    def route(self, method: str, path: str):
        name = path.removeprefix("/xrpc/")
        handlers = {
            "com.atproto.server.createSession": self.create_session,
            "com.atproto.server.refreshSession": self.refresh_session,
            "app.bsky.actor.getProfile": self.auth(self.get_profile),
            "com.atproto.repo.uploadBlob": self.auth(self.upload_blob),
            "com.atproto.repo.createRecord": self.auth(self.create_record),
            "com.atproto.repo.getRecord": self.get_record,
            "app.bsky.feed.getAuthorFeed": self.auth(self.get_author_feed),
        }
        return (name.rsplit(".", 1)[-1], handlers[name]) if name in handlers else (None, None)

    # Posts on the account, for assertions --------------------------------------------------------

    def posts(self) -> list[dict]:
        return [r["record"] for uri, r in self.records.items() if "/app.bsky.feed.post/" in uri]

    def seed_post(self, text: str, link: str | None, created_at: datetime.datetime) -> str:
        """A post the account made earlier (by hand, or by a run whose ledger we do not have)."""
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _iso(created_at), "langs": ["nl"]}
        if link:
            record["embed"] = {"$type": "app.bsky.embed.external",
                               "external": {"uri": link, "title": text[:40], "description": ""}}
        uri = f"at://{self.did}/app.bsky.feed.post/{tid_at(created_at, next(self._counter))}"
        with self._lock:
            self.records[uri] = {"record": record, "cid": cid_for(json.dumps(record).encode(), codec=0x71),
                                 "indexedAt": _iso(created_at), "indexed": True}
        return uri

    def index_all(self) -> None:
        """The AppView catches up: every post is in the author feed."""
        with self._lock:
            for entry in self.records.values():
                entry["indexed"] = True

    def following(self) -> set[str]:
        return {r["record"]["subject"] for uri, r in self.records.items() if "/app.bsky.graph.follow/" in uri}

    # Sessions ----------------------------------------------------------------------------------

    def _issue(self) -> dict:
        now = datetime.datetime.now(datetime.UTC).timestamp()
        serial = next(self._counter)
        access = make_jwt({"scope": "com.atproto.access", "sub": self.did, "iat": int(now),
                           "exp": int(now + self.access_lifetime), "jti": f"a{serial}"})
        refresh = make_jwt({"scope": "com.atproto.refresh", "sub": self.did, "iat": int(now),
                            "exp": int(now + 90 * 86400), "jti": f"r{serial}"})
        with self._lock:
            self.tokens[access] = ("access", now + self.access_lifetime)
            self.tokens[refresh] = ("refresh", now + 90 * 86400)
        # No didDoc: a didDoc would point the client at another PDS.
        return {"did": self.did, "handle": self.handle, "accessJwt": access, "refreshJwt": refresh,
                "active": True}

    def create_session(self, request: Request) -> Reply:
        data = request.json()
        if data.get("identifier") not in (self.handle, self.did) or data.get("password") != self.password:
            return Reply(401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
        return Reply(200, self._issue())

    def refresh_session(self, request: Request) -> Reply:
        scope = self.tokens.get(request.bearer or "", (None, 0))[0]
        if scope != "refresh":
            return Reply(400, {"error": "InvalidToken", "message": "Token could not be verified"})
        return Reply(200, self._issue())

    def auth(self, handler):
        def checked(request: Request) -> Reply:
            scope, exp = self.tokens.get(request.bearer or "", (None, 0))
            if scope != "access":
                return Reply(401, {"error": "AuthenticationRequired", "message": "Invalid token"})
            if exp < datetime.datetime.now(datetime.UTC).timestamp():
                return Reply(400, {"error": "ExpiredToken", "message": "Token has expired"})
            return handler(request)
        return checked

    # Endpoints ---------------------------------------------------------------------------------

    def get_profile(self, request: Request) -> Reply:
        actor = request.param("actor", "")
        if actor in (self.handle, self.did):
            return Reply(200, {"did": self.did, "handle": self.handle, "displayName": "Gemeente Voorbeeld",
                               "postsCount": len(self.posts())})
        did = self.profiles.get(actor) or (actor if actor in self.profiles.values() else None)
        if did is None:
            return Reply(400, {"error": "InvalidRequest", "message": "Profile not found"})
        handle = next(h for h, d in self.profiles.items() if d == did)
        follow = next((uri for uri, r in self.records.items()
                       if "/app.bsky.graph.follow/" in uri and r["record"]["subject"] == did), None)
        return Reply(200, {"did": did, "handle": handle, "viewer": {"following": follow} if follow else {}})

    def upload_blob(self, request: Request) -> Reply:
        cid = cid_for(request.body)
        blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": request.headers.get("Content-Type", ""),
                "size": len(request.body)}
        with self._lock:
            self.blobs[cid] = blob
        return Reply(200, {"blob": blob})

    def _invalid(self, message: str) -> Reply:
        return Reply(400, {"error": "InvalidRequest", "message": message})

    def _check_post(self, record: dict) -> str | None:
        text = record.get("text", "")
        data = text.encode("utf-8")
        if len(text) > 300 or len(data) > 3000:
            return "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
        for facet in record.get("facets") or []:
            start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
            if not 0 <= start < end <= len(data):
                return "Invalid app.bsky.feed.post record: facet index outside the text"
        thumb = ((record.get("embed") or {}).get("external") or {}).get("thumb")
        images = [i["image"] for i in (record.get("embed") or {}).get("images") or []]
        for blob in [thumb, *images] if thumb else images:
            if blob["ref"]["$link"] not in self.blobs:
                return "Could not find blob: " + blob["ref"]["$link"]
            if blob["size"] > 1_000_000:
                return "Invalid app.bsky.feed.post record: thumb file too large"
        return None

    def create_record(self, request: Request) -> Reply:
        data = request.json()
        if data.get("repo") not in (self.did, self.handle):
            return self._invalid("Could not find repo")
        collection, record = data.get("collection"), data.get("record") or {}
        if collection == "app.bsky.feed.post":
            problem = self._check_post(record)
            if problem:
                return self._invalid(problem)
        now = datetime.datetime.now(datetime.UTC)
        rkey = data.get("rkey") or tid_at(now, next(self._counter))
        if collection in TID_COLLECTIONS and not TID_RE.match(rkey):
            return self._invalid(f"Invalid record key for {collection}: TID syntax not valid (regex)")
        uri = f"at://{self.did}/{collection}/{rkey}"
        with self._lock:
            if uri in self.records:  # the MST already holds a value at this key: the PDS answers 500
                return self.duplicate_reply
            cid = cid_for(json.dumps(record, sort_keys=True).encode(), codec=0x71)
            self.records[uri] = {"record": record, "cid": cid, "indexedAt": _iso(now), "indexed": self.indexing}
        return Reply(200, {"uri": uri, "cid": cid})

    def get_record(self, request: Request) -> Reply:
        repo, collection, rkey = (request.param(name, "") for name in ("repo", "collection", "rkey"))
        uri = f"at://{self.did if repo in (self.did, self.handle) else repo}/{collection}/{rkey}"
        with self._lock:
            entry = self.records.get(uri)
        if entry is None:
            return Reply(400, {"error": "RecordNotFound", "message": f"Could not locate record: {uri}"})
        return Reply(200, {"uri": uri, "cid": entry["cid"], "value": entry["record"]})

    @staticmethod
    def _sort_at(entry: dict) -> str:
        """Where the AppView sorts a post in a feed: the earlier of createdAt and indexedAt."""
        return min(entry["record"].get("createdAt") or entry["indexedAt"], entry["indexedAt"])

    def get_author_feed(self, request: Request) -> Reply:
        if request.param("actor") not in (self.did, self.handle):
            return self._invalid("Profile not found")
        limit = min(max(int(request.param("limit", 50)), 1), 100)
        cursor = request.param("cursor")
        with self._lock:
            posts = sorted(((self._sort_at(r), uri, r) for uri, r in self.records.items()
                            if "/app.bsky.feed.post/" in uri and r["indexed"]), reverse=True)
        if cursor:  # our cursor: "<sortAt>::<uri>" of the last post of the previous page
            posts = [p for p in posts if (p[0], p[1]) < tuple(cursor.split("::", 1))]
        page = posts[:limit]
        feed = [{"post": {"uri": uri, "cid": r["cid"], "author": {"did": self.did, "handle": self.handle},
                          "record": r["record"], "indexedAt": r["indexedAt"]}}
                for _, uri, r in page]
        body = {"feed": feed}
        if len(posts) > limit:
            body["cursor"] = f"{page[-1][0]}::{page[-1][1]}"
        return Reply(200, body)
