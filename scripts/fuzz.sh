#!/usr/bin/env bash
# Coverage-guided fuzzing of Eventarium's hostile inputs with AFL++ (cargo afl), on stable Rust.
# Not part of `make test`: a run takes minutes per target. See fuzz/README.md.
#
#   scripts/fuzz.sh [TARGET|all] [MINUTES]   fuzz each target MINUTES (default: all, 10), one after
#                                            another, from its kept corpus; fails on a crash or hang
#   scripts/fuzz.sh cmin [TARGET|all]        minimise the last run's queue with the kept corpus
#                                            into fuzz/corpus/TARGET
#   scripts/fuzz.sh replay                   every kept input through its target, natively (cargo test)
#   scripts/fuzz.sh seeds                    write fresh seeds from the built-in scenarios and fixtures
#
# Targets: scenario_import snapshot_import load_generator script_sandbox.
# Installs what is missing (cargo-afl, pinned; AFL++, which cargo-afl builds), then builds; with
# both present a run starts within seconds. Everything runs under `nice -n 19`, one fuzzer at a time.
# FUZZ_TARGET_DIR (default fuzz/target) and FUZZ_OUT (default fuzz/out) move the build and the
# fuzzers' output.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Pinned with the `afl` crate in fuzz/Cargo.toml: the two must be the same version.
CARGO_AFL_VERSION=0.18.2
TARGETS=(scenario_import snapshot_import load_generator script_sandbox)
ROOT=$PWD
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}"
OUT="${FUZZ_OUT:-$ROOT/fuzz/out}"
BIN="$CARGO_TARGET_DIR/release"
# What AFL counts as a hang, in ms. The AFL build (instrumented, with debug assertions and overflow
# checks) runs these targets about 12 times slower than a release build: a generator input that
# took 2.7 s there took 0.22 s natively. 3 s there is about 0.25 s natively, about the second the
# UI can afford in the browser, where wasm runs the sandbox 4 to 5 times slower than native
# (src/script/limits.rs).
TIMEOUT_MS=3000

# No CPU frequency tuning or core-dump setup is asked of the machine: neither changes what is found.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
[ -t 1 ] || export AFL_NO_UI=1

dictionary() {
    case $1 in
        scenario_import) echo fuzz/dict/scenario.dict ;;
        snapshot_import) echo fuzz/dict/snapshot.dict ;;
        load_generator) echo fuzz/dict/generator.dict ;;
        script_sandbox) echo fuzz/dict/rhai.dict ;;
    esac
}

targets_of() {
    local name=${1:-all}
    if [ "$name" = all ]; then
        echo "${TARGETS[@]}"
        return
    fi
    for target in "${TARGETS[@]}"; do
        if [ "$target" = "$name" ]; then
            echo "$name"
            return
        fi
    done
    echo "unknown target $name; the targets are: ${TARGETS[*]}" >&2
    exit 2
}

install() {
    if [[ "$(cargo afl --version 2>/dev/null || true)" != "cargo-afl $CARGO_AFL_VERSION "* ]]; then
        nice -n 19 cargo install cargo-afl --version "$CARGO_AFL_VERSION" --locked
    fi
    # Builds AFL++ from the sources cargo-afl ships, once per Rust toolchain.
    local said
    if ! said=$(nice -n 19 cargo afl config --build 2>&1); then
        grep -q "already built" <<<"$said" || { echo "$said" >&2; exit 1; }
    fi
}

build() {
    (cd fuzz && nice -n 19 cargo afl build --release --locked)
}

seeds() {
    mkdir -p "$OUT"
    rm -rf "$OUT/seeds"
    nice -n 19 "$BIN/seeds" "$OUT/seeds"
}

