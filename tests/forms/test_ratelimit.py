"""The rate limit's storage under many threads at once (limits 5.8's MemoryStorage can start one
expiry timer twice and answer a resident with a 500)."""

from __future__ import annotations

import sys
import threading
import time

from limits import parse
from limits.strategies import MovingWindowRateLimiter

from dorpsplein.forms.ratelimit import LockedMemoryStorage

LIMIT = parse("10000000 per hour")


def hammer(storage, seconds: float = 3.0) -> tuple[int, list[Exception]]:
    """Hit one moving window from eight threads for `seconds`, switching threads as often as
    Python can. Returns the hits made and the errors raised."""
    limiter = MovingWindowRateLimiter(storage)
    hits, errors = [], []
    start = threading.Barrier(8)

    def hit_until_deadline():
        start.wait()
        deadline, made = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            try:
                limiter.hit(LIMIT, "127.0.0.1")
                made += 1
            except RuntimeError as exc:
                errors.append(exc)
        hits.append(made)

    interval = sys.getswitchinterval()
    # Widens the race: with limits' own MemoryStorage 18 of 24 one-second runs failed.
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=hit_until_deadline) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    return sum(hits), errors


def test_the_locked_storage_never_starts_its_timer_twice():
    storage = LockedMemoryStorage()
    hits, errors = hammer(storage)
    assert errors == []
    stats = MovingWindowRateLimiter(storage).get_window_stats(LIMIT, "127.0.0.1")
    assert hits > 0 and stats.remaining == LIMIT.amount - hits  # every hit counted


def test_the_service_counts_in_the_locked_storage(service):
    (limiter,) = service.app.extensions["limiter"]
    assert isinstance(limiter.storage, LockedMemoryStorage)


def test_an_ipv6_client_is_one_bucket_per_64():
    from dorpsplein.forms.ratelimit import client_key

    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert client_key("fe80::1%eth0") == "fe80::/64"
    assert client_key("::ffff:203.0.113.9") == client_key("203.0.113.9") == "203.0.113.9"
    assert client_key("203.0.113.10") != client_key("203.0.113.9")


def test_the_service_limits_a_whole_ipv6_64_together(start_service):
    """Behind nginx (one proxy): four addresses of one /64 share three tries; another /64 has its own."""
    from .test_contact import GOOD

    service = start_service(FORMS_RATE_LIMIT="3 per hour", FORMS_PROXY_COUNT=1)
    spam = {**GOOD, "website": "http://spam.example"}  # the honeypot: thanked and ignored, but counted

    def post(address):
        return service.post("/contact", spam, headers={"X-Forwarded-For": address}).status

    assert [post(f"2001:db8:1:2::{n:x}") for n in (1, 2, 0xbeef, 0xffff)] == [200, 200, 200, 429]
    assert post("2001:db8:1:2:ffff:ffff:ffff:ffff") == 429
    assert post("2001:db8:1:3::1") == 200  # the neighbouring /64: someone else
    assert post("203.0.113.9") == 200 and post("203.0.113.10") == 200  # IPv4: per address
