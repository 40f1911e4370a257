#!/usr/bin/env bash
# Installs or upgrades CRM Reco on one Debian 12 or Ubuntu 22.04+ server. As root, from a checkout:
#   stacks/vps/deploy.sh --domain crm.example.fr --email you@example.fr
# Idempotent: run it again to upgrade (after a git pull) or to repair. Each run builds a new
# release in /opt/crm-reco/releases/<UTC time>, backs the database up, migrates it, points
# /opt/crm-reco/current at the new release, restarts the services and checks their health. When
# the check fails, current goes back to the previous release, which is restarted and checked.
# A rollback restores the code, not the schema: migrations must keep the previous release working.
#
# What it sets up: packages (PostgreSQL, Nginx, certbot, UFW, fail2ban); Node 22 from nodejs.org,
# checksum-verified, in /opt/crm-reco/node; the crm-reco user and its folders; the database and
# its role (peer authentication over the local socket); /etc/crm-reco/crm-reco.env, written once
# with a generated secret key and never overwritten; the systemd units (web, worker, daily
# backup); the Nginx site with a Let's Encrypt certificate; UFW allowing 22, 80 and 443 only;
# the fail2ban jail for repeated sign-in failures.
#
# Options:
#   --domain NAME    the site's name (required unless --skip-system)
#   --email ADDRESS  for Let's Encrypt (required until the certificate exists)
#   --source DIR     the code to deploy (default: the checkout this script is in)
#   --one-process    web and jobs in one process (crm-reco.service runs --role all, no worker)
#   --skip-system    only what needs no root (tests, or a server managed otherwise): no packages,
#                    Node, user, database, firewall, TLS, and no systemd or Nginx (re)loads
#   --skip-build     take node_modules and web/dist from the source as they are (a CI artefact)
#   --no-backup      no backup before migrating
#   --keep N         releases kept, the current one included (default 3)
# Environment: CRM_RECO_ROOT prefixes every path written (default /, for tests); NODE_VERSION
# (e.g. 22.21.0; default: keep an installed 22.18+, else the latest 22.x); NODE_MIRROR (where
# Node's releases are, laid out as nodejs.org/dist; default https://nodejs.org/dist); HEALTH_WAIT
# (seconds, default 60); SSH_PORT (default 22).
set -euo pipefail

log() { printf '==> %s\n' "$*"; }
die() {
  printf 'deploy.sh: %s\n' "$*" >&2
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$here/../.." && pwd)"
domain=""
email=""
system=1
build=1
backup=1
one_process=0
keep=3
while [ $# -gt 0 ]; do
  case "$1" in
    --domain) domain="${2:?--domain needs a name}"; shift 2 ;;
    --email) email="${2:?--email needs an address}"; shift 2 ;;
    --source) source_dir="$(cd "${2:?--source needs a folder}" && pwd)"; shift 2 ;;
    --one-process) one_process=1; shift ;;
    --skip-system) system=0; shift ;;
    --skip-build) build=0; shift ;;
    --no-backup) backup=0; shift ;;
    --keep) keep="${2:?--keep needs a number}"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ "$keep" -ge 2 ] 2>/dev/null || die "--keep must be 2 or more (the current release and the one before)"
if [ "$system" = 1 ]; then
  [ "$(id -u)" = 0 ] || die "run as root (or with --skip-system)"
  [ -n "$domain" ] || die "--domain is required"
fi
[ -f "$source_dir/bin/crm-reco.js" ] || die "$source_dir is not a CRM Reco checkout"

root="${CRM_RECO_ROOT:-}"
root="${root%/}"
user=crm-reco
app="$root/opt/crm-reco"
releases="$app/releases"
current="$app/current"
node_dir="$app/node"
env_file="$root/etc/crm-reco/crm-reco.env"
data="$root/var/lib/crm-reco"
backups="$root/var/backups/crm-reco"
if [ "$system" = 1 ]; then
  node_bin="$node_dir/bin"
