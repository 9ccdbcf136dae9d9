"""config/storage.py: STORAGE_URL and the AWS_* names give a private S3 configuration; nothing makes files public;
no setting means local disk. And the download's Content-Disposition (networks.downloads)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import LOCAL_BACKEND, S3_BACKEND, default_storage_config, from_url
from networks.downloads import content_disposition


def test_no_setting_is_local_disk():
    assert default_storage_config({}) == {"BACKEND": LOCAL_BACKEND}


def test_storage_url_with_everything():
    config = default_storage_config(
        {
            "STORAGE_URL": "s3://AKIA%2Fx:se%40cret@minio.kreis-dueren.de:9000/klimanetz/portal?region=eu-central-1&secure=1"
        },
        presigned_seconds=45,
    )
    assert config["BACKEND"] == S3_BACKEND
    assert config["OPTIONS"] == {
        "bucket_name": "klimanetz",
        "location": "portal",
        "access_key": "AKIA/x",
        "secret_key": "se@cret",
        "endpoint_url": "https://minio.kreis-dueren.de:9000",
        "region_name": "eu-central-1",
        "addressing_style": "path",
        "use_ssl": True,
        "signature_version": "s3v4",
        "querystring_expire": 45,
        "max_memory_size": 8 * 1024 * 1024,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "custom_domain": None,
    }


def test_storage_url_on_loopback_and_on_aws():
    local = from_url("s3://k:s@127.0.0.1:8200/b?secure=0", location="t-1")["OPTIONS"]
    assert local["endpoint_url"] == "http://127.0.0.1:8200" and local["location"] == "t-1"
    assert local["use_ssl"] is False and "region_name" not in local
    aws = from_url("s3://k:s@s3.eu-central-1.amazonaws.com/b")["OPTIONS"]
    assert aws["addressing_style"] == "virtual" and aws["endpoint_url"] == "https://s3.eu-central-1.amazonaws.com"


def test_aws_names_and_forced_privacy():
    config = default_storage_config(
        {
            "AWS_STORAGE_BUCKET_NAME": "klimanetz",
            "AWS_S3_ENDPOINT_URL": "https://s3.de.io.cloud.ovh.net",
            "AWS_S3_REGION_NAME": "de",
            "AWS_DEFAULT_ACL": "private",
        }
    )
    options = config["OPTIONS"]
    assert config["BACKEND"] == S3_BACKEND and options["bucket_name"] == "klimanetz"
    assert options["endpoint_url"] == "https://s3.de.io.cloud.ovh.net" and options["region_name"] == "de"
    assert "access_key" not in options  # boto3 finds the key itself (environment, instance role)
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    "environ",
    [
        {"STORAGE_URL": "https://minio.example/bucket"},
        {"STORAGE_URL": "s3://k:s@minio.example:9000/"},
        {"STORAGE_URL": "s3://k:s@minio.example:9000/b?addressing=sideways"},
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_DEFAULT_ACL": "public-read"},
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_QUERYSTRING_AUTH": "false"},
    ],
)
def test_bad_or_public_configurations_are_refused(environ):
    with pytest.raises(ImproperlyConfigured):
        default_storage_config(environ)


def test_content_disposition_rfc_6266_and_5987():
    assert content_disposition("bericht.pdf") == 'attachment; filename="bericht.pdf"'
    assert content_disposition("Präsentation Wärme.pdf", inline=True) == (
        "inline; filename=\"Praesentation Waerme.pdf\"; filename*=utf-8''Pr%C3%A4sentation%20W%C3%A4rme.pdf"
    )
    header = content_disposition('Straße "neu"\r\n.csv')
    assert header.startswith("attachment; filename=\"Strasse _neu_  .csv\"; filename*=utf-8''")
    assert "\r" not in header and "\n" not in header
