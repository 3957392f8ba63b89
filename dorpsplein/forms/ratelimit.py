"""The rate limit's in-memory storage, safe for the service's threads.

limits 5.8's MemoryStorage restarts its expiry timer without a lock: two requests at the same
moment can both start one timer, and the second gets "RuntimeError: threads can only be started
once", a 500 for a resident. Fixed upstream (alisaifee/limits#352) but not in a release yet.
"""

import threading

from limits.storage import MemoryStorage

STORAGE_URI = "dorpsplein-memory://"


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
