"""deploy/systemd units pass `systemd-analyze verify`, and run the forms service as its README says."""

import configparser
import shutil
import subprocess

import pytest

from dorpsplein.settings import ROOT

UNITS = ROOT / "deploy/systemd"


def read_unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((UNITS / name).read_text().replace("\\\n", " "))
    return parser


@pytest.mark.parametrize("name", ["dorpsplein-forms.service", "dorpsplein-forms-daily.service",
                                  "dorpsplein-forms-daily.timer", "dorpsplein-nginx-reload.path",
                                  "dorpsplein-nginx-reload.service"])
def test_units_pass_systemd_analyze_verify(name, tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed (Debian: systemd)")
    # The units run /opt/dorpsplein/.venv/bin/…; stand-ins there let verify check everything else.
    venv = tmp_path / "venv/bin"
    venv.mkdir(parents=True)
    for program in ("gunicorn", "python"):
        (venv / program).write_text("#!/bin/sh\n")
        (venv / program).chmod(0o755)
    for unit in UNITS.glob("*.service"):
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/dorpsplein/.venv/bin/", f"{venv}/"))
    for unit in [*UNITS.glob("*.timer"), *UNITS.glob("*.path")]:
        shutil.copy(unit, tmp_path / unit.name)
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(tmp_path / name)],
                            capture_output=True, text=True, cwd=tmp_path)
    problems = [line for line in result.stderr.splitlines() if name.split(".")[0] in line or "Failed" in line]
    assert result.returncode == 0 and problems == [], result.stderr


def test_gunicorn_runs_one_worker_with_threads_where_nginx_proxies():
    service = read_unit("dorpsplein-forms.service")["Service"]
    command = service["ExecStart"].split()
    assert command[command.index("--workers") + 1] == "1"  # the rate limit is counted per process
    assert int(command[command.index("--threads") + 1]) > 1
    assert command[command.index("--bind") + 1] == "127.0.0.1:8001"
    assert "proxy_pass http://127.0.0.1:8001;" in (ROOT / "deploy/nginx/dorpsplein.conf").read_text()
    assert command[-1] == "dorpsplein.forms.wsgi:app"
    assert service["EnvironmentFile"] == "/etc/dorpsplein/forms.env"
    assert "Environment=DORPSPLEIN_FORMS_PROXY_COUNT=1" in (UNITS / "dorpsplein-forms.service").read_text()
