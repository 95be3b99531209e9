#!/usr/bin/env bash
# Issue 23's figures, for a council's IT team: the release binary's size, the time from start to the
# first answer, the memory serving the 60,000-home council, what the request log costs (My work under
# load with the log on and off, in the same run), and two servers behind HAProxy on one PostgreSQL
# against one server behind it. Uses the release build if there is one (scripts/run.sh or
# scripts/test.sh made it), PostgreSQL at HEARTH_TEST_POSTGRES (default the machine's `test` database)
# and Debian's haproxy (scripts/setup.sh --browser installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
[[ -x target/release/hearth && -d target/site/pkg ]] || cargo leptos build --release --precompress >/dev/null
bin=target/release/hearth
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
export LEPTOS_OUTPUT_NAME=hearth LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true HEARTH_TRUST_PROXY=1 HEARTH_BENCH_ROUTES=1

echo "release binary: $(stat -c %s $bin | awk '{printf "%.1f MiB", $1/1048576}'), with its site beside it: $(du -sk target/site | awk '{printf "%.1f MiB", $1/1024}') (target/site)"

wait_for() { for _ in $(seq 1 400); do curl -sf "http://127.0.0.1:$1/api/v1/health" >/dev/null && return 0; sleep 0.05; done; echo "port $1 did not answer"; exit 1; }
token() { curl -sf -X POST "http://127.0.0.1:$1/api/v1/auth/token" -H 'content-type: application/json' -d "{\"username\":\"$2\",\"password\":\"hearth-demo-2026\"}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))'; }
# Requests a second for GET $2 on port $1 with bearer $3, 16 at a time for 10 s.
rate() {
  node -e "
    const a = require('./end2end/node_modules/autocannon');
    a({ url: 'http://127.0.0.1:$1$2', connections: 16, duration: 10, headers: { authorization: 'Bearer $3' } }, (e, r) => {
      if (e) throw e;
      console.log(r.requests.average.toFixed(0) + ' req/s, p99 ' + r.latency.p99 + ' ms, ' + r.non2xx + ' not 2xx');
    });"
}

DATABASE_URL="sqlite://$out/c60000.db" $bin seed --homes 60000 > "$out/seed.log" 2>&1
serve_sqlite() { RUST_LOG=$1 LEPTOS_SITE_ADDR=127.0.0.1:3200 DATABASE_URL="sqlite://$out/c60000.db" $bin serve > "$out/server-$1.log" 2>&1 & pid=$!; pids+=("$pid"); }

s=$(date +%s%N); serve_sqlite info; wait_for 3200; e=$(date +%s%N)
echo "start-up to the first answer (60,000 homes, SQLite, migrations checked): $(( (e - s) / 1000000 )) ms"
echo "My work with the request log on (RUST_LOG=info: a line a request):"
BENCH_SERVER_PID=$pid node bench/worklist.mjs http://127.0.0.1:3200 5
echo "server RSS serving the 60,000-home council, after the run: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
kill "$pid"; wait "$pid" 2>/dev/null || true
serve_sqlite warn; wait_for 3200
echo "My work with the request log off (RUST_LOG=warn):"
BENCH_SERVER_PID=$pid node bench/worklist.mjs http://127.0.0.1:3200 5
kill "$pid"; wait "$pid" 2>/dev/null || true

# Two servers on one PostgreSQL behind HAProxy, against one behind it.
pg="${HEARTH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
db="hearth_bench_$$"
psql "$pg" -q -c "CREATE DATABASE $db" >/dev/null
trap 'kill "${pids[@]}" 2>/dev/null || true; sleep 1; psql "$pg" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
url="${pg%/*}/$db"
DATABASE_URL="$url" $bin seed --homes 7400 > "$out/seed-pg.log" 2>&1
for port in 3201 3202; do RUST_LOG=warn LEPTOS_SITE_ADDR=127.0.0.1:$port DATABASE_URL="$url" $bin serve > "$out/pg-$port.log" 2>&1 & pids+=("$!"); done
wait_for 3201; wait_for 3202
printf 'global\n  maxconn 512\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\nfrontend f\n  bind 127.0.0.1:3203\n  option forwardfor\n  default_backend b\nbackend b\n  balance roundrobin\n  server one 127.0.0.1:3201\n' > "$out/one.cfg"
sed 's/3203/3204/' "$out/one.cfg" > "$out/two.cfg"; echo '  server two 127.0.0.1:3202' >> "$out/two.cfg"
haproxy -db -f "$out/one.cfg" > /dev/null 2>&1 & pids+=("$!")
haproxy -db -f "$out/two.cfg" > /dev/null 2>&1 & pids+=("$!")
wait_for 3203; wait_for 3204
t=$(token 3201 chmo.east1)
echo "My work (JSON, PostgreSQL, 7,400 homes, 16 at a time) through HAProxy to one server: $(rate 3203 /api/v1/my-work "$t")"
echo "the same to two servers on one PostgreSQL:                                   $(rate 3204 /api/v1/my-work "$t")"
echo "(one machine of $(nproc) cores runs both servers, PostgreSQL and the load: two servers gain what spare cores allow)"
