"""The synthetic Pelican corpus as a minimal Hugo site, for the Hugo anchor of the build benchmark.

`write_hugo_site(corpus_root, site)` converts every post and page (metadata header to YAML front
matter, `{filename}` links to Hugo `ref` shortcodes) and writes a tiny layout set of its own, so
Hugo renders the same kinds of pages our theme does: one page per post and page, a paginated
post list on the home page, and a paginated list per category, tag and author with its feed.
No theme is downloaded.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
languageCode = "nl"
defaultContentLanguage = "nl"
title = "Dorpsplein Gemeente Voorbeeld"
timeZone = "Europe/Amsterdam"
paginate = 10
enableRobotsTXT = false

[taxonomies]
category = "categories"
tag = "tags"
author = "authors"
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
  <meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
  {{ range .AlternativeOutputFormats -}}
  <link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">
  {{- end }}
</head>
<body>
  <a class="skip-link" href="#inhoud">Naar de inhoud</a>
  <header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
  <main id="inhoud">{{ block "main" . }}{{ end }}</main>
  <footer><p>Gemeente Voorbeeld</p></footer>
</body>
</html>
"""

POST_META = """\
<p class="post-meta">
  <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006" }}</time>
  {{ range .GetTerms "categories" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
  {{ with .GetTerms "authors" }} · door {{ range $i, $a := . }}{{ if $i }}, {{ end -}}
    <a href="{{ $a.RelPermalink }}">{{ $a.LinkTitle }}</a>{{ end }}{{ end }}
</p>
"""

SINGLE = """\
{{ define "main" }}
<article class="post">
  <h1>{{ .Title }}</h1>
  {{ if eq .Section "posts" }}{{ partial "post-meta.html" . }}{{ end }}
  <div class="post__content">{{ .Content }}</div>
  {{ with .GetTerms "tags" }}<p class="post-tags">Onderwerpen:
    {{ range $i, $t := . }}{{ if $i }}, {{ end -}}
    <a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>{{ end }}
</article>
{{ end }}
"""

# One list layout for the home page, sections and each category/tag/author, paginated like ours.
LIST = """\
{{ define "main" }}
<h1>{{ if .IsHome }}Nieuws en berichten{{ else }}{{ .Title }}{{ end }}</h1>
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end }}
{{ $paginator := .Paginate $pages }}
<ol class="post-list">
  {{ range $paginator.Pages }}
  <li class="post-list__item">
    <h2 class="post-list__title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
    {{ partial "post-meta.html" . }}
    {{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
  </li>
  {{ end }}
</ol>
{{ if $paginator.HasPrev }}<a rel="prev" href="{{ $paginator.Prev.URL }}">Vorige pagina</a>{{ end }}
<span>Pagina {{ $paginator.PageNumber }} van {{ $paginator.TotalPages }}</span>
{{ if $paginator.HasNext }}<a rel="next" href="{{ $paginator.Next.URL }}">Volgende pagina</a>{{ end }}
{{ end }}
"""

# The overview of all categories, tags or authors (Pelican's categories/tags/authors pages).
TERMS = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
  {{ range .Data.Terms.Alphabetical }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
  {{ end }}
</ul>
{{ end }}
"""

LAYOUTS = {
    "_default/baseof.html": BASEOF,
    "_default/single.html": SINGLE,
    "_default/list.html": LIST,
    "_default/terms.html": TERMS,
    "partials/post-meta.html": POST_META,
}

# Pelican metadata key -> (Hugo front matter key, is a comma-separated list)
FRONT_MATTER = {
    "title": ("title", False),
    "date": ("date", False),
    "category": ("categories", True),
    "tags": ("tags", True),
    "summary": ("summary", False),
    "authors": ("authors", True),
    "slug": ("slug", False),
}

FILENAME_LINK = re.compile(r"\{filename\}/blog/([\w.-]+\.md)")


def split_pelican(text: str) -> tuple[dict[str, str], str]:
    """A Pelican Markdown file's `Key: value` header (up to the first blank line) and its body."""
    header, _, body = text.partition("\n\n")
    metadata = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        metadata[key.strip().lower()] = value.strip()
    return metadata, body


def front_matter(metadata: dict[str, str]) -> str:
    """YAML front matter; values are written as JSON, which YAML reads unchanged and safely."""
    lines = ["---"]
    for key, value in metadata.items():
        if key not in FRONT_MATTER:
            continue
        name, is_list = FRONT_MATTER[key]
        if key == "date":  # "2024-06-13 18:38" -> local time in the site's timeZone
            value = value.replace(" ", "T") + ":00"
        data = [v.strip() for v in value.split(",")] if is_list else value
        lines.append(f"{name}: {json.dumps(data, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def convert_file(source: Path, target: Path) -> None:
    metadata, body = split_pelican(source.read_text(encoding="utf-8"))
    # Pelican's `{filename}` link is resolved at build time; Hugo's `ref` is the same kind of work.
    body = FILENAME_LINK.sub(r'{{< ref "/posts/\1" >}}', body)
    target.write_text(front_matter(metadata) + "\n" + body, encoding="utf-8")


def write_hugo_site(corpus_root: Path, site: Path) -> Path:
    """Write the Hugo site for the corpus in `corpus_root` into `site`; return `site`."""
    posts = site / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for source in sorted((corpus_root / "blog").glob("*.md")):
        convert_file(source, posts / source.name)
    for source in sorted((corpus_root / "pages").glob("*.md")):
        convert_file(source, site / "content" / source.name)
    shutil.copytree(corpus_root / "images", site / "static" / "images", dirs_exist_ok=True)
    (site / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site
