#!/usr/bin/env bash
# Installs what building and testing Hearth needs, skipping what is already there:
# the wasm32 target, cargo-leptos 0.3.5, wasm-bindgen-cli (the exact version in Cargo.lock),
# wasm-opt (npm binaryen 132) and, with --browser, Debian's Chromium for the browser tests and
# Python's venv for the schema tier (scripts/schemathesis.sh installs Schemathesis itself).
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if ((${#missing[@]})); then
    say "Installing ${missing[*]} (apt)"
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

command -v cargo >/dev/null || { echo "Rust is needed: install it from https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || apt_install nodejs npm
if ((want_browser)); then apt_install chromium; fi
# The two-servers test (server/tests/balanced.rs) puts Debian's HAProxy in front of two Hearths.
if ((want_browser)); then apt_install haproxy; fi
# The schema tier (scripts/schemathesis.sh) runs Schemathesis from a virtualenv it makes itself.
if ((want_browser)) && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3 python3-venv; fi

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "0.3.5"; then
  say "Installing cargo-leptos 0.3.5 (about 25 minutes on 2 cores, once)"
  cargo install cargo-leptos@0.3.5 --locked --features no_downloads
fi

wbg_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg_version\$"; then
  say "Installing wasm-bindgen-cli $wbg_version (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$wbg_version"
fi

if [[ ! -x end2end/node_modules/.bin/wasm-opt ]] || ! cmp -s end2end/package.json end2end/node_modules/.package.json.installed; then
  say "Installing npm packages (binaryen's wasm-opt, Playwright, axe-core)"
  (cd end2end && npm install --no-audit --no-fund --loglevel=error && cp package.json node_modules/.package.json.installed)
fi
