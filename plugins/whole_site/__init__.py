"""Any content folder makes a whole site: a home page without a welcome page, links only to pages that exist."""

from .whole_site import register

__all__ = ["register"]
