"""Compiled Jinja templates shared by every generator and kept between builds."""

from .template_cache import register

__all__ = ["register"]
