"""Development settings for Dorpsplein (Gemeente Voorbeeld).

UPPERCASE plain data only; no secrets. A `DORPSPLEIN_<NAME>` environment
variable overrides the setting `<NAME>` (see dorpsplein/settings.py).
Production overrides live in publishconf.py.
"""

SITENAME = "Dorpsplein Gemeente Voorbeeld"
SITESUBTITLE = "Het online dorpsplein van Gemeente Voorbeeld"
MUNICIPALITY = "Gemeente Voorbeeld"
# Theme (theme/README.md): brand colours become design tokens; the build checks their contrast.
THEME_BRAND_COLOR = "#0b4f8a"
THEME_BRAND_TEXT_COLOR = "#ffffff"
THEME_LINK_COLOR = "#0b4f8a"
THEME_LOGO = "theme/images/logo.svg"
# Language of the theme's buttons and labels (theme/strings/<lang>.toml).
UI_LANG = "nl"
AUTHOR = "Redactie Gemeente Voorbeeld"
SITEURL = ""
# Where `serve` shows the site; used wherever an absolute URL is needed in a
# development build (SITEURL is empty there).
PREVIEW_URL = "http://127.0.0.1:8000"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
ARTICLE_PATHS = ["blog"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
STATIC_CHECK_IF_MODIFIED = True  # a static file is copied again only when its source is newer
IGNORE_FILES = [".#*", "*~", "*.swp", "README.md"]
# Not gzipped: compressing took 0.5 s of every 2,000-post build, to save 5 MB on disk. (A folder
# of its own: Pelican would warn once about the gzipped cache of older builds in .cache/pelican.)
CACHE_PATH = ".cache/content"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
GZIP_CACHE = False

TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"
# Dates are formatted by babel (plugins/dutch_dates), not by the system locale.
DATE_FORMAT_BABEL = "d MMMM y"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
# A post dated later than the build stays unpublished until a build on or after its date.
WITH_FUTURE_DATES = False

PLUGIN_PATHS = ["plugins"]
# In order: template_cache first (every generator shares compiled templates), feeds before the
# plugins that add feeds of their own (overviews).
PLUGINS = [
    "parallel_reading",  # Markdown read on every core before the generators ask for it
    "reused_markdown",  # one Markdown converter, reset between files
    "frozen_urls",  # each URL computed once, not on every access
    "parallel_writing",  # list pages written in a forked process beside the posts
    "kept_files",  # a page whose text did not change is not written again
    "single_fields",  # a field written twice: a warning with the file, not a list
    "embargo",  # with EMBARGO (production): drafts, hidden and future posts leave the build before anyone sees them
    "template_cache", "dutch_dates", "expiry",
    "content_images",  # Image in any form ({static}, {attach}, /images/…, https://…) → one address
    "published",  # stable ids for the feeds; old addresses redirect, withdrawn ones answer 410
    "feeds", "ui_strings", "theme_tokens", "visit_statistics",
    "overviews", "share", "social_cards",
    "whole_site",  # a home page without a welcome page; header and footer link only to pages that exist
    "security_txt",  # /.well-known/security.txt with Expires
    "sitemap",  # sitemap.xml and robots.txt
]

# The welcome page (content/pages/welkom.md) is the home page; the blog lives at /blog/.
INDEX_SAVE_AS = "blog/index.html"
INDEX_URL = "blog/"
ARTICLE_URL = "blog/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = "blog/{date:%Y}/{date:%m}/{slug}-{lang}/"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
DRAFT_URL = "concepten/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
PAGE_LANG_URL = "{slug}-{lang}/"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"
DRAFT_LANG_URL = "concepten/{slug}-{lang}/"
DRAFT_LANG_SAVE_AS = DRAFT_LANG_URL + "index.html"
CATEGORY_URL = "blog/categorie/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "blog/onderwerp/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "blog/auteur/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
ARCHIVES_SAVE_AS = "blog/archief/index.html"
CATEGORIES_SAVE_AS = "blog/categorieen/index.html"
TAGS_SAVE_AS = "blog/onderwerpen/index.html"
AUTHORS_SAVE_AS = "blog/auteurs/index.html"
YEAR_ARCHIVE_SAVE_AS = "blog/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "blog/{date:%Y}/{date:%m}/index.html"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/pagina/{number}/", "{base_name}/pagina/{number}/index.html"),
)
SLUGIFY_SOURCE = "title"

# Feeds are written by plugins/feeds (feedgen; see its README for FEEDS_* settings).
# Pelican's own feeds are off: it would refuse to overwrite ours.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEEDS_MAX_ITEMS = 50

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# Menu links shown in the header (label, site-relative URL).
MENUITEMS = [
    ("Nieuws en berichten", "/blog/"),
    ("Over ons", "/over-ons/"),
    ("Kanalen", "/kanalen/"),
    ("Contact", "/contact/"),
]
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
# Footer links required on every page of a Dutch government site.
FOOTER_LINKS = [
    ("Toegankelijkheid", "/toegankelijkheid/"),
    ("Privacy", "/privacy/"),
    ("Kanalen", "/kanalen/"),
    ("Contact", "/contact/"),
    ("Helpdesk", "/helpdesk/"),
    ("Statistieken", "/statistieken/"),
]

