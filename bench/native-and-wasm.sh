#!/usr/bin/env bash
# Runs one benchmark example (first argument: store_bench, runtime_bench, lint_bench or system_bench)
# natively and as wasm32-wasip1 under Node's WASI, with the same N (second argument, default 1000000)
# and any further arguments the example takes, and prints both tables; no JavaScript crosses in the
# timed loops (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

example="${1:?usage: bench/native-and-wasm.sh EXAMPLE [N]}"
n="${2:-1000000}"
rest=("${@:3}")
wasm="target/wasm32-wasip1/release/examples/$example.wasm"

rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1

cargo build --release --no-default-features --example "$example"
cargo build --release --no-default-features --target wasm32-wasip1 --example "$example"

echo "== native ($(uname -m))"
"target/release/examples/$example" "$n" "${rest[@]}"
echo
echo "== wasm32-wasip1 under Node $(node --version) WASI"
node --no-warnings bench/wasi-run.mjs "$wasm" "$n" "${rest[@]}"