else
  command -v node >/dev/null || die "--skip-system runs the node on PATH (22.18 or newer): none found"
  node_bin="$(dirname "$(command -v node)")"
fi
export PATH="$node_bin:$PATH"

# Runs a command with the app's settings, as its user when this script manages the system.
as_app() {
  # shellcheck disable=SC2016 # expanded by the inner shell: $0 is the settings file
  local run=(bash -c 'set -a; . "$0"; set +a; exec "$@"' "$env_file" "$@")
  if [ "$system" = 1 ]; then
    runuser -u "$user" -- env "PATH=$PATH" "${run[@]}"
  else
    "${run[@]}"
  fi
}

install_packages() {
  log "Packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql nginx certbot ufw fail2ban curl ca-certificates xz-utils
  systemctl enable --now postgresql nginx
}

firewall() {
  log "Firewall: SSH (${SSH_PORT:-22}), HTTP and HTTPS only"
  # SSH first: enabling UFW must never lock out the session running this script.
  ufw allow "${SSH_PORT:-22}/tcp"
  ufw allow 80/tcp
  ufw allow 443/tcp
  ufw --force enable
}

ensure_user() {
  id -u "$user" >/dev/null 2>&1 ||
    useradd --system --home-dir /var/lib/crm-reco --shell /usr/sbin/nologin "$user"
}

# Node 22 from nodejs.org (Debian and Ubuntu ship older ones), verified against its SHASUMS256.
ensure_node() {
  local have want arch tarball tmp
  have="$("$node_dir/bin/node" --version 2>/dev/null || true)"
  want="${NODE_VERSION:-}"
  if [ -z "$want" ] && [[ "$have" =~ ^v22\.([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -ge 18 ]; then
    log "Node $have (kept)"
    return
  fi
  if [ -n "$want" ] && [ "$have" = "v$want" ]; then
    log "Node $have (kept)"
    return
  fi
  case "$(dpkg --print-architecture)" in
    amd64) arch=x64 ;;
    arm64) arch=arm64 ;;
    *) die "no Node 22 build for $(dpkg --print-architecture)" ;;
  esac
  tmp="$(mktemp -d)"
  local mirror="${NODE_MIRROR:-https://nodejs.org/dist}"
  local base="${mirror%/}/${want:+v$want}"
  [ -n "$want" ] || base="${mirror%/}/latest-v22.x"
  curl -fsSL "$base/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt"
  tarball="$(grep -o "node-v22\.[0-9.]*-linux-$arch\.tar\.xz" "$tmp/SHASUMS256.txt" | head -n 1)"
  [ -n "$tarball" ] || die "no linux-$arch tarball listed in $base/SHASUMS256.txt"
  log "Node ${tarball%%-linux*} from ${mirror#*://}"
  curl -fsSL "$base/$tarball" -o "$tmp/$tarball"
  (cd "$tmp" && grep " $tarball\$" SHASUMS256.txt | sha256sum --check --quiet) ||
    die "$tarball does not match its published checksum"
  rm -rf "$node_dir.new"
  mkdir -p "$node_dir.new"
  tar -C "$node_dir.new" --strip-components=1 -xJf "$tmp/$tarball"
  rm -rf "$node_dir"
  mv "$node_dir.new" "$node_dir"
  rm -rf "$tmp"
}

ensure_database() {
  log "Database crm-reco (role crm-reco, local socket)"
  local exists
  exists="$(runuser -u postgres -- psql -tAc "select 1 from pg_roles where rolname = '$user'")"
  [ "$exists" = 1 ] || runuser -u postgres -- createuser "$user"
  exists="$(runuser -u postgres -- psql -tAc "select 1 from pg_database where datname = '$user'")"
  [ "$exists" = 1 ] || runuser -u postgres -- createdb --owner "$user" "$user"
}

