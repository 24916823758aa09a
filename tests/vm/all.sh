#!/usr/bin/env bash
# Run inside the VM: every scenario of tests/vm/scenarios/ (or the NAMEs
# given), one after the other, each with OUT=$OUT/NAME; the kernel release
# goes to $OUT/KERNEL. A failed scenario does not stop the others; the exit
# status is 1 when any failed. tests/vm/record.sh and tests/distro.rs run
# it as: NLQ=... tests/vm/run.sh -o OUTDIR tests/vm/all.sh [NAME...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${OUT:?}" "${NLQ:?set NLQ to the nlq binary}"

if [ $# -eq 0 ]; then
    for s in "$here"/scenarios/*.sh; do set -- "$@" "$(basename "$s" .sh)"; done
fi
uname -r >"$OUT/KERNEL"
failed=()
for name in "$@"; do
    script=$here/scenarios/$name.sh
    echo "all.sh: scenario $name"
    rm -rf "${OUT:?}/$name"
    mkdir -p "$OUT/$name"
    if [ ! -f "$script" ]; then
        echo "all.sh: no such scenario: $script"
        failed+=("$name")
    elif ! OUT=$OUT/$name bash "$script"; then
        echo "all.sh: scenario $name FAILED"
        failed+=("$name")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "all.sh: failed: ${failed[*]}"
    exit 1
fi
echo "all.sh: all passed: $*"
