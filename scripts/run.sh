#!/usr/bin/env bash
# README command 1: set up what is missing, build, seed the demo council if the database
# is empty, and serve Hearth at http://127.0.0.1:3000 (DATABASE_URL picks the database).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
printf '\033[1m==> Building Hearth (release)\033[0m\n'
cargo leptos build --release --precompress
export LEPTOS_OUTPUT_NAME=hearth LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true
export LEPTOS_SITE_ADDR="${HEARTH_ADDR:-127.0.0.1:3000}"
printf '\033[1m==> Starting Hearth at http://%s\033[0m\n' "$LEPTOS_SITE_ADDR"
exec target/release/hearth serve --demo
