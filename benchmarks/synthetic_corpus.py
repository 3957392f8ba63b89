"""A deterministic synthetic Pelican corpus of municipal news posts, for the build benchmarks.

`write_corpus(root, posts=2000, seed=2026)` writes:

    root/blog/bericht-00000.md …   posts: Title, Date, Category, Tags, Summary, Authors
    root/pages/*.md                 a few plain pages
    root/images/beeld-N.jpg         a handful of small JPEGs the posts show

Same seed and count, same bytes: runs on different machines build the same site.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Common Dutch words, enough for text that tokenises, slugifies and wraps like real posts.
WORDS = """
de het een en van in op te met voor aan door over bij naar uit om als dat die dit
is zijn was waren wordt worden heeft hebben kan kunnen moet moeten zal zullen wil
gaat komt staat ligt blijft maakt neemt geeft krijgt vraagt helpt werkt woont
niet ook nog al wel dan maar want of omdat zodat terwijl toen nu hier daar waar
veel weinig meer minder alle elke andere eigen nieuwe oude grote kleine goede
gemeente wethouder raad college inwoners bewoners buurt wijk dorp straat plein
weg fietspad stoep park speeltuin school bibliotheek sporthal zwembad gemeentehuis
afval container groenafval snoeiwerk bomen bloemen water riolering parkeren
verkeer bus trein fiets auto brug kruispunt rotonde verlichting bankje
vergunning aanvraag subsidie regeling belasting paspoort rijbewijs uittreksel
loket afspraak balie formulier website melding klacht vraag antwoord informatie
zorg jeugd ouderen mantelzorg vrijwilligers vereniging club markt kermis feest
burendag koningsdag zomer winter voorjaar najaar maand week dag ochtend middag
avond vandaag morgen gisteren binnenkort volgend vorig jaar tijd uur minuten
werkzaamheden onderhoud reparatie vernieuwing aanleg planning uitvoering
omleiding hinder overlast veiligheid gezondheid energie duurzaam zonnepanelen
warmte isolatie woning huur koop bouw project plan ontwerp inspraak avond
bijeenkomst overleg besluit voorstel begroting geld kosten euro budget
iedereen samen graag snel langzaam vroeg laat binnen buiten boven onder
""".split()

CATEGORIES = [
    "Nieuws",
    "Werk in uitvoering",
    "Evenementen",
    "Bekendmakingen",
    "Wonen en leefomgeving",
    "Gemeenteraad",
]

TAGS = """
afval verkeer parkeren fietsen wegwerkzaamheden riolering groen bomen speeltuinen
sport cultuur bibliotheek onderwijs jeugd ouderen zorg mantelzorg vrijwilligers
wonen nieuwbouw energie duurzaamheid klimaat water veiligheid brandweer politie
evenementen markt kermis burendag koningsdag subsidie belastingen vergunningen
paspoort gemeenteraad begroting inspraak
""".split()

AUTHORS = [
    "Anouk de Vries",
    "Bram Jansen",
    "Fatima el Amrani",
    "Joost van Dijk",
    "Lotte Bakker",
    "Mehmet Yilmaz",
    "Sanne Visser",
    "Redactie Gemeente Voorbeeld",
]

EXTERNAL_LINKS = [
    ("Rijksoverheid", "https://www.rijksoverheid.nl/onderwerpen"),
    ("Overheid.nl", "https://www.overheid.nl/"),
    ("NL Design System", "https://nldesignsystem.nl/"),
    ("Digitoegankelijk", "https://www.digitoegankelijk.nl/"),
    ("KNMI", "https://www.knmi.nl/nederland-nu/weer"),
    ("Omgevingsloket", "https://omgevingswet.overheid.nl/home"),
]

PAGES = {
    "over-ons": "Over ons",
    "contact": "Contact",
    "toegankelijkheid": "Toegankelijkheid",
}

IMAGE_COUNT = 6
FIRST_DATE = datetime.datetime(2024, 1, 1, 8, 0)
DATE_SPAN_MINUTES = 2 * 365 * 24 * 60  # about two years, all in the past
EDIT_SENTENCE = "\n\nAanvulling: dit bericht is bijgewerkt met de laatste informatie.\n"


@dataclass
class Corpus:
    root: Path
    posts: list[Path]
    pages: list[Path]
    images: list[Path]


def post_name(index: int) -> str:
    return f"bericht-{index:05d}.md"


class _Writer:
    """Random Dutch-like text; one instance per corpus so every choice comes from one seed."""

    def __init__(self, rng: random.Random, posts: int):
        self.rng = rng
        self.posts = posts

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self) -> str:
        return self.words(6, 18).capitalize() + "."

    def paragraph(self, links: bool = True) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 6))]
        if links and self.rng.random() < 0.6:
            sentences.insert(self.rng.randrange(len(sentences)), self.internal_link())
        if links and self.rng.random() < 0.3:
            sentences.append(self.external_link())
        return " ".join(sentences)

    def internal_link(self) -> str:
        # `{filename}` links make Pelican resolve another post's URL, as staff write them.
        other = post_name(self.rng.randrange(self.posts))
        return f"Lees ook [{self.words(2, 4)}]({{filename}}/blog/{other})."

    def external_link(self) -> str:
        label, url = self.rng.choice(EXTERNAL_LINKS)
        return f"Meer informatie staat op [{label}]({url})."

    def bullet_list(self, numbered: bool) -> str:
        items = [self.words(3, 9) for _ in range(self.rng.randint(3, 6))]
        return "\n".join(f"{n}. {item}" if numbered else f"- {item}" for n, item in enumerate(items, 1))

    def image(self) -> str:
        number = self.rng.randrange(IMAGE_COUNT)
        return f"![{self.words(3, 6).capitalize()}](/images/beeld-{number}.jpg)"

    def section(self) -> list[str]:
        blocks = [f"## {self.words(2, 5).capitalize()}", self.paragraph()]
        if self.rng.random() < 0.5:
            blocks.append(self.bullet_list(numbered=self.rng.random() < 0.4))
        if self.rng.random() < 0.4:
            blocks += [f"### {self.words(2, 4).capitalize()}", self.paragraph()]
        blocks.append(self.paragraph())
        return blocks

    def body(self) -> str:
        blocks = [self.paragraph(links=False), self.image()]
        for _ in range(self.rng.randint(1, 3)):
            blocks += self.section()
        return "\n\n".join(blocks) + "\n"

    def title(self) -> str:
        return f"{self.words(3, 7).capitalize()} in {self.rng.choice(['de', 'het'])} {self.rng.choice(WORDS)}"

    def post(self, title: str) -> str:
        rng = self.rng
        date = FIRST_DATE + datetime.timedelta(minutes=rng.randrange(DATE_SPAN_MINUTES))
        header = {
            "Title": title,
            "Date": date.strftime("%Y-%m-%d %H:%M"),
            "Category": rng.choice(CATEGORIES),
            "Tags": ", ".join(rng.sample(TAGS, rng.randint(2, 4))),
            "Summary": self.sentence(),
            "Authors": ", ".join(rng.sample(AUTHORS, rng.choice([1, 1, 1, 2]))),
        }
        return metadata_block(header) + "\n" + self.body()


def metadata_block(header: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in header.items())


def _slug_key(title: str) -> str:
    """What a slug of the title would collide on: case, accents and punctuation ignored."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def _unique_titles(writer: _Writer, count: int) -> list[str]:
    # Two posts with the same slug would overwrite each other's page and skew the build.
    titles, seen = [], set()
    while len(titles) < count:
        title = writer.title()
        if _slug_key(title) not in seen:
            seen.add(_slug_key(title))
            titles.append(title)
    return titles


