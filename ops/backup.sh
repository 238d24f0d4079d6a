#!/usr/bin/env bash
# Back up the MOPR system: the PostgreSQL database (pg_dump, custom format) and the media folder (generated
# PDFs with their SHA-256 in the database, attachments, scans), with a checksum list of both files.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/mopr MEDIA_ROOT=/data/media ops/backup.sh /backups
#
# Writes /backups/mopr-YYYYMMDD-HHMMSS/{database.dump,media.tar.gz,SHA256SUMS} (readable by the owner only)
# and prints that directory on its last line. Needs pg_dump of the server's major version or newer, tar,
# gzip and sha256sum (the postgres:16 image has them all; README "Production" shows the docker command).
# The database is dumped first, the media folder archived after: every row in the dump then has its file
# (files are written before their rows are committed and never deleted by the application), while a file
# written between the two steps only adds a file no row points at, which is harmless.
set -euo pipefail
umask 077

: "${DATABASE_URL:?set DATABASE_URL (postgres://user:password@host:port/database)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT (the media folder, /data/media in the containers)}"
destination_root="${1:?usage: ops/backup.sh DESTINATION_DIRECTORY}"

if [ ! -d "$MEDIA_ROOT" ]; then
  echo "backup: MEDIA_ROOT $MEDIA_ROOT is not a directory" >&2
  exit 1
fi

stamp="$(date -u +%Y%m%d-%H%M%S)"
destination="$destination_root/mopr-$stamp"
mkdir -p "$destination_root"
mkdir "$destination"  # fails rather than mixing two backups made in the same second

pg_dump --format=custom --compress=6 --file="$destination/database.dump" --dbname="$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$destination/media.tar.gz" .
(cd "$destination" && sha256sum database.dump media.tar.gz > SHA256SUMS)

echo "backup: $(du -sh "$destination" | cut -f1) in $destination" >&2
echo "$destination"
