#!/usr/bin/env bash
# Prints the foundation's figures: WASM size, seed times, server memory and tenancy-page times
# on the 60,000-home council, the worklist (My work) under load beside a plain Axum handler, and the
# public feedback form under a flood from one address, and the patch map (data size, balance time,
# render and frame times beside Leaflet, a 5,000-home lasso), and the visiting programme (a quarter planned
# for the largest area, a day of 20 doors ordered, the officer's day page). `--cold` also times a cold release build (cargo clean first).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
scripts/setup.sh
out=$(mktemp -d)
if [[ "${1:-}" == "--cold" ]]; then
  cargo clean
  start=$(date +%s); cargo leptos build --release --precompress >/dev/null 2>&1; end=$(date +%s)
  echo "cold release build (cargo leptos build --release --precompress): $((end - start)) s"
else
  cargo leptos build --release --precompress >/dev/null 2>&1
fi
wasm=$(ls target/site/pkg/hearth*.wasm | grep -v '\.wasm\.' | head -1)
node -e "const fs=require('fs'),z=require('zlib');const b=fs.readFileSync('$wasm');
console.log('WASM: '+(b.length/1024).toFixed(0)+' KiB raw, '+(z.gzipSync(b,{level:9}).length/1024).toFixed(0)+' KiB gzip, '+
(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length/1024).toFixed(0)+' KiB brotli')"
for homes in 7400 60000; do
  s=$(date +%s.%N)
  DATABASE_URL="sqlite://$out/c$homes.db" target/release/hearth seed --homes $homes > "$out/seed$homes.log" 2>&1
  e=$(date +%s.%N)
  echo "seed $homes homes (SQLite): $(echo "$e - $s" | awk '{printf "%.1f", $1 - $3}') s"
done
export LEPTOS_OUTPUT_NAME=hearth LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR=127.0.0.1:3200
HEARTH_BENCH_ROUTES=1 HEARTH_TRUST_PROXY=1 DATABASE_URL="sqlite://$out/c60000.db" target/release/hearth serve > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:3200/api/v1/health >/dev/null && break; sleep 0.5; done
node bench/desk.mjs http://127.0.0.1:3200 400
echo "My work with its lists kept between changes (the normal case):"
BENCH_SERVER_PID=$pid node bench/worklist.mjs http://127.0.0.1:3200 10
node bench/flood.mjs http://127.0.0.1:3200 10
node bench/mapdata.mjs http://127.0.0.1:3200
node bench/map.mjs http://127.0.0.1:3200
target/release/hearth bench-route --doors 20 --runs 500
node bench/day.mjs http://127.0.0.1:3200 400
echo "server RSS after the run (60,000 homes): $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
# The worst case: as if something changed before every request, the worklist queries run each time.
kill $pid; wait $pid 2>/dev/null || true
HEARTH_WORKLIST_CACHE=off HEARTH_BENCH_ROUTES=1 HEARTH_TRUST_PROXY=1 DATABASE_URL="sqlite://$out/c60000.db" target/release/hearth serve > "$out/server-nocache.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:3200/api/v1/health >/dev/null && break; sleep 0.5; done
echo "My work running its queries on every request (HEARTH_WORKLIST_CACHE=off):"
BENCH_SERVER_PID=$pid node bench/worklist.mjs http://127.0.0.1:3200 10
