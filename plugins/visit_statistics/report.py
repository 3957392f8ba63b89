"""From a month of aggregates to what the statistics page shows: sections with a chart and a table.

The template stays generic: every section has a heading, an introduction, an optional chart
and a table with the same numbers (the chart's text alternative).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from dorpsplein.analytics_schema import (
    DEVICE_LABELS,
    TRAFFIC_LABELS,
    feed_subscribers,
    listed_and_other,
    page_views,
    sources,
    top,
    visits,
)

from .charts import bar_chart, column_chart

OTHER_ADDRESSES = "Overige adressen"  # everything not listed by name (analytics_schema)
SOURCE_CLASS_LABELS = {"search": "Zoekmachine", "social": "Sociaal netwerk", "newsletter": "Nieuwsbrief",
                       "other_sites": "Andere website", "direct": "Direct"}


def number(value: int) -> str:
    return format_decimal(value, locale="nl_NL")


def share(part: int, whole: int) -> str:
    return format_percent(part / whole if whole else 0, "#,##0.0 %", locale="nl_NL")


def day_label(iso: str, pattern: str = "d MMMM y") -> str:
    return format_date(datetime.date.fromisoformat(iso), pattern, locale="nl")


def month_label(key: str) -> str:
    return format_date(datetime.date.fromisoformat(key + "-01"), "LLLL y", locale="nl")


@dataclass
class Section:
    id: str
    title: str
    intro: str
    headers: list[str]
    rows: list[list[str]]
    chart: Markup = Markup("")
    numeric: set[int] = field(default_factory=set)  # columns aligned to the right


@dataclass
class MonthView:
    key: str
    label: str
    url: str
    visits: int
    page_views: int
    complete_through: str | None
    sections: list[Section] = field(default_factory=list)

    @property
    def visits_text(self) -> str:
        return number(self.visits)

    @property
    def page_views_text(self) -> str:
        return number(self.page_views)


def _table_section(id_, title, intro, headers, rows, chart_rows=None, chart_label=None) -> Section:
    chart = bar_chart(chart_rows, chart_label, number) if chart_rows else Markup("")
    return Section(id_, title, intro, headers, rows, chart, numeric=set(range(1, len(headers))))


def build_sections(month: dict, titles: dict[str, str], top_n: int) -> list[Section]:
    label = month_label(month["month"])
    total_visits = visits(month)
    days = sorted(month["days"].items())
    sections = [Section(
        "bezoek", "Bezoekers per dag",
        "Een bezoeker is iemand die op een dag minstens één pagina bekeek; wie dezelfde dag terugkomt, "
        "telt één keer. Bots en feedlezers tellen niet mee.",
        ["Datum", "Bezoekers", "Paginaweergaven"],
        [[day_label(day), number(c["visitors"]), number(c["page_views"])] for day, c in days],
        column_chart([(day_label(day, "d MMM"), c["visitors"]) for day, c in days],
                     f"Staafdiagram: bezoekers per dag in {label}. De cijfers staan in de tabel eronder.", number),
        numeric={1, 2})]

    requests = month["requests"]
    all_requests = sum(requests[key] for key in TRAFFIC_LABELS)
    kinds = [(TRAFFIC_LABELS[key], requests[key]) for key in TRAFFIC_LABELS]
    sections.append(_table_section(
        "soorten", "Mensen, bots en feedlezers",
        f"Alle verzoeken aan de webserver. Van de bots haalden {number(requests['link_previews'])} verzoeken een "
        "voorbeeld van een link op, vlak nadat een bericht op sociale media verscheen.",
        ["Soort", "Verzoeken", "Aandeel"], [[name, number(n), share(n, all_requests)] for name, n in kinds],
        kinds, f"Staafdiagram: verzoeken per soort bezoeker in {label}. De cijfers staan in de tabel eronder."))

    came = [(name if kind in {"search", "social"} else SOURCE_CLASS_LABELS[kind], kind, n)
            for kind, name, n in sources(month)]
    sections.append(_table_section(
        "bronnen", "Hoe bezoekers binnenkwamen",
        "Per bezoek de herkomst van de eerste bekeken pagina: een zoekmachine, een sociaal netwerk, de nieuwsbrief, "
        "een andere website of direct (een bladwijzer, een getypt adres of een app zonder herkomst).",
        ["Bron", "Soort", "Bezoeken", "Aandeel"],
        [[name, SOURCE_CLASS_LABELS[kind], number(n), share(n, total_visits)] for name, kind, n in came],
        [(name, n) for name, _, n in came],
        f"Staafdiagram: bezoeken per bron in {label}. De cijfers staan in de tabel eronder."))
    sections[-1].numeric = {2, 3}

    devices = [(DEVICE_LABELS[key], month["devices"][key]) for key in DEVICE_LABELS]
    sections.append(_table_section(
        "apparaten", "Apparaten", "Het soort apparaat per bezoek.",
        ["Apparaat", "Bezoeken", "Aandeel"], [[name, number(n), share(n, total_visits)] for name, n in devices],
        devices, f"Staafdiagram: bezoeken per soort apparaat in {label}. De cijfers staan in de tabel eronder."))

    for id_, title, counts, what in (("berichten", "Meest gelezen berichten", month["posts"], "berichten"),
                                     ("paginas", "Meest bekeken pagina's", month["pages"], "pagina's")):
        rows = [(titles.get(path, path), n) for path, n in top(counts, top_n)]
        if id_ == "paginas" and (other := listed_and_other(counts, page_views(month))[1]):
            rows.append((OTHER_ADDRESSES, other))
        sections.append(_table_section(
            id_, title, f"De {top_n} meest bekeken {what} van de maand, in paginaweergaven door mensen.",
            ["Titel", "Weergaven"], [[name, number(n)] for name, n in rows], rows,
            f"Staafdiagram: {title.lower()} in {label}. De cijfers staan in de tabel eronder."))

    readers = sorted(feed_subscribers(month).items(), key=lambda item: (-item[1], item[0]))
    sections.append(_table_section(
        "feeds", "Feedabonnees",
        "Feedlezers als Feedly en Inoreader melden hoeveel abonnees ze namens hun gebruikers bijhouden; per dienst "
        "het aantal op de laatste dag dat hij langskwam. Andere feedlezers tellen als één abonnee per lezer per dag.",
        ["Feedlezer", "Abonnees"], [[name, number(n)] for name, n in readers], readers,
        f"Staafdiagram: feedabonnees per feedlezer in {label}. De cijfers staan in de tabel eronder."))

    missing = top(month["not_found"], top_n)
    if other := listed_and_other(dict(missing), month["not_found_total"])[1]:
        missing.append((OTHER_ADDRESSES, other))
    sections.append(_table_section(
        "niet-gevonden", "Niet gevonden (404)",
        f"Adressen die mensen opvroegen maar niet (meer) bestaan, {number(month['not_found_total'])} keer in "
        "totaal. Wat bezoekers zelf intypten tonen we niet: alleen adressen van deze website staan hier bij naam.",
        ["Adres", "Aantal"], [[path, number(n)] for path, n in missing]))
    status = sorted(month["status"].items())
    all_status = sum(n for _, n in status)
    sections.append(_table_section(
        "status", "Antwoorden van de server", "Alle verzoeken per soort antwoord (HTTP-statuscode).",
        ["Statuscode", "Verzoeken", "Aandeel"], [[key, number(n), share(n, all_status)] for key, n in status]))
    return sections


def month_view(month: dict, url: str, titles: dict[str, str], top_n: int) -> MonthView:
    through = month["complete_through"]
    return MonthView(month["month"], month_label(month["month"]), url, visits(month), page_views(month),
                     day_label(through) if through else None, build_sections(month, titles, top_n))
