#!/usr/bin/env bash
# Make sure PostgreSQL (with the PostGIS extension available) and Redis answer on
# 127.0.0.1:5432 (user postgres, trust auth) and 127.0.0.1:6379.
# Used by `npm run demo` and `npm test`. Idempotent; returns in well under a
# second when both services already run.
#
# Order of attempts for each service: an installed local server is started;
# else, as root with apt-get, the Debian packages are installed and started;
# else docker compose (docker/compose.yml) is used when a Docker engine answers;
# else the script says what to install and exits 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE_FILE="$ROOT/docker/compose.yml"

PG_HOST="${PGHOST:-127.0.0.1}"
PG_PORT="${PGPORT:-5432}"
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-30}"

log() { echo "[services] $*"; }
die() { echo "[services] ERROR: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && have apt-get; }

APT_UPDATED=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

docker_usable() {
  have docker && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1
}

compose_up() {
  log "starting $1 with docker compose ($COMPOSE_FILE)"
  # compose interpolates the whole file: give the app-only variables harmless
  # values so that starting just the backing services does not fail. Local
  # development uses trust auth, as on a Debian install set up by this script.
  local unused=unused-by-backing-services-0123456789
  JWT_SECRET="${JWT_SECRET:-$unused}" IDENTITY_KEYS="${IDENTITY_KEYS:-$unused}" \
    WEBHOOK_SIGNING_KEY="${WEBHOOK_SIGNING_KEY:-$unused}" METRICS_TOKEN="${METRICS_TOKEN:-$unused}" \
    APP_DATABASE_PASSWORD="${APP_DATABASE_PASSWORD:-$unused}" POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-$unused}" \
    POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-trust}" \
    docker compose -f "$COMPOSE_FILE" up -d "$1"
}

# --- probes (fall back to a bare TCP check when the client tools are absent) --
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

pg_up() {
  if have pg_isready; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    tcp_open "$PG_HOST" "$PG_PORT"
  fi
}

redis_up() {
  if have redis-cli; then
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
  else
    local reply
    reply="$( (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" || exit 1
      printf 'PING\r\n' >&3
      IFS= read -r -t 2 line <&3 && printf '%s' "$line") 2>/dev/null)" || return 1
    [ "${reply%$'\r'}" = "+PONG" ]
  fi
}

wait_for() { # name probe seconds
  local name="$1" probe="$2" limit="${3:-$WAIT_SECONDS}" i
  for ((i = 0; i < limit * 4; i++)); do
    "$probe" && return 0
    sleep 0.25
  done
  return 1
}

psql_pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -X -v ON_ERROR_STOP=1 -tAc "$1"; }

# --- PostgreSQL ----------------------------------------------------------------
pg_cluster() { # prints "<version> <name>" of the local cluster to start
  local line
  if have pg_lsclusters; then
    line="$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print $1, $2; exit }')"
    if [ -n "$line" ]; then echo "$line"; return 0; fi
  fi
  local v
  for v in $(ls /etc/postgresql 2>/dev/null | sort -rn); do
    if [ -d "/etc/postgresql/$v/main" ]; then echo "$v main"; return 0; fi
  done
  return 1
}

pg_start_local() {
  local cluster version name
  cluster="$(pg_cluster)" || return 1
  read -r version name <<<"$cluster"
  log "starting PostgreSQL cluster $version/$name"
  pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start || true
}

# A fresh Debian cluster asks for a password over TCP; the project's contract is
# trust auth for local connections, so set that (only on a cluster we created).
pg_trust_loopback() {
  local version="$1" hba="/etc/postgresql/$1/main/pg_hba.conf"
  [ -f "$hba" ] || return 0
  sed -i -E 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1\/32|::1\/128)[[:space:]]+)[a-z0-9-]+/\1trust/' "$hba"
  sed -i -E 's/^(local[[:space:]]+all[[:space:]]+postgres[[:space:]]+)peer/\1trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
}

pg_major_candidate() { # server major the `postgresql` metapackage would install
  apt-cache depends postgresql 2>/dev/null |
    sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1
}

