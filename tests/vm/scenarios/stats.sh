#!/usr/bin/env bash
# Interface statistics (`nlq stats`, `ip stats show`) where the MPLS
# module gives links an afstats group: a veth pair (v0, v1) with MPLS
# input on v0, and an `encap mpls` route out of v1 whose next hop is v0's
# address, so a datagram to 10.60.0.1 leaves v1 labelled (v1's MPLS tx
# counters) and arrives on v0 with a label no route knows (v0's rx and
# noroute counters); and an 802.3ad bond with a dummy port (the bond's
# xstats). Records every link's afstats, v0's MPLS and
# offload stats and the bond's and its port's 802.3ad counters, with ip's
# answers beside them (see tests/vm/lib.sh).
# The link group is left to the host's tests: IPv6 noise can move its
# counters between nlq's read and ip's.
. "$(dirname "$0")/../lib.sh"

nsexec sysctl -qw net.mpls.platform_labels=1000

nsbatch <<'IP'
link add v0 type veth peer name v1
addr add 192.0.2.2/24 dev v0
addr add 192.0.2.1/24 dev v1
link set v0 up
link set v1 up
link add bond0 type bond mode 802.3ad
link add d0 type dummy
link set d0 master bond0
link set d0 up
link set bond0 up
IP
nsexec sysctl -qw net.mpls.conf.v0.input=1
# The next hop is an address of this namespace: ARP would not answer for
# it across the pair, so v0's MAC is given.
mac=$(nsip -br link show v0 | awk '{print $3}')
nsbatch <<IP
neigh add 192.0.2.2 lladdr $mac dev v1 nud permanent
route add 10.60.0.0/16 encap mpls 100 via 192.0.2.2 dev v1
IP
settle
nsexec bash -c 'for i in 1 2 3; do echo "datagram $i" >/dev/udp/10.60.0.1/9; sleep 0.2; done'
sleep 1

record stats_af stats --group afstats
oracle stats_af stats show group afstats
record stats_v0 stats --dev v0 --group afstats/mpls --group offload
oracle stats_v0 stats show dev v0 group afstats subgroup mpls group offload
record stats_v1 stats --dev v1 --group afstats
oracle stats_v1 stats show dev v1 group afstats

# The LACP counters stay zero here (no LACPDU left the dummy port in ten
# seconds of trying): this checks their decoding and shape against ip.
record stats_bond stats --group xstats/bond --group xstats_slave/bond
oracle stats_bond stats show group xstats subgroup bond group xstats_slave subgroup bond

# The datagrams were counted: v1 sent labelled packets, v0 received them
# and found no route for label 100.
nsexec "$NLQ" stats --dev v0 --group afstats --json |
    grep -q '"rx_packets":[1-9].*"rx_noroute":[1-9]' ||
    { echo "stats.sh: no MPLS rx/noroute counts on v0:"; nsexec "$NLQ" stats -g afstats; exit 1; }
