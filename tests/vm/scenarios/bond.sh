#!/usr/bin/env bash
# Bonds in every mode with ports (options off their defaults: MII and ARP
# monitoring, ARP and NS targets, 802.3ad with LACP settings, port queue
# ids and priorities, a port whose link failed), VRFs with ports (a bond
# among them) and team with a port; addresses, neighbours and routes on
# them, and the l3mdev rules VRFs bring. Records links (all, bonds, a
# bond's and a VRF's ports), addrs, neigh, routes and rules with ip's
# answers beside them (see tests/vm/lib.sh).
#
# The ARP-monitored active-backup bond (barp) has no port on purpose: with
# nobody to answer its probes it cycles a port through down and "going
# back" for ever, so no two reads would agree.
. "$(dirname "$0")/../lib.sh"

nsbatch <<'IP'
link add p0 type dummy
link add p1 type dummy
link add p3 type dummy
link add p4 type dummy
link add p5 type dummy
link add p6 type dummy
link add p7 type dummy
link add p8 type dummy
link add p9 type dummy
link add bab type bond mode active-backup miimon 100 updelay 200 downdelay 300 peer_notify_delay 400 use_carrier 0 primary_reselect better fail_over_mac active num_grat_arp 3 resend_igmp 2 all_slaves_active 1 min_links 1
link add barp type bond mode active-backup arp_interval 500 arp_ip_target 192.0.2.8,192.0.2.9 ns_ip6_target 2001:db8::8 arp_validate filter_backup arp_all_targets all arp_missed_max 5 fail_over_mac follow primary_reselect failure
link add bxor type bond mode balance-xor xmit_hash_policy layer3+4 arp_interval 1000 arp_ip_target 198.51.100.7 arp_validate all
link add b3ad type bond mode 802.3ad miimon 50 lacp_rate fast lacp_active off ad_select bandwidth ad_actor_sys_prio 100 ad_user_port_key 5 ad_actor_system 02:00:00:00:ad:01 xmit_hash_policy encap3+4 min_links 1
link add btlb type bond mode balance-tlb tlb_dynamic_lb 0 lp_interval 5 miimon 100
link add balb type bond mode balance-alb xmit_hash_policy layer2+3
link add brr type bond mode balance-rr packets_per_slave 4 miimon 100 use_carrier 1
link add bbc type bond mode broadcast miimon 200
link add bempty type bond
link add b3c type bond mode 802.3ad ad_select count lacp_rate slow
link set p0 master bab
link set p1 master bab
link set p3 master bxor
link set p4 master b3ad
link set p5 master b3ad
link set p6 master btlb
link set p7 master balb
link set p8 master brr
link set p9 master bbc
link set p1 type bond_slave queue_id 1 prio 7
link set p0 type bond_slave prio -3
link set bab type bond primary p0
link add vrf10 type vrf table 10
link add vrf20 type vrf table 20
link add vp0 type dummy
link set vp0 master vrf10
link set bbc master vrf20
link add team1 type team
link add tp1 type dummy
link set tp1 master team1
link set bab up
link set barp up
link set bxor up
link set b3ad up
link set btlb up
link set balb up
link set brr up
link set bbc up
link set p4 up
link set p5 up
link set vrf10 up
link set vrf20 up
link set vp0 up
link set team1 up
link set tp1 up
addr add 192.0.2.1/24 dev bab
addr add 2001:db8::1/64 dev bab
addr add 198.51.100.1/24 dev bxor
addr add 203.0.113.1/24 dev b3ad
addr add 10.10.0.1/24 dev vp0
addr add 2001:db8:10::1/64 dev vp0
addr add 10.20.0.1/24 dev bbc
neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev bab nud permanent
neigh add 10.10.0.9 lladdr 02:00:00:00:10:09 dev vp0 nud permanent
neigh add 2001:db8:10::9 lladdr 02:00:00:00:10:09 dev vp0 nud permanent
route add 10.11.0.0/16 via 10.10.0.254 vrf vrf10
route add 10.21.0.0/16 dev bbc vrf vrf20 metric 7
IP
# A port whose link went down: mii_status DOWN, link_failure_count 1.
nsip link set p1 down
settle

record links links
oracle links -d -s link show
# Not `type bond_slave`: ip 6.1 filters ports itself and prints `{}` for
# every other link.
record bonds links --kind bond
oracle bonds -d link show type bond
record bond-ports links --master bab
oracle bond-ports -d link show master bab
record vrf-ports links --master vrf10
oracle vrf-ports -d link show master vrf10
record addrs addrs
oracle addrs addr show
record neigh neigh
oracle neigh -s neigh show
record routes routes --family all --table all
oracle routes route show table all
record rules4 rules -4
oracle rules4 rule show
record rules6 rules -6
oracle rules6 -6 rule show
