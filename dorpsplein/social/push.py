"""Pushing posts: for each network and each eligible post, exactly once, recorded in the ledger.

Per post and network: done in this ledger → nothing to do. Otherwise the account is looked at
first, whatever the ledger says (another checkout, or a crash, may have posted it): its recent
posts, read once a run back to the oldest post being pushed, are searched for the post's link
(`find`); found → recorded as `reconciled`, not posted again. Otherwise: append the intent, make
the request, append the result. The request itself cannot make a second copy either (Mastodon's
Idempotency-Key, a Bluesky record key derived from the item). A network that fails, with whatever
exception its client raises, is reported in one line and the next network still runs.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DorpspleinError
from ..production import check_links
from ..urls import base_url
from .compose import Composed, Draft, compose, draft_for_item, one_off_key
from .config import NETWORKS, SocialConfig, social_config
from .feedsource import FeedSource, Image, ImageError, load_feed, read_image_file, small_enough
from .ledger import (
    FAILED,
    INTENT,
    POSTED,
    RECONCILED,
    REJECTED,
    KeyState,
    Ledger,
    Record,
    item_tid,
    new_tid,
    now_iso,
)
from .mastodon_publisher import MastodonPublisher, idempotency_key
from .retry import PublishError, redact
from .selection import Skipped, select

log = logging.getLogger(__name__)

WOULD_POST, WOULD_CHECK, ALREADY = "would post", "would check the account first", "already posted"
# The account is read back to the oldest post being pushed, less this margin: for clocks that differ
# and for a post whose date was moved later after it went out.
LOOKBACK_MARGIN = datetime.timedelta(days=1)


@dataclass
class Outcome:
    network: str
    key: str
    label: str  # the post's title, or the start of a one-off text
    status: str  # posted, reconciled, already posted, would post, failed, rejected
    text: str = ""
    length: int | None = None
    limit: int | None = None
    remote_url: str | None = None
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status in (FAILED, REJECTED)


@dataclass
class Report:
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per network that failed as a whole
    accounts: dict[str, str] = field(default_factory=dict)  # network -> handle we posted as

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(outcome.failed for outcome in self.outcomes)


def describe(exc: BaseException) -> str:
    """One line for any error from a network's client: our own messages as they are, others with their type."""
    if isinstance(exc, (PublishError, DorpspleinError)):
        return str(exc)
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"unexpected error: {exc.__class__.__name__}" + (f": {first}" if first else "")


def make_publisher(network: str, config: SocialConfig, environ=None, sleep=time.sleep):
    if network == "mastodon":
        return MastodonPublisher(config, config.secret("mastodon", environ), sleep)
    from .bluesky_publisher import BlueskyPublisher  # atproto imports pydantic models: slow, so only when needed

    return BlueskyPublisher(config, config.secret("bluesky", environ), sleep)


def _networks(config: SocialConfig, network: str | None) -> tuple[str, ...]:
    if network is None:
        return config.networks
    if network not in NETWORKS:
        raise DorpspleinError(f"--network: unknown network {network!r} (known: {', '.join(NETWORKS)})")
    return (network,)


