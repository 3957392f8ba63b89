"""Posts read in worker processes into Pelican's reader cache, before the generators ask for them."""

from .parallel_reading import register

__all__ = ["register"]
