# Helpers for the scenario scripts in tests/vm/scenarios/, which run as root
# on the distro kernel (tests/vm/run.sh) and record fixtures like
# fixtures/record.sh does. Source it first thing:
#
#   #!/usr/bin/env bash
#   . "$(dirname "$0")/../lib.sh"
#   nsbatch <<'IP'
#   link add d0 type dummy
#   IP
#   settle
#   record links links                 # nlq links, captured
#   oracle links -d -s link show       # ip -j -d -s link show, beside it
#
# Sourcing sets `set -euo pipefail`, creates the namespace $NS (unique
# name, loopback up, IPv6 DAD off so addresses are never tentative) and
# deletes it on exit, also on failure. The fallback devices the tunnel
# modules put in every new namespace (gre0, gretap0, erspan0, tunl0, sit0,
# ip6tnl0, ip6gre0, ip_vti0, ip6_vti0) are kept out of $NS unless
# FALLBACK_TUNNELS=1 is set before sourcing. It needs:
#   NLQ  the nlq binary (absolute path on the host; the VM sees it too)
#   OUT  the directory for the results (run.sh sets it; default: .)
#
# Functions:
#   nsip ARGS...            ip -n $NS ARGS...
#   nsbatch                 ip -n $NS -batch - (commands on stdin)
#   nsexec CMD...           CMD inside $NS
#   settle                  wait until links, addresses, neighbours and
#                           routes stop changing (carrier, DAD, ...)
#   record NAME ARGS...     run `$NLQ --capture $OUT/NAME.pcap ARGS...` in
#                           $NS; writes NAME.pcap, NAME.cmd ("nlq ARGS...")
#                           and NAME.table (what it printed)
#   oracle NAME IP_ARGS...  `ip -n $NS -j IP_ARGS...` > $OUT/NAME.oracle.json,
#                           the answer nlq's replay of NAME.pcap with
#                           --json=ip must be a superset of. For a second
#                           oracle of the same capture, name it NAME:TAG
#                           (written to NAME.oracle-TAG.json).
# tests/distro.rs replays every NAME.pcap with NAME.cmd's arguments and
# checks it against each NAME.oracle*.json. Fixture names are unique within
# a scenario; tests/vm/record.sh keeps each scenario's files in its own
# directory of fixtures/distro/.

set -euo pipefail

: "${NLQ:?set NLQ to the nlq binary}"
OUT=${OUT:-.}
mkdir -p "$OUT"
NS=nlq-vm-$(basename "$0" .sh)-$$

nsip() { ip -n "$NS" "$@"; }
nsbatch() { ip -n "$NS" -batch -; }
nsexec() { ip netns exec "$NS" "$@"; }

record() {
    local name=$1
    shift
    nsexec "$NLQ" --capture "$OUT/$name.pcap" "$@" >"$OUT/$name.table"
    printf 'nlq %s\n' "$*" >"$OUT/$name.cmd"
}

oracle() {
    local name=${1%%:*} tag=''
    case $1 in *:*) tag=-${1#*:} ;; esac
    shift
    ip -n "$NS" -j "$@" >"$OUT/$name.oracle$tag.json"
}

# What settle compares: everything but counters and timers, which never do.
_snapshot() {
    nsip link show
    nsip addr show
    nsip neigh show nud all
    nsip route show table all
}

settle() {
    local before after i
    before=$(_snapshot)
    for i in $(seq 50); do
        sleep 0.3
        after=$(_snapshot)
        [ "$after" != "$before" ] || return 0
        before=$after
    done
    echo "lib.sh: $NS did not settle in 15 s" >&2
    return 1
}

# 1: fallback tunnels in the initial namespace only (read when a namespace
# is created; a global sysctl, so set it each time).
echo $((${FALLBACK_TUNNELS:-0} ? 0 : 1)) >/proc/sys/net/core/fb_tunnels_only_for_init_net

_lib_cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap _lib_cleanup EXIT
ip netns add "$NS"
nsip link set lo up
nsexec sh -c 'for c in all default; do echo 0 >/proc/sys/net/ipv6/conf/$c/accept_dad; done'
