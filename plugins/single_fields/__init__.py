"""A metadata field written twice: Pelican's warning with the file name, the first value kept."""

from .single_fields import register

__all__ = ["register"]
