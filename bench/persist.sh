#!/usr/bin/env bash
# What autosave costs: a workspace of N events (first argument, default 1,000,000) saved in parts,
# the save after one command, and the restore, natively and as wasm (WASI in Node).
exec "$(dirname "$0")/native-and-wasm.sh" persist_bench "${1:-1000000}"
