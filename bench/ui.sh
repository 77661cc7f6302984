#!/usr/bin/env bash
# The app's responsiveness with a large store, in real Chromium on the release build: a generator
# fills the store (EVENTARIUM_PERF_EVENTS, default 100,000) while frame times are recorded, then
# page switches, a timeline, a scroll and an in-place rebuild are timed. Figures are printed as
# `# …` lines. Needs what `make test` installs, and the release build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
[ -f dist/index.html ] || scripts/build.sh
node --test bench/ui/perf.test.mjs
