"""The rsync: target with the real rsync: to a local path, and to user@host:/path over a real sshd."""

import os
import shutil
import stat
from pathlib import Path

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.publish import deploy

from .conftest import settings_for

pytestmark = pytest.mark.usefixtures("rsync_available")


def live(root: Path) -> Path:
    return (root / "current").resolve()


@pytest.fixture(params=["local", "ssh"])
def rsync_target(request, tmp_path):
    """(settings factory, folder on the 'server'): rsync to a path, or to root@127.0.0.1 over SSH."""
    server_folder = tmp_path / "server" / "dorpsplein"
    if request.param == "local":
        spec, extra = f"rsync:{server_folder}", {}
    else:
        ssh = request.getfixturevalue("sshd")
        spec, extra = f"rsync:root@127.0.0.1:{server_folder}", {"PUBLISH_SSH": ssh}
    return (lambda **more: settings_for({"web": spec}, **extra, **more)), server_folder


def test_publish_twice_sends_only_changes_and_removed_pages_disappear(site_folder, rsync_target):
    make_settings, server = rsync_target
    first = deploy(site_folder.root, make_settings())
    assert first.release and len(first.sent) == 6
    assert os.readlink(server / "current") == f"releases/{first.release}"
    assert (live(server) / ".well-known/security.txt").exists()
    assert stat.S_IMODE((live(server) / "index.html").stat().st_mode) == 0o644

    again = deploy(site_folder.root, make_settings())
    assert (again.sent, again.deleted, again.release, again.unchanged) == ([], [], None, 6)

    site_folder.write("index.html", "<p>Nieuw</p>")
    shutil.rmtree(site_folder.root / "blog/oud")
    third = deploy(site_folder.root, make_settings())
    assert (third.sent, third.deleted) == (["index.html"], ["blog/oud/index.html"])
    new, old = live(server), server / "releases" / first.release
    assert new.name == third.release
    assert (new / "index.html").read_text() == "<p>Nieuw</p>"
    assert not (new / "blog/oud").exists()
    # Unchanged files are hard links to the previous release: only the change crossed the wire.
    assert (new / "theme/css/site.css").stat().st_ino == (old / "theme/css/site.css").stat().st_ino
    assert (old / "blog/oud/index.html").exists()


def test_dry_run_sends_nothing(site_folder, rsync_target):
    make_settings, server = rsync_target
    deploy(site_folder.root, make_settings())
    releases = sorted(os.listdir(server / "releases"))
    site_folder.write("blog/index.html", "<p>Anders</p>")
    report = deploy(site_folder.root, make_settings(), dry_run=True)
    assert (report.sent, report.deleted, report.release) == (["blog/index.html"], [], None)
    assert sorted(os.listdir(server / "releases")) == releases


def test_old_releases_are_pruned(site_folder, rsync_target):
    make_settings, server = rsync_target
    names = []
    for number in range(3):
        site_folder.write("index.html", f"<p>Versie {number}</p>")
        names.append(deploy(site_folder.root, make_settings(PUBLISH_KEEP_RELEASES=2)).release)
    assert sorted(os.listdir(server / "releases")) == names[1:]


def test_an_interrupted_transfer_leaves_the_live_release_untouched(site_folder, tmp_path):
    """rsync sends part of the files and exits 23 (partial transfer), as on a dropped connection."""
    server = tmp_path / "server"
    failing = tmp_path / "rsync-that-fails"
    failing.write_text('#!/bin/sh\nrsync "$@" || exit $?\ncase " $* " in *" --dry-run "*) exit 0;; esac\n'
                       'echo "rsync error: some files could not be transferred (code 23)" >&2\nexit 23\n')
    failing.chmod(0o755)
    settings = settings_for({"web": f"rsync:{server}"})
    first = deploy(site_folder.root, settings)
    site_folder.write("index.html", "<p>Half verstuurd</p>")
    with pytest.raises(DorpspleinError) as error:
        deploy(site_folder.root, dict(settings, PUBLISH_RSYNC=str(failing)))
    message = str(error.value)
    assert message.startswith(f"target web (rsync:{server}): sending the new release failed (exit 23): ")
    assert message.endswith("; the live site was not changed")
    assert os.readlink(server / "current") == f"releases/{first.release}"
    assert os.listdir(server / "releases") == [first.release]
    assert (live(server) / "index.html").read_text() != "<p>Half verstuurd</p>"


def test_an_unreachable_host_is_a_clear_error(site_folder, tmp_path):
    settings = settings_for({"web": "rsync:root@127.0.0.1:/srv/x"},
                            PUBLISH_SSH="ssh -p 1 -o BatchMode=yes -o ConnectTimeout=5")
    with pytest.raises(DorpspleinError, match=r"^target web \(rsync:root@127.0.0.1:/srv/x\): reading the live "
                                              r"release failed \(exit 255\): .*(refused|Connection)"):
        deploy(site_folder.root, settings)
