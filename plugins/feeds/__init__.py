"""Atom, RSS 2.0 and JSON Feed for the site, each category and each tag, written with feedgen."""

from .feeds import register

__all__ = ["register"]
