#!/usr/bin/env bash
# Installs whatever is missing for building, serving and testing Eventarium, and nothing else.
# Idempotent: every step first checks what is there, so a warm run takes seconds.
# Every tool is pinned and comes from a package registry (rustup, crates.io, Debian, npm); nothing
# downloads a binary from anywhere else. The facts behind each step: ../shared/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen CLI must equal the crate's exact pin, so read it from Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
WASM_PACK_VERSION=0.15.1
TRUNK_VERSION=0.21.14

export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# Prints the version a tool reports, or nothing when it is missing.
version_of() { "$@" 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    step "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

if [ "$(version_of wasm-bindgen --version)" != "$WASM_BINDGEN_VERSION" ]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
    # Without --locked: its lockfile pins a crate version the index lacks (TOOLCHAIN.md).
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(version_of wasm-pack --version)" != "$WASM_PACK_VERSION" ]; then
    step "installing wasm-pack $WASM_PACK_VERSION (about 6 minutes)"
    cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" --force
fi

if [ "$(version_of trunk --version)" != "$TRUNK_VERSION" ]; then
    step "installing trunk $TRUNK_VERSION (about 11 minutes)"
    cargo install --locked trunk --version "$TRUNK_VERSION" --force
fi

# Project-local npm tools (binaryen's wasm-opt, playwright-core), exactly as package-lock.json says.
if [ ! -x node_modules/.bin/wasm-opt ] || ! npm ls --depth=0 >/dev/null 2>&1; then
    step "installing project-local npm packages"
    npm ci --no-audit --no-fund
fi
