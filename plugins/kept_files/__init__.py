"""Pages whose text has not changed are not written again: they keep their file and its time."""

from .kept_files import register

__all__ = ["register"]
