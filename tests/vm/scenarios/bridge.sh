#!/usr/bin/env bash
# Bridge tables: a VLAN-filtering bridge (CONFIG_BRIDGE_VLAN_FILTERING,
# which Debian's kernel has and many test machines lack) with veth ports
# carrying single VLANs, a PVID and untagged ones, and a VXLAN port in
# collect-metadata mode with `vlan_tunnel on` mapping a range of VLANs onto
# a range of VNIs and one VLAN onto a lone VNI.
# Multicast groups in VLANs (IPv4, IPv6, an (S, G) entry, a MAC group) on
# a port that is also a permanent multicast router port.
# Records `nlq vlans` (all ports; one port with its tunnels; --vid) and
# `nlq mdb` (and `-s`: every entry and router port is permanent, so each
# timer is 0.00 in both answers) with `bridge -j`'s answers beside them
# (bridge_oracle: as lib.sh's oracle, for the bridge tool). Then a second
# bridge, br1, with per-VLAN multicast snooping (mcast_vlan_snooping), VLANs
# of its own, a port with a VLAN in blocking state and a per-VLAN permanent
# router port, and global options set on one VLAN; records the VLAN
# database views: `nlq vlans --details`, `-s` and `--details -s`
# (vlan_stats_enabled is off, the default, so the kernel counts nothing and
# the counters stay 0 between the two reads) and `nlq vlans global`.
. "$(dirname "$0")/../lib.sh"

bridge_oracle() {
    local name=$1
    shift
    bridge -n "$NS" -j "$@" >"$OUT/$name.oracle.json"
}

nsbatch <<'IP'
link add br0 type bridge vlan_filtering 1 vlan_default_pvid 1
link add v0 type veth peer name v0p
link add v1 type veth peer name v1p
link add vx0 type vxlan dstport 4789 external
link set v0 master br0
link set v1 master br0
link set vx0 master br0
link set br0 up
link set v0 up
link set v1 up
link set v0p up
link set v1p up
link set vx0 up
IP
nsexec bridge link set dev vx0 vlan_tunnel on
nsexec bridge vlan add dev v0 vid 10
nsexec bridge vlan add dev v0 vid 20 pvid untagged
nsexec bridge vlan add dev v0 vid 30-32 untagged
nsexec bridge vlan del dev v1 vid 1
nsexec bridge vlan add dev v1 vid 4094
nsexec bridge vlan add dev br0 vid 10 self
nsexec bridge vlan add dev vx0 vid 100-102
nsexec bridge vlan add dev vx0 vid 100-102 tunnel_info id 1000-1002
nsexec bridge vlan add dev vx0 vid 200
nsexec bridge vlan add dev vx0 vid 200 tunnel_info id 5000
nsexec bridge mdb add dev br0 port v0 grp 239.1.1.1 permanent vid 10
nsexec bridge mdb add dev br0 port v0 grp ff0e::10 permanent vid 20
nsexec bridge mdb add dev br0 port v0 grp 232.1.1.1 src 192.0.2.1 permanent vid 10
nsexec bridge mdb add dev br0 port v1 grp 01:00:5e:01:02:03 permanent vid 4094
nsexec bridge link set dev v0 mcast_router 2
settle

record vlans vlans
bridge_oracle vlans vlan show
record vlans-vx0 vlans --dev vx0
bridge_oracle vlans-vx0 vlan tunnelshow dev vx0
record mdb mdb
bridge_oracle mdb -d mdb show
record mdb-stats mdb -s
bridge_oracle mdb-stats -d -s mdb show
record vlans-vid vlans --vid 31
bridge_oracle vlans-vid vlan show vid 31
record vlans-vid-vx0 vlans --dev vx0 --vid 101
bridge_oracle vlans-vid-vx0 vlan tunnelshow dev vx0 vid 101

# br1, after the recordings above so that they show br0 alone.
nsbatch <<'IP'
link add br1 type bridge vlan_filtering 1 mcast_snooping 1 mcast_vlan_snooping 1
link add v2 type veth peer name v2p
link set v2 master br1
link set br1 up
link set v2 up
link set v2p up
IP
nsexec bridge vlan add dev br1 vid 10 self
nsexec bridge vlan add dev br1 vid 20-22 self
nsexec bridge vlan add dev v2 vid 10
nsexec bridge vlan add dev v2 vid 20-22
nsexec bridge vlan set dev v2 vid 21 state blocking
nsexec bridge vlan set dev v2 vid 10 mcast_router 2
nsexec bridge vlan global set dev br1 vid 10 mcast_igmp_version 3 mcast_query_interval 5000
settle

record vlans-details vlans --details
bridge_oracle vlans-details -d vlan show
record vlans-details-vid vlans --details --dev v2 --vid 21
bridge_oracle vlans-details-vid -d vlan show dev v2 vid 21
record vlans-stats vlans -s
bridge_oracle vlans-stats -s vlan show
record vlans-details-stats vlans --details -s
bridge_oracle vlans-details-stats -d -s vlan show
record vlans-global vlans global
bridge_oracle vlans-global vlan global show
record vlans-global-br1 vlans global --dev br1 --vid 10 -s
bridge_oracle vlans-global-br1 -s vlan global show dev br1 vid 10
