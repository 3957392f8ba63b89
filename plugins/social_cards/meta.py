"""Canonical URL, OpenGraph and Twitter card tags and JSON-LD for a page: plain data for the template."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from markupsafe import Markup

from dorpsplein.urls import absolute_url, base_url

DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class Card:
    canonical: str
    meta: list[tuple[str, str, str]] = field(default_factory=list)  # (attribute, key, value)
    json_ld: Markup = Markup("")


def plain(html: str | None) -> str:
    """The text of an HTML fragment (a rendered summary), on one line."""
    return " ".join(Markup(html or "").striptags().split())


def _description(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + " …"


def organization(settings: dict, options: dict) -> dict:
    org = {"@type": "GovernmentOrganization", "@id": base_url(settings) + "/#organisatie",
           "name": options["SOCIAL_CARDS_ORGANIZATION"], "url": base_url(settings) + "/"}
    if settings.get("THEME_LOGO"):
        org["logo"] = absolute_url(settings["THEME_LOGO"], settings)
    return org


# Inside <script> the HTML parser ends the element at "</script" and changes state at "<!--": JSON's
# own \u escapes of <, > and & keep any title or summary from doing either (the data is the same).
JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(graph: list[dict]) -> Markup:
    """The JSON-LD data block, ready to print inside <script type="application/ld+json">."""
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return Markup(data.translate(JSON_IN_HTML))


def make_card(settings: dict, options: dict, *, url: str, title: str, description: str, image: str,
              image_alt: str, lang: str, kind: str = "website", image_size: tuple[int, int] | None = None,
              published=None, modified=None, author: str | None = None) -> Card:
    """`kind` is website, article (a post) or page; `image` is an absolute URL."""
    description = _description(description)
    locale = options["SOCIAL_CARDS_LOCALES"].get(lang, lang)
    meta = [("property", "og:type", "article" if kind == "article" else "website"),
            ("property", "og:title", title), ("property", "og:description", description),
            ("property", "og:url", url), ("property", "og:site_name", settings["SITENAME"]),
            ("property", "og:locale", locale), ("property", "og:image", image),
            ("property", "og:image:alt", image_alt)]
    if image_size:
        meta += [("property", "og:image:width", str(image_size[0])),
                 ("property", "og:image:height", str(image_size[1]))]
    if published:
        meta.append(("property", "article:published_time", published.isoformat()))
    if modified or published:
        meta.append(("property", "article:modified_time", (modified or published).isoformat()))
    meta += [("name", "twitter:card", "summary_large_image"), ("name", "twitter:title", title),
             ("name", "twitter:description", description), ("name", "twitter:image", image),
             ("name", "twitter:image:alt", image_alt)]
    org = organization(settings, options)
    graph: list[dict] = [org]
    if kind == "article":
        graph.append({"@type": options["SOCIAL_CARDS_ARTICLE_TYPE"], "headline": title, "description": description,
                      "url": url, "mainEntityOfPage": url, "image": [image], "inLanguage": lang,
                      "datePublished": published.isoformat(), "dateModified": (modified or published).isoformat(),
                      "author": {"@type": "Person", "name": author} if author else {"@id": org["@id"]},
                      "publisher": {"@id": org["@id"]}})
    elif kind == "page":
        graph.append({"@type": "WebPage", "name": title, "description": description, "url": url,
                      "inLanguage": lang, "publisher": {"@id": org["@id"]}})
    return Card(canonical=url, meta=meta, json_ld=json_ld(graph))
