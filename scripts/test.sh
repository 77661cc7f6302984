#!/usr/bin/env bash
# Runs every check and every test layer of Eventarium; any failure fails the whole run.
#   1. formatting and clippy (warnings denied) for the core alone and with the UI
#   2. native `cargo test`: the core alone (--no-default-features), then everything
#   3. `wasm-pack test --node`: the core compiled to wasm, in Node
#   4. the JavaScript API: the crate built for Node by wasm-pack, driven by node's test runner
#   5. `wasm-pack test --headless --chrome`: Yew components mounted in headless Chromium
#   6. the release build, with its gzipped size
#   7. end-to-end: the release build served on 127.0.0.1 and driven by playwright-core
# Each layer prints its own summary; the last line adds them up.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The test files the wasm-node layer runs, derived so that a new one cannot be left out: every
# tests/*.rs except those compiled natively only (`#![cfg(not(target_arch = "wasm32"))]`: the
# proptest files, the CLI) and those that run in a browser (`run_in_browser`, the wasm-browser
# layer). Each of them must let its plain `#[test]`s run in wasm, or wasm-pack would run none of
# them and still pass.
WASM_NODE_TESTS=()
for file in tests/*.rs; do
    grep -qxF '#![cfg(not(target_arch = "wasm32"))]' "$file" && continue
    grep -qF 'wasm_bindgen_test_configure!(run_in_browser)' "$file" && continue
    if ! grep -qxF 'use wasm_bindgen_test::wasm_bindgen_test as test;' "$file"; then
        echo "$file would run no test in wasm: give it" >&2
        printf '    #[cfg(target_arch = "wasm32")]\n    use wasm_bindgen_test::wasm_bindgen_test as test;\n' >&2
        echo 'or, when it cannot run in wasm, #![cfg(not(target_arch = "wasm32"))]' >&2
        exit 1
    fi
    WASM_NODE_TESTS+=(--test "$(basename "$file" .rs)")
done

LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
layer=0

# Runs one layer, showing its output and keeping a copy for the summary.
run_layer() {
    local name=$1
    shift
    layer=$((layer + 1))
    printf '\n\033[1m== layer %d: %s ==\033[0m\n' "$layer" "$name"
    local started=$SECONDS
    "$@" 2>&1 | tee "$LOGS/$layer-$name.log"
    printf '\033[1m== %s: ok in %ss ==\033[0m\n' "$name" $((SECONDS - started))
}

run_layer lint bash -ec '
    cargo fmt --check
    cargo clippy --no-default-features --all-targets -- -D warnings
    cargo clippy --all-targets -- -D warnings
    cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings'

run_layer native bash -ec '
    cargo test --no-default-features
    cargo test'

run_layer wasm-node wasm-pack test --node --no-default-features "${WASM_NODE_TESTS[@]}"

run_layer js-api bash -ec '
    wasm-pack build --target nodejs --dev --out-dir pkg/node --no-typescript . --no-default-features --features api
    node --test tests/api/'

run_layer wasm-browser wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --test browser

run_layer release-build scripts/build.sh

run_layer e2e node --test tests/e2e/

# Adds up the tests every runner reported: cargo and wasm-bindgen-test print
# "test result: ok. N passed; M failed", node's runner prints "# pass N" and "# fail M".
passed=$(cat "$LOGS"/*.log | sed -n 's/.*test result: [A-Za-z]*\. \([0-9]*\) passed.*/\1/p; s/^# pass \([0-9]*\)$/\1/p' | awk '{ n += $1 } END { print n + 0 }')
failed=$(cat "$LOGS"/*.log | sed -n 's/.*test result: [A-Za-z]*\. [0-9]* passed; \([0-9]*\) failed.*/\1/p; s/^# fail \([0-9]*\)$/\1/p' | awk '{ n += $1 } END { print n + 0 }')
echo
echo "all $layer layers green"
echo "total: ${passed:-0} passed, ${failed:-0} failed"
