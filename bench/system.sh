#!/usr/bin/env bash
# Times a system of modules: messages through the broker with faults on, natively and as wasm (WASI in
# Node). Arguments: N, then optionally the rows (broker,script,commands,builtin) and the built-in run's
# events, as examples/system_bench.rs takes them.
exec "$(dirname "$0")/native-and-wasm.sh" system_bench "$@"