ensure_postgres() {
  pg_up && return 0
  if have pg_ctlcluster && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    pg_start_local || die "no PostgreSQL cluster found under /etc/postgresql (create one: pg_createcluster <version> main)"
  elif can_apt; then
    local major
    major="$(pg_major_candidate)"
    major="${major:-15}"
    apt_install postgresql postgresql-contrib "postgresql-$major-postgis-3"
    pg_up || pg_start_local || die "PostgreSQL installed but no cluster found under /etc/postgresql"
    wait_for postgres pg_up || die "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${WAIT_SECONDS}s"
    pg_trust_loopback "$(pg_cluster | cut -d' ' -f1)"
  elif docker_usable; then
    compose_up postgres
    wait_for postgres pg_up 90 || die "PostgreSQL (docker compose) did not answer on $PG_HOST:$PG_PORT"
  else
    die "PostgreSQL is not reachable on $PG_HOST:$PG_PORT and cannot be started here.
  Install PostgreSQL 15 with PostGIS 3 (Debian: apt-get install postgresql postgresql-contrib postgresql-15-postgis-3),
  allow trust auth for user postgres from 127.0.0.1, and start it; or run a Docker engine with the compose plugin."
  fi
  wait_for postgres pg_up || die "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${WAIT_SECONDS}s"
  log "PostgreSQL is up on $PG_HOST:$PG_PORT"
}

ensure_postgis() {
  if ! have psql; then
    log "psql not found; cannot check that PostGIS is available (install postgresql-client)"
    return 0
  fi
  local available
  available="$(psql_pg "SELECT 1 FROM pg_available_extensions WHERE name='postgis'" 2>&1)" ||
    die "cannot connect as postgres to $PG_HOST:$PG_PORT without a password: $available
  (the project expects trust auth for local connections; see pg_hba.conf)"
  [ "$available" = "1" ] && return 0

  local major
  major="$(psql_pg "SELECT current_setting('server_version_num')::int / 10000")"
  if can_apt; then
    apt_install "postgresql-$major-postgis-3"
    available="$(psql_pg "SELECT 1 FROM pg_available_extensions WHERE name='postgis'")"
    [ "$available" = "1" ] || die "postgresql-$major-postgis-3 installed but PostGIS is still not available"
    log "PostGIS installed for PostgreSQL $major"
  else
    die "the PostGIS extension is not available to PostgreSQL $major.
  Install PostGIS 3 for it (Debian: apt-get install postgresql-$major-postgis-3) and run this again."
  fi
}

# --- Redis -----------------------------------------------------------------------
redis_start_local() {
  log "starting redis-server on $REDIS_HOST:$REDIS_PORT"
  # Nothing is persisted: this is the development/test instance.
  redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" \
    --maxmemory-policy noeviction --save "" --appendonly no --dir /tmp >/dev/null
}

ensure_redis() {
  redis_up && return 0
  if have redis-server; then
    redis_start_local || die "redis-server failed to start"
  elif can_apt; then
    apt_install redis-server
    redis_up || redis_start_local
  elif docker_usable; then
    compose_up redis
    wait_for redis redis_up 90 || die "Redis (docker compose) did not answer on $REDIS_HOST:$REDIS_PORT"
  else
    die "Redis is not reachable on $REDIS_HOST:$REDIS_PORT and cannot be started here.
  Install Redis 7 (Debian: apt-get install redis-server) and start it; or run a Docker engine with the compose plugin."
  fi
  wait_for redis redis_up || die "Redis did not answer on $REDIS_HOST:$REDIS_PORT within ${WAIT_SECONDS}s"
  log "Redis is up on $REDIS_HOST:$REDIS_PORT"
}

redis_noeviction() {
  have redis-cli || return 0
  local policy
  policy="$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" CONFIG GET maxmemory-policy 2>/dev/null | sed -n 2p)" || true
  if [ -n "$policy" ] && [ "$policy" != "noeviction" ]; then
    log "Redis maxmemory-policy is $policy; setting noeviction (BullMQ needs it)"
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" CONFIG SET maxmemory-policy noeviction >/dev/null 2>&1 || true
  fi
}

ensure_postgres
ensure_redis
ensure_postgis
redis_noeviction
wait_for postgres pg_up || die "PostgreSQL stopped answering on $PG_HOST:$PG_PORT"
wait_for redis redis_up || die "Redis stopped answering on $REDIS_HOST:$REDIS_PORT"
log "ready: postgres $PG_HOST:$PG_PORT, redis $REDIS_HOST:$REDIS_PORT"
