import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.publish.config import choose_target, parse_target, publish_settings


@pytest.mark.parametrize("spec, kind, host, path, bucket", [
    ("dir:/srv/site", "dir", "", "/srv/site", ""),
    ("dir:/srv/site/", "dir", "", "/srv/site", ""),
    ("rsync:deploy@web.voorbeeld.nl:/srv/site", "rsync", "deploy@web.voorbeeld.nl", "/srv/site", ""),
    ("rsync:web:/srv/site", "rsync", "web", "/srv/site", ""),
    ("rsync:/mnt/share/site", "rsync", "", "/mnt/share/site", ""),
    ("s3://dorpsplein-site", "s3", "", "", "dorpsplein-site"),
    ("s3://dorpsplein-site/www/", "s3", "", "www", "dorpsplein-site"),
])
def test_target_forms(spec, kind, host, path, bucket):
    target = parse_target("t", spec)
    assert (target.kind, target.host, target.path, target.bucket) == (kind, host, path, bucket)


@pytest.mark.parametrize("spec", ["dir:relative", "dir:/", "rsync:host:relative", "ftp://x", "s3://A_B", 42])
def test_a_bad_target_is_named_with_the_forms_that_work(spec):
    with pytest.raises(DorpspleinError) as error:
        parse_target("live", spec)
    assert str(error.value).startswith("PUBLISH_TARGETS['live']: ")


def test_an_unknown_target_lists_the_known_ones():
    config = publish_settings({"PUBLISH_TARGETS": {"live": "dir:/a", "test": "dir:/b"}})
    with pytest.raises(DorpspleinError, match=r"^unknown publish target 'prod'; PUBLISH_TARGETS has: live, test$"):
        choose_target(config, "prod")


def test_environment_overrides_settings_the_settings_file_lacks(monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_PUBLISH_TARGETS", '{"ci": "dir:/tmp/ci"}')
    monkeypatch.setenv("DORPSPLEIN_PUBLISH_TARGET", "ci")
    target = choose_target(publish_settings({}), None)
    assert (target.name, target.path) == ("ci", "/tmp/ci")


def test_bad_settings_name_the_setting(monkeypatch):
    with pytest.raises(DorpspleinError, match="^PUBLISH_S3_ENCODING: expected none or gzip, got 'br'$"):
        publish_settings({"PUBLISH_S3_ENCODING": "br"})
    monkeypatch.setenv("DORPSPLEIN_PUBLISH_KEEP_RELEASES", "veel")
    with pytest.raises(DorpspleinError, match="^DORPSPLEIN_PUBLISH_KEEP_RELEASES: expected a whole number"):
        publish_settings({})
