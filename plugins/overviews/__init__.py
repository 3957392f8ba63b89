"""Periodic overviews: a page, a feed and a newsletter edition per month (or week), built with the site."""

from .overviews import register

__all__ = ["register"]
