#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh: `make restore FILE=path` or scripts/restore.sh FILE.
#   PostgreSQL (DATABASE_URL): pg_restore --clean --if-exists --no-owner in one transaction (all or nothing);
#   the database must exist (createdb it for a fresh one). SQLite: the copy written back to the configured file
#   (stop the portal first). FILE.media.tar.gz, when present, is unpacked into MEDIA_ROOT, or its files are written
#   into the bucket (STORAGE_URL; manage.py media_import, replacing objects of the same name). Either archive fits
#   either place: restoring a backup of local media with STORAGE_URL set moves the files into the bucket.
set -euo pipefail
here=$(pwd)
FILE=${1:-}
[[ -n $FILE ]] || {
    echo "usage: scripts/restore.sh FILE   (make restore FILE=path)" >&2
    exit 2
}
[[ $FILE == /* ]] || FILE=$here/$FILE
[[ -f $FILE ]] || {
    echo "no backup at $FILE" >&2
    exit 1
}
source "$(dirname "${BASH_SOURCE[0]}")/_database.sh"

magic=$(head -c 5 "$FILE" | tr -d '\0')
if [[ $ENGINE == postgresql ]]; then
    [[ $magic == PGDMP ]] || {
        echo "$FILE is not a pg_dump custom-format file, and the database is PostgreSQL" >&2
        exit 1
    }
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
        --dbname="$PGURL" "$FILE"
else
    [[ $magic == SQLit ]] || {
        echo "$FILE is not an SQLite database, and the database is SQLite" >&2
        exit 1
    }
    mkdir -p "$(dirname "$SQLITE")"
    "$PY" -c 'import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
target.close(); source.close()' "$FILE" "$SQLITE"
fi
echo "restored the $ENGINE database from $FILE"
if [[ -f $FILE.media.tar.gz && $STORAGE == bucket ]]; then
    "$PY" manage.py media_import "$FILE.media.tar.gz"
    echo "restored media into the bucket"
elif [[ -f $FILE.media.tar.gz ]]; then
    mkdir -p "$MEDIA"
    tar -xzf "$FILE.media.tar.gz" -C "$MEDIA"
    echo "restored media into $MEDIA"
fi
