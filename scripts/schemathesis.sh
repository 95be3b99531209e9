#!/usr/bin/env bash
# The schema tier: the OpenAPI document and the answers must agree. Starts the given server
# binary on a freshly seeded database (SQLite, then PostgreSQL in a database of its own, dropped
# afterwards), signs in as a few roles and runs Schemathesis over /api/v1/openapi.json with a
# bounded number of examples per operation, checking that no answer is a 5xx and that every
# status, content type, header and body is one the document declares (and that a method a route
# does not take gets 405).
#
#   scripts/schemathesis.sh [BINARY]        BINARY defaults to target/release/hearth
#
# Environment: HEARTH_SCHEMATHESIS_EXAMPLES (examples per operation and role, default 12),
# HEARTH_SCHEMATHESIS_ENGINES ("sqlite postgres"), HEARTH_SCHEMATHESIS_PORT (3108),
# HEARTH_TEST_POSTGRES (a PostgreSQL database to create the run's own database from).
# Ends with one line: "N passed, N failed", counting operations x roles x engines.
set -uo pipefail
cd "$(dirname "$0")/.."

bin="${1:-target/release/hearth}"
[[ -x "$bin" ]] || { echo "no server binary at $bin (build it, or pass its path)" >&2; echo "0 passed, 1 failed"; exit 1; }
bin=$(realpath "$bin")
examples="${HEARTH_SCHEMATHESIS_EXAMPLES:-12}"
engines="${HEARTH_SCHEMATHESIS_ENGINES:-sqlite postgres}"
port="${HEARTH_SCHEMATHESIS_PORT:-3108}"
pg_url="${HEARTH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
addr="127.0.0.1:$port"
phase() { printf '==> [%3d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# Schemathesis, pinned, in a virtualenv of its own under target/ (installed once).
st_version=4.32.5
venv=target/schemathesis-venv
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $st_version\$"; then
  phase "Installing Schemathesis $st_version into $venv"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$st_version" \
    || { echo "could not install Schemathesis" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

logs=$(mktemp -d)
passed=0; failed=0
server_pid=""; pg_db=""
pg_base="${pg_url%%\?*}"; pg_query="${pg_url#"$pg_base"}"
stop_server() { [[ -n "$server_pid" ]] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }; server_pid=""; }
drop_pg() { [[ -n "$pg_db" ]] && psql "$pg_url" -q -c "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1; pg_db=""; }
trap 'stop_server; drop_pg' EXIT

# Counts one run's JUnit report: each operation is a test case, failed if it has a failure or error.
tally_junit() {
  "$venv/bin/python" - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
except Exception:
    print(0, 1); sys.exit()
p = f = 0
for c in cases:
    if c.find("failure") is not None or c.find("error") is not None:
        f += 1
    elif c.find("skipped") is None:
        p += 1
print(p, f)
EOF
}

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method
# Revoking tokens by guessed id would revoke the very tokens the runs use: that operation runs
# last, on its own.
revoke='/api/v1/admin/tokens/{id}'

# One Schemathesis run as one role; its operations are added to the tally. One worker: with two,
# Hypothesis parses lambdas' source in both threads at once and CPython 3.11's parser can fail
# ("AST constructor recursion depth mismatch"), an error of the tool that failed a run whose
# 2,887 requests had all passed.
st_run() { # engine role token [extra options...]
  local engine=$1 role=$2 token=$3; shift 3
  local report="$logs/$engine-$role.xml"
  "$venv/bin/schemathesis" --config-file "$logs/$engine.toml" run "http://$addr/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks "$checks" --max-examples "$examples" --phases examples,coverage,fuzzing \
    --seed 2023 --generation-database none --workers 1 \
    --request-timeout 30 --suppress-health-check all --no-color --warnings off \
    --report junit --report-junit-path "$report" "$@" > "$logs/$engine-$role.log" 2>&1
  local rc=$?
  read -r p f < <(tally_junit "$report")
  [[ $rc -ne 0 && $f -eq 0 ]] && f=1   # a run that failed without a failing operation (crash, bad schema)
  passed=$((passed + p)); failed=$((failed + f))
  printf '    %-10s %3d passed, %d failed\n' "$role" "$p" "$f"
  if [[ $rc -ne 0 ]]; then
    sed -n '/^=* *FAILURES/,$p' "$logs/$engine-$role.log" | head -n 150
    grep -q 'FAILURES' "$logs/$engine-$role.log" || tail -n 40 "$logs/$engine-$role.log"
  fi
}

token_for() { # username password
  curl -sf -X POST "http://$addr/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# A Schemathesis configuration whose dictionaries hold real references and ids, read through the
# API as an officer, a Team Leader and a partner agency user.
real_references() { # officer-token team-leader-token partner-token
  "$venv/bin/python" - "http://$addr/api/v1" "$@" <<'EOF'
import json, sys, urllib.request
base, officer, leader, partner = sys.argv[1:5]
def get(path, token):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)
work = get("/my-work", officer)
refs = [t["reference"] for t in work["tenancies"][:3]] + [t["property_reference"] for t in work["tenancies"][:2]]
refs += [c["reference"] for c in work["cases"][:3]]
refs += [r["reference"] for r in get("/referrals", leader)["rows"][:3]] + [r["reference"] for r in get("/referrals", partner)["rows"][:2]]
ids = [w["id"] for w in work["waiting"][:2]] + [w["id"] for w in get("/approvals", leader)[:3]] + [1, 2]
if not refs:
    sys.exit("no references")
quote = lambda v: json.dumps(v)
print("[dictionaries.references]\nvalues = [%s]" % ", ".join(map(quote, dict.fromkeys(refs))))
print("[dictionaries.ids]\nvalues = [%s]" % ", ".join(map(quote, dict.fromkeys(ids))))
print("[parameters]")
print('"path.reference" = { dictionary = "references", probability = 0.6 }')
print('"path.id" = { dictionary = "ids", probability = 0.5 }')
EOF
}

run_engine() { # engine database-url
  local engine=$1 url=$2 start=$SECONDS
  phase "Schemathesis on $engine: seeding"
  if ! DATABASE_URL="$url" "$bin" seed --homes 900 > "$logs/$engine-seed.log" 2>&1; then
    tail -n 20 "$logs/$engine-seed.log"; failed=$((failed + 1)); return
  fi
  local password
  password=$(sed -n 's/.*password for all: \([^)]*\)).*/\1/p' "$logs/$engine-seed.log" | head -1)
  LEPTOS_OUTPUT_NAME=hearth LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="$addr" \
    DATABASE_URL="$url" "$bin" serve > "$logs/$engine-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do curl -sf "http://$addr/api/v1/health" >/dev/null && break; sleep 0.5; done
  if ! curl -sf "http://$addr/api/v1/health" >/dev/null; then
    echo "the server did not start"; tail -n 20 "$logs/$engine-server.log"; failed=$((failed + 1)); stop_server; return
  fi
  # Tokens first: the runs fuzz the sign-in endpoint too, which its rate limit then refuses.
  declare -A tokens
  local user
  for user in admin tl.east chmo.east1 partner.asc; do
    tokens[$user]=$(token_for "$user" "$password")
    [[ -n "${tokens[$user]}" ]] || { echo "could not sign in as $user"; failed=$((failed + 1)); stop_server; return; }
  done
  # Random references and ids only find 404s: most path parameters are drawn from real ones
  # instead (tenancies, properties, cases and referrals the roles see, workflow items), so the
  # bodies of real answers are checked against their schemas too.
  real_references "${tokens[chmo.east1]}" "${tokens[tl.east]}" "${tokens[partner.asc]}" > "$logs/$engine.toml" \
    || { echo "could not read references to test with"; failed=$((failed + 1)); stop_server; return; }
  phase "Schemathesis on $engine: $examples examples per operation"
  st_run "$engine" admin "${tokens[admin]}" --exclude-path "$revoke"
  st_run "$engine" tl.east "${tokens[tl.east]}" --exclude-path "$revoke"
  st_run "$engine" chmo.east1 "${tokens[chmo.east1]}" --exclude-path "$revoke"
  # Partner-agency users are refused before routing (403 whatever the method) outside their referrals.
  st_run "$engine" partner "${tokens[partner.asc]}" --exclude-path "$revoke" --exclude-checks unsupported_method
  st_run "$engine" revoke "${tokens[admin]}" --include-path "$revoke"
  stop_server
  if grep -q 'panicked' "$logs/$engine-server.log"; then
    echo "    the server panicked:"; grep -A3 'panicked' "$logs/$engine-server.log" | head -n 20
  fi
  phase "Schemathesis on $engine: $((SECONDS - start))s"
}

for engine in $engines; do
  case $engine in
    sqlite) run_engine sqlite "sqlite://$logs/schemathesis.db" ;;
    postgres)
      if ! psql "$pg_url" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
        if [[ "${CI:-}" == "true" ]]; then echo "PostgreSQL is not reachable at $pg_url; CI requires it"; failed=$((failed + 1)); else phase "PostgreSQL not reachable at $pg_url: skipped"; fi
        continue
      fi
      # Databases left by earlier runs that were killed go first (one still in use is refused).
      for old in $(psql "$pg_url" -qAt -c "SELECT datname FROM pg_database WHERE datname LIKE 'hearth\_schema\_%'" 2>/dev/null); do
        psql "$pg_url" -q -c "DROP DATABASE \"$old\"" >/dev/null 2>&1 || true
      done
      pg_db="hearth_schema_$(date +%s)_$$"
      if psql "$pg_url" -q -c "CREATE DATABASE $pg_db" >/dev/null 2>&1; then
        run_engine postgres "${pg_base%/*}/$pg_db$pg_query"
      else
        echo "could not create a PostgreSQL database"; failed=$((failed + 1))
      fi
      drop_pg
      ;;
    *) echo "unknown engine $engine"; failed=$((failed + 1)) ;;
  esac
done

echo "Schemathesis $st_version logs and JUnit reports: $logs"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
