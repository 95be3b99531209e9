#!/usr/bin/env bash
# README command 2: installs what the tests need, then runs every tier:
#   0. style: rustfmt and clippy (-D warnings) for both builds,
#   1. domain unit tests (app), 2. storage + router tests on SQLite and PostgreSQL (server),
#   3. Playwright journeys in Debian Chromium against the release build, hydrated and with JavaScript off,
#   4. Schemathesis over the OpenAPI document against the release build (SQLite and PostgreSQL).
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# Each phase is stamped with the minutes since the start, so a slow run shows where its time went.
phase() { printf '==> [%3d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
phase "Setup: tools the build and tests need"
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
run_db=""
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  # This run gets a database of its own, so nothing else on the server (another checkout's
  # tests, a demo) shares its schemas or sqlx's migration lock, which is per database. Databases
  # left by earlier runs that were killed go first: DROP DATABASE refuses one still in use, so a
  # run in progress elsewhere keeps its own.
  for old in $(psql "$pg_url" -qAt -c "SELECT datname FROM pg_database WHERE datname LIKE 'hearth\_run\_%'" 2>/dev/null); do
    psql "$pg_url" -q -c "DROP DATABASE \"$old\"" >/dev/null 2>&1 || true
  done
  pg_base="${pg_url%%\?*}"; pg_query="${pg_url#"$pg_base"}"
  candidate="hearth_run_$(date +%s)_$$"
  if psql "$pg_url" -q -c "CREATE DATABASE $candidate" >/dev/null 2>&1; then
    run_db=$candidate
    export HEARTH_TEST_POSTGRES="${pg_base%/*}/$run_db$pg_query"
  else
    export HEARTH_TEST_POSTGRES="$pg_url"
  fi
  phase "PostgreSQL tier: $HEARTH_TEST_POSTGRES"
elif [[ "${CI:-}" == "true" ]]; then
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; CI requires it" >&2; exit 1
else
  phase "PostgreSQL not reachable: running the SQLite tier only (set HEARTH_TEST_POSTGRES to include it)"
fi

# Each storage/router test makes its own schema (PostgreSQL) or file under target/tmp (SQLite);
# clear this run's (or, without a database of its own, earlier runs') leftovers.
drop_test_data() {
  if [[ -n "$run_db" ]]; then
    psql "$pg_url" -q -c "DROP DATABASE IF EXISTS \"$run_db\" WITH (FORCE)" >/dev/null 2>&1 || true
    run_db=""
  elif [[ -n "${HEARTH_TEST_POSTGRES:-}" ]]; then
    psql "$HEARTH_TEST_POSTGRES" -qAt -c "SELECT 'DROP SCHEMA ' || nspname || ' CASCADE;' FROM pg_namespace WHERE nspname LIKE 'hearth\_t%'" 2>/dev/null \
      | psql "$HEARTH_TEST_POSTGRES" -q >/dev/null 2>&1 || true
  fi
  rm -rf target/tmp/hearth-tests
}
rm -rf target/tmp/hearth-tests
cleanup() { drop_test_data; }
trap 'cleanup' EXIT

phase "Tier 0: style (cargo fmt --check; clippy -D warnings for the server and the browser build)"
# Drift in format or a new lint fails the run, like a failing test: each check counts as one.
style_check() { # name, command...
  local name=$1; shift
  if "$@" > "$logs/style.log" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "style: $name failed"; tail -n 40 "$logs/style.log"; fi
}
style_check "cargo fmt --check" cargo fmt --all --check
style_check "clippy (ssr, all targets)" cargo clippy --workspace --all-targets -- -D warnings
style_check "clippy (hydrate, wasm32)" cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

phase "Tier 1-2: cargo test (domain, storage, router)"
# The harness fails any request that hangs; this bounds the tier as a whole, build included.
timeout -k 60 45m cargo test --workspace --no-fail-fast 2>&1 | tee "$logs/cargo.log"
cargo_rc=${PIPESTATUS[0]}
read -r p f < <(tally_cargo "$logs/cargo.log")
passed=$((passed + p)); failed=$((failed + f))
if [[ $cargo_rc -eq 124 || $cargo_rc -eq 137 ]]; then failed=$((failed + 1)); echo "cargo test ran past 45 minutes and was stopped"; fi
if ! grep -q '^test result:' "$logs/cargo.log" || grep -qE '^error(\[E[0-9]+\]|: could not compile)' "$logs/cargo.log"; then failed=$((failed + 1)); echo "cargo test did not build or run"; fi
drop_test_data
# On CI the debug build is not needed again: free its disk before the release build.
[[ "${CI:-}" == "true" ]] && rm -rf target/debug

phase "Building the release site (cargo leptos build --release --precompress)"
if ! cargo leptos build --release --precompress 2>&1 | tail -n 20; then
  echo "build failed"; echo "$passed passed, $((failed + 1)) failed"; exit 1
fi

phase "Tier 3: Playwright journeys in Chromium"
e2e_db="$logs/e2e.db"
export LEPTOS_OUTPUT_NAME=hearth LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true
port="${HEARTH_E2E_PORT:-3107}"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
DATABASE_URL="sqlite://$e2e_db" target/release/hearth seed > "$logs/seed.log" 2>&1 || { cat "$logs/seed.log"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
DATABASE_URL="sqlite://$e2e_db" target/release/hearth serve > "$logs/server.log" 2>&1 &
server_pid=$!
cleanup() { kill "$server_pid" 2>/dev/null; drop_test_data; }
for _ in $(seq 1 60); do curl -sf "http://$LEPTOS_SITE_ADDR/api/v1/health" >/dev/null && break; sleep 0.5; done
(cd end2end && BASE_URL="http://$LEPTOS_SITE_ADDR" timeout -k 30 40m npx playwright test 2>&1) | tee "$logs/e2e.log"
p=$(grep -Eo '^ *[0-9]+ passed' "$logs/e2e.log" | grep -Eo '[0-9]+' | tail -1); f=$(grep -Eo '^ *[0-9]+ failed' "$logs/e2e.log" | grep -Eo '[0-9]+' | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[[ -z "$p" && -z "$f" ]] && { failed=$((failed + 1)); echo "Playwright did not run"; tail -n 30 "$logs/server.log"; }
kill "$server_pid" 2>/dev/null
cleanup() { drop_test_data; }

phase "Tier 4: Schemathesis over the OpenAPI document (SQLite and PostgreSQL)"
# Its own server on a fresh database per engine; PostgreSQL from the cluster's own database,
# since this run's database went with the storage tier.
HEARTH_TEST_POSTGRES="$pg_url" timeout -k 30 20m scripts/schemathesis.sh target/release/hearth 2>&1 | tee "$logs/schemathesis.log"
read -r p f < <(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/schemathesis.log" | tail -1 | awk '{print $1, $3}')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[[ -z "$p" && -z "$f" ]] && { failed=$((failed + 1)); echo "Schemathesis did not run"; }

echo
phase "Done"
echo "Tiers: cargo (domain, storage, router), Playwright (hydrated + no-JS) and Schemathesis (OpenAPI). Logs: $logs"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
