"""Read the posts' Markdown in worker processes, before Pelican's generators ask for it.

Pelican reads one file after another on one core, and turning Markdown into HTML is most of a
build's reading. When a generator is created, this plugin hands the files its reader cache does
not hold yet to forked workers, and puts what they read into that cache (Pelican's own
`cache_data`). Pelican then reads each file as always, finds it in the cache and goes on; its
signals, metadata defaults and checks all still run in the main process.

A file whose reading failed or logged anything in a worker is left out of the cache, so Pelican
reads it again itself and the build reports it exactly as without this plugin.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor

from pelican import signals
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from dorpsplein.background import CAN_FORK, cores
from dorpsplein.build import WarningCollector

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PARALLEL_READING_WORKERS": None,  # None: every core this process may use; 0 or 1: off
    "PARALLEL_READING_MIN_FILES": 64,  # fewer unread files than this: starting workers costs more than it gains
}
BATCH = 16  # files per task: fewer hand-offs between processes

# The generator's readers, for the forked workers (set just before the pool forks them).
_readers = None


class _Settings(pickle.Pickler):
    """Tags, categories and authors in the metadata hold the settings dict: sent by reference, not
    copied with every batch (each unpickled copy would also be a separate dict in the main process)."""

    def __init__(self, file, settings: dict):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings = settings

    def persistent_id(self, obj):
        return "settings" if obj is self.settings else None


class _SettingsBack(pickle.Unpickler):
    def __init__(self, file, settings: dict):
        super().__init__(file)
        self.settings = settings

    def persistent_load(self, pid):
        if pid != "settings":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.settings


_logged = WarningCollector()


def _quiet_worker() -> None:
    """In a worker: messages are counted, not shown (the main process shows them when it reads the file again)."""
    logging.root.handlers = [_logged]
    for each in logging.root.manager.loggerDict.values():
        if isinstance(each, logging.Logger):
            each.handlers, each.propagate = [], True


def _read_batch(paths: list[str]) -> bytes:
    read = []
    for path in paths:
        before, modified = len(_logged.records), os.path.getmtime(path)
        try:
            content, metadata = _readers.readers[file_suffix(path)].read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports the error with its file
            continue
        if len(_logged.records) == before:
            read.append((path, modified, (content, _filter_discardable_metadata(metadata))))
    buffer = io.BytesIO()
    _Settings(buffer, _readers.settings).dump(read)
    return buffer.getvalue()


def _workers(settings: dict) -> int:
    configured = settings.get("PARALLEL_READING_WORKERS", DEFAULTS["PARALLEL_READING_WORKERS"])
    return int(configured) if configured is not None else cores()


def _unread(generator, paths_key: str, excludes_key: str) -> list[str]:
    """Absolute paths of the generator's files that its reader cache does not hold (or holds stale)."""
    readers = generator.readers
    files = generator.get_files(generator.settings[paths_key], exclude=generator.settings[excludes_key])
    absolute = (os.path.abspath(os.path.join(generator.path, f)) for f in files)
    return [path for path in absolute if file_suffix(path) in readers.readers
            and readers.get_cached_data(path, None) is None]


def prefill(generator, paths_key: str, excludes_key: str) -> int:
    """Read the generator's unread files in workers into its reader cache; how many were read."""
    global _readers
    settings = generator.settings
    # Only the reader layer of Pelican's content cache keeps what was read, and only when caching.
    if not (CAN_FORK and settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER") == "reader"):
        return 0
    workers = _workers(settings)
    minimum = int(settings.get("PARALLEL_READING_MIN_FILES", DEFAULTS["PARALLEL_READING_MIN_FILES"]))
    if workers < 2:
        return 0
    unread = _unread(generator, paths_key, excludes_key)
    if not unread or len(unread) < minimum:
        return 0
    batches = [unread[start:start + BATCH] for start in range(0, len(unread), BATCH)]
    _readers = generator.readers
    filled = 0
    try:
        with ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), _quiet_worker) as pool:
            for data in pool.map(_read_batch, batches):
                for path, modified, value in _SettingsBack(io.BytesIO(data), settings).load():
                    if os.path.getmtime(path) == modified:  # else saved again meanwhile: Pelican reads it anew
                        generator.readers.cache_data(path, value)
                        filled += 1
    finally:
        _readers = None
    logger.info("parallel_reading: %d file(s) in %d worker processes", filled, workers)
    return filled


def articles(generator) -> None:
    prefill(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def pages(generator) -> None:
    prefill(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def register():
    signals.article_generator_init.connect(articles)
    signals.page_generator_init.connect(pages)
