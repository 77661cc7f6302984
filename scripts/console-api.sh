#!/usr/bin/env bash
# Builds the JavaScript API the app's browser console loads on first use (window.Eventarium, see
# static/js/console-api.js) into target/console/, which trunk copies into the site. It is the
# library without the UI, for the web; the app's own module leaves it out (bench/README.md: the
# bundle). Built with the release profile, and skipped when nothing it is built from changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

out=target/console
stamp="$out/.built-from"
# What it is built from: everything but the UI.
sources=$(find src Cargo.toml Cargo.lock build.rs static/scenarios -path src/ui -prune -o -type f -newer "$stamp" -print 2>/dev/null | head -1 || true)
if [ -f "$stamp" ] && [ -z "$sources" ]; then
    exit 0
fi
wasm-pack build --target web --release --no-typescript --no-pack --out-dir "$out" . --no-default-features --features api
rm -f "$out/.gitignore"
touch "$stamp"
