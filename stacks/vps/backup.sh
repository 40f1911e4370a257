#!/usr/bin/env bash
# Daily backup of CRM Reco on a VPS (run by crm-reco-backup.timer): the database as a pg_dump
# custom archive and the uploaded files as a tarball, checksummed, in $BACKUP_DIR/<UTC time>/.
# Backups older than $RETENTION_DAYS are removed. $OFFSITE_HOOK, when set, is run with the new
# backup's directory (e.g. an rclone or rsync command to copy it elsewhere).
set -euo pipefail
umask 077 # the backup holds every customer's personal data

: "${DATABASE_URL:?DATABASE_URL is not set (see /etc/crm-reco/crm-reco.env)}"
: "${BLOB_DIR:?BLOB_DIR is not set: the folder of uploaded files}"
BACKUP_DIR="$(realpath -m "${BACKUP_DIR:-/var/backups/crm-reco}")"
BLOB_DIR="$(realpath -m "$BLOB_DIR")"
RETENTION_DAYS="${RETENTION_DAYS:-14}"
# Run from anywhere, even a folder this user may not read (root's home, under runuser): find
# would fail going back to it after the backup is made, and the off-site copy would not run.
cd /

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/$stamp"
partial="$target.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' ERR

pg_dump --format=custom --no-owner --file="$partial/database.dump" "$DATABASE_URL"
if [ -d "$BLOB_DIR" ]; then
  tar -C "$BLOB_DIR" -czf "$partial/blobs.tar.gz" .
else
  tar -czf "$partial/blobs.tar.gz" --files-from /dev/null
fi
(cd "$partial" && sha256sum database.dump blobs.tar.gz > SHA256SUMS)
# Only a complete backup gets its final name: restore.sh never sees a half-written one.
mv "$partial" "$target"
trap - ERR

find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -mtime +"$RETENTION_DAYS" -exec rm -rf {} +
if [ -n "${OFFSITE_HOOK:-}" ]; then
  $OFFSITE_HOOK "$target"
fi
echo "$stamp"
