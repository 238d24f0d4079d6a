#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database and an empty media folder.
#
#   createdb mopr_restored        # or the fresh, empty "mopr" database of a new installation
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/mopr_restored MEDIA_ROOT=/data/media ops/restore.sh BACKUP_DIR
#
# Refuses a database that has tables or a media folder that has files: a restore never merges into live data.
# Checks the backup's checksums first, restores the dump in one transaction (owners and grants are those of
# the connecting user), then unpacks the media (as root, tar keeps the files' owner, the image's user 10001).
# Afterwards run, against the restored database and media:  python manage.py verify_documents --min-documents 1
# (every stored document's SHA-256 must match its file), then start the application.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL of the empty target database}"
: "${MEDIA_ROOT:?set MEDIA_ROOT (the empty target media folder)}"
backup="${1:?usage: ops/restore.sh BACKUP_DIRECTORY (made by ops/backup.sh)}"

for file in database.dump media.tar.gz SHA256SUMS; do
  if [ ! -f "$backup/$file" ]; then
    echo "restore: $backup/$file is missing" >&2
    exit 1
  fi
done
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

tables="$(psql --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [ "$tables" != "0" ]; then
  echo "restore: the target database already has $tables tables; restore only into an empty database" >&2
  exit 1
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore: $MEDIA_ROOT is not empty; restore only into an empty media folder" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"

echo "restore: database and media restored from $backup; now run: python manage.py verify_documents --min-documents 1" >&2
