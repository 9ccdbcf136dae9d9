"""The object-storage tests run against a real S3-compatible server through boto3: TEST_STORAGE_URL (``.ci/run``
starts moto's server, .ci/s3.sh; locally: ``bash .ci/s3.sh start /tmp/s3`` and export what it prints). Without it
they skip, unless REQUIRE_SERVICES=1 (CI), where they fail.

Each test writes under a prefix of its own in the one bucket (``location``: the xdist workers never meet) and
points the portal's default storage at it through Django's settings (reset after the test); MEDIA_ROOT points at a
directory that must still not exist afterwards (a worker on another machine has no disk to share)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from config import storage as storage_config


@dataclass
class Bucket:
    client: object
    name: str
    prefix: str
    endpoint: str
    url: str  # TEST_STORAGE_URL

    def listing(self) -> list[str]:
        """The keys under the test's prefix, without it, sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=self.prefix + "/")
        return sorted(item["Key"][len(self.prefix) + 1 :] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=f"{self.prefix}/{key}")["Body"].read()

    def object_url(self, key: str) -> str:
        """The object's plain (unsigned) address on the server."""
        return f"{self.endpoint}/{self.name}/{self.prefix}/{key}"


def _client(options: dict):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=options.get("endpoint_url"),
        aws_access_key_id=options.get("access_key"),
        aws_secret_access_key=options.get("secret_key"),
        region_name=options.get("region_name"),
        config=Config(signature_version="s3v4", s3={"addressing_style": options.get("addressing_style", "path")}),
    )


@pytest.fixture(scope="session")
def storage_server() -> str:
    url = os.environ.get("TEST_STORAGE_URL", "")
    problem = "" if url else "TEST_STORAGE_URL is not set (no S3-compatible server for the storage tests)"
    if url:
        options = storage_config.from_url(url)["OPTIONS"]
        try:
            _client(options).head_bucket(Bucket=options["bucket_name"])
        except Exception as error:  # noqa: BLE001
            problem = f"the S3 server at TEST_STORAGE_URL does not answer or has no bucket: {error}"
    if problem:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}", pytrace=False)
        pytest.skip(problem)
    return url


@pytest.fixture
def s3(storage_server, settings, tmp_path) -> Bucket:
    """The portal's files in the test's own prefix of the bucket."""
    prefix = f"t-{uuid.uuid4().hex[:16]}"
    config = storage_config.from_url(storage_server, location=prefix, presigned_seconds=60)
    settings.STORAGES = {**settings.STORAGES, "default": config}
    settings.STORAGE_REDIRECT = True
    settings.STORAGE_PRESIGNED_SECONDS = 60
    local = Path(tmp_path) / "no-local-media"
    settings.MEDIA_ROOT = str(local)
    options = config["OPTIONS"]
    bucket = Bucket(_client(options), options["bucket_name"], prefix, options["endpoint_url"], storage_server)
    yield bucket
    keys = bucket.listing()
    for start in range(0, len(keys), 1000):
        objects = [{"Key": f"{prefix}/{key}"} for key in keys[start : start + 1000]]
        bucket.client.delete_objects(Bucket=bucket.name, Delete={"Objects": objects})
    assert not local.exists(), "a file was written to local disk while the storage is the bucket"
