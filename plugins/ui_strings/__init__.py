"""The theme's UI strings from one table per language (Dutch default), as the template function `t`."""

from .ui_strings import register

__all__ = ["register"]
