#!/usr/bin/env python3
"""Analytics throughput and peak memory against GoAccess, on the same deterministic log, in one run.

    .venv/bin/python benchmarks/analytics.py                 # 1,000,000 lines
    .venv/bin/python benchmarks/analytics.py --lines 200000 --keep /tmp/bench

Both programs run as child processes; wall time from the parent, peak memory (max RSS) from
the kernel's accounting for that child (os.wait4). GoAccess is Debian's `goaccess`
(`--log-format=COMBINED -o report.json`). Targets (issue 9): ≥ 3× GoAccess's lines per
second, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dorpsplein.analytics.synthetic import ASSETS, FEEDS, PAGES, POSTS, Generator  # noqa: E402


def measure(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one child process; its output is kept only when it fails."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            output.seek(0)
            sys.exit(f"{command[0]} failed ({child.returncode}):\n{output.read().decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated log in")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="dorpsplein-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = work / f"access-{args.lines}.log"
    if not log.exists():
        print(f"Generating {args.lines:,} lines into {log} …", flush=True)
        with open(log, "w", encoding="utf-8") as handle:
            handle.writelines(Generator(seed=2026).lines(args.lines, days=30))
    lines = sum(1 for _ in open(log, "rb"))
    agents = len({text.rsplit(' "', 1)[-1] for text in open(log, encoding="utf-8")})
    print(f"Log: {lines:,} lines, {log.stat().st_size / 1e6:.0f} MB, {agents:,} distinct user agents")

    rows = []
    state = work / "state"
    shutil.rmtree(state, ignore_errors=True)
    sitemap = work / "sitemap.xml"  # the synthetic site's addresses, the only paths counted by name
    sitemap.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(
        f"<url><loc>https://www.voorbeeld.nl{path}</loc></url>" for path in PAGES + POSTS + ASSETS + FEEDS)
        + "</urlset>")
    ours = [sys.executable, str(ROOT / "tasks.py"), "analytics", str(log), "--state", str(state),
            "--site", str(sitemap)]
    rows.append(("dorpsplein analytics (first run)", *measure(ours, ROOT)))
    rows.append(("dorpsplein analytics (rerun, nothing new)", *measure(ours, ROOT)))
    goaccess = shutil.which("goaccess")
    if goaccess:
        report = work / "goaccess-report.json"
        rows.append(
            (
                "GoAccess 1.7 --log-format=COMBINED -o json",
                *measure([goaccess, str(log), "--log-format=COMBINED", "-o", str(report)], work),
            )
        )
    else:
        print("goaccess is not installed (apt-get install goaccess): no comparison")

    print(f"\n{'program':44} {'wall s':>7} {'CPU s':>7} {'lines/s':>10} {'peak MB':>8}")
    for name, seconds, cpu, peak in rows:
        print(f"{name:44} {seconds:7.2f} {cpu:7.2f} {lines / seconds:10,.0f} {peak:8.0f}")
    if goaccess:
        wall, cpu = rows[2][1] / rows[0][1], rows[2][2] / rows[0][2]
        print(
            f"\nThroughput: {wall:.1f}× GoAccess by wall time, {cpu:.1f}× by CPU time (target ≥ 3×); "
            f"peak memory {rows[0][3]:.0f} MB against GoAccess's {rows[2][3]:.0f} MB (target < 300 MB)"
        )
    print(f"Load average during the run: {os.getloadavg()[0]:.1f} (shared machine: compare ratios, not seconds)")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
