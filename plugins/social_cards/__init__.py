"""Social cards and structured data on every page, and a generated share image per post without an Image."""

from .social_cards import register

__all__ = ["register"]