# The inputs a run starts from: the kept corpus and fresh seeds (the large real documents, such as
# the concert's, are seeds only: the kept corpus leaves out inputs over MAX_KEPT_BYTES).
inputs() {
    local target=$1 merged="$OUT/$1.in"
    [ -d "$OUT/seeds/$target" ] || seeds >&2
    rm -rf "$merged"
    mkdir -p "$merged"
    cp "$OUT/seeds/$target"/* "$merged"/
    cp fuzz/corpus/"$target"/* "$merged"/ 2>/dev/null || true
    echo "$merged"
}

# One line of a finished run's figures, from AFL's fuzzer_stats.
report() {
    local target=$1 stats="$OUT/$1/default/fuzzer_stats"
    awk -F' *: *' -v target="$target" '
        { stat[$1] = $2 }
        END {
            printf "%s: %.1f min, %s execs, %s execs/s, corpus %s, crashes %s, hangs %s, stability %s\n",
                target, stat["run_time"] / 60, stat["execs_done"], stat["execs_per_sec"],
                stat["corpus_count"], stat["saved_crashes"], stat["saved_hangs"], stat["stability"]
        }' "$stats"
}

fuzz() {
    local target=$1 minutes=$2 previous="$OUT/$1.previous"
    mkdir -p "$OUT"
    # A new run starts from the corpus; the last run's output is kept beside it until the next.
    if [ -d "$OUT/$target" ]; then
        rm -rf "$previous"
        mv "$OUT/$target" "$previous"
    fi
    local inputs
    inputs=$(inputs "$target")
    echo "== $target: $minutes min from $(find "$inputs" -type f | wc -l) inputs (output in $OUT/$target)"
    # A scenario document is tens of KiB and takes milliseconds to run: trimming each new one
    # would cost hundreds of executions.
    local trim=()
    [ "$target" = scenario_import ] && trim=(AFL_DISABLE_TRIM=1)
    env "${trim[@]}" nice -n 19 cargo afl fuzz -i "$inputs" -o "$OUT/$target" -x "$(dictionary "$target")" \
        -t "$TIMEOUT_MS+" -V $((minutes * 60)) -- "$BIN/$target" >"$OUT/$target.log" 2>&1 ||
        { tail -n 30 "$OUT/$target.log" >&2; exit 1; }
    report "$target" | tee -a "$OUT/summary.txt"
}

# AFL++'s afl-cmin.awk, which cargo-afl ships: its `cargo afl cmin` (the Python afl-cmin) kept no
# input at all for some of these targets, where the awk one keeps what afl-fuzz saw.
cmin_tool() {
    local found
    found=$(find "$HOME/.local/share/afl.rs" -path "*/afl.rs-$CARGO_AFL_VERSION/afl/bin/afl-cmin.awk" | head -n 1)
    [ -n "$found" ] || { echo "no afl-cmin.awk under ~/.local/share/afl.rs" >&2; exit 1; }
    echo "$found"
}

# The last run's queue and the kept corpus, minimised to the inputs that keep its coverage, each
# named by its hash (edges only, not their hit counts: less than half the inputs). Inputs over
# MAX_KEPT_BYTES are left out, so that the corpus stays small enough for the repository: the
# scenario documents the fuzzer grows are tens of KiB each, and every run starts from the seeds too.
MAX_KEPT_BYTES=$((24 * 1024))
cmin() {
    local target=$1 all="$OUT/$1.cmin-in" kept="$OUT/$1.cmin-out" tool
    tool=$(cmin_tool)
    rm -rf "$all" "$kept"
    mkdir -p "$all"
    find "$OUT/$target/default/queue" fuzz/corpus/"$target" -maxdepth 1 -type f -size -$((MAX_KEPT_BYTES + 1))c \
        -exec cp {} "$all"/ \; 2>/dev/null || true
    AFL_PATH=$(dirname "$tool") PATH="$(dirname "$tool"):$PATH" nice -n 19 "$tool" -e -i "$all" -o "$kept" \
        -t $((TIMEOUT_MS * 2)) -- "$BIN/$target" >"$OUT/$target.cmin.log" 2>&1 ||
        { tail -n 30 "$OUT/$target.cmin.log" >&2; exit 1; }
    if ! compgen -G "$kept/*" >/dev/null; then
        echo "$target: afl-cmin kept nothing, fuzz/corpus/$target left as it was (see $OUT/$target.cmin.log)" >&2
        exit 1
    fi
    rm -rf "fuzz/corpus/$target"
    mkdir -p "fuzz/corpus/$target"
    for file in "$kept"/*; do
        cp "$file" "fuzz/corpus/$target/$(sha1sum "$file" | cut -c1-16)"
    done
    rm -rf "$all" "$kept"
    echo "$target: $(find "fuzz/corpus/$target" -type f | wc -l) inputs kept, $(du -sh "fuzz/corpus/$target" | cut -f1)"
}

case ${1:-all} in
    replay)
        # Built apart from the fuzzers: AFL's instrumentation would make cargo rebuild both each time.
        (cd fuzz && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/plain" nice -n 19 cargo test --release --locked --lib)
        ;;
    seeds)
        install
        build
        seeds
        echo "seeds in $OUT/seeds"
        ;;
    cmin)
        install
        build
        for target in $(targets_of "${2:-all}"); do cmin "$target"; done
        ;;
    *)
        minutes=${2:-10}
        [[ $minutes =~ ^[1-9][0-9]*$ ]] || { echo "minutes must be a whole number, not $minutes" >&2; exit 2; }
        selected=$(targets_of "${1:-all}")
        install
        build
        failed=0
        for target in $selected; do
            fuzz "$target" "$minutes"
            found=$(awk -F' *: *' '$1 == "saved_crashes" || $1 == "saved_hangs" { n += $2 } END { print n + 0 }' \
                "$OUT/$target/default/fuzzer_stats")
            if [ "$found" != 0 ]; then
                echo "$target: see $OUT/$target/default/crashes and hangs; replay one with" \
                    "$BIN/$target < FILE" >&2
                failed=1
            fi
        done
        exit $failed
        ;;
esac
