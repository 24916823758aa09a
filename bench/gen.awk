# bench/gen.awk: write `ip -batch` input for one benchmark namespace.
#
#   awk -v what=base|routes4|routes6|links|links6 -v n=COUNT -f bench/gen.awk
#
# Deterministic: the same n always gives the same lines. Everything runs
# inside a namespace the caller made with `ip -n NS -batch`, so none of it
# touches the host. Written for POSIX awk (mawk included): numbers stay
# below 2^53, printf only sees small integers.
#
# base     the devices the routes use: bridge br0 (with veth v1 in it),
#          veth v0 (peer v1), veth v2 (peer v3), all up, one IPv4 /24 and
#          one IPv6 /64 (nodad) on br0, v0 and v2. Ten IPv4 and ten IPv6
#          gateways sit in those subnets: 4 on br0, 4 on v0, 2 on v2.
# routes4  n IPv4 routes: prefixes /16../32 in roughly a BGP table's mix
#          (55% /24), via the ten gateways; 5% go to table 100, 2% are
#          multipath (two weighted nexthops), 4% are device routes on v2,
#          0.5% are blackholes, one in seven has metric 20; protocols bgp
#          (186) and static. Prefixes of one length never repeat.
# routes6  n IPv6 routes, the same mix over /32../64 and /128 (48% /48).
# links    n links: 90% veth (pairs), 10% ifb, all up, each with an IPv4
#          /30 from 100.64.0.0/10. Set noifb=1 when the kernel has no ifb.
# links6   an IPv6 /64 from fd00::/16 (nodad) on every fourth of those n
#          links, for once IPv6 is enabled on them (run.sh says why it
#          waits, and why not every link).

function ip4(x,    a, b, c) {
	a = int(x / 16777216); x -= a * 16777216
	b = int(x / 65536); x -= b * 65536
	c = int(x / 256); x -= c * 256
	return a "." b "." c "." x
}

# The prefix length of the i-th IPv4 route: per 100 routes, 1 /16, 1 /17,
# 2 /18, 4 /19, 6 /20, 7 /21, 10 /22, 9 /23, 55 /24, and one each of
# /25, /26, /28, /30, /32.
function len4(k) {
	if (k < 1) return 16; if (k < 2) return 17; if (k < 4) return 18
	if (k < 8) return 19; if (k < 14) return 20; if (k < 21) return 21
	if (k < 31) return 22; if (k < 40) return 23; if (k < 95) return 24
	if (k == 95) return 25; if (k == 96) return 26; if (k == 97) return 28
	if (k == 98) return 30
	return 32
}

# Per 100 IPv6 routes: 10 /32, 4 /36, 8 /40, 10 /44, 50 /48, 5 /56,
# 3 /60, 8 /64, 2 /128.
function len6(k) {
	if (k < 10) return 32; if (k < 14) return 36; if (k < 22) return 40
	if (k < 32) return 44; if (k < 82) return 48; if (k < 87) return 56
	if (k < 90) return 60; if (k < 98) return 64
	return 128
}

# The c-th IPv6 prefix of length l: every length has its own first group
# (2a00 + slot), so prefixes of one length differ by c alone; c is shifted
# past the host bits of the last group the prefix touches.
function ip6(l, c,    g, v, k, grp, s) {
	g = int((l + 15) / 16)
	v = c * 2 ^ (16 * g - l)
	if (v >= 2 ^ (16 * (g - 1)))
		fail("too many /" l " IPv6 routes")
	for (k = g; k >= 2; k--) {
		grp[k] = v % 65536
		v = int(v / 65536)
	}
	s = sprintf("%x", 10752 + slot6[l])
	for (k = 2; k <= g; k++)
		s = s sprintf(":%x", grp[k])
	return (g < 8 ? s "::" : s) "/" l
}

function fail(msg) {
	print "gen.awk: " msg > "/dev/stderr"
	exit 1
}

# What every route line shares: i picks the kind, the gateways and the table.
# fam is 4 or 6; dst is the prefix.
function route(i, fam, dst,    opts, g1, g2) {
	g1 = i % 10
	g2 = (i + 3) % 10
	opts = i % 25 == 5 ? " proto static" : " proto 186"
	if (i % 7 == 0)
		opts = opts " metric 20"
	if (i % 20 == 13)
		opts = opts " table 100"
	# nexthop lists come last: ip reads nothing after them
	if (i % 200 == 9)
		print "route add blackhole " dst opts
	else if (i % 50 == 3)
		print "route add " dst opts " nexthop via " gw[fam, g1] " dev " gwdev[g1] \
			" weight 1 nexthop via " gw[fam, g2] " dev " gwdev[g2] " weight 3"
	else if (i % 25 == 5)
		print "route add " dst " dev v2" opts
	else
		print "route add " dst " via " gw[fam, g1] " dev " gwdev[g1] opts
}

