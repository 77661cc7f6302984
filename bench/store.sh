#!/usr/bin/env bash
# Times the event store alone, natively and as wasm (WASI in Node); N is the first argument.
exec "$(dirname "$0")/native-and-wasm.sh" store_bench "$@"
