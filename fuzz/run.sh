#!/usr/bin/env bash
# Run each cargo-fuzz target for a bounded time (default 60 s each) on the
# stable toolchain, starting from the committed corpus, and copy any crash,
# timeout or out-of-memory input into fuzz/artifacts/<target>/, where
# tests/fuzz_corpus.rs replays it on every `cargo test`.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (all six targets by default)
#
# New inputs the fuzzer finds go to fuzz/target/corpus/<target>/, not into
# the committed corpus (a bare `cargo fuzz run T` writes into fuzz/corpus/T);
# MERGE=1 folds those of at most 1 KiB that add coverage back into
# fuzz/corpus/<target>/ (libFuzzer's -merge=1), to be reviewed and committed.
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler.
# `-s none`: no sanitizer, so no nightly (nlq has no unsafe to sanitize);
# `-a`: debug assertions and overflow checks, cargo-fuzz's default, kept
# explicit.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(messages attributes decoders ext_ack dump_session replay)

cargo fuzz build -s none -a || exit 1
failed=()
for t in "${targets[@]}"; do
    work=fuzz/target/corpus/$t
    found=fuzz/target/found/$t
    mkdir -p "$work" "$found" "fuzz/artifacts/$t"
    echo "== $t: ${seconds}s"
    log=fuzz/target/logs/$t.log
    mkdir -p "$(dirname "$log")"
    cargo fuzz run -s none -a "$t" "$work" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$found/" -print_final_stats=1 >"$log" 2>&1
    status=$?
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|peak_rss_mb)' "$log"
    [ "$status" -eq 0 ] || grep -E -A2 'panicked at|^==[0-9]+== ERROR|^SUMMARY' "$log"
    for f in "$found"/crash-* "$found"/timeout-* "$found"/oom-*; do
        [ -e "$f" ] && mv "$f" "fuzz/artifacts/$t/" && echo "   artefact: fuzz/artifacts/$t/$(basename "$f")"
    done
    [ "$status" -eq 0 ] || failed+=("$t")
    if [ "${MERGE:-0}" = 1 ]; then
        small=fuzz/target/small/$t
        rm -rf "$small" && mkdir -p "$small"
        find "$work" -type f -size -1025c -exec cp {} "$small/" \;
        cargo fuzz run -s none -a "$t" "fuzz/corpus/$t" "$small" -- -merge=1 2>&1 |
            grep -E 'MERGE-OUTER: [0-9]+ new files'
    fi
done
rmdir fuzz/artifacts/* fuzz/artifacts 2>/dev/null # cargo fuzz makes them
if [ ${#failed[@]} -gt 0 ]; then
    echo "failed: ${failed[*]} (inputs in fuzz/artifacts/; minimise with cargo fuzz tmin -s none TARGET FILE)"
    exit 1
fi
echo "all targets ran ${seconds}s without a failure"
