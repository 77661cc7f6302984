#!/usr/bin/env bash
# Times the linter over 1,000,000 events: a full pass, batches straight to the store, and commands
# through the runtime with and without findings kept; natively and as wasm (WASI in Node).
exec "$(dirname "$0")/native-and-wasm.sh" lint_bench "$@"
