#!/usr/bin/env bash
# Runs examples/runtime_bench.rs natively and as wasm32-wasip1 under Node's WASI, with the same N
# (first argument, default 1000000), and prints both tables: the runtime's own speed (projection
# rebuilds, command handling), with no JavaScript crossing in the timed loops (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

n="${1:-1000000}"
wasm=target/wasm32-wasip1/release/examples/runtime_bench.wasm

rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1

cargo build --release --no-default-features --example runtime_bench
cargo build --release --no-default-features --target wasm32-wasip1 --example runtime_bench

echo "== native ($(uname -m))"
target/release/examples/runtime_bench "$n"
echo
echo "== wasm32-wasip1 under Node $(node --version) WASI"
node --no-warnings bench/wasi-run.mjs "$wasm" "$n"