# Social push (dorpsplein/social/README.md): `tasks.py social push|post|check|follow`.
# Secrets only from the environment: DORPSPLEIN_MASTODON_TOKEN, DORPSPLEIN_BLUESKY_PASSWORD (app password).
MASTODON_URL = "https://social.overheid.nl"
BLUESKY_SERVICE = "https://bsky.social"
BLUESKY_HANDLE = "gemeentevoorbeeld.nl"
SOCIAL_NETWORKS = ["mastodon", "bluesky"]
SOCIAL_MAX_AGE_DAYS = 7  # older posts are never pushed, so a first run does not flood followers
SOCIAL_INCLUDE_CATEGORIES = []  # empty: every category
SOCIAL_EXCLUDE_CATEGORIES = []
SOCIAL_INCLUDE_TAGS = []  # empty: every tag
SOCIAL_EXCLUDE_TAGS = []
SOCIAL_TEMPLATE = "{title}\n\n{summary}"  # a post's `Social:` text replaces it; link and hashtags follow
SOCIAL_CATEGORY_TEMPLATES = {"Bekendmakingen": "Bekendmaking: {title}\n\n{summary}"}
SOCIAL_HASHTAGS = True  # hashtags from the post's tags
SOCIAL_HASHTAGS_MAX = 3
SOCIAL_EXTRA_HASHTAGS = []
SOCIAL_SHARE_IMAGE = "images/gemeentehuis.jpg"  # Bluesky link-card image for posts without an Image
SOCIAL_LEDGER = "state/social-ledger.jsonl"
SOCIAL_RETRIES = 4
SOCIAL_RETRY_BASE_SECONDS = 2.0
SOCIAL_TIMEOUT_SECONDS = 30.0

# What production builds published (plugins/published/README.md): stable feed ids, redirects, 410.
# A relative path is taken from the folder that holds the content folder.
PUBLISHED_STATE_PATH = "state/published.json"

# Content check (`tasks.py check`): titles longer than this get a warning.
CHECK_TITLE_MAX_LENGTH = 80

# Forms service (dorpsplein/forms/README.md): newsletter sign-up, unsubscribe, contact form.
# Secrets (DORPSPLEIN_SECRET_KEY, DORPSPLEIN_SMTP_URL, DORPSPLEIN_DATABASE_URL) come from the environment only.
# The service answers on the site's own origin under /formulieren/ (nginx and `serve` proxy that path to it).
# Empty: SITEURL + "/formulieren". Set it (DORPSPLEIN_FORMS_URL) only when the service lives elsewhere.
FORMS_URL = ""
FORMS_ALLOWED_ORIGINS = []  # with FORMS_URL elsewhere: the pages on other addresses that may post to the service
FORMS_RATE_LIMIT = "10 per minute; 50 per hour"  # per client address, for sign-up and contact
FORMS_CONFIRM_HOURS = 48  # how long a confirmation link works
FORMS_CONFIRM_INTERVAL_HOURS = 24  # at most one sign-up e-mail per address this often (however often signed up)
# Retention (content/pages/privacy.md promises these; `forms prune` deletes, daily from deploy/systemd):
FORMS_PRUNE_DAYS = 7  # sign-ups left unconfirmed this long
FORMS_UNSUBSCRIBED_RETENTION_DAYS = 30  # unsubscribed addresses, counted from the unsubscribe
FORMS_CONTACT_RETENTION_DAYS = 365  # contact messages, counted from their arrival (12 months)
FORMS_PROXY_COUNT = 0  # reverse proxies in front of the service that set X-Forwarded-For
# The consent text people agree to; change the version whenever the text changes (AVG art. 7 proof).
FORMS_CONSENT_VERSION = "2026-11-28"
FORMS_CONSENT_TEXT = ("Ik wil de nieuwsbrief van Gemeente Voorbeeld per e-mail ontvangen. De gemeente gebruikt "
                      "mijn e-mailadres alleen daarvoor. Ik kan me altijd afmelden via de link onder elke nieuwsbrief.")
NEWSLETTER_LISTS = {"extern": "Nieuwsbrief van Gemeente Voorbeeld", "intern": "Interne nieuwsbrief"}
FORMS_SIGNUP_LISTS = ["extern"]  # the lists visitors can sign up for on the site
CONTACT_EMAIL = "info@voorbeeld.nl"  # receives the contact form's messages (Reply-To: the sender)
MAIL_FROM = "Gemeente Voorbeeld <nieuwsbrief@voorbeeld.nl>"
# Newsletter sending (dorpsplein/newsletter, `tasks.py newsletter send`); DKIM via DORPSPLEIN_DKIM_KEY_PATH/_SELECTOR.
NEWSLETTER_RATE_PER_SECOND = 20  # stay under the mail provider's limit; 0 = as fast as the server accepts
NEWSLETTER_RECONNECTS = 3  # a lost SMTP connection is reopened this often per run
NEWSLETTER_MESSAGES_PER_CONNECTION = 0  # 0 = one connection for the whole mailing; set if the relay limits it
NEWSLETTER_UNSUBSCRIBE_MAILTO = None  # the mailto: in List-Unsubscribe; None = MAIL_FROM's address
# Periodic overviews (plugins/overviews/README.md): /overzicht/YYYY/MM/, feeds/overzicht.*, output/nieuwsbrief/.
OVERVIEWS_PERIOD = "month"

DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "404"]
globals()["404_SAVE_AS"] = "404.html"  # a name Python cannot spell as a variable

# Statistics page /statistieken/ (plugins/visit_statistics), built from the monthly aggregates that
# `tasks.py analytics` writes; a relative path is taken from the project folder.
STATISTICS_STATE_PATH = "state/analytics"
# Where `tasks.py analytics` learns the site's addresses (the only paths it ever names): a built folder,
# a sitemap.xml or its URL; "" = output/ when it holds a build, else the production site's sitemap.
ANALYTICS_SITE = ""
# Production (publishconf.py) turns this on: nothing of a draft, hidden or future post is written (plugins/embargo).
EMBARGO = False