class _Run:
    """One push or post: the ledger, the publishers (one login each) and the report."""

    def __init__(self, config: SocialConfig, ledger: Ledger, report: Report, environ, sleep,
                 source: FeedSource | None = None):
        self.config, self.ledger, self.report = config, ledger, report
        self.environ, self.sleep, self.source = environ, sleep, source
        self.secrets = [config.secret(n, environ) for n in NETWORKS]

    def _outcome(self, composed: Composed, status: str, message: str = "", remote_url=None) -> Outcome:
        draft = composed.draft
        label = draft.title or draft.body.splitlines()[0][:60]
        notes = "; ".join([*composed.notes, message] if message else composed.notes)
        outcome = Outcome(composed.network, draft.key, label, status, composed.text, composed.length,
                          composed.limit, remote_url, redact(notes, self.secrets))
        self.report.outcomes.append(outcome)
        return outcome

    def plan(self, network: str, posts: list[Composed]) -> list[tuple[Composed, KeyState]]:
        """The posts still to do on this network; the rest are reported as already posted."""
        todo = []
        for composed in posts:
            state = self.ledger.state(network, composed.draft.key)
            if state.done is not None:
                self._outcome(composed, ALREADY, remote_url=state.done.remote_url)
            else:
                todo.append((composed, state))
        return todo

    def dry(self, todo: list[tuple[Composed, KeyState]]) -> None:
        for composed, state in todo:
            self._outcome(composed, WOULD_CHECK if state.needs_reconcile else WOULD_POST)

    def run(self, network: str, todo: list[tuple[Composed, KeyState]]) -> None:
        """Post `todo` on one network; whatever goes wrong with the network is reported, never raised."""
        if not todo:
            return
        try:
            self._run(network, todo)
        except Exception as exc:  # noqa: BLE001 - any client error (even a RecursionError) fails this network only
            log.debug("%s failed", network, exc_info=True)
            self._network_failed(network, todo, describe(exc))

    def _network_failed(self, network: str, todo, message: str) -> None:
        message = redact(f"{network}: {message}", self.secrets)
        self.report.errors.append(message)
        done = {o.key for o in self.report.outcomes if o.network == network}
        for composed, _ in todo:
            if composed.draft.key not in done:
                self._outcome(composed, FAILED, message)

    def _run(self, network: str, todo: list[tuple[Composed, KeyState]]) -> None:
        problem = self.config.configured(network)
        if problem:
            raise DorpspleinError(problem)
        publisher = make_publisher(network, self.config, self.environ, self.sleep)
        publisher.connect()
        self.report.accounts[network] = publisher.account
        dates = [composed.draft.date for composed, _ in todo if composed.draft.date is not None]
        # Whatever the ledger says: a post can be on the account without being in this ledger.
        publisher.load_recent(min(dates) - LOOKBACK_MARGIN if dates else None)
        for composed, state in todo:
            try:
                self.one(publisher, composed, state)
            except Exception as exc:  # noqa: BLE001 - one post failing never stops the others
                log.debug("unexpected error while posting to %s", network, exc_info=True)
                self._outcome(composed, FAILED, describe(exc))

    def _request_key(self, network: str, composed: Composed, state: KeyState) -> str:
        if network == "mastodon":
            return idempotency_key(composed.draft.key)
        if composed.draft.date is not None:
            return item_tid(composed.draft.key, composed.draft.date)  # the same on every machine
        if state.first_intent is not None and state.first_intent.idempotency_key:
            return state.first_intent.idempotency_key  # a one-off post: the same record key on every attempt
        return new_tid()

    def _image(self, composed: Composed) -> tuple[Image | None, str]:
        draft = composed.draft
        ref = draft.image if composed.attach_image else (draft.card_image if composed.card else None)
        if not ref:
            return None, ""
        try:
            image = self.source.load_image(ref) if self.source else read_image_file(Path(ref))
            return (small_enough(image) if composed.network == "bluesky" else image), ""
        except ImageError as exc:
            return None, f"posted without image: {exc}"

    def _record(self, composed: Composed, account: str, status: str, key: str, remote=None, error=None) -> Record:
        return self.ledger.append(Record(
            url=composed.draft.link or "", network=composed.network, account=account, key=composed.draft.key,
            status=status, remote_id=remote.id if remote else None, remote_url=remote.url if remote else None,
            text=(remote.text if remote and remote.text is not None else composed.text), at=now_iso(),
            idempotency_key=key, error=redact(error, self.secrets) if error else None))

    def one(self, publisher, composed: Composed, state: KeyState) -> None:
        key = self._request_key(composed.network, composed, state)
        keys = {key} | ({state.first_intent.idempotency_key} if state.first_intent is not None else set())
        found = publisher.find(composed, keys)
        if found is not None:
            self._record(composed, publisher.account, RECONCILED, key, found)
            if state.needs_reconcile:
                self._outcome(composed, RECONCILED, "found on the account after an interrupted run", found.url)
            else:
                self._outcome(composed, ALREADY, "found on the account (posted by another run or by hand)",
                              found.url)
            return
        image, image_note = self._image(composed)
        self._record(composed, publisher.account, INTENT, key)
        try:
            remote = publisher.publish(composed, image, key)
        except PublishError as exc:
            status = REJECTED if exc.permanent and not exc.uncertain else FAILED
            self._record(composed, publisher.account, status, key, error=str(exc))
            self._outcome(composed, status, "; ".join(filter(None, [image_note, str(exc)])))
            return
        if remote.existing:
            self._record(composed, publisher.account, RECONCILED, key, remote)
            self._outcome(composed, ALREADY, "the server already held it under its key (posted by another run "
                          "at the same time)", remote.url)
            return
        self._record(composed, publisher.account, POSTED, key, remote)
        self._outcome(composed, POSTED, image_note, remote.url)


