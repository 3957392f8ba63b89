"""Figures of the build benchmark (benchmarks/build.py): one build's measure, the medians over
runs, the ratios against stock Pelican and Hugo, what the content cache saves, the printed table.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

SCENARIOS = ["ours full", "stock full", "stock+share full", "ours rebuild", "stock rebuild", "stock+share rebuild",
             "hugo full"]


@dataclass
class Measure:
    seconds: float  # the build itself: settings + Pelican run (child's clock), or the hugo process
    cpu_seconds: float  # CPU time of that build: steadier than wall time on a busy machine
    process_seconds: float  # the whole subprocess, interpreter start-up included
    process_cpu_seconds: float  # user + system time of the whole subprocess, all its threads
    peak_mb: float
    html_files: int
    warnings: list[str]


def machine_info(hugo: str | None) -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read_lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor(),
    )
    hugo_version = None
    if hugo:
        hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pelican": version("pelican"),
        "markdown": version("markdown"),
        "hugo": hugo_version,
    }


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


# Each ratio is computed within a run and then the median taken over runs: ours and stock run
# back to back, so a slow spell of a shared machine hits both sides of one ratio alike.
RATIOS = {
    # Our builds work in forked processes too (Markdown, share images, feeds, lists): CPU counts them all.
    "ours/stock full": ("ours full", "stock full", "seconds", "process_cpu_seconds"),
    "ours/stock rebuild": ("ours rebuild", "stock rebuild", "seconds", "process_cpu_seconds"),
    "stock+share/stock full": ("stock+share full", "stock full", "seconds", "process_cpu_seconds"),
    # Caches warm (content and share images), as in a preview or a publish that keeps its cache.
    "stock+share/stock rebuild": ("stock+share rebuild", "stock rebuild", "seconds", "process_cpu_seconds"),
    # Hugo is one native process: compare whole processes, start-up included on both sides.
    "ours/hugo full": ("ours full", "hugo full", "process_seconds", "process_cpu_seconds"),
}


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _ratio(run: dict[str, Measure], a: str, b: str, key: str) -> float | None:
    return getattr(run[a], key) / getattr(run[b], key) if a in run and b in run else None


def _build_figures(samples: list[Measure]) -> dict:
    figures = {key: _median(getattr(m, key) for m in samples) for key in asdict(samples[0]) if key != "warnings"}
    figures["min_seconds"] = min(m.seconds for m in samples)
    figures["max_seconds"] = max(m.seconds for m in samples)
    return figures


def _cache_figures(runs: list[dict[str, Measure]], kind: str) -> dict:
    """What loading the content cache saves: rebuild after one edit against the full build."""
    full, rebuild = f"{kind} full", f"{kind} rebuild"
    return {
        "full_seconds": _median(run[full].seconds for run in runs),
        "rebuild_seconds": _median(run[rebuild].seconds for run in runs),
        "saved_seconds": _median(run[full].seconds - run[rebuild].seconds for run in runs),
        "rebuild/full": _median(_ratio(run, rebuild, full, "seconds") for run in runs),
        "rebuild/full cpu": _median(_ratio(run, rebuild, full, "cpu_seconds") for run in runs),
    }


def summarise(runs: list[dict[str, Measure]]) -> dict:
    """Medians over the runs of every build's figures, of the ratios and of what the cache saves."""
    builds = {}
    for name in SCENARIOS:
        samples = [run[name] for run in runs if name in run]
        if samples:
            builds[name] = _build_figures(samples)
    ratios = {
        name: {
            "time": _median(_ratio(run, a, b, wall) for run in runs),
            "cpu": _median(_ratio(run, a, b, cpu) for run in runs),
            "memory": _median(_ratio(run, a, b, "peak_mb") for run in runs),
        }
        for name, (a, b, wall, cpu) in RATIOS.items()
    }
    cache = {kind: _cache_figures(runs, kind) for kind in ("ours", "stock")}
    return {"builds": builds, "ratios": ratios, "content_cache": cache}


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_report(params: dict, machine: dict, runs: list[dict[str, Measure]], summary: dict) -> None:
    print(
        f"\nCorpus: {params['posts']} posts, {params['pages']} pages, {params['images']} images "
        f"(seed {params['seed']}); {params['runs']} run(s), medians shown"
    )
    print(f"Our plugins: {', '.join(params['our_plugins'])}")
    print(f"stock+share: stock Pelican with {', '.join(params['share_plugins'])} (issue #5: they add < 15 %)")
    print(
        f"Machine: {machine['cpu_count']} CPUs ({machine['cpu']}), Python {machine['python']}, "
        f"Pelican {machine['pelican']}, Hugo: {machine['hugo'] or 'not installed'}\n"
    )
    columns = ["build s", "CPU s", "min-max s", "process s", "proc CPU s", "peak MB", "HTML files"]
    print(f"{'build':<20}" + "".join(f"{c:>12}" for c in columns))
    for name, b in summary["builds"].items():
        spread = f"{b['min_seconds']:.1f}-{b['max_seconds']:.1f}"
        values = [b["seconds"], b["cpu_seconds"], spread, b["process_seconds"], b["process_cpu_seconds"]]
        cells = [v if isinstance(v, str) else f"{v:.2f}" for v in values]
        cells += [f"{b['peak_mb']:.1f}", f"{b['html_files']:.0f}"]
        print(f"{name:<20}" + "".join(f"{c:>12}" for c in cells))
    print("build s, CPU s: the build inside the child, as it times itself (for hugo: the whole process)")
    print(f"\n{'ratio':<27}{'time':>8}{'CPU':>8}{'memory':>9}")
    for name, r in summary["ratios"].items():
        print(f"{name:<27}{_fmt(r['time'], '.2f'):>8}{_fmt(r['cpu'], '.2f'):>8}{_fmt(r['memory'], '.2f'):>9}")
    print("\nContent cache: rebuild after editing one post (cache loaded) against the full build:")
    for kind, c in summary["content_cache"].items():
        print(
            f"  {kind:<6} full {c['full_seconds']:.2f} s, rebuild {c['rebuild_seconds']:.2f} s: saves "
            f"{c['saved_seconds']:.2f} s; the rebuild takes {c['rebuild/full']:.0%} of the time "
            f"({c['rebuild/full cpu']:.0%} of the CPU time) of the full build"
        )
    warned = {w for run in runs for name, m in run.items() if name.startswith("ours") for w in m.warnings}
    if warned:
        print(f"\nOur build logged {len(warned)} distinct warning(s):")
        for warning in sorted(warned)[:5]:
            print(f"  - {warning}")
