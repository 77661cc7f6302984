#!/usr/bin/env bash
# Times the runtime: projection rebuilds and command handling, natively and as wasm (WASI in Node); N is the first argument.
exec "$(dirname "$0")/native-and-wasm.sh" runtime_bench "$@"
