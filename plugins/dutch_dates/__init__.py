"""Dutch dates without a system locale: babel formats every date Pelican shows."""

from .dutch_dates import register

__all__ = ["register"]
