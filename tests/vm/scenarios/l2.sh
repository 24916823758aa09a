#!/usr/bin/env bash
# Layer-2 and UDP-encapsulation link kinds, each with options off their
# defaults: vlan (802.1Q and 802.1ad, stacked, every flag, none at all,
# ingress and egress QoS maps), geneve (IPv4 and IPv6 remotes,
# ttl/tos/df/flowlabel, checksum settings, external, innerprotoinherit),
# ipvlan and ipvtap in each mode (l2, l3, l3s) and with each flag (bridge,
# private, vepa; both are per lower device, hence one dummy per
# combination), macsec (all four ciphers, flags, validation modes), gtp
# and vxcan; addresses and neighbours on them.
# Records links, addrs and neigh with ip's answers beside them (see
# tests/vm/lib.sh). Debian's 6.1 kernel builds neither hsr, bareudp nor
# amt (CONFIG_HSR, CONFIG_BAREUDP, CONFIG_AMT are not set): no such
# links. macsec's icvlen other than 16 needs the gcm module loaded, and
# sci with end_station on is refused: neither is here.
. "$(dirname "$0")/../lib.sh"

nsbatch <<'IP'
link add d0 address 02:00:00:00:d0:01 type dummy
link add d1 address 02:00:00:00:d1:01 type dummy
link add vl100 link d0 type vlan id 100 reorder_hdr off gvrp on loose_binding on ingress-qos-map 1:2 3:4 egress-qos-map 2:5 7:1 4:0
link add vl101 link d0 type vlan protocol 802.1Q id 101 mvrp on bridge_binding on
link add vl102 link d0 type vlan id 102 reorder_hdr off
link add vq200 link d1 type vlan protocol 802.1ad id 200
link add vq200.10 link vq200 type vlan id 10 egress-qos-map 0:7
link add gn4 type geneve id 100 remote 192.0.2.60 ttl 32 tos 0x18 df set dstport 6082 noudpcsum
link add gn6 type geneve id 200 remote 2001:db8::60 ttl inherit tos inherit flowlabel 0x1234 df inherit udp6zerocsumtx udp6zerocsumrx
link add gna type geneve id 201 remote 192.0.2.61 ttl auto dstport 6084 innerprotoinherit
link add gne type geneve external dstport 6083
link add pl2 type dummy
link add pl3 type dummy
link add pl3s type dummy
link add ipl2 link pl2 type ipvlan mode l2 bridge
link add ipt2 link pl2 type ipvtap mode l2 bridge
link add ipl3 link pl3 type ipvlan mode l3 private
link add ipt3 link pl3 type ipvtap mode l3 private
link add ipl3s link pl3s type ipvlan mode l3s vepa
link add ipt3s link pl3s type ipvtap mode l3s vepa
link add ms0 link d0 type macsec port 11 encrypt on cipher gcm-aes-256 icvlen 16 encodingsa 2 validate check protect on send_sci on end_station off scb off replay on window 64
link add ms1 link d0 type macsec port 5 cipher gcm-aes-xpn-128 encrypt off send_sci off end_station on validate disabled offload off
link add ms2 link d1 type macsec port 3 send_sci off scb on validate strict protect off
link add ms3 link d1 type macsec sci 0200000000d1000a cipher gcm-aes-xpn-256 replay on window 0
link add gtp0 type gtp role sgsn hsize 2048 restart_count 5
link add vxc0 type vxcan peer name vxc1
link set d0 up
link set d1 up
link set vl100 up
link set vl101 up
link set vq200 up
link set vq200.10 up
link set gn4 up
link set gn6 up
link set pl2 up
link set pl3 up
link set pl3s up
link set ipl2 up
link set ipl3 up
link set ipt3s up
link set ms0 up
link set vxc0 up
link set vxc1 up
addr add 192.0.2.1/24 dev d0
addr add 2001:db8::1/64 dev d0
addr add 10.100.0.1/24 dev vl100
addr add 2001:db8:100::1/64 dev vl100
addr add 10.200.10.1/24 dev vq200.10
addr add 10.60.0.1/24 dev gn4
addr add 2001:db8:60::1/64 dev gn6
addr add 10.2.0.1/24 dev ipl2
addr add 10.3.0.1/24 dev ipl3
addr add 10.33.0.1/24 dev ipl3s
addr add 10.11.0.1/24 dev ms0
neigh add 10.100.0.9 lladdr 02:00:00:00:01:09 dev vl100 nud permanent
neigh add 2001:db8:100::9 lladdr 02:00:00:00:01:0a dev vl100 nud noarp
neigh add 10.200.10.9 lladdr 02:00:00:00:02:09 dev vq200.10 nud stale
neigh add 10.60.0.9 lladdr 02:00:00:00:06:09 dev gn4 nud permanent
neigh add 10.2.0.9 lladdr 02:00:00:00:0b:09 dev ipl2 nud permanent
neigh add 10.11.0.9 lladdr 02:00:00:00:11:09 dev ms0 nud permanent
IP
settle

record links links
oracle links -d -s link show
record addrs addrs
oracle addrs addr show
record neigh neigh
oracle neigh -s neigh show
