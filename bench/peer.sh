#!/usr/bin/env bash
# Runs the peer harness (../shared/bench/peer) for Eventarium, Emmett and the naive JS store, one
# after the other in one sitting, so the figures can be compared. Extra arguments go to every run
# (default: --sizes 100000,1000000). The harness is copied into bench/results/ (git-ignored) so
# shared/ stays untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm-pack build --release --target nodejs --out-dir bench/pkg --no-typescript . --no-default-features --features api

harness=bench/results/peer
mkdir -p "$harness"
cp -r ../shared/bench/peer/. "$harness/"
(cd "$harness" && npm ci --no-audit --no-fund >/dev/null)

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--sizes 100000,1000000)
for adapter in "$PWD/bench/peer-adapter.mjs" naive emmett; do
    (cd "$harness" && node --expose-gc bench.mjs --adapter "$adapter" "${args[@]}")
done
