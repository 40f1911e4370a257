#!/usr/bin/env bash
# Restores a backup made by backup.sh: `restore.sh 20261201T030000Z` (or `latest`).
# Stop the web and worker services first (systemctl stop crm-reco crm-reco-worker).
# The database is replaced by the backup's; the uploaded files too (the current ones are kept
# beside them as $BLOB_DIR.before-<time> until you remove them).
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set (see /etc/crm-reco/crm-reco.env)}"
: "${BLOB_DIR:?BLOB_DIR is not set: the folder of uploaded files}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/crm-reco}"
stamp="${1:?usage: restore.sh <backup time, e.g. 20261201T030000Z, or latest>}"
if [ "$stamp" = latest ]; then
  stamp="$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -printf '%f\n' | sort | tail -n 1)"
fi
source_dir="$BACKUP_DIR/$stamp"
[ -d "$source_dir" ] || { echo "No backup $source_dir" >&2; exit 1; }
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS) || { echo "Backup $stamp is damaged (checksums differ)" >&2; exit 1; }

# One transaction: the database's schemas are dropped and the backup's are loaded, or, on any
# error, nothing has changed. (`pg_restore --clean` cannot be used over a live database: it drops
# pg-boss's partitioned tables piece by piece and fails with "cannot drop inherited constraint".)
{
  cat <<'SQL'
set client_min_messages = warning;
do $$
declare s text;
begin
  for s in select nspname from pg_namespace
           where nspname not like 'pg\_%' and nspname <> 'information_schema' loop
    execute format('drop schema %I cascade', s);
  end loop;
end $$;
create schema public;
SQL
  pg_restore --no-owner --file=- "$source_dir/database.dump"
} | psql --no-psqlrc --quiet --single-transaction -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL" >/dev/null

if [ -d "$BLOB_DIR" ]; then
  mv "$BLOB_DIR" "$BLOB_DIR.before-$(date -u +%Y%m%dT%H%M%SZ)"
fi
mkdir -p "$BLOB_DIR"
tar -C "$BLOB_DIR" -xzf "$source_dir/blobs.tar.gz"
echo "Restored $stamp"
