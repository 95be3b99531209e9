#!/usr/bin/env bash
# README command 2: installs what the tests need, then runs every tier:
#   1. domain unit tests (app), 2. storage + router tests on SQLite and PostgreSQL (server),
#   3. Playwright journeys in Debian Chromium against the release build, hydrated and with JavaScript off.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/setup.sh --browser || { echo "setup failed"; exit 1; }
export PATH="$HOME/.cargo/bin:$root/end2end/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never

logs=$(mktemp -d)
passed=0; failed=0
tally_cargo() { # sums "test result: ... N passed; M failed" lines
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}

# PostgreSQL: the storage and router tests run on it too. Start the local cluster if it is down.
pg_url="${HEARTH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
    sleep 2
  fi
fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export HEARTH_TEST_POSTGRES="$pg_url"
  echo "==> PostgreSQL tier: $HEARTH_TEST_POSTGRES"
elif [[ "${CI:-}" == "true" ]]; then
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; CI requires it" >&2; exit 1
else
  echo "==> PostgreSQL not reachable: running the SQLite tier only (set HEARTH_TEST_POSTGRES to include it)"
fi

# Each storage/router test makes its own schema (PostgreSQL) or file (SQLite); clear earlier runs' leftovers.
drop_test_schemas() {
  [[ -n "${HEARTH_TEST_POSTGRES:-}" ]] || return 0
  psql "$HEARTH_TEST_POSTGRES" -qAt -c "SELECT 'DROP SCHEMA ' || nspname || ' CASCADE;' FROM pg_namespace WHERE nspname LIKE 'hearth\_t%'" 2>/dev/null \
    | psql "$HEARTH_TEST_POSTGRES" -q >/dev/null 2>&1 || true
}
drop_test_schemas
rm -rf "${TMPDIR:-/tmp}/hearth-tests"

echo "==> Tier 1-2: cargo test (domain, storage, router)"
cargo test --workspace --no-fail-fast 2>&1 | tee "$logs/cargo.log"
read -r p f < <(tally_cargo "$logs/cargo.log")
passed=$((passed + p)); failed=$((failed + f))
if ! grep -q '^test result:' "$logs/cargo.log" || grep -qE '^error(\[E[0-9]+\]|: could not compile)' "$logs/cargo.log"; then failed=$((failed + 1)); echo "cargo test did not build or run"; fi
drop_test_schemas
rm -rf "${TMPDIR:-/tmp}/hearth-tests"
# On CI the debug build is not needed again: free its disk before the release build.
[[ "${CI:-}" == "true" ]] && rm -rf target/debug

echo "==> Building the release site (cargo leptos build --release)"
if ! cargo leptos build --release 2>&1 | tail -n 20; then
  echo "build failed"; echo "$passed passed, $((failed + 1)) failed"; exit 1
fi

echo "==> Tier 3: Playwright journeys in Chromium"
e2e_db="$logs/e2e.db"
export LEPTOS_OUTPUT_NAME=hearth LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
port="${HEARTH_E2E_PORT:-3107}"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
DATABASE_URL="sqlite://$e2e_db" target/release/hearth seed > "$logs/seed.log" 2>&1 || { cat "$logs/seed.log"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
DATABASE_URL="sqlite://$e2e_db" target/release/hearth serve > "$logs/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -sf "http://$LEPTOS_SITE_ADDR/api/v1/health" >/dev/null && break; sleep 0.5; done
(cd end2end && BASE_URL="http://$LEPTOS_SITE_ADDR" npx playwright test 2>&1) | tee "$logs/e2e.log"
p=$(grep -Eo '^ *[0-9]+ passed' "$logs/e2e.log" | grep -Eo '[0-9]+' | tail -1); f=$(grep -Eo '^ *[0-9]+ failed' "$logs/e2e.log" | grep -Eo '[0-9]+' | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[[ -z "$p" && -z "$f" ]] && { failed=$((failed + 1)); echo "Playwright did not run"; tail -n 30 "$logs/server.log"; }

echo
echo "Tiers: cargo (domain, storage, router) and Playwright (hydrated + no-JS). Logs: $logs"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
