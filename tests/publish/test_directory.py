"""The dir: target on a real file system: releases, hard links, the symlink switch, failures."""

import os
import shutil
from pathlib import Path

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.publish import deploy
from dorpsplein.publish import directory as directory_module

from .conftest import settings_for


def live(root: Path) -> Path:
    return (root / "current").resolve()


def test_publish_twice_the_second_run_sends_nothing(site_folder, tmp_path):
    target = tmp_path / "www"
    settings = settings_for({"local": f"dir:{target}"})
    first = deploy(site_folder.root, settings)
    assert first.release and len(first.sent) == 6 and first.deleted == []
    assert os.readlink(target / "current") == f"releases/{first.release}"
    assert (live(target) / "index.html").read_bytes() == (site_folder.root / "index.html").read_bytes()
    assert (live(target) / ".well-known/security.txt").exists()

    second = deploy(site_folder.root, settings)
    assert (second.sent, second.deleted, second.release, second.unchanged) == ([], [], None, 6)
    assert sorted(os.listdir(target / "releases")) == [first.release]


def test_changed_files_are_sent_unchanged_ones_are_hard_links_and_removed_pages_disappear(site_folder, tmp_path):
    target = tmp_path / "www"
    settings = settings_for({"local": f"dir:{target}"})
    first = deploy(site_folder.root, settings)
    old_release = live(target)
    site_folder.write("blog/index.html", "<p>Nieuw overzicht</p>")
    shutil.rmtree(site_folder.root / "blog/oud")

    second = deploy(site_folder.root, settings)
    assert (second.sent, second.deleted) == (["blog/index.html"], ["blog/oud/index.html"])
    new_release = live(target)
    assert new_release.name == second.release != first.release
    assert not (new_release / "blog/oud/index.html").exists()
    assert (new_release / "blog/index.html").read_text() == "<p>Nieuw overzicht</p>"
    # Unchanged: the same inode as in the previous release (so its mtime, Last-Modified, stays).
    assert (new_release / "index.html").stat().st_ino == (old_release / "index.html").stat().st_ino
    assert (new_release / "blog/index.html").stat().st_ino != (old_release / "blog/index.html").stat().st_ino
    # The previous release is untouched, for a rollback.
    assert (old_release / "blog/oud/index.html").exists()


def test_dry_run_lists_changes_and_touches_nothing(site_folder, tmp_path):
    target = tmp_path / "www"
    settings = settings_for({"local": f"dir:{target}"})
    deploy(site_folder.root, settings)
    before = sorted(os.listdir(target / "releases"))
    site_folder.write("index.html", "<p>Anders</p>")
    report = deploy(site_folder.root, settings, dry_run=True)
    assert report.sent == ["index.html"] and report.release is None
    assert sorted(os.listdir(target / "releases")) == before
    assert (live(target) / "index.html").read_text() != "<p>Anders</p>"


def test_only_the_newest_releases_are_kept(site_folder, tmp_path):
    target = tmp_path / "www"
    settings = settings_for({"local": f"dir:{target}"}, PUBLISH_KEEP_RELEASES=2)
    releases = []
    for number in range(4):
        site_folder.write("index.html", f"<p>Versie {number}</p>")
        releases.append(deploy(site_folder.root, settings).release)
    assert sorted(os.listdir(target / "releases")) == releases[-2:]
    assert live(target).name == releases[-1]


def test_a_failed_copy_leaves_the_live_release_untouched(site_folder, tmp_path, monkeypatch):
    target = tmp_path / "www"
    settings = settings_for({"local": f"dir:{target}"})
    first = deploy(site_folder.root, settings)
    site_folder.write("index.html", "<p>Half</p>")
    site_folder.write("blog/index.html", "<p>Ook half</p>")
    real_copy, calls = shutil.copyfile, []

    def disk_full_on_second_copy(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_copy(src, dst)

    monkeypatch.setattr(directory_module.shutil, "copyfile", disk_full_on_second_copy)
    with pytest.raises(DorpspleinError) as error:
        deploy(site_folder.root, settings)
    assert str(error.value).startswith(f"target local (dir:{target}): deploy failed, the live site was not changed: ")
    assert "No space left on device" in str(error.value)
    assert len(calls) == 2  # it did fail half-way
    assert os.readlink(target / "current") == f"releases/{first.release}"
    assert os.listdir(target / "releases") == [first.release]  # no half-written release left
    assert "Half" not in (live(target) / "index.html").read_text()


def test_the_switch_never_leaves_current_missing_or_pointing_at_a_partial_release(site_folder, tmp_path, monkeypatch):
    """Before and after every file-system call of the switch, `current` resolves to a complete release."""
    target = tmp_path / "www"
    settings = settings_for({"local": f"dir:{target}"})
    deploy(site_folder.root, settings)
    site_folder.write("index.html", "<p>Nieuw</p>")
    complete_pages = {(site_folder.root / "index.html").read_text(), (live(target) / "index.html").read_text()}
    observed = []

    def assert_whole_site_is_live():
        current = target / "current"
        assert current.is_symlink() and not current.resolve().name.startswith(".")
        observed.append((current.resolve() / "index.html").read_text())
        assert observed[-1] in complete_pages
        assert (current.resolve() / "theme/css/site.css").exists()

    def watched(function):
        def call(*args, **kwargs):
            assert_whole_site_is_live()
            result = function(*args, **kwargs)
            assert_whole_site_is_live()
            return result
        return call

    for name in ("symlink", "replace", "unlink", "rename"):
        monkeypatch.setattr(directory_module.os, name, watched(getattr(os, name)))
    report = deploy(site_folder.root, settings)
    assert report.release and observed[-1] == "<p>Nieuw</p>"
    assert len(observed) >= 4  # the switch really went through the watched calls


def test_a_folder_named_current_is_not_replaced(site_folder, tmp_path):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)
    with pytest.raises(DorpspleinError, match=r"current is not a symlink; move it away"):
        deploy(site_folder.root, settings_for({"local": f"dir:{target}"}))


@pytest.mark.parametrize("spec", ["dir", "rsync"])
def test_excluded_files_stay_home_and_leave_the_target(site_folder, tmp_path, spec, rsync_available):
    target = tmp_path / "www"
    deploy(site_folder.root, settings_for({"t": f"{spec}:{target}"}))
    assert (live(target) / "blog/oud/index.html").exists()
    report = deploy(site_folder.root, settings_for({"t": f"{spec}:{target}"}, PUBLISH_EXCLUDE=["blog/oud/*"]))
    assert (report.sent, report.deleted) == ([], ["blog/oud/index.html"])
    assert not (live(target) / "blog/oud").exists() and (live(target) / "blog/index.html").exists()
    assert (site_folder.root / "blog/oud/index.html").exists()  # still in output/
    assert [p.name for p in site_folder.root.parent.iterdir() if p.name.startswith(".publish-")] == []
