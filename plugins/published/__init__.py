"""The record of what was published: stable ids, redirects for moved posts, 410 for withdrawn ones."""

from .published import register

__all__ = ["register"]
