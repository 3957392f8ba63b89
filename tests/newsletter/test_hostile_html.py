"""A one-off newsletter from staff Markdown (issue 18): the title is text, the HTML keeps only the site's
allow-list (dorpsplein/html_policy.py), in the e-mail as in the feeds; the plain-text part stays plain."""

from __future__ import annotations

from lxml import html as lxml_html

from dorpsplein.newsletter.oneoff import oneoff_edition
from dorpsplein.settings import load_settings

LETTER = """\
Title: Uitnodiging <b>buurtfeest</b> & "meer"
Summary: Kom ook!

Beste buren, <b onmouseover="alert(1)">welkom</b>.

<script>alert(2)</script><iframe src="https://video.example/"></iframe>
<form action="https://evil.example/"><input name="q"></form>
[Aanmelden](javascript:alert(3)) ![pixel](https://tracker.example/p.gif) ![Plein](/images/plein.jpg)
"""


def test_one_off_letter_keeps_only_the_allow_list_and_shows_the_title_as_typed(tmp_path):
    letter = tmp_path / "brief.md"
    letter.write_text(LETTER, encoding="utf-8")
    edition = oneoff_edition(letter, "extern", load_settings(extra={"SITEURL": "https://x.nl"}))
    page = lxml_html.fromstring(edition.html)
    assert page.xpath("//script | //iframe | //form | //input") == []
    assert page.xpath("//@*[starts-with(name(), 'on')]") == []
    assert [href for href in page.xpath("//@href") if href.startswith("javascript:")] == []
    assert page.xpath("//img/@src") == ["https://x.nl/images/plein.jpg"]
    assert page.xpath("string(//h1)") == 'Uitnodiging <b>buurtfeest</b> & "meer"'
    assert page.xpath("//b/text()") == ["welkom"]  # allowed HTML stays
    assert edition.subject == 'Uitnodiging <b>buurtfeest</b> & "meer"'
    assert "UITNODIGING <B>BUURTFEEST</B> & \"MEER\"" in edition.text
