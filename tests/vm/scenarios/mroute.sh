#!/usr/bin/env bash
# The multicast routing cache (CONFIG_IP_MROUTE, CONFIG_IPV6_MROUTE and
# their MULTIPLE_TABLES, which Debian's kernel has and many test machines
# lack). tests/vm/mrt.c, built here with gcc, plays a static multicast
# router in $NS: VIFs on v0, v1, v2 and (S, G) entries in IPv4's default
# table, in table 100, and in IPv6's table (see its header), kept while
# it runs. From a peer namespace, datagrams to the groups (mrt send) make counters move
# (forwarded packets, and packets arriving on the wrong interface) and an
# unresolved entry appear (a group nobody routes, queued for 10 s).
# Records `nlq mroutes` with and without -s, every table, one table, -6,
# --iif, and the unresolved entry, with `ip -j [-s] mroute show` beside
# them (see tests/vm/lib.sh).
. "$(dirname "$0")/../lib.sh"

PEER=$NS-peer
MRT=/tmp/nlq-mrt-$$
READY=/tmp/nlq-mrt-$$.ready
mrt_pid=
_mroute_cleanup() {
    [ -z "$mrt_pid" ] || kill "$mrt_pid" 2>/dev/null || true
    ip netns del "$PEER" 2>/dev/null || true
    rm -f "$MRT" "$READY"
    _lib_cleanup
}
trap _mroute_cleanup EXIT

gcc -O1 -o "$MRT" "$(dirname "$0")/../mrt.c"
ip netns add "$PEER"
nsbatch <<'IP'
link add v0 type veth peer name v0p
link add v1 type veth peer name v1p
link add v2 type veth peer name v2p
addr add 10.0.0.254/24 dev v0
addr add 10.0.1.254/24 dev v1
addr add 10.0.2.254/24 dev v2
addr add 2001:db8:0::fe/64 dev v0
addr add 2001:db8:1::fe/64 dev v1
addr add 2001:db8:2::fe/64 dev v2
link set v0 up
link set v1 up
link set v2 up
IP
for p in v0p v1p v2p; do nsip link set "$p" netns "$PEER"; done
ip -n "$PEER" -batch - <<'IP'
link set lo up
link set v0p up
link set v1p up
link set v2p up
addr add 10.0.0.1/24 dev v0p
addr add 10.0.0.2/24 dev v0p
route add 224.0.0.0/4 dev v0p
IP
nsexec "$MRT" "$READY" v0 v1 v2 &
mrt_pid=$!
for _ in $(seq 100); do [ -e "$READY" ] && break; sleep 0.1; done
[ -e "$READY" ] || { echo "mroute.sh: mrt did not start" >&2; exit 1; }
settle

# Three packets forwarded by (10.0.0.1, 239.1.2.3); two from 10.0.0.2 to
# 239.4.5.6 arrive on v0, not on v1 where that entry expects them.
ip netns exec "$PEER" "$MRT" send 10.0.0.1 239.1.2.3 3
ip netns exec "$PEER" "$MRT" send 10.0.0.2 239.4.5.6 2
sleep 0.5

record mroutes mroutes -s
oracle mroutes -s mroute show
oracle mroutes:plain mroute show
record mroutes-plain mroutes
oracle mroutes-plain mroute show
record mroutes-all mroutes --table all -s
oracle mroutes-all -s mroute show table all
record mroutes-100 mroutes --table 100
oracle mroutes-100 mroute show table 100
record mroutes-iif mroutes --iif v1
oracle mroutes-iif mroute show iif v1
record mroutes6 mroutes -6 -s
oracle mroutes6 -6 -s mroute show

# A group no entry covers: the kernel queues the packet and asks the
# daemon (which does not answer); the entry stays unresolved for 10 s.
ip netns exec "$PEER" "$MRT" send 10.0.0.1 239.9.9.9 1
sleep 0.2
record mroutes-unres mroutes
oracle mroutes-unres mroute show
