#!/usr/bin/env bash
# Times a system of modules: messages through the broker with faults on, natively and as wasm (WASI in Node); N is the first argument.
exec "$(dirname "$0")/native-and-wasm.sh" system_bench "$@"
