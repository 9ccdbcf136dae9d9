"""Where the portal keeps its files (``STORAGES["default"]``): uploads (library and event documents, channel
attachments), built reports. Local disk under ``MEDIA_ROOT`` unless an S3-compatible bucket is configured, by

    STORAGE_URL=s3://KEY:SECRET@host:port/bucket[/prefix]?region=eu-central-1&secure=1&addressing=path

(``secure=0`` speaks plain HTTP, for a store on loopback; ``addressing`` is ``path`` or ``virtual``, by default
``virtual`` on amazonaws.com and ``path`` elsewhere, as MinIO and Ceph want it; key and secret URL-quoted), or by
django-storages' own names in the environment: ``AWS_STORAGE_BUCKET_NAME``, ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_S3_ENDPOINT_URL``, ``AWS_S3_REGION_NAME``, ``AWS_LOCATION``,
``AWS_S3_ADDRESSING_STYLE``. The objects are never public, whichever way: no ACL is set (the bucket's private
default), URLs are always signed and short-lived, and a name is never overwritten (a second upload of the same
name gets a suffix). settings.py calls :func:`default_storage_config`; the tests call :func:`from_url`."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"

# Forced on every bucket configuration: nothing the environment says makes an object public.
NEVER_PUBLIC = {"default_acl": None, "querystring_auth": True, "file_overwrite": False, "custom_domain": None}
AWS_NAMES = {  # environment name -> S3Storage option
    "AWS_STORAGE_BUCKET_NAME": "bucket_name",
    "AWS_ACCESS_KEY_ID": "access_key",
    "AWS_SECRET_ACCESS_KEY": "secret_key",
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_LOCATION": "location",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
}
FALSE = {"0", "false", "no", "off"}


def _bucket(options: dict, *, presigned_seconds: int) -> dict:
    if not options.get("bucket_name"):
        raise ImproperlyConfigured("The object storage needs a bucket (STORAGE_URL s3://…/bucket).")
    options = {k: v for k, v in options.items() if v not in (None, "")}
    if options.get("addressing_style", "auto") not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured("The object storage's addressing is 'path' or 'virtual'.")
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "signature_version": "s3v4",
            "querystring_expire": presigned_seconds,
            "max_memory_size": 8 * 1024 * 1024,  # a file read from the bucket stays in memory up to 8 MB
            **options,
            **NEVER_PUBLIC,
        },
    }


def from_url(url: str, *, presigned_seconds: int = 60, location: str | None = None) -> dict:
    """``STORAGES["default"]`` for an ``s3://`` URL (see the module's docstring); ``location`` overrides its
    prefix (each test writes under a prefix of its own)."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured("STORAGE_URL must start with s3:// (or be empty for local disk).")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    bucket, _, prefix = parts.path.strip("/").partition("/")
    hostport = parts.netloc.rpartition("@")[2]
    secure = query.get("secure", "1").lower() not in FALSE
    endpoint = f"{'https' if secure else 'http'}://{hostport}" if hostport else None
    addressing = query.get("addressing") or ("virtual" if hostport.endswith("amazonaws.com") else "path")
    return _bucket(
        {
            "bucket_name": bucket,
            "location": prefix if location is None else location,
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "endpoint_url": endpoint,
            "region_name": query.get("region"),
            "addressing_style": addressing,
            "use_ssl": secure,
        },
        presigned_seconds=presigned_seconds,
    )


def default_storage_config(environ: dict, *, presigned_seconds: int = 60) -> dict:
    """``STORAGES["default"]`` from the environment: STORAGE_URL, else the AWS_* names, else local disk."""
    url = environ.get("STORAGE_URL", "").strip()
    if url:
        return from_url(url, presigned_seconds=presigned_seconds)
    if environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
        acl = environ.get("AWS_DEFAULT_ACL", "").strip().lower()
        if acl not in ("", "private", "none", "bucket-owner-full-control"):
            raise ImproperlyConfigured(f"AWS_DEFAULT_ACL={acl}: the portal's files are never public.")
        if environ.get("AWS_QUERYSTRING_AUTH", "").strip().lower() in FALSE:
            raise ImproperlyConfigured("AWS_QUERYSTRING_AUTH=false: the portal's files are only given out signed.")
        options = {option: environ.get(name, "").strip() for name, option in AWS_NAMES.items()}
        return _bucket(options, presigned_seconds=presigned_seconds)
    return {"BACKEND": LOCAL_BACKEND}
