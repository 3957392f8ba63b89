"""social push never posts an address that is not on the public internet (dorpsplein/production.py)."""

from __future__ import annotations

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.social import push


def test_a_post_linking_a_private_address_is_refused_before_anything_is_posted(settings, environ, site, mastodon,
                                                                               bluesky, ledger_path):
    site.post("kaart", "Nieuwe kaart", summary="Bekijk de kaart op http://192.168.1.10/kaart/ in het gemeentehuis.")
    with pytest.raises(DorpspleinError) as refused:
        push(settings, feed=site.feed_path, environ=environ)
    assert str(refused.value) == ("social push links addresses that are not on the public internet:\n"
                                  "  http://192.168.1.10 (a private address)")
    assert mastodon.statuses == [] and not ledger_path.exists()
    assert push(settings, feed=site.feed_path, environ=environ, dry_run=True).outcomes  # a dry run shows it
