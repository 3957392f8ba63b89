"""Data a template may read, made when it first does: work no page asks for is not done."""

from __future__ import annotations


class Lazy:
    """Stands in for `make()`'s result: the first attribute read makes it, later reads reuse it.

    Always true in a test (`{% if article.share %}`): use it for data that is always made.
    """

    __slots__ = ("_make", "_made")

    def __init__(self, make):
        self._make, self._made = make, None

    def __getattr__(self, name: str):
        if name in Lazy.__slots__ or name.startswith("__"):  # not set up yet (copy, pickle)
            raise AttributeError(name)
        if self._made is None:
            self._made = self._make()
        return getattr(self._made, name)
