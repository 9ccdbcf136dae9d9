# Sourced by backup.sh and restore.sh: what Django is configured with (environment and .env), as shell variables
#   ENGINE (postgresql|sqlite3), PGURL (libpq URI, PostgreSQL only), SQLITE (path, SQLite only), MEDIA (MEDIA_ROOT),
#   STORAGE (local: files under MEDIA_ROOT; bucket: an S3-compatible bucket, STORAGE_URL, config/storage.py).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PY:-.venv/bin/python}
[[ -x $PY ]] || PY=python3
config=$(
    "$PY" - <<'PYTHON'
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KLIMANETZ_TESTING", "false")
django.setup()
from django.conf import settings  # noqa: E402

db = settings.DATABASES["default"]
engine = db["ENGINE"].rsplit(".", 1)[-1]
url = os.environ.get("DATABASE_URL", "")
if engine == "postgresql":  # libpq knows postgres:// and postgresql://, django-environ also psql:// and pgsql://
    url = "postgresql://" + url.split("://", 1)[1]
from django.core.files.storage import default_storage  # noqa: E402

from networks.downloads import is_object_storage  # noqa: E402

storage = "bucket" if is_object_storage(default_storage) else "local"
print(engine, url, db["NAME"] if engine == "sqlite3" else "", settings.MEDIA_ROOT, storage, sep="\n")
PYTHON
) || {
    echo "could not read the Django settings" >&2
    exit 1
}
{
    read -r ENGINE
    read -r PGURL
    read -r SQLITE
    read -r MEDIA
    read -r STORAGE
} <<<"$config"
case $ENGINE in
postgresql | sqlite3) ;;
*)
    echo "unsupported database engine: $ENGINE" >&2
    exit 1
    ;;
esac
