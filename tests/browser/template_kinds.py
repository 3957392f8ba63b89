"""One address of the demo site for every kind of page the theme renders (the pages we check)."""

TEMPLATE_KINDS = {
    "home": "/",
    "article": "/blog/2026/10/nieuwe-speeltuin-aan-de-schoolstraat-is-open/",
    "expired-article": "/blog/2026/09/kerkpad-tijdelijk-afgesloten-van-28-september-tot-14-oktober/",
    "page": "/toegankelijkheid/",
    "page-with-wide-table": "/kanalen/",
    "follow-page": "/volgen/",
    "blog-index": "/blog/",
    "blog-index-page-2": "/blog/pagina/2/",
    "category": "/blog/categorie/nieuws/",
    "tag": "/blog/onderwerp/verkeer/",
    "author": "/blog/auteur/joost-de-vries/",
    "archives": "/blog/archief/",
    "year-archive": "/blog/2026/",
    "month-archive": "/blog/2026/10/",
    "categories": "/blog/categorieen/",
    "tags": "/blog/onderwerpen/",
    "authors": "/blog/auteurs/",
    "404": "/bestaat/niet/",
    "withdrawn": "/410.html",  # plugins/published: also at each withdrawn post's address
    # Templates other features add to the theme; our checks hold for them too.
    "contact-form": "/contact/",
    "statistics": "/statistieken/",
    "overview": "/overzicht/2026/10/",
    "overview-index": "/overzicht/",
}
