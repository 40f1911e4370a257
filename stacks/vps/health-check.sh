#!/usr/bin/env bash
# Is CRM Reco up? Exit 0 when its services are active and /health says the app and its database
# answer; otherwise say what is wrong on stderr and exit 1. deploy.sh runs it after a restart (and
# rolls back when it fails); a monitoring agent or cron can run it too.
#   health-check.sh [--wait SECONDS]   keep trying for up to SECONDS (default: a single try)
# Environment (read from $CRM_RECO_ENV_FILE, /etc/crm-reco/crm-reco.env, when readable):
#   CRM_RECO_URL    the app, default http://127.0.0.1:$PORT (PORT default 3000)
#   CRM_RECO_UNITS  systemd units that must be active, default "crm-reco crm-reco-worker";
#                   empty for none (one process with --role all: "crm-reco")
set -euo pipefail

env_file="${CRM_RECO_ENV_FILE:-/etc/crm-reco/crm-reco.env}"
if [ -z "${PORT:-}" ] && [ -r "$env_file" ]; then
  set -a
  # shellcheck source=/dev/null
  . "$env_file"
  set +a
fi

wait_seconds=0
while [ $# -gt 0 ]; do
  case "$1" in
    --wait) wait_seconds="${2:?--wait needs a number of seconds}"; shift 2 ;;
    *) echo "usage: health-check.sh [--wait SECONDS]" >&2; exit 2 ;;
  esac
done
url="${CRM_RECO_URL:-http://127.0.0.1:${PORT:-3000}}"
units="${CRM_RECO_UNITS-crm-reco crm-reco-worker}"
problem=""

check() {
  local unit body
  for unit in $units; do
    if ! systemctl is-active --quiet "$unit"; then
      problem="$unit is $(systemctl is-active "$unit" || true)"
      return 1
    fi
  done
  # /health answers 503 with a JSON body when the database does not: read the body either way.
  if ! body="$(curl --silent --show-error --max-time 5 "$url/health" 2>&1)"; then
    problem="$url/health does not answer: $body"
    return 1
  fi
  case "$body" in
    *'"status":"ok"'*) return 0 ;;
    *) problem="$url/health reports a problem: $body"; return 1 ;;
  esac
}

deadline=$(($(date +%s) + wait_seconds))
until check; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "CRM Reco is unhealthy: $problem" >&2
    exit 1
  fi
  sleep 1
done
echo "CRM Reco is healthy ($url${units:+; $units active})"