ensure_folders() {
  mkdir -p "$releases" "$data/blobs" "$backups" "$(dirname "$env_file")"
  if [ "$system" = 1 ]; then
    chown "$user:$user" "$data" "$data/blobs" "$backups"
    chmod 750 "$data" "$backups"
  fi
}

# Written once: the secret key encrypts stored secrets, so it must never change under the data.
ensure_settings() {
  if [ -f "$env_file" ]; then
    log "Settings in $env_file (kept)"
    return
  fi
  log "Settings in $env_file (new, with a generated secret key)"
  (
    umask 077
    cat >"$env_file" <<ENV
DATABASE_URL=postgres:///$user?host=/var/run/postgresql
CRM_RECO_SECRET_KEY=$(head -c 32 /dev/urandom | base64)
CRM_RECO_DATA_DIR=$data
BLOB_DIR=$data/blobs
BACKUP_DIR=$backups
PORT=3000
HOST=127.0.0.1
LOG_LEVEL=info
ENV
  )
  [ "$system" = 0 ] || chown "$user:$user" "$env_file"
}

# A folder's contents copied with hard links where the file system allows (instant), else copied.
copy_linked() {
  mkdir -p "$(dirname "$2")"
  cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2" && cp -a "$1" "$2"; }
}

build_release() {
  local stamp n=1
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  release="$releases/$stamp"
  while [ -e "$release" ]; do release="$releases/$stamp-$((n += 1))"; done
  log "Release ${release##*/} from $source_dir"
  partial="$release.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  # A build that fails leaves nothing behind, and current untouched.
  trap 'rm -rf "$partial"' EXIT
  tar -C "$source_dir" --exclude=node_modules --exclude=.git --exclude=.data --exclude=.ci \
    --exclude=test-results --exclude=.sst --exclude=cdk.out --exclude=./web/dist -cf - . |
    tar -C "$partial" -xf -
  if [ "$build" = 1 ]; then
    # The running app's dependencies only: the test and AWS tooling (sst, aws-cdk-lib, Chromium's
    # driver…) are development dependencies, a gigabyte a small server does not need.
    (cd "$partial" && npm ci --omit=dev --no-audit --no-fund && npm run build:web)
  else
    local modules
    while IFS= read -r modules; do
      copy_linked "$source_dir/$modules" "$partial/$modules"
    done < <(cd "$source_dir" && find . -maxdepth 2 -type d -name node_modules -prune)
    [ -f "$source_dir/web/dist/index.html" ] || die "--skip-build: $source_dir/web/dist is not built"
    copy_linked "$source_dir/web/dist" "$partial/web/dist"
  fi
  mv "$partial" "$release"
  trap - EXIT
}

# The configuration files, rendered under $CRM_RECO_ROOT: loaded only when managing the system.
render_files() {
  local files="$release/stacks/vps" etc="$root/etc"
  mkdir -p "$etc/systemd/system" "$etc/fail2ban/filter.d" "$etc/fail2ban/jail.d" \
    "$etc/nginx/sites-available"
  cp "$files"/systemd/crm-reco-backup.service "$files"/systemd/crm-reco-backup.timer \
    "$files"/systemd/crm-reco-worker.service "$etc/systemd/system/"
  if [ "$one_process" = 1 ]; then
    sed 's/--role web/--role all/' "$files/systemd/crm-reco.service" >"$etc/systemd/system/crm-reco.service"
  else
    cp "$files/systemd/crm-reco.service" "$etc/systemd/system/"
  fi
  cp "$files/fail2ban/filter.d/crm-reco-sign-in.conf" "$etc/fail2ban/filter.d/"
  cp "$files/fail2ban/jail.d/crm-reco.conf" "$etc/fail2ban/jail.d/"
  if [ -n "$domain" ]; then
    sed "s/crm\.example\.fr/$domain/g" "$files/nginx/crm-reco.conf" >"$etc/nginx/sites-available/crm-reco"
  fi
}