function base() {
	print "link set lo up"
	print "link add name br0 type bridge"
	print "link add name v0 type veth peer name v1"
	print "link add name v2 type veth peer name v3"
	print "link set v1 master br0"
	print "link set br0 up"
	print "link set v0 up"
	print "link set v1 up"
	print "link set v2 up"
	print "link set v3 up"
	print "address add 192.0.2.1/24 dev br0"
	print "address add 198.51.100.1/24 dev v0"
	print "address add 203.0.113.1/24 dev v2"
	print "address add 2001:db8:1::1/64 dev br0 nodad"
	print "address add 2001:db8:2::1/64 dev v0 nodad"
	print "address add 2001:db8:3::1/64 dev v2 nodad"
}

function routes4(    i, l, net) {
	for (i = 0; i < n; i++) {
		l = len4(i % 100)
		# 1.0.0.0 upwards, one counter per length: lengths overlap (as in
		# a real table), prefixes of one length never repeat.
		net = 16777216 + (used[l]++) * 2 ^ (32 - l)
		if (net >= 127 * 16777216)
			fail("too many /" l " IPv4 routes for 1.0.0.0-126.255.255.255")
		route(i, 4, ip4(net) "/" l)
	}
}

function routes6(    i, l) {
	for (i = 0; i < n; i++) {
		l = len6(i % 100)
		route(i, 6, ip6(l, used[l]++))
	}
}

# Link j's address: 100.64.0.0 + 4j + 1 /30 (v6 = 0), or fd00:0:0:j::1/64.
function addr(dev, v6, j) {
	if (v6 && j % 4 == 0)
		print "address add fd00:0:" sprintf("%x:%x", int(j / 65536), j % 65536) "::1/64 dev " dev " nodad"
	else if (!v6)
		print "address add " ip4(1681915904 + 4 * j + 1) "/30 dev " dev
}

# The links and their IPv4 addresses, or (v6 = 1) only their IPv6 addresses.
function links(v6,    pairs, j, p, x) {
	if (n > 1048576)
		fail("at most 1048576 links (100.64.0.0/10 in /30s)")
	pairs = noifb ? int(n / 2) : int(n * 9 / 20)
	j = 0
	for (p = 0; p < pairs; p++) {
		if (!v6) {
			print "link add name va" p " type veth peer name vb" p
			print "link set va" p " up"
			print "link set vb" p " up"
		}
		addr("va" p, v6, j++)
		addr("vb" p, v6, j++)
	}
	for (x = 0; j < n; x++) {
		if (!v6) {
			print "link add name xb" x " type ifb"
			print "link set xb" x " up"
		}
		addr("xb" x, v6, j++)
	}
}

# n permanent neighbour entries, half IPv4 (100.64.0.0 upwards) and half
# IPv6 (2001:db8:9::/64), spread over br0, v0 and v2, each with its own
# MAC address. Permanent entries are exempt from the neighbour tables'
# gc_thresh limits, so no sysctl needs raising.
function neigh(    i, dev, mac) {
	for (i = 0; i < n; i++) {
		dev = i % 3 == 0 ? "br0" : i % 3 == 1 ? "v0" : "v2"
		mac = sprintf("02:00:%02x:%02x:%02x:%02x", int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256)
		if (i % 2 == 0)
			print "neigh add " ip4(1681915904 + i) " lladdr " mac " dev " dev " nud permanent"
		else
			print "neigh add 2001:db8:9::" sprintf("%x:%x", int(i / 65536), i % 65536) " lladdr " mac " dev " dev " nud permanent"
	}
}

BEGIN {
	n += 0
	gw[4, 0] = "192.0.2.10"; gw[4, 1] = "192.0.2.11"; gw[4, 2] = "192.0.2.12"
	gw[4, 3] = "192.0.2.13"; gw[4, 4] = "198.51.100.10"; gw[4, 5] = "198.51.100.11"
	gw[4, 6] = "198.51.100.12"; gw[4, 7] = "198.51.100.13"; gw[4, 8] = "203.0.113.10"
	gw[4, 9] = "203.0.113.11"
	for (k = 0; k < 10; k++) {
		gwdev[k] = k < 4 ? "br0" : k < 8 ? "v0" : "v2"
		gw[6, k] = "2001:db8:" (k < 4 ? 1 : k < 8 ? 2 : 3) "::" (10 + k)
	}
	slot6[32] = 0; slot6[36] = 1; slot6[40] = 2; slot6[44] = 3; slot6[48] = 4
	slot6[56] = 5; slot6[60] = 6; slot6[64] = 7; slot6[128] = 8
	if (what == "base") base()
	else if (what == "routes4") routes4()
	else if (what == "routes6") routes6()
	else if (what == "links") links(0)
	else if (what == "links6") links(1)
	else if (what == "neigh") neigh()
	else fail("what=base|routes4|routes6|links|links6|neigh")
	exit 0
}
