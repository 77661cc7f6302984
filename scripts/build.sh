#!/usr/bin/env bash
# Builds the static release of the web app into dist/ and reports its gzipped size against the
# budget (wasm + js + css ≤ 1.5 MiB gzipped: what a participant downloads on conference wifi).
# dist/ can be served by any static file server.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

BUDGET_BYTES=$((1536 * 1024))

scripts/console-api.sh
trunk build --release

gzipped() { gzip -9 -c "$1" | wc -c; }
total=0
# Every script the page loads counts: the wasm-bindgen snippets in dist/snippets/ and the service
# worker too. The console's JavaScript API (dist/console/) loads only when the console uses it.
for file in $(find dist -path dist/console -prune -o \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print | sort); do
    size=$(gzipped "$file")
    total=$((total + size))
    printf 'bundle: %-48s %8d bytes raw, %8d bytes gzipped\n' "$file" "$(wc -c <"$file")" "$size"
done
printf 'bundle: wasm + js + css %d KiB gzipped (budget %d KiB)\n' $((total / 1024)) $((BUDGET_BYTES / 1024))
console=0
for file in dist/console/*.wasm dist/console/*.js; do
    console=$((console + $(gzipped "$file")))
done
printf 'bundle: the console API, loaded on first use: %d KiB gzipped\n' $((console / 1024))
if [ "$total" -gt "$BUDGET_BYTES" ]; then
    echo "bundle: over budget" >&2
    exit 1
fi
