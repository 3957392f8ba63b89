"""The rate limit's key (one bucket per IPv4 address, one per IPv6 /64) and its in-memory storage,
safe for the service's threads.

An IPv6 subscriber line gets a whole /64 (usually far more): with one bucket per address, one
person could send from 2^64 addresses and never reach the limit.

limits 5.8's MemoryStorage restarts its expiry timer without a lock: two requests at the same
moment can both start one timer, and the second gets "RuntimeError: threads can only be started
once", a 500 for a resident. Fixed upstream (alisaifee/limits#352) but not in a release yet.
"""

import ipaddress
import threading

from flask import request
from limits.storage import MemoryStorage

STORAGE_URI = "dorpsplein-memory://"
IPV6_PREFIX = 64


def client_key(address: str) -> str:
    """The rate-limit bucket of a client address: IPv4 as is, IPv6 as its /64 (an IPv4-mapped IPv6
    address counts as its IPv4 address); anything else (no address at all) as given."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_PREFIX), strict=False))
    return str(ip)


def remote_key() -> str:
    """flask-limiter's key function: the bucket of this request's client (after ProxyFix, if configured)."""
    return client_key(request.remote_addr or "127.0.0.1")


class LockedMemoryStorage(MemoryStorage):
    """MemoryStorage whose writes, the calls that (re)start the timer, run one at a time."""

    STORAGE_SCHEME = ["dorpsplein-memory"]  # registered with limits by its metaclass

    def __init__(self, *args, **kwargs):
        self._write_lock = threading.RLock()  # re-entrant: the sliding window's entry calls incr
        super().__init__(*args, **kwargs)

    def incr(self, *args, **kwargs):
        with self._write_lock:
            return super().incr(*args, **kwargs)

    def decr(self, *args, **kwargs):
        with self._write_lock:
            return super().decr(*args, **kwargs)

    def acquire_entry(self, *args, **kwargs):
        with self._write_lock:
            return super().acquire_entry(*args, **kwargs)
