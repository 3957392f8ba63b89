"""Build benchmark: our Pelican site against stock Pelican and Hugo, on one synthetic corpus.

    .venv/bin/python benchmarks/build.py [--posts 2000] [--runs 1] [--seed 2026] [--json PATH]

Writes a deterministic corpus of N Dutch-like posts (benchmarks/synthetic_corpus.py) into a temp
folder, then per run times, each in a fresh subprocess:

  - a full build of our site (our settings, plugins and theme; content cache not loaded),
  - a full build by stock Pelican (default theme and feeds) of the same corpus,
  - a rebuild of each after appending one sentence to one post, with the content cache that the
    full build wrote loaded (the "edit-to-preview" figure),
  - a full build of the same corpus converted to a minimal Hugo site (benchmarks/hugo_site.py),
    when Debian's `hugo` is installed.

and prints wall and CPU seconds, peak memory and the ratios ours/stock and ours/hugo. Timings
are figures to read, not assertions. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `dorpsplein` when this file is run as a script

from build_figures import Measure, machine_info, print_report, summarise  # noqa: E402
from hugo_site import write_hugo_site  # noqa: E402
from synthetic_corpus import edit_post, write_corpus  # noqa: E402

from dorpsplein.settings import load_settings  # noqa: E402

CHILD_FLAG = "--_one"


class BenchmarkError(Exception):
    """A build the benchmark ran failed; the message says which one and why."""


# --- child mode: one build in this fresh process --------------------------------------------
# Pelican plugins connect module-level signal receivers that stay connected for the life of the
# process, so a stock build after ours in one process would still run our plugins. Every build
# therefore runs in its own interpreter (this file, called with CHILD_FLAG).


@contextmanager
def _collected_warnings():
    found: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record):
            found.append(record.getMessage())

    handler = Handler(level=logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        yield found
    finally:
        logging.getLogger().removeHandler(handler)


def _build_ours(content: str, output: str, cache: str, load_cache: bool) -> list[str]:
    from dorpsplein.build import build

    extra = {"CACHE_PATH": cache, "LOAD_CONTENT_CACHE": load_cache}
    settings = load_settings(content=content, output=output, extra=extra)
    return build(settings).warnings


# The share and social-card plugins (issue #5) on stock Pelican: what they add to a build by themselves.
SHARE_PLUGINS = ["share", "social_cards", "sitemap", "security_txt"]


def _build_stock(content: str, output: str, cache: str, load_cache: bool, plugins: list[str] = ()) -> list[str]:
    from pelican import Pelican
    from pelican.settings import read_settings

    override = {
        "PATH": content,
        "OUTPUT_PATH": output,
        "CACHE_PATH": cache,
        "ARTICLE_PATHS": ["blog"],
        "PAGE_PATHS": ["pages"],
        "STATIC_PATHS": ["images"],
        "TIMEZONE": "Europe/Amsterdam",
        "SITEURL": "https://www.voorbeeld.nl",  # as a published site has, and the share plugins need
        "MARKDOWN": load_settings()["MARKDOWN"],  # our Markdown extensions, so both parse alike
        # Cache as our pelicanconf does, so full builds and rebuilds do the same work in both.
        "CACHE_CONTENT": True,
        "GZIP_CACHE": False,
        "LOAD_CONTENT_CACHE": load_cache,
    }
    if plugins:  # notmyidea renders no share data: the share plugin injects its block into the content
        override.update(PLUGIN_PATHS=[str(ROOT / "plugins")], PLUGINS=list(plugins))
    settings = read_settings(override=override)  # default theme (notmyidea) and default feeds
    with _collected_warnings() as warnings:
        Pelican(settings).run()
    return warnings


def _build_stock_share(content: str, output: str, cache: str, load_cache: bool) -> list[str]:
    return _build_stock(content, output, cache, load_cache, SHARE_PLUGINS)


BUILDERS = {"ours": _build_ours, "stock": _build_stock, "stock+share": _build_stock_share}


def child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="build.py --_one")
    parser.add_argument("kind", choices=sorted(BUILDERS))
    parser.add_argument("content")
    parser.add_argument("output")
    parser.add_argument("cache")
    parser.add_argument("result", help="JSON file the figures are written to")
    parser.add_argument("--load-cache", action="store_true")
    args = parser.parse_args(argv)
    # Absolute paths: Pelican resolves relative ones against the settings file, not the cwd.
    content, output, cache = (str(Path(p).resolve()) for p in (args.content, args.output, args.cache))
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        warnings = BUILDERS[args.kind](content, output, cache, args.load_cache)
    except Exception as exc:  # reported by the parent, verbatim
        Path(args.result).write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 1
    figures = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "warnings": warnings,
    }
    Path(args.result).write_text(json.dumps(figures))
    return 0


# --- parent: run builds, collect figures ------------------------------------------------------


# On Linux a process's peak RSS (ru_maxrss) starts at the high-water mark of the process that
# exec'd it, so a build started straight from this one (corpus and imports in memory) would
# report at least our own size. A tiny Python forks and execs each build instead and writes
# that child's own peak (wait4: this child only; getrusage(RUSAGE_CHILDREN) would give the
# largest child so far), its CPU time and its wall time.
_MEASURE = """\
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - started} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run_process(argv: list[str], log: Path) -> tuple[int, float, float, float]:
    """Run `argv` (argv[0] an absolute path); its exit code, wall and CPU seconds, peak RSS in MB."""
    rusage = log.with_suffix(".rusage")
    with log.open("w") as out:
        measure = [sys.executable, "-I", "-S", "-c", _MEASURE, str(rusage), *argv]
        code = subprocess.run(measure, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent).returncode
    wall, cpu, maxrss_kib = rusage.read_text().split()
    return code, float(wall), float(cpu), int(maxrss_kib) / 1024


