"""The nginx map of old addresses: `"/old/" "https://site/new/";` for a move, `"/old/" "gone";` for 410.

deploy/nginx/dorpsplein.conf reads it with `map $uri $dorpsplein_moved { include …; }` and answers
`return 301 $dorpsplein_moved` or `return 410`. Each address is listed as requested: `/x/`, `/x`
and `/x/index.html`.
"""

from __future__ import annotations

from dorpsplein.published import alias_files

# deploy/nginx/dorpsplein.conf sets map_hash_bucket_size 256; a longer key would stop nginx from loading.
MAX_KEY_BYTES = 200
HEADER = ("# Written by every build (plugins/published) for nginx: old address -> new URL (301) or gone (410).\n"
          "# Included by deploy/nginx/dorpsplein.conf; nginx reads it when it (re)loads.\n")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_map(moved: dict[str, str], gone: dict, live: set[str]) -> tuple[str, list[str]]:
    """(the map file's text, old addresses too long for the map); no key answers for a live address."""
    lines, skipped = [HEADER], []
    seen = {key for url in live for key in alias_files(url)}
    targets = [(old, url) for old, url in sorted(moved.items())] + [(old, "gone") for old in sorted(gone)]
    for old, value in targets:
        if len(old.encode("utf-8")) + len("/index.html") > MAX_KEY_BYTES:
            skipped.append(old)
            continue
        for key in alias_files(old):
            if key not in seen:
                seen.add(key)
                lines.append(f"{_quoted(key)} {_quoted(value)};\n")
    return "".join(lines), skipped
