"""No address, user agent or visitor hash leaves the analysis; the command reports clearly."""

from __future__ import annotations

import json
import re

import pytest

from dorpsplein.analytics.logfiles import fingerprint
from tasks import cli

from .conftest import at, line


def personal_strings(lines) -> set[str]:
    """Every client address and user agent in the log (those of a few characters excepted)."""
    found = set()
    for text in lines:
        fields = re.match(r'(\S+) .*"([^"]*)"\n$', text)
        if fields:
            found |= {value for value in fields.groups() if len(value) > 3}
    return found


def test_no_address_user_agent_or_hash_in_any_output(runner, synthetic, tmp_path, site):
    path, lines, _ = synthetic
    state, report = tmp_path / "state", tmp_path / "run.json"
    result = runner.invoke(cli, ["analytics", str(path), "--state", str(state), "--json", str(report)])
    assert result.exit_code == 0, result.output
    site.post("a", "Begroting", "2026-11-04 09:00")
    site.build(STATISTICS_STATE_PATH=str(state))
    outputs = {"stdout": result.output, "report": report.read_text()}
    outputs |= {str(p): p.read_text() for p in state.iterdir()}
    outputs |= {str(p): p.read_text() for p in (site.output / "statistieken").rglob("*.html")}
    personal = personal_strings(lines)
    assert any(":" in value for value in personal) and any("Mozilla" in value for value in personal)
    for name, text in outputs.items():
        leaked = [value for value in personal if value in text]
        assert leaked == [], f"{name} contains {leaked[:3]}"
        # Hex strings of hash length appear only as the log fingerprint, which holds no personal data.
        hashes = set(re.findall(r"\b[0-9a-f]{32,}\b", text))
        assert hashes <= {json.loads(text)["files"][0]["fingerprint"]} if name.endswith("progress.json") \
            else not hashes, name


def test_the_file_fingerprint_does_not_depend_on_address_or_user_agent():
    one = line(ip="198.51.100.1", ua="Mozilla/5.0 (X11)", when=at(3)).encode()
    other = line(ip="198.51.100.2", ua="Mozilla/5.0 (X12)", when=at(3)).encode()
    assert fingerprint(one) == fingerprint(other)
    assert fingerprint(one) != fingerprint(line(ip="198.51.100.1", ua="Mozilla/5.0 (X11)", when=at(4)).encode())


def test_malformed_lines_are_counted_and_named_never_fatal(runner, tmp_path):
    log = tmp_path / "access.log"
    log.write_text(line(when=at(5)) + "kapotte regel\n" + line(when=at(5, 13)) + "\x00\xff\n", encoding="latin-1")
    result = runner.invoke(cli, ["analytics", str(log), "--state", str(tmp_path / "state")])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"The site's addresses: 33 from {tmp_path / 'gebouwd'}\n"
    assert result.stdout == (
        f"{log}: 2 new lines, 2 malformed\n"
        f"2 malformed line(s) skipped (not combined log format): {log}:2, {log}:4\n"
        "2026-11: 1 visits, 2 page views, complete through 2026-11-04\n"
        "2026-11-05 is still being counted; the next run recounts it.\n")


def test_a_missing_log_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["analytics", str(tmp_path / "weg.log"), "--state", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: no log could be read: {tmp_path / 'weg.log'}: cannot read log: No such file or directory\n")


@pytest.mark.parametrize("name, text, message", [
    ("2026-11.json", '{"schema": "dorpsplein/analytics-month", "version": 1}',
     "not a valid analytics month: month: missing field 'month'; "),
    ("progress.json", "{niet json", "cannot read analytics progress ("),
])
def test_a_broken_state_file_is_a_clear_error(runner, tmp_path, name, text, message):
    log, state = tmp_path / "access.log", tmp_path / "state"
    log.write_text(line(when=at(5)))
    state.mkdir()
    (state / name).write_text(text)
    result = runner.invoke(cli, ["analytics", str(log), "--state", str(state)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {state / name}: {message}")
    assert "Traceback" not in result.output


def test_json_report_and_gzip_input(runner, tmp_path):
    import gzip

    log = tmp_path / "access.log.1.gz"
    with gzip.open(log, "wt") as handle:
        handle.write(line(when=at(6)) + line(ip="2001:db8::9", when=at(6, 14)))
    report = tmp_path / "run.json"
    result = runner.invoke(cli, ["analytics", str(log), "--state", str(tmp_path / "s"), "--json", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["files"] == [{"path": str(log), "counted": 2, "recounted": 0, "malformed": 0, "note": None}]
    assert data["months"]["2026-11"]["days"]["2026-11-06"]["visitors"] == 2


def test_the_live_site_is_not_another_site(runner, tmp_path):
    """A visit whose first page today came from our own (production) address counts as direct."""
    log, report = tmp_path / "access.log", tmp_path / "run.json"
    log.write_text(line(when=at(7), referrer="https://dorpsplein.voorbeeld.nl/blog/")
                   + line(ip="203.0.113.4", when=at(7, 13), referrer="https://buurt.example.org/"))
    result = runner.invoke(cli, ["analytics", str(log), "--state", str(tmp_path / "s"), "--json", str(report)])
    assert result.exit_code == 0, result.output
    referrers = json.loads(report.read_text())["months"]["2026-11"]["referrers"]
    assert (referrers["direct"], referrers["other_sites"]) == (1, {"buurt.example.org": 1})
