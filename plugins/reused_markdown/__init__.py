"""Pelican's Markdown reader with one converter, reset between files, not a new one per file."""

from .reused_markdown import register

__all__ = ["register"]
