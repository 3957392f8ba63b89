"""The s3:// target against moto's S3 server on 127.0.0.1, through the real boto3 client."""

import gzip
import itertools

import boto3
import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.publish import deploy
from dorpsplein.publish.compress import precompress

from .conftest import settings_for

_numbers = itertools.count()


@pytest.fixture
def bucket(s3_env):
    s3 = boto3.client("s3", endpoint_url=s3_env, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    name = f"dorpsplein-{next(_numbers)}"
    s3.create_bucket(Bucket=name)
    return s3, name


def s3_settings(endpoint, spec, **extra):
    return settings_for({"bucket": spec}, PUBLISH_S3_ENDPOINT_URL=endpoint, PUBLISH_S3_REGION="us-east-1", **extra)


def keys(s3, name):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", []))


def test_upload_twice_the_second_run_sends_nothing_and_removed_files_are_deleted(site_folder, bucket, s3_env):
    s3, name = bucket
    precompress(site_folder.root)
    settings = s3_settings(s3_env, f"s3://{name}/www")
    first = deploy(site_folder.root, settings)
    expected = ["www/.well-known/security.txt", "www/blog/index.html", "www/blog/oud/index.html",
                "www/images/logo.png", "www/index.html", "www/theme/css/site.css"]
    assert keys(s3, name) == expected  # no .gz/.br objects: S3 would never pick them
    assert len(first.sent) == 6 and first.sent[-1].endswith(".html")  # pages after what they load

    again = deploy(site_folder.root, settings)
    assert (again.sent, again.deleted, again.unchanged) == ([], [], 6)

    site_folder.write("index.html", "<p>Nieuw</p>")
    (site_folder.root / "blog/oud/index.html").unlink()
    third = deploy(site_folder.root, settings)
    assert (third.sent, third.deleted) == (["index.html"], ["blog/oud/index.html"])
    assert "www/blog/oud/index.html" not in keys(s3, name)
    assert s3.get_object(Bucket=name, Key="www/index.html")["Body"].read() == b"<p>Nieuw</p>"


def test_objects_carry_type_cache_policy_and_no_encoding(site_folder, bucket, s3_env):
    s3, name = bucket
    deploy(site_folder.root, s3_settings(s3_env, f"s3://{name}"))
    page = s3.head_object(Bucket=name, Key="index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=300"
    assert "ContentEncoding" not in page
    css = s3.head_object(Bucket=name, Key="theme/css/site.css")
    assert (css["ContentType"], css["CacheControl"]) == ("text/css; charset=utf-8", "public, max-age=86400")
    assert s3.head_object(Bucket=name, Key="images/logo.png")["ContentType"] == "image/png"
    assert s3.head_object(Bucket=name, Key=".well-known/security.txt")["ContentType"] == "text/plain; charset=utf-8"


def test_gzip_mode_stores_compressed_bodies_with_content_encoding(site_folder, bucket, s3_env):
    s3, name = bucket
    precompress(site_folder.root)
    settings = s3_settings(s3_env, f"s3://{name}", PUBLISH_S3_ENCODING="gzip")
    deploy(site_folder.root, settings)
    page = s3.get_object(Bucket=name, Key="index.html")
    assert page["ContentEncoding"] == "gzip" and page["ContentType"] == "text/html; charset=utf-8"
    assert gzip.decompress(page["Body"].read()) == (site_folder.root / "index.html").read_bytes()
    small = s3.head_object(Bucket=name, Key="blog/oud/index.html")  # too small to compress: plain
    assert "ContentEncoding" not in small
    # Deterministic gzip: a rebuild with the same content compares equal to the ETag.
    precompress(site_folder.root)
    assert deploy(site_folder.root, settings).sent == []


def test_only_the_prefix_is_ours(site_folder, bucket, s3_env):
    s3, name = bucket
    s3.put_object(Bucket=name, Key="archief/index.html", Body=b"ander project")
    s3.put_object(Bucket=name, Key="www-oud/index.html", Body=b"ook niet van ons")
    report = deploy(site_folder.root, s3_settings(s3_env, f"s3://{name}/www"))
    assert report.deleted == []
    assert {"archief/index.html", "www-oud/index.html"} <= set(keys(s3, name))


def test_dry_run_uploads_nothing(site_folder, bucket, s3_env):
    s3, name = bucket
    report = deploy(site_folder.root, s3_settings(s3_env, f"s3://{name}"), dry_run=True)
    assert len(report.sent) == 6 and keys(s3, name) == []


def test_a_missing_bucket_is_a_clear_error_naming_the_target(site_folder, s3_env):
    with pytest.raises(DorpspleinError) as error:
        deploy(site_folder.root, s3_settings(s3_env, "s3://bestaat-niet/www"))
    assert str(error.value).startswith("target bucket (s3://bestaat-niet/www): ")
    assert "NoSuchBucket" in str(error.value)
