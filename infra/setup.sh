#!/usr/bin/env bash
# Brings up the real services mmo needs for dev, tests, the demo and CI:
# Redis, PostgreSQL 15, RabbitMQ and a SoftHSM v2 token holding the VS key.
#
# Idempotent: installs only what is missing (apt), starts only what is not
# running, creates the database role/databases only when absent, and leaves
# an existing token and key alone. Our machines have no systemd and no
# Docker, so services are started directly as daemons.
#
# Environment (defaults in brackets):
#   MMO_DB_PASSWORD    password of the PostgreSQL role mmo            [mmo]
#   MMO_SKIP_APT=1     never install packages, fail if something is missing
#   MMO_SKIP_REDIS=1, MMO_SKIP_POSTGRES=1, MMO_SKIP_RABBITMQ=1, MMO_SKIP_HSM=1
#                      leave that part out
#   MMO_HSM_PIN, MMO_HSM_SO_PIN, MMO_HSM_KEY_ALIAS  passed on to softhsm/init-token.sh
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

DB_ROLE=mmo
DB_NAMES=(mmo mmo_test)
DB_PASSWORD=${MMO_DB_PASSWORD:-mmo}
PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
AMQP_PORT=5672
RABBIT_VHOSTS=(mmo mmo_test)
APT_LOG=${TMPDIR:-/tmp}/mmo-setup-apt.log

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
skipped() { [[ "${1:-}" == 1 || "${1:-}" == true ]]; }

# --- privilege helpers -------------------------------------------------------
# Root runs things directly; a normal user goes through sudo if there is one.
can_root() { [[ $EUID -eq 0 ]] || command -v sudo >/dev/null 2>&1; }

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# Runs a command as another OS user (psql as postgres: peer auth needs it).
# cd / first so the target user never trips over an unreadable cwd.
as_user() {
  local user=$1; shift
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  elif command -v sudo >/dev/null 2>&1; then
    (cd / && sudo -u "$user" -- "$@")
  else
    die "need root (or sudo) to run as $user: $*"
  fi
}

