#!/usr/bin/env bash
# Link kinds that need no tunnel, bond, vlan or MPLS decoder: dummy, nlmon,
# vcan, team with a port, wireguard, ifb, veth, a bridge with ports (options
# off their defaults), vxlan (IPv4 and IPv6 remotes, and external), macvlan
# and macvtap in several modes, tun and tap; addresses, neighbours, routes
# and rules on them. Records links, addrs, neigh, routes and rules with ip's
# answers beside them (see tests/vm/lib.sh).
. "$(dirname "$0")/../lib.sh"

nsbatch <<'IP'
link add d0 type dummy
link add d1 address 02:00:00:00:d1:01 mtu 9000 type dummy
link set d1 alias "second dummy"
link add nlmon0 type nlmon
link add vcan0 type vcan
link add ifb0 type ifb
link add wg0 type wireguard
link add team0 type team
link add tp0 type dummy
link set tp0 master team0
link add v0 type veth peer name v1
link add v2 numtxqueues 2 numrxqueues 2 type veth peer name v3 address 02:00:00:00:03:03
link add br0 type bridge forward_delay 500 hello_time 300 max_age 1000 ageing_time 12000 priority 4096 group_fwd_mask 0x4000 vlan_filtering 1 vlan_protocol 802.1ad vlan_default_pvid 7 vlan_stats_enabled 1 mcast_snooping 1 mcast_router 2 mcast_querier 1 mcast_query_use_ifaddr 1 mcast_hash_max 1024 mcast_last_member_count 3 mcast_startup_query_count 3 mcast_stats_enabled 1 mcast_igmp_version 3 mcast_mld_version 2
link set v1 master br0
link set v3 master br0
link set v1 type bridge_slave cost 50 priority 10 guard on hairpin on fastleave on root_block on learning off flood off mcast_router 2 mcast_flood off bcast_flood off neigh_suppress on isolated on
link set v3 type bridge_slave cost 7 proxy_arp on proxy_arp_wifi on mcast_to_unicast on group_fwd_mask 0x4000 vlan_tunnel on
link add vx4 type vxlan id 42 remote 192.0.2.50 local 192.0.2.1 dev d0 dstport 4789 srcport 1000 2000 ttl 64 tos 0x10 ageing 600 maxaddress 100 nolearning l2miss l3miss gbp noudpcsum
link add vx6 type vxlan id 4242 remote 2001:db8::50 local 2001:db8::1 dstport 4790 ttl inherit flowlabel 5 udp6zerocsumtx udp6zerocsumrx
link add vxe type vxlan external dstport 4791
link add mvb link d0 type macvlan mode bridge
link add mvp link d0 type macvlan mode private
link add mvv link d0 address 02:00:00:00:0e:01 type macvlan mode vepa bcqueuelen 200
link add mvs link d0 type macvlan mode source macaddr add 02:00:00:00:5e:01 macaddr add 02:00:00:00:5e:02
link add mvt link d1 type macvlan mode passthru flag nopromisc
link add mtb link v0 type macvtap mode bridge
link add mtv link v0 type macvtap mode vepa
tuntap add tun0 mode tun user 1000 group 1000 multi_queue
tuntap add tap0 mode tap vnet_hdr pi
link set d0 up
link set d1 up
link set team0 up
link set v0 up
link set v1 up
link set v2 up
link set v3 up
link set br0 up
link set vx4 up
link set vx6 up
link set mvb up
link set mtb up
link set ifb0 up
addr add 192.0.2.1/24 dev d0
addr add 2001:db8::1/64 dev d0
addr add 198.51.100.1/24 brd + dev br0 label br0:lan
addr add 2001:db8:1::1/64 dev br0 noprefixroute
addr add 10.42.0.1/24 dev vx4
addr add 203.0.113.1 peer 203.0.113.2/32 dev tun0
neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev d0 nud permanent
neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev d0 nud noarp
neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev d0 nud permanent
neigh add 198.51.100.9 lladdr 02:00:00:00:00:19 dev br0 nud stale
neigh add 10.42.0.9 lladdr 02:00:00:00:00:29 dev vx4 nud permanent
route add 10.50.0.0/16 via 192.0.2.254 dev d0 proto static
route add 10.51.0.0/16 dev br0 table 100 metric 20
route add 2001:db8:50::/48 via 2001:db8::254 dev d0
rule add from 10.60.0.0/16 table 100 pref 1000
rule add to 10.61.0.0/16 iif d0 table 100 pref 1001
IP
nsip -6 rule add from 2001:db8:60::/48 table 100 pref 1000
settle

record links links
oracle links -d -s link show
record addrs addrs
oracle addrs addr show
record neigh neigh
oracle neigh -s neigh show
record routes routes --family all --table all
oracle routes route show table all
record rules rules --family inet
oracle rules rule show
record rules6 rules --family inet6
oracle rules6 -6 rule show
