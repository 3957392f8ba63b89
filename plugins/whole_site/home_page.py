"""The home page of a site without a welcome page: the site's name and subtitle, then the latest posts."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from pelican.generators import Generator

from dorpsplein.metadata import PAGE_LISTS

HOME = "index.html"


@dataclass
class HomePage:
    """What page.html and home.html read from `page`."""

    title: str
    content: str
    summary: str
    lang: str
    url: str = ""
    save_as: str = HOME
    metadata: dict = field(default_factory=dict)
    image = None
    image_url = None
    image_alt = None
    expired = False
    share = None
    social_card = None


def _home_is_written(context: dict, settings: dict) -> bool:
    """Does a page, list page or template page already save itself as the home page?"""
    if HOME in {settings.get(f"{t.upper()}_SAVE_AS", f"{t}.html") for t in settings.get("DIRECT_TEMPLATES", ())}:
        return True
    if HOME in (settings.get("TEMPLATE_PAGES") or {}).values():
        return True
    return any(getattr(page, "save_as", None) == HOME for name in PAGE_LISTS for page in context.get(name, ()))


class HomePageGenerator(Generator):
    """Runs after the posts and pages are read (plugin generators come after Pelican's own)."""

    def generate_context(self):
        settings = self.settings
        self.home = None
        if _home_is_written(self.context, settings):
            return
        subtitle = settings.get("SITESUBTITLE") or ""
        self.home = HomePage(title=settings["SITENAME"], content=f"<p>{html.escape(subtitle)}</p>" if subtitle else "",
                             summary=subtitle, lang=settings.get("DEFAULT_LANG", "nl"), metadata={"summary": subtitle})
        self.context["home_page"] = self.home  # plugins/sitemap lists it

    def site_paths(self) -> list[str]:
        return [HOME] if self.home else []

    def generate_output(self, writer):
        if self.home is None:
            return
        writer.write_file(HOME, self.get_template(self.settings.get("HOME_PAGE_TEMPLATE", "home")), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], url="", page=self.home, page_name="index")
