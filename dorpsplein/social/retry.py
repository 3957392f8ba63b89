"""Retrying requests to a network: Retry-After on 429, bounded exponential backoff on 5xx and timeouts.

Each publisher classifies its client's exceptions into a `Failure`; this module decides whether
and how long to wait. A 4xx validation error is never retried. After a failure that leaves it
unknown whether a post arrived (a timeout, a reset connection, a 5xx), the caller's `before_retry`
looks on the account first, so a retry never posts twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

RATE_LIMITED, TRANSIENT, PERMANENT = "rate-limited", "transient", "permanent"


@dataclass(frozen=True)
class Failure:
    kind: str  # RATE_LIMITED, TRANSIENT or PERMANENT
    message: str  # the network's own message where it gave one; never a token
    retry_after: float | None = None  # seconds, from Retry-After (or the rate-limit reset time)
    uncertain: bool = False  # the request may have had its effect (timeout, reset, 5xx)


class PublishError(Exception):
    """A request that failed for good (after retries): the message says why, `failure` how."""

    def __init__(self, failure: Failure, what: str = ""):
        self.failure = failure
        super().__init__(f"{what}: {failure.message}" if what else failure.message)

    @property
    def permanent(self) -> bool:
        return self.failure.kind == PERMANENT

    @property
    def uncertain(self) -> bool:
        return self.failure.uncertain


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4  # attempts after the first
    base: float = 2.0  # first backoff in seconds, doubled each time
    maximum: float = 60.0  # no single backoff is longer
    retry_after_max: float = 300.0  # a longer Retry-After gives up now; the next run tries again

    def backoff(self, attempt: int) -> float:
        return min(self.base * (2 ** attempt), self.maximum)


def call_with_retries(
    call: Callable[[], object],
    classify: Callable[[BaseException], Failure | None],
    policy: RetryPolicy,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    before_retry: Callable[[Failure], object] | None = None,
):
    """`call()` until it succeeds; PublishError once retrying is pointless or the attempts are used up.

    `before_retry(failure)` runs before each new attempt; a non-None result ends the retrying and is
    returned (used to find a post that did arrive despite the error).
    """
    attempt = 0
    maybe_arrived = False  # once an attempt may have had its effect, no later answer can rule it out
    while True:
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - classify decides; unknown errors are re-raised
            failure = classify(exc)
            if failure is None:
                raise
        maybe_arrived = maybe_arrived or failure.uncertain
        if maybe_arrived and not failure.uncertain:
            failure = Failure(failure.kind, failure.message, failure.retry_after, uncertain=True)
        if failure.kind == PERMANENT:
            raise PublishError(failure, what)
        if attempt >= policy.retries:
            raise PublishError(failure, f"{what} (gave up after {attempt + 1} attempts)")
        if failure.kind == RATE_LIMITED:
            delay = failure.retry_after if failure.retry_after is not None else policy.backoff(attempt)
            if delay > policy.retry_after_max:
                raise PublishError(Failure(RATE_LIMITED, f"{failure.message}; retry after {delay:.0f} s, "
                                           "longer than SOCIAL_RETRY_AFTER_MAX_SECONDS"), what)
        else:
            delay = policy.backoff(attempt)
        log.info("%s: %s; retrying in %.1f s", what, failure.message, delay)
        sleep(max(delay, 0.0))
        attempt += 1
        if before_retry is not None:
            found = before_retry(failure)
            if found is not None:
                return found


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(moment - (time.time() if now is None else now), 0.0)


def redact(text: str, secrets) -> str:
    """The text with every secret replaced, as a last guard before anything is shown or logged."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[hidden]")
    return text


class RetryingPublisher:
    """What both publishers share: settings, the retry policy, an injectable sleep (tests record it), and
    the account's recent posts, read once a run back to the oldest post being pushed."""

    def __init__(self, config, secret: str | None, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self._secret = secret
        self._sleep = sleep
        self.policy = RetryPolicy(config.retries, config.retry_base, config.retry_max, config.retry_after_max)
        self.client = None
        self.account = ""
        self._recent = None  # list[AccountPost]: the account's recent posts, read once a run

    def classify(self, exc: BaseException) -> Failure | None:  # pragma: no cover - each network's own
        raise NotImplementedError

    def _retry(self, call, what: str, before_retry=None):
        return call_with_retries(call, self.classify, self.policy, what, self._sleep, before_retry)

    def read_account(self, since) -> list:  # pragma: no cover - each network's own
        """Our account's posts, newest first, paged back until one is older than `since` (None: one page)."""
        raise NotImplementedError

    def load_recent(self, since) -> None:
        self._recent = self.read_account(since)

    def find(self, composed, keys=()):
        """Our post for `composed` among the account's recent posts (its link, record key or text), or None."""
        if self._recent is None:
            self.load_recent(None)
        draft = composed.draft
        return next((post.remote for post in self._recent if post.matches(draft.link, composed.text, keys)), None)
