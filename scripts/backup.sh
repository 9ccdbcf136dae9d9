#!/usr/bin/env bash
# Back up the portal's database and media: `make backup [FILE=path]` or scripts/backup.sh [FILE].
#   PostgreSQL (DATABASE_URL): pg_dump in the custom format (-Fc), restorable with scripts/restore.sh.
#   SQLite (no DATABASE_URL):  a consistent copy through SQLite's online backup API (safe while the portal runs).
# The stored files (uploads, report files) go next to it as FILE.media.tar.gz: a tar of MEDIA_ROOT, or, when they
# live in an S3-compatible bucket (STORAGE_URL), every object of it read through the storage (manage.py media_export).
# Default FILE: backups/klimanetz-<date>-<time>.dump (PostgreSQL) or .sqlite3 (SQLite).
set -euo pipefail
here=$(pwd)
source "$(dirname "${BASH_SOURCE[0]}")/_database.sh"

FILE=${1:-}
if [[ -z $FILE ]]; then
    mkdir -p backups
    FILE=backups/klimanetz-$(date +%Y%m%d-%H%M%S).$([[ $ENGINE == postgresql ]] && echo dump || echo sqlite3)
fi
[[ $FILE == /* ]] || [[ $FILE == backups/* && -z ${1:-} ]] || FILE=$here/$FILE
mkdir -p "$(dirname "$FILE")"
tmp=$FILE.partial
trap 'rm -f "$tmp" "$tmp.tar.gz"' EXIT

if [[ $ENGINE == postgresql ]]; then
    pg_dump --format=custom --no-owner --no-privileges --file="$tmp" "$PGURL"
else
    [[ -f $SQLITE ]] || {
        echo "no SQLite database at $SQLITE" >&2
        exit 1
    }
    "$PY" -c 'import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
target.close(); source.close()' "$SQLITE" "$tmp"
fi
if [[ $STORAGE == bucket ]]; then
    "$PY" manage.py media_export "$tmp.tar.gz"
    mv "$tmp.tar.gz" "$FILE.media.tar.gz"
elif [[ -d $MEDIA ]] && [[ -n $(ls -A "$MEDIA") ]]; then
    tar -czf "$tmp.tar.gz" -C "$MEDIA" .
    mv "$tmp.tar.gz" "$FILE.media.tar.gz"
else
    rm -f "$FILE.media.tar.gz"
fi
mv "$tmp" "$FILE"
echo "backup of the $ENGINE database: $FILE ($(du -h "$FILE" | cut -f1))"
[[ -f $FILE.media.tar.gz ]] && echo "media ($([[ $STORAGE == bucket ]] && echo "the bucket" || echo "$MEDIA")): $FILE.media.tar.gz"
exit 0
