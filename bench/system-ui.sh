#!/usr/bin/env bash
# Frame times on the System page in real Chromium on the release build, while the concert system's
# clock plays at ×10 and a load generator checks carts out: with messages drawn moving along the
# arrows and without (EVENTARIUM_PERF_SECONDS each, default 15). Figures are printed as `# …`
# lines. Needs what `make test` installs, and the release build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
[ -f dist/index.html ] || scripts/build.sh
node --test bench/ui/system.test.mjs
