/*
 * A minimal static multicast router for tests/vm/scenarios/mroute.sh: it
 * fills the kernel's multicast forwarding caches (what smcroute or pimd
 * would) and keeps them alive until it is killed, since the kernel drops
 * a table's entries when the socket that did MRT_INIT closes.
 *
 *   mrt READY_FILE IF0 IF1 IF2
 *
 * IPv4, table RT_TABLE_DEFAULT: VIFs 0-2 on IF0-IF2 (by index), and
 *   (10.0.0.1, 239.1.2.3) in on vif 0, out on vif 1 (TTL 1), vif 2 (TTL 4)
 *   (10.0.0.2, 239.4.5.6) in on vif 1, out on vif 0 (TTL 1)
 * IPv4, table 100 (MRT_TABLE): VIFs 0-1 on IF1, IF2, and
 *   (192.0.2.9, 232.1.1.1) in on vif 0, out on vif 1 (TTL 2)
 * IPv6, table RT6_TABLE_DFLT: MIFs 0-2 on IF0-IF2, and
 *   (2001:db8::1, ff0e::10) in on mif 0, out on mifs 1 and 2
 *
 * Writes READY_FILE when everything is in place, then waits for a signal.
 *
 *   mrt send SRC GROUP COUNT
 *
 * sends COUNT UDP datagrams (port 9, TTL 8) from SRC to GROUP, for the
 * counters (the rig's root file system has no ping).
 * Nothing here is nlq: it only makes state for nlq and ip to read.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/mroute.h>
#include <linux/mroute6.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned int index_of(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		die(name);
	return i;
}

/* An IPv4 multicast routing socket on table `table` (0: the default). */
static int mrt4(unsigned int table)
{
	int one = 1;
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);

	if (s < 0)
		die("socket(IGMP)");
	if (table && setsockopt(s, IPPROTO_IP, MRT_TABLE, &table, sizeof(table)))
		die("MRT_TABLE");
	if (setsockopt(s, IPPROTO_IP, MRT_INIT, &one, sizeof(one)))
		die("MRT_INIT");
	return s;
}

static void vif4(int s, vifi_t vifi, const char *dev)
{
	struct vifctl v = {
		.vifc_vifi = vifi,
		.vifc_flags = VIFF_USE_IFINDEX,
		.vifc_threshold = 1,
		.vifc_lcl_ifindex = index_of(dev),
	};

	if (setsockopt(s, IPPROTO_IP, MRT_ADD_VIF, &v, sizeof(v)))
		die("MRT_ADD_VIF");
}

/* (src, grp) in on `parent`; ttls[i] for vif i, 0 for none. */
static void mfc4(int s, const char *src, const char *grp, vifi_t parent,
		 const unsigned char *ttls, int n)
{
	struct mfcctl m;

	memset(&m, 0, sizeof(m));
	inet_pton(AF_INET, src, &m.mfcc_origin);
	inet_pton(AF_INET, grp, &m.mfcc_mcastgrp);
	m.mfcc_parent = parent;
	memcpy(m.mfcc_ttls, ttls, n);
	if (setsockopt(s, IPPROTO_IP, MRT_ADD_MFC, &m, sizeof(m)))
		die("MRT_ADD_MFC");
}

static void ipv6(char **dev)
{
	int one = 1;
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	struct mf6cctl m;
	mifi_t i;

	if (s < 0)
		die("socket(ICMPV6)");
	if (setsockopt(s, IPPROTO_IPV6, MRT6_INIT, &one, sizeof(one)))
		die("MRT6_INIT");
	for (i = 0; i < 3; i++) {
		struct mif6ctl mif = {
			.mif6c_mifi = i,
			.vifc_threshold = 1,
			.mif6c_pifi = index_of(dev[i]),
		};

		if (setsockopt(s, IPPROTO_IPV6, MRT6_ADD_MIF, &mif, sizeof(mif)))
			die("MRT6_ADD_MIF");
	}
	memset(&m, 0, sizeof(m));
	m.mf6cc_origin.sin6_family = AF_INET6;
	m.mf6cc_mcastgrp.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &m.mf6cc_origin.sin6_addr);
	inet_pton(AF_INET6, "ff0e::10", &m.mf6cc_mcastgrp.sin6_addr);
	m.mf6cc_parent = 0;
	IF_SET(1, &m.mf6cc_ifset);
	IF_SET(2, &m.mf6cc_ifset);
	if (setsockopt(s, IPPROTO_IPV6, MRT6_ADD_MFC, &m, sizeof(m)))
		die("MRT6_ADD_MFC");
}

static int send_to_group(const char *src, const char *grp, int count)
{
	struct sockaddr_in from = { .sin_family = AF_INET };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int ttl = 8;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, src, &from.sin_addr);
	inet_pton(AF_INET, grp, &to.sin_addr);
	if (s < 0 || bind(s, (struct sockaddr *)&from, sizeof(from)))
		die("bind");
	if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)))
		die("IP_MULTICAST_TTL");
	while (count-- > 0)
		if (sendto(s, "nlq", 3, 0, (struct sockaddr *)&to, sizeof(to)) != 3)
			die("sendto");
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned char a[] = { 0, 1, 4 }, b[] = { 1, 0, 0 }, c[] = { 0, 2 };
	int s, t;
	FILE *ready;

	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_to_group(argv[2], argv[3], atoi(argv[4]));
	if (argc != 5) {
		fprintf(stderr, "usage: mrt READY_FILE IF0 IF1 IF2 | mrt send SRC GROUP COUNT\n");
		return 2;
	}
	s = mrt4(0);
	vif4(s, 0, argv[2]);
	vif4(s, 1, argv[3]);
	vif4(s, 2, argv[4]);
	mfc4(s, "10.0.0.1", "239.1.2.3", 0, a, 3);
	mfc4(s, "10.0.0.2", "239.4.5.6", 1, b, 3);
	t = mrt4(100);
	vif4(t, 0, argv[3]);
	vif4(t, 1, argv[4]);
	mfc4(t, "192.0.2.9", "232.1.1.1", 0, c, 2);
	ipv6(argv + 2);
	ready = fopen(argv[1], "w");
	if (!ready || fclose(ready))
		die(argv[1]);
	pause();
	return 0;
}
