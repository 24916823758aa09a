#!/usr/bin/env bash
# Re-record fixtures/distro/ on the distro kernel: boot one VM
# (tests/vm/run.sh) that runs every scenario of tests/vm/scenarios/ (or the
# NAMEs given) with tests/vm/all.sh, then replace fixtures/distro/NAME/ for
# each scenario that ran, and fixtures/distro/KERNEL. Other scenarios'
# fixtures are left alone. Nothing is copied when a scenario fails; the
# results stay in the printed directory for a look.
#
# Usage (root): cargo build && tests/vm/record.sh [NAME...]
# NLQ: the nlq binary to record with (default target/debug/nlq).
set -euo pipefail
cd "$(dirname "$0")/../.."
nlq=$(realpath "${NLQ:-target/debug/nlq}" 2>/dev/null) || true
[ -x "$nlq" ] || { echo "record.sh: no nlq binary; run cargo build first" >&2; exit 1; }
out=$(mktemp -d /tmp/nlq-record.XXXXXX)
if ! NLQ=$nlq tests/vm/run.sh -o "$out" tests/vm/all.sh "$@"; then
    echo "record.sh: recording failed; results and console.log in $out" >&2
    exit 1
fi
dest=fixtures/distro
mkdir -p "$dest"
for dir in "$out"/*/; do
    name=$(basename "$dir")
    rm -rf "${dest:?}/$name"
    cp -r "$dir" "$dest/$name"
done
cp "$out/KERNEL" "$dest/KERNEL"
rm -rf "$out"
echo "recorded on $(cat "$dest/KERNEL"): $(cd "$dest" && ls -d -- */ | tr -d / | tr '\n' ' ')"
