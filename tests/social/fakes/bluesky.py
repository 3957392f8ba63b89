"""A small Bluesky PDS + AppView on 127.0.0.1 (XRPC, after docs.bsky.app), for the real atproto client.

Implements: com.atproto.server.createSession / refreshSession (JWTs with `exp`, no didDoc, so the
client stays on this server), app.bsky.actor.getProfile (with viewer.following),
com.atproto.repo.uploadBlob, com.atproto.repo.createRecord (posts and follows; a record key that
exists already gives a 500, as the PDS does today: bluesky-social/indigo#873, atproto#4728),
app.bsky.feed.getAuthorFeed. Checks what the real services check and we rely on: text ≤ 300
graphemes (counted here as code points) and 3000 bytes, facets inside the text on UTF-8 byte
offsets, a card thumb ≤ 1,000,000 bytes that was uploaded.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import itertools
import json
import threading

from .base import FakeServer, Reply, Request

_B32 = "abcdefghijklmnopqrstuvwxyz234567"


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
            "app.bsky.feed.getAuthorFeed": self.auth(self.get_author_feed),
        }
        return (name.rsplit(".", 1)[-1], handlers[name]) if name in handlers else (None, None)

    # Posts on the account, for assertions --------------------------------------------------------

    def posts(self) -> list[dict]:
        return [r["record"] for uri, r in self.records.items() if "/app.bsky.feed.post/" in uri]

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
        rkey = data.get("rkey") or f"3l{next(self._counter):011d}"
        uri = f"at://{self.did}/{collection}/{rkey}"
        with self._lock:
            if uri in self.records:
                return Reply(500, {"error": "InternalServerError", "message": "Internal Server Error"})
            cid = cid_for(json.dumps(record, sort_keys=True).encode(), codec=0x71)
            self.records[uri] = {"record": record, "cid": cid,
                                 "indexedAt": datetime.datetime.now(datetime.UTC).isoformat()}
        return Reply(200, {"uri": uri, "cid": cid})

    def get_author_feed(self, request: Request) -> Reply:
        if request.param("actor") not in (self.did, self.handle):
            return self._invalid("Profile not found")
        limit = min(int(request.param("limit", 50)), 100)
        with self._lock:
            posts = [(uri, r) for uri, r in self.records.items() if "/app.bsky.feed.post/" in uri]
        feed = [{"post": {"uri": uri, "cid": r["cid"], "author": {"did": self.did, "handle": self.handle},
                          "record": r["record"], "indexedAt": r["indexedAt"]}}
                for uri, r in reversed(posts)]
        return Reply(200, {"feed": feed[:limit]})