# --- small probes ------------------------------------------------------------
port_open() { timeout 2 bash -c ": >/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# wait_for <what> <seconds> <command...>: polls every 0.5 s, fails clearly.
wait_for() {
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what did not come up within ${secs}s"
    sleep 0.5
  done
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# --- packages ----------------------------------------------------------------
# Collects every missing package first so apt-get update runs at most once.
install_packages() {
  # curl and unzip: the Maven wrapper downloads and unpacks Maven with them.
  local wanted=(openssl curl unzip ca-certificates) missing=() p
  skipped "${MMO_SKIP_REDIS:-}"    || wanted+=(redis-server redis-tools)
  skipped "${MMO_SKIP_POSTGRES:-}" || wanted+=(postgresql-15 postgresql-client-15)
  skipped "${MMO_SKIP_RABBITMQ:-}" || wanted+=(rabbitmq-server)
  skipped "${MMO_SKIP_HSM:-}"      || wanted+=(softhsm2 opensc)
  # The build needs a JDK 17+ (javac), and keytool generates the VS key on the token.
  if ! command -v javac >/dev/null 2>&1 || ! command -v keytool >/dev/null 2>&1; then
    wanted+=(openjdk-17-jdk-headless)
  fi
  for p in "${wanted[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    log "packages: all present"
    return
  fi
  skipped "${MMO_SKIP_APT:-}" && die "missing packages (MMO_SKIP_APT set): ${missing[*]}"
  log "installing: ${missing[*]} (apt output in $APT_LOG)"
  # apt/dpkg are chatty even with -qq: keep their output in a log and show
  # its tail only when something goes wrong.
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
           --no-install-recommends "${missing[@]}"; } >"$APT_LOG" 2>&1; then
    tail -n 20 "$APT_LOG" >&2
    die "apt-get failed (full log: $APT_LOG)"
  fi
}

# --- Redis -------------------------------------------------------------------
redis_up() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

ensure_redis() {
  if redis_up; then log "redis: running on 127.0.0.1:$REDIS_PORT"; return; fi
  log "redis: starting"
  as_root mkdir -p /var/lib/redis /var/log/redis
  # Dev/CI cache only: no persistence, so a restart is always a clean slate.
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
    --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for "redis (see /var/log/redis/ci.log)" 15 redis_up
  log "redis: up"
}

# --- PostgreSQL --------------------------------------------------------------
pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

# Version of the "main" cluster; prefers 15, creates one if the package
# is installed but no cluster exists (e.g. it was dropped).
pg_cluster_version() {
  local versions
  versions=$(pg_lsclusters -h 2>/dev/null | awk '$2 == "main" {print $1}')
  if [[ -z "$versions" ]]; then
    log "postgres: no cluster found, creating 15/main" >&2
    as_root pg_createcluster 15 main >/dev/null
    versions=15
  fi
  if grep -qx 15 <<<"$versions"; then echo 15; else head -n1 <<<"$versions"; fi
}

ensure_postgres_running() {
  if pg_up; then log "postgres: running on $PG_HOST:$PG_PORT"; return; fi
  local ver
  ver=$(pg_cluster_version)
  log "postgres: starting cluster $ver/main"
  # No systemd here: bypass the systemctl redirect. Failure is tolerated
  # ("already running" while it boots); the wait below decides.
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
    log "postgres: pg_ctlcluster returned non-zero, waiting anyway"
  wait_for "postgres (see /var/log/postgresql/)" 60 pg_up
  log "postgres: up"
}

# psql as the postgres superuser over the local socket: works with both
# peer and trust auth. SQL comes on stdin so psql variables (:'pw') work.
pg_super() { as_user postgres psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
pg_query() { pg_super -tA -c "$1"; }

mmo_login_ok() {
  local db=${1:-mmo}
  PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=5 \
    psql -X -q -tA "postgresql://$DB_ROLE@$PG_HOST:$PG_PORT/$db" -c 'select 1' 2>/dev/null | grep -qx 1
}

# The services connect over TCP with a password, so prove exactly that.
all_logins_ok() {
  local db
  for db in "${DB_NAMES[@]}"; do mmo_login_ok "$db" || return 1; done
}

ensure_pg_role() {
  local exists
  # Plain assignment (not inside [[ ]]) so set -e stops us if psql fails.
  exists=$(pg_query "select 1 from pg_roles where rolname = '$DB_ROLE'")
  if [[ -z "$exists" ]]; then
    log "postgres: creating role $DB_ROLE"
    pg_super -v pw="$DB_PASSWORD" <<<"CREATE ROLE $DB_ROLE LOGIN PASSWORD :'pw';"
  elif ! mmo_login_ok; then
    # Role exists but the password (or LOGIN) does not match MMO_DB_PASSWORD.
    log "postgres: role $DB_ROLE exists but login fails, resetting its password"
    pg_super -v pw="$DB_PASSWORD" <<<"ALTER ROLE $DB_ROLE LOGIN PASSWORD :'pw';"
  fi
}

ensure_pg_database() {
  local db=$1 owner
  owner=$(pg_query "select pg_get_userbyid(datdba) from pg_database where datname = '$db'")
  if [[ -z "$owner" ]]; then
    log "postgres: creating database $db"
    pg_super -c "CREATE DATABASE $db OWNER $DB_ROLE"
  elif [[ "$owner" != "$DB_ROLE" ]]; then
    log "postgres: database $db owned by $owner, handing it to $DB_ROLE"
    pg_super -c "ALTER DATABASE $db OWNER TO $DB_ROLE"
  fi
}

ensure_postgres() {
  ensure_postgres_running
  if all_logins_ok; then
    # Fast path, and the only one open to a user without root/sudo.
    log "postgres: role $DB_ROLE, databases ${DB_NAMES[*]} ok (TCP login verified)"
    return
  fi
  ensure_pg_role
  local db
  for db in "${DB_NAMES[@]}"; do ensure_pg_database "$db"; done
  all_logins_ok ||
    die "postgres: '$DB_ROLE' cannot log in to ${DB_NAMES[*]} over TCP ($PG_HOST:$PG_PORT); check pg_hba.conf"
  log "postgres: role $DB_ROLE, databases ${DB_NAMES[*]} ok (TCP login verified)"
}

# --- RabbitMQ ----------------------------------------------------------------
# The AMQP port opens late in boot, so an open port means "ready for clients".
rabbit_ping() { as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

ensure_rabbitmq() {
  if port_open "$AMQP_PORT"; then
    if ! can_root; then
      log "rabbitmq: port $AMQP_PORT open (no root/sudo: node not pinged)"
      return
    fi
    # Something listens on 5672: make sure it is our broker, not a stranger.
    rabbit_ping || die "rabbitmq: port $AMQP_PORT is open but the node does not answer ping"
    log "rabbitmq: running on 127.0.0.1:$AMQP_PORT"
    return
  fi
  can_root || die "rabbitmq: not running on port $AMQP_PORT and starting it needs root or sudo"
  if rabbit_ping; then
    log "rabbitmq: node is booting, waiting for port $AMQP_PORT"
  else
    log "rabbitmq: starting (takes a few seconds)"
    as_root rabbitmq-server -detached
  fi
  wait_for "rabbitmq (see /var/log/rabbitmq/)" 90 port_open "$AMQP_PORT"
  wait_for "rabbitmq ping" 30 rabbit_ping
  log "rabbitmq: up"
}

# guest/guest is the dev login (RabbitMQ allows it on loopback only).
ensure_rabbit_guest() {
  can_root || return 0 # rabbitmqctl needs root (or the rabbitmq user)
  if as_root rabbitmqctl -q authenticate_user guest guest >/dev/null 2>&1; then
    return
  fi
  log "rabbitmq: (re)creating user guest"
  as_root rabbitmqctl -q add_user guest guest >/dev/null 2>&1 ||
    as_root rabbitmqctl -q change_password guest guest
  as_root rabbitmqctl -q set_user_tags guest administrator
  as_root rabbitmqctl -q set_permissions -p / guest '.*' '.*' '.*'
}

# The VS's vhosts (mmo for runs, mmo_test for the tests), each with full rights for guest. Only the
# missing ones are created; existing vhosts and their queues (the audit backlog!) are left alone.
ensure_rabbit_vhosts() {
  can_root || return 0 # rabbitmqctl needs root (or the rabbitmq user)
  local existing vhost
  existing=$(as_root rabbitmqctl -q list_vhosts name 2>/dev/null) ||
    die "rabbitmq: cannot list vhosts"
  for vhost in "${RABBIT_VHOSTS[@]}"; do
    if grep -qx -- "$vhost" <<<"$existing"; then
      continue
    fi
    log "rabbitmq: creating vhost $vhost"
    as_root rabbitmqctl -q add_vhost "$vhost"
    as_root rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*'
  done
  upgrade_audit_queues
}

# The audit queue has a single active consumer since batch heads go through it (vs-quarkus/README.md,
# "Batch heads through the audit queue"). RabbitMQ cannot add that argument to an existing queue, so
# an empty mmo.audit declared without it is deleted (the VS declares it again); one that still holds
# records is left alone and reported: drain it with the previous VS version first.
upgrade_audit_queues() {
  local vhost line
  for vhost in "${RABBIT_VHOSTS[@]}"; do
    line=$(as_root rabbitmqctl -q list_queues -p "$vhost" name messages arguments 2>/dev/null |
      awk '$1 == "mmo.audit"') || continue
    [[ -n "$line" ]] || continue
    grep -q 'x-single-active-consumer' <<<"$line" && continue
    if [[ "$(awk '{print $2}' <<<"$line")" == "0" ]]; then
      log "rabbitmq: $vhost/mmo.audit predates the single active consumer; deleting the empty queue"
      as_root rabbitmqctl -q delete_queue -p "$vhost" mmo.audit >/dev/null
    else
      log "rabbitmq: WARNING $vhost/mmo.audit holds records and lacks x-single-active-consumer;" \
        "drain it with the previous VS version, then run this again"
    fi
  done
}

# --- main --------------------------------------------------------------------
main() {
  install_packages
  skipped "${MMO_SKIP_REDIS:-}"    || ensure_redis
  skipped "${MMO_SKIP_POSTGRES:-}" || ensure_postgres
  if ! skipped "${MMO_SKIP_RABBITMQ:-}"; then
    ensure_rabbitmq
    ensure_rabbit_guest
    ensure_rabbit_vhosts
  fi
  if ! skipped "${MMO_SKIP_HSM:-}"; then
    log "softhsm: running softhsm/init-token.sh"
    "$INFRA_DIR/softhsm/init-token.sh"
  fi
  "$INFRA_DIR/jwt/init-keys.sh" # dev key pair for admin API tokens (infra/jwt/, git-ignored)
  log "done; for builds and runs: . infra/softhsm/env.sh"
}

main "$@"
