"""Notices with an `Expires` date leave every list and feed once that date has passed."""

from .expiry import register

__all__ = ["register"]