def write_images(folder: Path, rng: random.Random) -> list[Path]:
    """Small, distinct JPEGs (gradients), so the static copy has real files to copy."""
    from PIL import Image  # only needed here; keeps importing this module cheap

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(IMAGE_COUNT):
        base = [rng.randrange(256) for _ in range(3)]
        image = Image.new("RGB", (640, 360))
        image.putdata([((base[0] + x) % 256, (base[1] + y) % 256, base[2]) for y in range(360) for x in range(640)])
        path = folder / f"beeld-{number}.jpg"
        image.save(path, "JPEG", quality=80)
        paths.append(path)
    return paths


def write_pages(folder: Path, writer: _Writer) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug, title in PAGES.items():
        text = metadata_block({"Title": title, "Slug": slug, "Summary": writer.sentence()})
        text += "\n" + "\n\n".join(writer.paragraph(links=False) for _ in range(3)) + "\n"
        path = folder / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def write_corpus(root: Path, posts: int = 2000, seed: int = 2026) -> Corpus:
    """Write the corpus into `root` (created if needed) and say what was written."""
    rng = random.Random(seed)
    writer = _Writer(rng, posts)
    blog = root / "blog"
    blog.mkdir(parents=True, exist_ok=True)
    post_paths = []
    for index, title in enumerate(_unique_titles(writer, posts)):
        path = blog / post_name(index)
        path.write_text(writer.post(title), encoding="utf-8")
        post_paths.append(path)
    pages = write_pages(root / "pages", writer)
    images = write_images(root / "images", rng)
    return Corpus(root, post_paths, pages, images)


def edit_post(path: Path) -> None:
    """The smallest real edit a staff member makes: one sentence appended to a post."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(EDIT_SENTENCE)
