"""Share and follow links without tracking: plain links, nothing loaded until a person clicks."""

from .share import register

__all__ = ["register"]
