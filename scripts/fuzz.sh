#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS_PER_TARGET seconds (default 60) with cargo-fuzz and libFuzzer on
# the nightly toolchain, installing cargo-fuzz if it is missing.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#
# Each target starts from fuzz/seeds/TARGET (files elicit exported) and keeps what it learns in
# fuzz/corpus/TARGET, so a later run goes on from there. A crash stops that target and leaves its input in
# fuzz/artifacts/TARGET/; the other targets still run, and the script ends non-zero. Replay one with
# `cargo +nightly fuzz run --sanitizer none TARGET fuzz/artifacts/TARGET/crash-...`, then keep it as a plain
# #[test] with the exact input at the end of tests/props.rs.
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET]  (a whole number of seconds, default 60)" >&2
    exit 2
fi

cd "$(dirname "$0")/.."
root="$PWD"

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "cargo-fuzz needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

targets=(import_csv import_json import_reqif duration sanitise)
# No AddressSanitizer: elicit forbids unsafe code and the C in SQLite is not instrumented anyway, so it would
# only make each run several times slower.
fuzz=(cargo +nightly fuzz)
build=(--sanitizer none)
# Build every target first, so a build error shows before any time is spent fuzzing.
"${fuzz[@]}" build "${build[@]}"

crashed=()
for target in "${targets[@]}"; do
    corpus="$root/fuzz/corpus/$target"
    mkdir -p "$corpus"
    args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
    if [[ "$target" == import_* ]]; then
        # Past the seed files' sizes, so that long cells and long documents are tried too.
        args+=(-max_len=65536)
    fi
    if [[ -f "$root/fuzz/dicts/$target.dict" ]]; then
        args+=(-dict="$root/fuzz/dicts/$target.dict")
    fi
    echo "== $target: ${seconds}s" >&2
    if ! "${fuzz[@]}" run "${build[@]}" "$target" "$corpus" "$root/fuzz/seeds/$target" -- "${args[@]}"; then
        crashed+=("$target")
    fi
done

if ((${#crashed[@]})); then
    echo "stopped by a crash (input in fuzz/artifacts/TARGET/) or an error in: ${crashed[*]}" >&2
    exit 1
fi
echo "no crashes in ${#targets[@]} targets, ${seconds}s each" >&2
