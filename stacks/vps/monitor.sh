#!/usr/bin/env bash
# A one-screen summary of a CRM Reco server: services, health, the job queue, the latest job
# outcomes and source runs, the last backup, and disk space. Read-only; run it as root or as the
# crm-reco user (it reads /etc/crm-reco/crm-reco.env, or $CRM_RECO_ENV_FILE, when readable).
# Environment: DATABASE_URL, BLOB_DIR, BACKUP_DIR, CRM_RECO_UNITS (see health-check.sh).
set -euo pipefail

env_file="${CRM_RECO_ENV_FILE:-/etc/crm-reco/crm-reco.env}"
if [ -z "${DATABASE_URL:-}" ] && [ -r "$env_file" ]; then
  set -a
  # shellcheck source=/dev/null
  . "$env_file"
  set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set (see /etc/crm-reco/crm-reco.env)}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/crm-reco}"
BLOB_DIR="${BLOB_DIR:-/var/lib/crm-reco/blobs}"
units="${CRM_RECO_UNITS-crm-reco crm-reco-worker}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# deploy.sh's database trusts the app's system user over the local socket (peer authentication),
# not root: as root, ask as that user (from /, which it can enter, unlike root's own folders).
as_app_user=()
if [ "$(id -u)" = 0 ] && id -u crm-reco >/dev/null 2>&1; then
  as_app_user=(runuser -u crm-reco -- env --chdir=/)
fi
sql() { "${as_app_user[@]}" psql --no-psqlrc --quiet --pset=pager=off --pset=footer=off -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }
value() { "${as_app_user[@]}" psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }
section() { printf '\n== %s\n' "$1"; }

echo "CRM Reco on $(hostname) at $(date -u '+%Y-%m-%d %H:%M UTC')"

section "Services"
for unit in $units crm-reco-backup.timer; do
  [ "$unit" = crm-reco-backup.timer ] && [ -z "$units" ] && continue
  state="$(systemctl is-active "$unit" 2>/dev/null || true)"
  since="$(systemctl show --property=ActiveEnterTimestamp --value "$unit" 2>/dev/null || true)"
  printf '%-24s %-10s %s\n' "$unit" "${state:-unknown}" "${since:+since $since}"
done
[ -n "$units" ] || echo "(not asked: CRM_RECO_UNITS is empty)"

section "Health"
CRM_RECO_UNITS="" "$here/health-check.sh" 2>&1 || true

section "Job queue (pg-boss): waiting, running, retrying, failed for good; done in the last 24 h"
if [ "$(value "select to_regclass('pgboss.job') is not null")" = t ]; then
  sql "select name as queue,
         count(*) filter (where state = 'created') as waiting,
         count(*) filter (where state = 'active') as running,
         count(*) filter (where state = 'retry') as retrying,
         count(*) filter (where state = 'failed') as failed,
         count(*) filter (where state = 'completed' and completed_on > now() - interval '24 hours') as done_24h,
         coalesce(date_trunc('second', max(now() - created_on) filter (where state = 'created'))::text, '') as oldest_waiting
       from pgboss.job where name not like '\_\_pgboss%' group by name order by name"
else
  echo "(no pg-boss tables: the in-process queue, or no worker has started yet)"
fi

section "Jobs of the last 24 h, by kind and outcome (what the app shows)"
sql "select kind, count(*) filter (where status = 'queued') as queued,
       count(*) filter (where status = 'running') as running,
       count(*) filter (where status = 'succeeded') as succeeded,
       count(*) filter (where status = 'failed') as failed,
       count(*) filter (where status = 'dead') as dead,
       max(finished_at)::timestamp(0) as last_finished
     from jobs where created_at > now() - interval '24 hours' group by kind order by kind"

section "Last run of each source"
sql "select distinct on (r.source_id) t.slug as estate, s.name as source, r.trigger, r.status,
       r.started_at::timestamp(0) as started, r.rows_read, r.rows_rejected, coalesce(r.error_code, '') as error
     from sync_runs r join sources s on s.id = r.source_id join tenants t on t.id = r.tenant_id
     order by r.source_id, r.started_at desc"

section "Last backup"
last="$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -printf '%f\n' 2>/dev/null | sort | tail -n 1 || true)"
if [ -n "$last" ]; then
  echo "$last in $BACKUP_DIR ($(du -sh "$BACKUP_DIR/$last" | cut -f1))"
else
  echo "none in $BACKUP_DIR"
fi

section "Disk"
{ df -h / "$BLOB_DIR" "$BACKUP_DIR" 2>/dev/null || true; } | awk 'NR == 1 || !seen[$0]++'
echo "uploaded files: $(du -sh "$BLOB_DIR" 2>/dev/null | cut -f1 || echo '?')"
sql "select pg_size_pretty(pg_database_size(current_database())) as database_size"
