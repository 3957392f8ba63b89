"""The statistics page /statistieken/: visits and their kind, from the monthly analytics aggregates."""

from .statistics import register

__all__ = ["register"]
