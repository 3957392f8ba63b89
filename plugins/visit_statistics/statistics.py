"""A Pelican generator that writes /statistieken/ (the latest month) and a page per month."""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

from dorpsplein.analytics_schema import load_months
from dorpsplein.errors import DorpspleinError

from .report import month_view
from .settings import statistics_settings

logger = logging.getLogger(__name__)


class StatisticsGenerator(Generator):
    """Reads state/analytics/YYYY-MM.json after the posts and pages are known (for their titles)."""

    def generate_context(self):
        self.options = statistics_settings(self.settings)
        try:
            self.months = load_months(self.options["STATISTICS_STATE_PATH"])
        except DorpspleinError as exc:  # a warning fails a production build, and names the file
            logger.warning("statistics: %s", exc)
            self.months = {}

    def site_paths(self) -> list[str]:
        """What generate_output will write (plugins/whole_site keeps links to these)."""
        options = self.options
        return [options["STATISTICS_SAVE_AS"]] + [
            options["STATISTICS_MONTH_SAVE_AS"].format(year=key.split("-")[0], month=key.split("-")[1])
            for key in self.months]

    def _titles(self) -> dict[str, str]:
        """Site path → title, for every post and page the build knows."""
        items = [*self.context.get("articles", ()), *self.context.get("hidden_articles", ()),
                 *self.context.get("pages", ()), *self.context.get("hidden_pages", ())]
        return {"/" + item.url.lstrip("/"): item.title for item in items if getattr(item, "url", None) is not None}

    def generate_output(self, writer):
        options = self.options
        titles = self._titles()
        views = []
        for key, month in sorted(self.months.items(), reverse=True):
            year, number = key.split("-")
            url = options["STATISTICS_MONTH_URL"].format(year=year, month=number)
            views.append((options["STATISTICS_MONTH_SAVE_AS"].format(year=year, month=number),
                          month_view(month, url, titles, options["STATISTICS_TOP"])))
        template = self.get_template(options["STATISTICS_TEMPLATE"])
        pages = [(options["STATISTICS_SAVE_AS"], options["STATISTICS_URL"], views[0][1] if views else None)]
        pages += [(save_as, view.url, view) for save_as, view in views]
        months = [view for _, view in views]
        for save_as, url, view in pages:
            writer.write_file(save_as, template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                              url=url, statistics_month=view, statistics_months=months,
                              statistics_index_url=options["STATISTICS_URL"], page_name=url.rstrip("/"))


def get_generators(pelican):
    return StatisticsGenerator


def register():
    signals.get_generators.connect(get_generators)
