"""Work a build does beside Pelican: a forked child process that writes files while Pelican, which
uses one core, goes on writing pages. Its warnings come back into the build's log and its error
fails the build, as if it had run in the build's own process.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import traceback

from .build import WarningCollector
from .errors import DorpspleinError

# Every process beside the build is forked: it knows the plugins Pelican loaded from PLUGIN_PATHS
# (a process started any other way would import them anew, outside those paths).
CAN_FORK = hasattr(os, "fork")


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _outcome(function, args) -> tuple[list, str | None]:
    kept = WarningCollector()
    logging.root.handlers = [kept]  # shown by the parent, once, when it joins
    error = None
    try:
        function(*args)
    except BaseException as exc:  # noqa: BLE001 - reported by the parent, with the child's traceback
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    return [(r.name, r.levelno, r.getMessage()) for r in kept.records], error


class Background:
    """`function(*args)` in a forked child; `join()` waits for it and brings back what it logged."""

    def __init__(self, what: str, function, *args):
        self.what = what
        if not CAN_FORK:  # the work is done here and now
            function(*args)
            self.pid, self.result = None, ([], None)
            return
        read, write = os.pipe()
        # Python's recipe for fork without exec: the child's garbage collector leaves the objects it
        # inherits alone, so it does not copy their pages (10,000 fewer page faults at 2,000 posts).
        gc.freeze()
        pid = os.fork()
        if pid != 0:
            gc.unfreeze()  # this process goes on building: its objects are collected as before
        if pid == 0:
            os.close(read)
            try:
                outcome = _outcome(function, args)
                with os.fdopen(write, "wb") as pipe:
                    pickle.dump(outcome, pipe)
            finally:
                os._exit(0)  # no exit handlers: they belong to the parent (its pools, its temp files)
        os.close(write)
        self.pid, self.pipe = pid, os.fdopen(read, "rb")

    def join(self) -> None:
        if self.pid is not None:
            data = self.pipe.read()
            self.pipe.close()
            os.waitpid(self.pid, 0)
            self.pid = None
            self.result = pickle.loads(data) if data else ([], "the process ended without saying why")
        records, error = self.result
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        if error:
            first, _, trace = error.partition("\n")
            logging.getLogger(__name__).debug("%s failed:\n%s", self.what, trace)
            raise DorpspleinError(f"{self.what} failed: {first}")

    def cancel(self) -> None:
        """Stop the child of a build that ended early (it would go on writing into an output that is gone)."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pipe.close()
            self.pid = None


def _articles(generators):
    from pelican.generators import ArticlesGenerator

    return next((g for g in generators if isinstance(g, ArticlesGenerator)), None)


class BesideThePosts:
    """Work on a generator done in a forked child while Pelican writes the posts' pages.

    The child starts when Pelican asks for its writer (`get_writer`): every generator's context is
    final and every `all_generators_finalized` receiver has run, but nothing is written yet. It is
    joined when Pelican has written the posts (`article_writer_finalized`). `pick(generators)`
    chooses what the work is given (the article generator unless told; None: no child);
    `after_fork(picked)` runs in the build's process once the child is started (to skip there
    what the child does).
    """

    def __init__(self, what: str, work, *, enabled=None, after_fork=None, pick=_articles):
        self.what, self.work, self.enabled, self.after_fork, self.pick = what, work, enabled, after_fork, pick
        self.picked = None
        self.running: Background | None = None

    def register(self) -> None:
        from pelican import signals

        signals.initialized.connect(self.stop)
        signals.all_generators_finalized.connect(self.remember)
        signals.get_writer.connect(self.start)
        signals.article_writer_finalized.connect(self.join)

    def stop(self, sender=None) -> None:
        """A build that failed before joining leaves its child behind: stop it."""
        if self.running is not None:
            self.running.cancel()
        self.running, self.picked = None, None

    def remember(self, generators) -> None:
        self.picked = self.pick(generators)

    def start(self, pelican) -> None:
        """Returns None: Pelican takes only a class returned here as its writer."""
        picked, self.picked = self.picked, None
        if not picked or (self.enabled is not None and not self.enabled(pelican.settings)):
            return
        self.running = Background(self.what, self.work, picked)
        if self.after_fork is not None:
            self.after_fork(picked)

    def join(self, generator, writer=None) -> None:
        running, self.running = self.running, None
        if running is not None:
            running.join()
