#!/usr/bin/env bash
# IP tunnels, each with options off their defaults: gre, gretap, erspan (v1
# and v2), ip6gre, ip6gretap, ip6erspan (v1 and v2), ipip (ipip, any,
# mplsip), sit (ip6ip, any, mplsip, isatap, 6rd), ip6tnl (ip6ip6, ipip6,
# any), vti, vti6, xfrm; keys, sequence numbers and checksums, the IPv6
# tunnel flags (encaplimit none, tclass/flowlabel/fwmark inherit, dscp
# inherit, allow-localremote), fou and gue encapsulation, external
# (collect metadata) tunnels; addresses and neighbours on them. Records
# links, addrs and neigh with ip's answers beside them (see tests/vm/lib.sh).
# The tunnel modules also make their fallback devices (gre0, tunl0, sit0,
# ip6tnl0, ...) in the namespace, with every default: recorded too.
. "$(dirname "$0")/../lib.sh"

# The lower device, with the local endpoints.
nsbatch <<'IP'
link add d0 type dummy
link set d0 up
addr add 192.0.2.1/24 dev d0
addr add 2001:db8::1/64 dev d0
IP

# GRE over IPv4. ttl needs pmtudisc; ignore-df needs nopmtudisc.
nsbatch <<'IP'
link add gre1 type gre remote 192.0.2.2 local 192.0.2.1 dev d0 ttl 64 tos 0x10 ikey 42 okey 0.0.1.0 iseq oseq icsum ocsum fwmark 0x7
link add gre2 type gre remote 192.0.2.3 local 192.0.2.1 ttl inherit tos inherit nopmtudisc ignore-df key 5 encap fou encap-sport 1234 encap-dport 5555 encap-csum
link add gre3 type gre external
link add gt1 type gretap remote 192.0.2.4 local 192.0.2.1 key 7 csum seq encap gue encap-sport auto encap-dport 5556 noencap-csum
link add gt2 type gretap local 192.0.2.1 tos 0x20 ttl 10
link add es1 type erspan remote 192.0.2.5 local 192.0.2.1 seq key 10 erspan_ver 1 erspan 123
link add es2 type erspan remote 192.0.2.6 local 192.0.2.1 seq key 11 erspan_ver 2 erspan_dir egress erspan_hwid 0x1f
link add es3 type erspan remote 192.0.2.7 local 192.0.2.1 seq key 12 erspan_ver 2 erspan_dir ingress erspan_hwid 7
IP

# GRE over IPv6.
nsbatch <<'IP'
link add g6a type ip6gre remote 2001:db8::2 local 2001:db8::1 dev d0 hoplimit 10 encaplimit 3 tclass 0xab flowlabel 0x12345 dscp inherit allow-localremote key 5 fwmark 9
link add g6b type ip6gre remote 2001:db8::3 local 2001:db8::1 encaplimit none tclass inherit flowlabel inherit fwmark inherit iseq ocsum ikey 1 okey 2
link add g6c type ip6gre external
link add g6t type ip6gretap remote 2001:db8::4 local 2001:db8::1 key 3 encap fou encap-dport 6666 encap-udp6-csum
link add g6e1 type ip6erspan remote 2001:db8::5 local 2001:db8::1 seq key 20 erspan_ver 1 erspan 77
link add g6e2 type ip6erspan remote 2001:db8::6 local 2001:db8::1 seq key 21 erspan_ver 2 erspan_dir egress erspan_hwid 0x2a
IP

# IPv4 and IPv6 in IPv4.
nsbatch <<'IP'
link add ipip1 type ipip mode ipip remote 192.0.2.20 local 192.0.2.1 dev d0 ttl 32 tos 0x20 fwmark 0x10
link add ipip2 type ipip mode any remote 192.0.2.21 local 192.0.2.1 nopmtudisc encap fou encap-sport 4000 encap-dport 5557 encap-remcsum
link add ipip3 type ipip mode mplsip remote 192.0.2.22 tos inherit
link add ipip4 type ipip external
link add sit1 type sit mode ip6ip remote 192.0.2.30 local 192.0.2.1 dev d0 ttl 64 fwmark 0x11
link add sit2 type sit mode any local 192.0.2.1 isatap
link add sit3 type sit local 192.0.2.11 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8
link add sit4 type sit local 192.0.2.12 6rd-prefix 2001:d00::/24
link add sit5 type sit mode mplsip remote 192.0.2.31 encap gue encap-dport 5558
IP

# IPv6 and IPv4 in IPv6.
nsbatch <<'IP'
link add t6a type ip6tnl mode ip6ip6 remote 2001:db8::10 local 2001:db8::1 dev d0 hoplimit 20 encaplimit 2 tclass 0x10 flowlabel 0x5 dscp inherit allow-localremote fwmark 0x3
link add t6b type ip6tnl mode ipip6 remote 2001:db8::11 local 2001:db8::1 encaplimit none tclass inherit flowlabel inherit fwmark inherit
link add t6c type ip6tnl mode any remote 2001:db8::12 encap gue encap-sport 1000 encap-dport 7777 encap-udp6-csum
link add t6d type ip6tnl external
IP

# IPsec tunnels.
nsbatch <<'IP'
link add vti1 type vti remote 192.0.2.40 local 192.0.2.1 dev d0 ikey 5 okey 6 fwmark 0xff
link add vti2 type vti local 192.0.2.1 key 0.0.0.9
link add vt6a type vti6 remote 2001:db8::40 local 2001:db8::1 dev d0 key 7 fwmark 0x20
link add vt6b type vti6 remote 2001:db8::41
link add xf1 type xfrm dev d0 if_id 42
link add xf2 type xfrm if_id 0x100
IP
# Collect-metadata xfrm interfaces came with kernel 6.2; older ones refuse.
nsip link add xf3 type xfrm external ||
    echo "tunnels.sh: this kernel has no external xfrm interfaces" >&2

# Up, with addresses and neighbours.
for l in gre1 gre2 gt1 gt2 es1 es2 g6a g6b g6t g6e1 ipip1 ipip2 sit1 sit3 t6a t6b vti1 vt6a xf1; do
    nsip link set "$l" up
done
nsbatch <<'IP'
addr add 10.1.1.1/30 dev gre1
addr add 10.1.2.1 peer 10.1.2.2/32 dev gre2
addr add 10.1.3.1/24 dev gt1
addr add 2001:db8:3::1/64 dev gt1
addr add 10.1.4.1/24 dev es1
addr add 2001:db8:6::1/64 dev g6a
addr add 10.1.6.1/24 dev g6t
addr add 10.1.7.1/30 dev ipip1
addr add 2001:db8:7::1/64 dev sit1
addr add 2001:db8:8::1/64 dev t6a
addr add 10.1.8.1/30 dev t6b
addr add 10.1.9.1/30 dev vti1
addr add 2001:db8:9::1/64 dev vt6a
addr add 10.1.10.1/24 dev xf1
neigh add 10.1.3.9 lladdr 02:00:00:00:03:09 dev gt1 nud permanent
neigh add 2001:db8:3::9 lladdr 02:00:00:00:03:09 dev gt1 nud permanent
neigh add 10.1.6.9 lladdr 02:00:00:00:06:09 dev g6t nud stale
neigh add 10.1.4.9 lladdr 02:00:00:00:04:09 dev es1 nud permanent
IP
settle

record links links
oracle links -d -s link show
record addrs addrs
oracle addrs addr show
record neigh neigh
oracle neigh -s neigh show