def _count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def _failure(name: str, log: Path, detail: str) -> BenchmarkError:
    # The log lives in the temp folder, which is gone by the time the message is read.
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
    return BenchmarkError(f"{name} failed: {detail}" + (f"\n--- end of its log ---\n{tail}" if tail else ""))


def pelican_build(kind: str, content: Path, work: Path, load_cache: bool) -> Measure:
    """One build by `kind` ("ours" or "stock") into work/<kind>-out, cache in work/<kind>-cache."""
    phase = "rebuild" if load_cache else "full"
    output, result, log = work / f"{kind}-out", work / f"{kind}-{phase}.json", work / f"{kind}-{phase}.log"
    argv = [
        sys.executable,
        str(Path(__file__).resolve()),
        CHILD_FLAG,
        kind,
        str(content),
        str(output),
        str(work / f"{kind}-cache"),
        str(result),
    ]
    code, wall, cpu, peak = _run_process(argv + (["--load-cache"] if load_cache else []), log)
    figures = json.loads(result.read_text()) if result.exists() else {}
    if code != 0:
        raise _failure(f"{kind} {phase} build", log, figures.get("error", f"exit code {code}"))
    return Measure(
        figures["seconds"], figures["cpu_seconds"], wall, cpu, peak, _count_html(output), figures["warnings"]
    )


def hugo_build(hugo: str, site: Path, work: Path) -> Measure:
    output, log = work / "hugo-out", work / "hugo.log"
    code, wall, cpu, peak = _run_process([hugo, "--quiet", "-s", str(site), "-d", str(output)], log)
    if code != 0:
        raise _failure("hugo build", log, f"exit code {code}")
    return Measure(wall, cpu, wall, cpu, peak, _count_html(output), [])


def one_run(corpus, work: Path, hugo_site: Path | None, hugo: str | None) -> dict[str, Measure]:
    """All builds of one run. Ours and stock alternate, so drift in the machine hits both alike."""
    work.mkdir(parents=True)
    measures = {
        "ours full": pelican_build("ours", corpus.root, work, load_cache=False),
        "stock full": pelican_build("stock", corpus.root, work, load_cache=False),
        "stock+share full": pelican_build("stock+share", corpus.root, work, load_cache=False),
    }
    # The middle post: an ordinary one, linked to and from others like any other.
    edit_post(corpus.posts[len(corpus.posts) // 2])
    measures["ours rebuild"] = pelican_build("ours", corpus.root, work, load_cache=True)
    measures["stock rebuild"] = pelican_build("stock", corpus.root, work, load_cache=True)
    measures["stock+share rebuild"] = pelican_build("stock+share", corpus.root, work, load_cache=True)
    if hugo:
        measures["hugo full"] = hugo_build(hugo, hugo_site, work)
    shutil.rmtree(work)  # N outputs of a few thousand files each add up
    return measures


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000, help="posts in the corpus (default 2000)")
    # One run of 2000 posts takes 2-3 minutes on 2 cores; --runs 3 (medians) for steadier figures.
    parser.add_argument("--runs", type=int, default=1, help="runs of every build; medians are reported (default 1)")
    parser.add_argument("--seed", type=int, default=2026, help="corpus seed (default 2026)")
    parser.add_argument("--json", type=Path, help="also write every figure and the machine to PATH")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == [CHILD_FLAG]:
        return child_main(argv[1:])
    args = parse_args(argv)
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo not found on PATH (Debian: apt-get install hugo): skipping the Hugo comparison.")
    with tempfile.TemporaryDirectory(prefix="dorpsplein-bench-") as tmp:
        tmp = Path(tmp)
        corpus = write_corpus(tmp / "content", posts=args.posts, seed=args.seed)
        site = write_hugo_site(corpus.root, tmp / "hugo-site") if hugo else None
        try:
            runs = []
            for number in range(args.runs):
                print(f"run {number + 1}/{args.runs} …", flush=True)
                runs.append(one_run(corpus, tmp / f"run-{number}", site, hugo))
        except BenchmarkError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    params = {
        "posts": args.posts,
        "pages": len(corpus.pages),
        "images": len(corpus.images),
        "seed": args.seed,
        "runs": args.runs,
        # The figures belong to the site as it was: record which plugins our build ran.
        "our_plugins": load_settings()["PLUGINS"],
        "share_plugins": SHARE_PLUGINS,
    }
    machine = machine_info(hugo)
    summary = summarise(runs)
    print_report(params, machine, runs, summary)
    if args.json:
        report = {
            "params": params,
            "machine": machine,
            "summary": summary,
            "runs": [{name: asdict(m) for name, m in run.items()} for run in runs],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
