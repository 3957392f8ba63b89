"""Writes /.well-known/security.txt (RFC 9116) with an Expires date that each build moves forward."""

from .security_txt import register

__all__ = ["register"]
