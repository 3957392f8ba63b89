"""Embargo: a production build writes nothing of a draft, hidden or future post or page."""

from .embargo import register

__all__ = ["register"]
