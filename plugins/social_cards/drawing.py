"""Share images are drawn beside the build: worker processes on the other cores draw them while
Pelican, which uses one core, goes on writing pages. The build waits for them only at its end.

One `Drawing` per build: `draw` starts an image that is not in the cache yet (called as each post is
read), `want` marks one a written page links to, `finish` waits for the drawing, links the wanted
images into the output and removes stale ones.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from dorpsplein.background import CAN_FORK, cores

from .image import draw_to_cache, place, remove_stale

# Images per task handed to a worker: every hand-off wakes threads in the main process, which then
# compete with Pelican for the interpreter, so they come in batches.
BATCH = 32


def _draw_batch(jobs: list[tuple[Path, dict]]) -> None:
    for cached, drawing in jobs:
        draw_to_cache(cached, **drawing)


class Drawing:
    def __init__(self, cache: Path, output: Path):
        self.cache, self.output = cache, output
        self.wanted: dict[str, str] = {}  # file name → path in the output
        self.drawn: set[str] = set()  # file names drawn (or being drawn) in this build
        # The file names in the cache, listed once rather than a stat per post.
        self.cached: set[str] = set(os.listdir(cache)) if cache.is_dir() else set()
        self.batch: list[tuple[Path, dict]] = []  # not handed to a worker yet
        self.futures: list[tuple[Future, list]] = []  # with the batch each draws
        self.pool: ProcessPoolExecutor | None = None

    def want(self, relpath: str, drawing: dict) -> None:
        self.wanted[Path(relpath).name] = relpath
        self.draw(relpath, drawing)

    def draw(self, relpath: str, drawing: dict) -> None:
        name = Path(relpath).name
        if name in self.drawn or name in self.cached:
            return
        cached = self.cache / name
        self.drawn.add(name)
        if not CAN_FORK:
            draw_to_cache(cached, **drawing)
            return
        self.batch.append((cached, drawing))
        if len(self.batch) >= BATCH:
            self._hand_off()

    def _hand_off(self) -> None:
        if self.pool is None:
            # The cores but the one Pelican is on (at least one worker).
            self.pool = ProcessPoolExecutor(max(1, cores() - 1), mp_context=multiprocessing.get_context("fork"))
        self.futures.append((self.pool.submit(_draw_batch, self.batch), self.batch))
        self.batch = []

    def finish(self) -> list[str]:
        """Wait for the drawing, put every wanted image in the output; the paths drawn in this build."""
        try:
            if self.batch:
                self._hand_off()
            # The pages are written, so this process has nothing else to do: it draws the batches
            # no worker has started yet, from the last, while the workers go on from the first.
            for future, batch in reversed(self.futures):
                if future.cancel():
                    _draw_batch(batch)
            for future, _ in self.futures:
                if not future.cancelled():
                    future.result()  # a drawing that failed fails the build here, with its own error
        finally:
            self.close()
        for name, relpath in self.wanted.items():
            place(self.cache / name, self.output / relpath)
        for folder in {(self.output / relpath).parent for relpath in self.wanted.values()}:
            remove_stale(folder, set(self.wanted))
        return sorted(self.wanted[name] for name in self.drawn if name in self.wanted)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
