"""Brand colours and logo from pelicanconf into the theme's design tokens, with a WCAG contrast check."""

from .theme_tokens import register

__all__ = ["register"]