units() { if [ "$one_process" = 1 ]; then echo crm-reco; else echo crm-reco crm-reco-worker; fi; }

load_system_files() {
  log "systemd units, fail2ban jail"
  systemctl daemon-reload
  # shellcheck disable=SC2046 # one word per unit
  systemctl enable $(units) crm-reco-backup.timer
  [ "$one_process" = 0 ] || systemctl disable --now crm-reco-worker 2>/dev/null || true
  systemctl start crm-reco-backup.timer
  systemctl enable fail2ban
  systemctl restart fail2ban
}

site_with_certificate() {
  local cert="/etc/letsencrypt/live/$domain/fullchain.pem"
  mkdir -p /var/www/letsencrypt
  if [ ! -f "$cert" ]; then
    [ -n "$email" ] || die "no certificate for $domain yet: give --email for Let's Encrypt"
    log "Certificate for $domain (Let's Encrypt; Nginx pauses for the challenge)"
    certbot certonly --standalone --non-interactive --agree-tos -m "$email" -d "$domain" \
      --pre-hook "systemctl stop nginx" --post-hook "systemctl start nginx"
  fi
  ln -sfn /etc/nginx/sites-available/crm-reco /etc/nginx/sites-enabled/crm-reco
  nginx -t
  systemctl reload nginx
}

migrate() {
  log "Migrations"
  (cd "$release" && as_app node bin/crm-reco.js migrate)
}

backup_first() {
  [ "$backup" = 1 ] && [ -n "$previous" ] || return 0
  log "Backup before migrating"
  as_app "$release/stacks/vps/backup.sh" >/dev/null
}

# Atomic: current is always a whole release (a symlink renamed over the old one).
point_current_at() {
  ln -sfn "releases/$1" "$current.new"
  mv -Tf "$current.new" "$current"
}

# Never fatal: whether the services came up is the health check's to say (and to roll back).
restart() {
  [ "$system" = 1 ] || return 0
  log "Restart: $(units)"
  # shellcheck disable=SC2046 # one word per unit
  systemctl restart $(units) || true
}

healthy() {
  local wanted=""
  [ "$system" = 0 ] || wanted="$(units)"
  CRM_RECO_ENV_FILE="$env_file" CRM_RECO_UNITS="$wanted" PORT="" \
    "$current/stacks/vps/health-check.sh" --wait "${HEALTH_WAIT:-60}"
}

prune() {
  local old live
  live="$(basename "$(readlink "$current")")"
  # Release names are UTC times: they sort in time order and split safely.
  for old in $(find "$releases" -mindepth 1 -maxdepth 1 -type d -name '20*' ! -name '*.partial' \
    -printf '%f\n' | sort | head -n "-$keep"); do
    [ "$old" = "$live" ] || rm -rf "${releases:?}/$old"
  done
}

if [ "$system" = 1 ]; then
  install_packages
  firewall
  ensure_user
  ensure_node
  ensure_database
fi
ensure_folders
ensure_settings
previous=""
[ -L "$current" ] && previous="$(basename "$(readlink "$current")")"
partial=""
build_release
# Until it is live, a failure removes the new release and leaves the running one as it was.
trap 'rm -rf "$release"' EXIT
backup_first
migrate
render_files
if [ "$system" = 1 ]; then
  load_system_files
  site_with_certificate
fi
trap - EXIT
point_current_at "${release##*/}"
restart
if ! healthy; then
  if [ -z "$previous" ]; then
    die "the first release does not answer its health check: see journalctl -u crm-reco -u crm-reco-worker"
  fi
  log "Rolling back to $previous"
  point_current_at "$previous"
  rm -rf "$release" # its logs are in the journal; its code is the checkout's
  restart
  healthy || die "the previous release $previous does not answer its health check either"
  die "release ${release##*/} failed its health check: back on $previous"
fi
prune
log "CRM Reco ${release##*/} is live${domain:+ at https://$domain}"