def _execute(config: SocialConfig, drafts: list[Draft], networks, dry_run: bool, ledger_path, report: Report,
             environ, sleep, source: FeedSource | None) -> Report:
    ledger = Ledger(Path(ledger_path) if ledger_path else config.ledger)
    report.warnings.extend(ledger.warnings)
    composed = {network: [compose(draft, network, config) for draft in drafts] for network in networks}
    if dry_run:
        run = _Run(config, ledger, report, environ, sleep, source)
        for network in networks:
            run.dry(run.plan(network, composed[network]))
        return report
    if not drafts:
        return report
    with ledger:
        report.warnings.extend(w for w in ledger.warnings if w not in report.warnings)
        run = _Run(config, ledger, report, environ, sleep, source)
        for network in networks:
            run.run(network, run.plan(network, composed[network]))
    return report


def push(settings: dict, feed=None, network: str | None = None, dry_run: bool = False, ledger_path=None,
         now: datetime.datetime | None = None, environ=None, sleep=time.sleep) -> Report:
    """Post every eligible feed item to each network once; see the module docstring."""
    config = social_config(settings)
    networks = _networks(config, network)
    source = load_feed(feed, settings, config.timeout)
    preview = (settings.get("PREVIEW_URL") or "").rstrip("/")
    if not dry_run and not settings.get("SITEURL") and preview and source.home_page_url.startswith(preview):
        raise DorpspleinError(f"{source.location}: this feed is from a development build (its links point to "
                              f"{base_url(settings)}); build with --production or pass --feed with the live feed")
    eligible, skipped = select(source.items, config, now)
    share_image = source.absolute(config.share_image) if config.share_image else None
    drafts = [draft_for_item(item, config, share_image) for item in eligible]
    if not dry_run:  # what a post shows (its images are fetched and uploaded, their addresses never posted)
        check_links("social push", [text for d in drafts for text in (d.body, d.link)])
    report = Report(dry_run=dry_run, skipped=skipped)
    return _execute(config, drafts, networks, dry_run, ledger_path, report,
                    os.environ if environ is None else environ, sleep, source)


def post(settings: dict, text: str, link: str | None = None, image: str | None = None, alt: str | None = None,
         network: str | None = None, dry_run: bool = False, ledger_path=None, environ=None,
         sleep=time.sleep) -> Report:
    """A one-off post (such as the kick-off call), through the same composer, limits and ledger."""
    config = social_config(settings)
    networks = _networks(config, network)
    text = (text or "").strip()
    if not text:
        raise DorpspleinError("TEXT: the post has no text")
    if link is not None and not link.startswith(("https://", "http://")):
        raise DorpspleinError(f"--link: expected an http(s):// address, got {link!r}")
    if image is not None:
        if not (alt or "").strip():
            raise DorpspleinError("--alt: an image needs alt text (describe what it shows for people who "
                                  "cannot see it)")
        if not Path(image).is_file():
            raise DorpspleinError(f"--image: {image}: file not found")
        image = str(Path(image).resolve())
    draft = Draft(key=one_off_key(text, link, image), body=text, link=link, image=image,
                  image_alt=(alt or "").strip() or None, language=config.language)
    report = Report(dry_run=dry_run)
    return _execute(config, [draft], networks, dry_run, ledger_path, report,
                    os.environ if environ is None else environ, sleep, None)
