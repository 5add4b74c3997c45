#!/usr/bin/env bash
# `npm run bench:search`, `bench:workflow`, `bench:monitoring`, `bench:web` (bash test/bench/run.sh NAME): benchmarks, not part of `npm test`.
# Makes sure Postgres and Redis run, builds the API and the CLI, creates the migrated template database when it is
# missing (as test/run.sh does; each benchmark database is a clone of it, brought up to date with `migrate`),
# compiles the benchmark into .tmp/bench and runs it. Options: see each test/bench/*-bench.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bench="${1:-search}"
case "$bench" in
  search) script=search-bench ;;
  workflow) script=workflow-bench ;;
  monitoring) script=monitoring-bench ;;
  web) script=web-bench ;;
  *)
    echo "unknown benchmark: $bench (known: search, workflow, monitoring, web)" >&2
    exit 2
    ;;
esac

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash docker/services.sh
npx nest build api
npx nest build worker
npx nest build cli
if [ "$bench" = web ]; then
  npm run --silent web:build >/dev/null
  bash test/web/chromium.sh
fi

export TEST_TEMPLATE_DB="${TEST_TEMPLATE_DB:-shelterlink_test_tpl}"
psql_admin() { psql -h 127.0.0.1 -U postgres -d postgres -qX -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$TEST_TEMPLATE_DB'")" != "1" ]; then
  echo "[bench] creating the template database $TEST_TEMPLATE_DB"
  psql_admin -c "CREATE DATABASE $TEST_TEMPLATE_DB" >/dev/null
  NODE_ENV=test DATABASE_OWNER_URL="postgres://postgres@127.0.0.1:5432/$TEST_TEMPLATE_DB" \
    DATABASE_URL="postgres://shelterlink_app:local-only-app-password@127.0.0.1:5432/$TEST_TEMPLATE_DB" LOG_LEVEL=warn \
    node dist/apps/cli/src/main.js migrate
fi

rm -rf .tmp/bench
# tsc emits despite type errors; a half-finished sibling benchmark in test/bench must not stop this one
# (`npm test` type-checks and lints test/bench)
if ! npx tsc -p test/bench/tsconfig.json; then
  echo "[bench] type errors above; running the emitted JavaScript anyway" >&2
fi
[ -f ".tmp/bench/$script.js" ] || { echo "[bench] .tmp/bench/$script.js was not emitted" >&2; exit 1; }
exec node ".tmp/bench/$script.js"
