#!/usr/bin/env bash
# Restores a backup made by backup.sh: `restore.sh 20261201T030000Z` (or `latest`, or the
# backup's folder). Stop the web and worker services first (systemctl stop crm-reco
# crm-reco-worker); after restoring a backup older than the release, run `crm-reco migrate`.
# The database is replaced by the backup's; the uploaded files too (the current ones are kept
# beside them as $BLOB_DIR.before-<time> until you remove them).
set -euo pipefail

usage="usage: restore.sh <backup time, e.g. 20261201T030000Z | latest | the backup's folder>"
case "${1:-}" in
  -h | --help) echo "$usage"; exit 0 ;;
  "") echo "$usage" >&2; exit 2 ;;
esac
: "${DATABASE_URL:?DATABASE_URL is not set (see /etc/crm-reco/crm-reco.env)}"
: "${BLOB_DIR:?BLOB_DIR is not set: the folder of uploaded files}"
BACKUP_DIR="$(realpath -m "${BACKUP_DIR:-/var/backups/crm-reco}")"
BLOB_DIR="$(realpath -m "$BLOB_DIR")"
backups() { { find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -printf '%f\n' 2>/dev/null || true; } | sort; }
stamp="$1"
if [ "$stamp" = latest ]; then
  stamp="$(backups | tail -n 1)"
  [ -n "$stamp" ] || { echo "No backups in $BACKUP_DIR" >&2; exit 1; }
  source_dir="$BACKUP_DIR/$stamp"
elif [[ "$stamp" == */* ]]; then
  # A backup's folder given by its path (tab completion, or a copy brought back from off-site).
  source_dir="$(realpath -m "$stamp")"
  stamp="$(basename "$source_dir")"
else
  source_dir="$BACKUP_DIR/$stamp"
fi
# Run from anywhere, even a folder this user may not read (root's home, under runuser): once a
# relative path given has been resolved from where it was typed.
cd /
if [ ! -d "$source_dir" ] || [[ "$stamp" != 20*Z ]]; then
  echo "No backup $stamp in $BACKUP_DIR. The latest ones:" >&2
  backups | tail -n 10 | sed 's/^/  /' >&2
  exit 1
fi
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS) || { echo "Backup $stamp is damaged (checksums differ)" >&2; exit 1; }

if command -v systemctl >/dev/null && systemctl is-active --quiet crm-reco crm-reco-worker 2>/dev/null; then
  echo "CRM Reco is running: stop it first (systemctl stop crm-reco crm-reco-worker), then start it after." >&2
  exit 1
fi

# The backup is read whole before anything is touched: a dump this pg_restore cannot read (cut
# short, or made by a newer pg_dump) fails here, with the database as it was.
# Beside the backups, not in /tmp: the plain SQL is several times the dump, and /tmp may be a
# small tmpfs.
work="$(mktemp -d -p "$BACKUP_DIR" .restore.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! pg_restore --no-owner --file="$work/database.sql" "$source_dir/database.dump"; then
  echo "Backup $stamp cannot be read by this server's pg_restore ($(pg_restore --version)): nothing was changed." >&2
  exit 1
fi

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
  cat "$work/database.sql"
} | psql --no-psqlrc --quiet --single-transaction -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL" >/dev/null

if [ -d "$BLOB_DIR" ]; then
  mv "$BLOB_DIR" "$BLOB_DIR.before-$(date -u +%Y%m%dT%H%M%SZ)"
fi
mkdir -p "$BLOB_DIR"
tar -C "$BLOB_DIR" -xzf "$source_dir/blobs.tar.gz"
echo "Restored $stamp"
