#!/usr/bin/env bash
# `npm run demo`: the whole system on this machine with demo data. Starts Postgres and Redis if needed, builds,
# migrates, loads the demo network (once), then runs the worker and the API until Ctrl-C.
# Environment: DATABASE_URL (the application's role; default: shelterlink_app on database `shelterlink` on
# 127.0.0.1), DATABASE_OWNER_URL (the owner's, for migrate and seed-demo; default: postgres on the same database),
# PORT (3000), JWT_SECRET, LOG_LEVEL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "[demo] $*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
bash docker/services.sh

export DATABASE_URL="${DATABASE_URL:-postgres://shelterlink_app:local-only-app-password@127.0.0.1:5432/shelterlink}"
DB_NAME="${DATABASE_URL##*/}"
DB_NAME="${DB_NAME%%\?*}"
[[ "$DB_NAME" =~ ^[A-Za-z0-9_]+$ ]] || { echo "[demo] unsupported database name in DATABASE_URL: $DB_NAME" >&2; exit 1; }
# migrate (as the owner) creates the application's role and grants it only what it needs
export DATABASE_OWNER_URL="${DATABASE_OWNER_URL:-postgres://postgres@127.0.0.1:5432/$DB_NAME}"
psql_admin() { psql -h 127.0.0.1 -U postgres -d postgres -X -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
  log "creating database $DB_NAME"
  psql_admin "CREATE DATABASE \"$DB_NAME\""
fi

log "building (nest build, and the web app: vite build)"
npx nest build api
npm run --silent web:build >/dev/null
# development mode, asked for explicitly: the published development secrets, and this machine only (loopback)
export NODE_ENV=development
node dist/apps/cli/src/main.js migrate
node dist/apps/cli/src/main.js seed-demo
# the API and the worker get the application's connection only
unset DATABASE_OWNER_URL

export PORT="${PORT:-3000}"
export JWT_SECRET="${JWT_SECRET:-demo-only-jwt-secret-never-use-in-production}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
export SCHEMA_FILE="${SCHEMA_FILE:-memory}" # the demo never rewrites the committed apps/api/schema.gql

node dist/apps/worker/src/main.js &
WORKER=$!
node dist/apps/api/src/main.js &
API=$!

stop() {
  trap - INT TERM
  kill "$API" "$WORKER" 2>/dev/null || true
  wait "$API" "$WORKER" 2>/dev/null || true
}
trap 'log "stopping"; stop; exit 0' INT TERM

alive() { kill -0 "$API" 2>/dev/null && kill -0 "$WORKER" 2>/dev/null; }
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null && break
  alive || break
  sleep 0.5
done
if ! alive || ! curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready"; then
  echo "[demo] the API or the worker did not start; see the messages above" >&2
  stop
  exit 1
fi

cat <<EOF

  Open ShelterLink: http://localhost:$PORT/app/

ShelterLink demo is running (Ctrl-C stops it). Sign in there with a demo login below.
  GraphQL:   http://localhost:$PORT/graphql
  WebSocket: ws://localhost:$PORT/graphql (graphql-ws; send {"authorization": "Bearer <token>"} as connectionParams)
  Health:    http://localhost:$PORT/health/ready

Demo logins:
EOF
node -e '
  const { DEMO_LOGINS } = require("./dist/apps/cli/src/demo-data.js");
  for (const l of DEMO_LOGINS) console.log(`  ${l.role.padEnd(21)} ${l.email.padEnd(32)} ${l.password}   (${l.note})`);
  const admin = DEMO_LOGINS.find((l) => l.role === "ADMIN");
  const query = `mutation { login(email: "${admin.email}", password: "${admin.password}") { token expiresAt user { role } } }`;
  console.log(`\nLog in (the token goes in the header  authorization: Bearer <token>):`);
  console.log(`  curl -s http://localhost:${process.env.PORT}/graphql -H "content-type: application/json" \\`);
  console.log(`    -d '"'"'${JSON.stringify({ query })}'"'"'\n`);
'

set +e
wait -n "$API" "$WORKER"
status=$?
set -e
echo "[demo] a process exited (status $status); stopping the other" >&2
stop
exit $((status == 0 ? 1 : status))
