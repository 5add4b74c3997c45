#!/usr/bin/env bash
# `npm test`: every check, against real Postgres (PostGIS) and Redis. Each step runs even when an earlier one
# failed, so jest's counts are always reported; the exit code is non-zero if any step failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

failed=()
step() {
  local name=$1
  shift
  echo "── $name"
  "$@" || failed+=("$name")
}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi
bash docker/services.sh || exit 1

# `npm test -- <jest path>` runs that jest suite alone; `npm run test:web [-- <playwright args>]` the browser tests alone
only=all
if [ "${1:-}" = "--web" ]; then
  only=web
  shift
elif [ $# -gt 0 ]; then
  only=jest
fi
[ "$only" = jest ] || bash test/web/chromium.sh || exit 1

# the web app first: its generated GraphQL types are what lint and the type check read
step "web app (codegen, type check, vite build)" npm run --silent web:build
step "format (prettier)" npx prettier --check --log-level warn .
step "lint (eslint, type-aware)" npx eslint . --max-warnings 0
step "type check (tsc)" npx tsc --noEmit -p tsconfig.json
step "type check (browser tests)" npx tsc --noEmit -p test/web/tsconfig.json
step "build" npx nest build api

# one migrated template database; every test file clones its own from it
export TEST_TEMPLATE_DB=shelterlink_test_tpl
psql -h 127.0.0.1 -U postgres -d postgres -qX -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS $TEST_TEMPLATE_DB WITH (FORCE)" -c "CREATE DATABASE $TEST_TEMPLATE_DB" >/dev/null || exit 1
# as the owner; the API and the worker connect as the application's role, which migrate creates and grants
NODE_ENV=test DATABASE_OWNER_URL="postgres://postgres@127.0.0.1:5432/$TEST_TEMPLATE_DB" \
  DATABASE_URL="postgres://shelterlink_app:local-only-app-password@127.0.0.1:5432/$TEST_TEMPLATE_DB" LOG_LEVEL=warn \
  node dist/apps/cli/src/main.js migrate || exit 1

mkdir -p .tmp
rm -f .tmp/jest-results.json .tmp/playwright-results.json
# jest runs three files at a time (test/jest.config.js) and stops, at the end, a worker that has not exited (it says
# so: some file leaves a handle open; not found yet). --forceExit does the same when jest runs in band (one file, or
# -i), so a run never hangs after its results are complete.
[ "$only" = web ] ||
  step "jest (unit + e2e)" npx jest --config test/jest.config.js --json --outputFile .tmp/jest-results.json \
    --forceExit "$@"
[ "$only" = jest ] || step "browser (playwright, chromium)" npx playwright test -c test/web/playwright.config.ts "$@"

if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
