"""The `s3://bucket/prefix` target: an S3-compatible bucket, through boto3.

Only objects whose content changed are uploaded (the local MD5 against the ETag, which is the
MD5 of an object uploaded in one part; every put here is one part), objects the site no longer
has are deleted, and every object gets its Content-Type and Cache-Control.

S3 static hosting serves an object exactly as stored: it does no content negotiation, so a
`x.html.gz` beside `x.html` is never picked for a browser. Hence PUBLISH_S3_ENCODING:
  "none" (default): plain objects, no .gz/.br objects; compression is the CDN's job.
  "gzip": text files are stored gzip-compressed under their own name with
          `Content-Encoding: gzip` — smaller and cheaper, but sent compressed to every client,
          also one that did not ask (every browser and feed reader copes; curl needs --compressed).
S3 has no atomic switch: assets are uploaded before the pages that use them, and deletions come
last, so a visitor may see an old page for a moment but never a page missing its stylesheet.
"""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

from ..errors import DorpspleinError
from .config import Target
from .files import cache_control, content_type, is_compressed_variant, manifest
from .report import DeployReport, Progress

logger = logging.getLogger(__name__)
ACCESS_KEY_ENV, SECRET_KEY_ENV = "DORPSPLEIN_S3_ACCESS_KEY_ID", "DORPSPLEIN_S3_SECRET_ACCESS_KEY"


def client(config: dict, environ=os.environ):
    import boto3
    from botocore.config import Config

    options = {"config": Config(retries={"max_attempts": 5, "mode": "standard"})}
    if config["PUBLISH_S3_ENDPOINT_URL"]:
        options["endpoint_url"] = config["PUBLISH_S3_ENDPOINT_URL"]
    if config["PUBLISH_S3_REGION"]:
        options["region_name"] = config["PUBLISH_S3_REGION"]
    if environ.get(ACCESS_KEY_ENV) or environ.get(SECRET_KEY_ENV):  # else boto3's own chain (instance role)
        options["aws_access_key_id"] = environ.get(ACCESS_KEY_ENV)
        options["aws_secret_access_key"] = environ.get(SECRET_KEY_ENV)
    return boto3.client("s3", **options)


def _objects(source: Path, gzip_mode: bool) -> dict[str, tuple[Path, str, str | None]]:
    """key (relative) → (file to upload, its MD5, Content-Encoding)."""
    files = manifest(source)
    objects = {}
    for rel, info in files.items():
        if is_compressed_variant(rel):
            continue
        gz = files.get(rel + ".gz")
        if gzip_mode and gz is not None:
            objects[rel] = (source / gz.path, gz.md5, "gzip")
        else:
            objects[rel] = (source / rel, info.md5, None)
    return objects


def _remote(s3, bucket: str, prefix: str) -> dict[str, str]:
    etags = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def _upload_order(rel: str) -> tuple[bool, str]:
    return (rel.endswith(".html"), rel)  # pages last: what they load is there before them


def deploy_s3(source: Path, target: Target, config: dict, dry_run: bool, progress: Progress,
              s3=None) -> DeployReport:
    from botocore.exceptions import BotoCoreError, ClientError

    report, bucket = DeployReport(target, dry_run), target.bucket
    prefix = f"{target.path}/" if target.path else ""
    objects = _objects(source, config["PUBLISH_S3_ENCODING"] == "gzip")
    done = 0
    try:
        s3 = s3 or client(config)
        remote = _remote(s3, bucket, prefix)
        report.sent = sorted((rel for rel, (_, md5, _) in objects.items() if remote.get(prefix + rel) != md5),
                             key=_upload_order)
        report.deleted = sorted(key[len(prefix):] for key in remote if key[len(prefix):] not in objects)
        report.unchanged = len(objects) - len(report.sent)
        if dry_run:
            return report
        for rel in report.sent:
            path, md5, encoding = objects[rel]
            extra = {"ContentEncoding": encoding} if encoding else {}
            with open(path, "rb") as body:
                s3.put_object(Bucket=bucket, Key=prefix + rel, Body=body, ContentType=content_type(rel),
                              CacheControl=cache_control(rel), ContentMD5=_base64_md5(md5), **extra)
            done += 1
            progress("Uploaden", done, len(report.sent))
        for start in range(0, len(report.deleted), 1000):  # DeleteObjects takes at most 1000 keys
            batch = report.deleted[start:start + 1000]
            answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": prefix + k} for k in batch],
                                                              "Quiet": True})
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise DorpspleinError(f"target {target}: could not delete {first['Key']}: {first.get('Message')}")
    except (BotoCoreError, ClientError) as exc:
        raise DorpspleinError(f"target {target}: {exc}; {done} of {len(report.sent)} file(s) were uploaded, "
                              "run publish again to finish") from exc
    return report


def _base64_md5(hex_md5: str) -> str:
    """Content-MD5, so the server refuses a body damaged on the way."""
    return base64.b64encode(bytes.fromhex(hex_md5)).decode()

