"""Each post's and page's URL computed once, when it is final."""

from .frozen_urls import register

__all__ = ["register"]
