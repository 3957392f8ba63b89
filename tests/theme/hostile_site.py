"""A tiny site whose staff typed everything that used to break pages (issue 18): HTML and entities in
titles, summaries that hide `<script>` or an unclosed comment in code, quotes in alt texts. Shared by
the build tests (tests/theme/test_escaping.py) and the browser test (tests/browser/test_no_injection.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# slug → (Title, Summary, extra fields); each title must come out exactly as typed, everywhere.
POSTS = {
    "tip": ('Tip: <b>vet</b> & "aanhalingstekens"', "Tip: typ `<script>` nooit in een formulier…",
            {"Image": "images/bord.jpg", "Image_alt": 'Bord met de tekst "Gesloten"', "Tags": "<u>tag</u>, gewoon"}),
    "commentaar": ("Einde </script><script>alert(1)</script> van het script", "Zo niet: `<!--<script>`", {}),
    "attribuut": ('"><img src=x onerror=alert(1)> &amp; &lt;3 \'x\'', "Kort &lt;script&gt;alert(2)&lt;/script&gt; "
                  "verhaal met <!-- een opmerking",
                  {"Image": "images/bord.jpg", "Image_alt": 'x" onerror="alert(3)'}),
    "entiteit": ("Tom &amp; Jerry &#60;b&#62; <!-- -->", "Gewone samenvatting.", {}),
}
BODY = "De tekst van dit bericht blijft zichtbaar: {slug}."
DATES = {"tip": "2026-10-05 10:00", "commentaar": "2026-10-06 10:00", "attribuut": "2026-10-07 10:00",
         "entiteit": "2026-10-08 10:00"}


def write_hostile_posts(site) -> None:
    """Into a tests/conftest.py `Site`; the image is a real one from the demo content."""
    (site.content / "images").mkdir(exist_ok=True)
    shutil.copy(ROOT / "content/images/dorpsstraat.jpg", site.content / "images/bord.jpg")
    for slug, (title, summary, extra) in POSTS.items():
        site.post(slug, title, DATES[slug], BODY.format(slug=slug), Summary=summary, Slug=slug, **extra)
    site.write("pages/welkom.md", "Title: Welkom\nSlug: welkom\nSave_as: index.html\nURL:\nTemplate: home\n\nHallo.\n")
    site.write("pages/volgen.md", "Title: Volg ons\nSlug: volgen\nTemplate: feeds_page\n\nAlle feeds.\n")


def article_path(slug: str) -> str:
    return f"blog/2026/10/{slug}/index.html"
