#!/usr/bin/env bash
# MPLS and VRF routing: MPLS routes (single labels, `as` label stacks, via
# inet and inet6, a pop, ttl-propagate, multipath with per-hop labels),
# `encap mpls` on IPv4 and IPv6 routes (with ttl, per multipath nexthop)
# and on nexthop objects, a VRF with ports and routes in its table (one
# with encap mpls), and l3mdev rules. Records the routes of every family
# and table, the MPLS routes, the VRF's table, the nexthops and the rules,
# with ip's answers beside them (see tests/vm/lib.sh); checks that `nlq
# monitor` reports an MPLS route by its label.
. "$(dirname "$0")/../lib.sh"

# MPLS forwarding is off until a namespace gives it a label space and
# lets its devices take labelled packets.
nsexec sysctl -qw net.mpls.platform_labels=1000

nsbatch <<'IP'
link add d0 type dummy
link add d1 type dummy
link set d0 up
link set d1 up
addr add 192.0.2.1/24 dev d0
addr add 2001:db8::1/64 dev d0
addr add 198.51.100.1/24 dev d1
addr add 2001:db8:1::1/64 dev d1
link add blue type vrf table 1001
link set blue up
link add d2 type dummy
link add d3 type dummy
link set d2 master blue
link set d3 master blue
link set d2 up
link set d3 up
addr add 203.0.113.1/24 dev d2
addr add 2001:db8:2::1/64 dev d2
IP
for dev in d0 d1 lo; do
    nsexec sysctl -qw "net.mpls.conf.$dev.input=1"
done

# ip -batch takes no global options on its lines: one batch per family.
nsip -f mpls -batch - <<'IP'
route add 100 as 200 via inet 192.0.2.2 dev d0
route add 101 as 201/202/203 via inet6 2001:db8::2 dev d0
route add 102 via inet 192.0.2.3 dev d0
route add 103 nexthop as 300 via inet 192.0.2.2 dev d0 nexthop as 301/302 via inet6 2001:db8:1::2 dev d1
route add 104 as 400 via inet 192.0.2.2 dev d0 ttl-propagate disabled
route add 105 as 401 via inet6 2001:db8::3 dev d0 ttl-propagate enabled proto static
route add 106 nexthop via inet 192.0.2.4 dev d0 nexthop via inet 198.51.100.4 dev d1
IP
nsbatch <<'IP'
route add 10.70.0.0/16 encap mpls 500 via 192.0.2.2 dev d0
route add 10.71.0.0/16 encap mpls 501/502 ttl 10 via 192.0.2.2 dev d0 proto static metric 7
route add 10.72.0.0/16 nexthop encap mpls 503 via 192.0.2.2 dev d0 nexthop encap mpls 504/505 ttl 20 via 198.51.100.2 dev d1 weight 3
route add 10.73.0.0/16 encap mpls 506 dev d0
route add 10.80.0.0/16 via 203.0.113.2 vrf blue
route add 10.81.0.0/16 encap mpls 700 via 203.0.113.2 dev d2 vrf blue
route add unreachable default vrf blue metric 4278198272
nexthop add id 10 encap mpls 800/801 ttl 40 via 192.0.2.2 dev d0
nexthop add id 11 encap mpls 802 via 198.51.100.2 dev d1
route add 10.74.0.0/16 nhid 10
rule add l3mdev pref 1500
rule add from 10.90.0.0/16 l3mdev pref 1501
rule add iif blue table 1001 pref 1502
rule add oif blue table 1001 pref 1503
IP
nsip -6 -batch - <<'IP'
route add 2001:db8:70::/48 encap mpls 600 via 2001:db8::2 dev d0
route add 2001:db8:71::/48 encap mpls 601/602 ttl 5 via 2001:db8::2 dev d0 metric 9
route add 2001:db8:72::/48 nexthop encap mpls 603 via 2001:db8::2 dev d0 nexthop encap mpls 604 ttl 30 via 2001:db8:1::2 dev d1
route add 2001:db8:80::/48 via 2001:db8:2::2 vrf blue
route add unreachable default vrf blue metric 4278198272
rule add l3mdev pref 1500
rule add oif blue table 1001 pref 1503
IP
settle

record mpls routes --family mpls
oracle mpls -f mpls route show
record mpls_to routes --family mpls --to 103
oracle mpls_to -f mpls route show to 103
# `ip route show table all` shows every family, MPLS included.
record routes routes --family all --table all
oracle routes route show table all
record routes6 routes -6 --table all
oracle routes6 -6 route show table all
record table4 routes -4 --table 1001
oracle table4 route show table 1001
record table6 routes -6 --table 1001
oracle table6 -6 route show table 1001
record vrf4 routes -4 --vrf blue
oracle vrf4 route show vrf blue
record vrf6 routes -6 --vrf blue
oracle vrf6 -6 route show vrf blue
record main routes
record brief routes --family mpls -b
record nexthops nexthops
oracle nexthops nexthop show
record rules rules --family inet
oracle rules rule show
record rules6 rules --family inet6
oracle rules6 -6 rule show

# --vrf takes VRF devices only.
if nsexec "$NLQ" routes --vrf d0 2>/dev/null; then
    echo "mpls.sh: routes --vrf d0 (a dummy) did not fail"
    exit 1
fi

# The monitor names an MPLS route by its label, as it comes and goes. The
# route comes and goes until the monitor has seen two events: it may join
# its groups after the first change, on a slow VM.
events=$(mktemp)
nsexec timeout 60 "$NLQ" monitor route --family mpls --json --count 2 >"$events" &
monitor=$!
for _ in $(seq 60); do
    nsip -f mpls route add 110 as 210 via inet 192.0.2.2 dev d0
    nsip -f mpls route del 110
    kill -0 "$monitor" 2>/dev/null || break
    sleep 0.5
done
wait "$monitor" || { echo "mpls.sh: the monitor failed or saw nothing"; exit 1; }
grep -q '"event":"new".*"dst":"110".*"dst_labels":\[110\].*"as_labels":\[210\]' "$events" ||
    { echo "mpls.sh: monitor did not report the new MPLS route:"; cat "$events"; exit 1; }
grep -q '"event":"del".*"dst":"110"' "$events" ||
    { echo "mpls.sh: monitor did not report the deleted MPLS route:"; cat "$events"; exit 1; }
rm -f "$events"
