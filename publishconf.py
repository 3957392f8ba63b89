"""Production settings: everything from pelicanconf, plus the live address."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://dorpsplein.voorbeeld.nl"
RELATIVE_URLS = False
# Drafts are previews for staff; the live site never carries them.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
# Nothing derived from a draft, hidden or future post reaches the live site (share images included).
EMBARGO = True
DELETE_OUTPUT_DIRECTORY = True
# Each production build records what it published (state/published.json, plugins/published).
PUBLISHED_WRITE = True
# A fresh production build reads every file again.
LOAD_CONTENT_CACHE = False
