"""Pushing new posts to Mastodon and Bluesky exactly once, with a ledger that is also the archive.

See README.md in this folder: settings, the ledger format and how exactly-once works.
"""

from .accounts import check_accounts, follow_related
from .push import Outcome, Report, post, push

__all__ = ["check_accounts", "follow_related", "post", "push", "Outcome", "Report"]
