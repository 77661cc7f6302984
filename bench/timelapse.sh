#!/usr/bin/env bash
# A year of traffic in the time-lapse, natively and as wasm (WASI in Node); N (events) is the
# first argument, default 5,000,000.
exec "$(dirname "$0")/native-and-wasm.sh" timelapse_bench "${1:-5000000}"
