//! Routes with MPLS labels, as the kernel dumps them: AF_MPLS routes
//! (net/mpls/af_mpls.c `mpls_dump_route`) and `encap mpls` on IP routes
//! and their nexthops.

use std::net::IpAddr;

use super::*;

/// `struct rtmsg` of an MPLS route as mpls_dump_route fills it.
#[rustfmt::skip]
const HDR_MPLS: [u8; 12] = [
    28,   // rtm_family = AF_MPLS
    20,   // rtm_dst_len = 20: one label
    0,    // rtm_src_len
    0,    // rtm_tos
    254,  // rtm_table = main (MPLS has one table)
    4,    // rtm_protocol = static
    0,    // rtm_scope = universe
    1,    // rtm_type = unicast
    0, 0, 0, 0, // rtm_flags
];

fn route(hdr: &[u8], attrs: &[u8]) -> Route {
    let mut b = hdr.to_vec();
    b.extend_from_slice(attrs);
    Route::decode(&RtMsg::new_checked(&b[..]).unwrap())
}

fn labels(l: &[u32]) -> Option<Labels> {
    Some(Labels::from_slice(l))
}

/// `100 as to 200 via inet 192.0.2.1 dev 3`.
#[test]
fn single_label_swap_via_inet() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 1, 0, 0x00, 0x06, 0x41, 0x00,   // RTA_DST = label 100, S
        8, 0, 19, 0, 0x00, 0x0c, 0x81, 0x00,  // RTA_NEWDST = label 200, S
        10, 0, 18, 0, 2, 0,                   // RTA_VIA (6 bytes): family AF_INET,
            192, 0, 2, 1, 0, 0,               //   192.0.2.1, pad
        8, 0, 4, 0, 3, 0, 0, 0,               // RTA_OIF = 3
    ];
    let r = route(&HDR_MPLS, &attrs);
    assert_eq!(r.family, Family(AF_MPLS));
    assert_eq!((r.dst, r.dst_labels), (None, labels(&[100])));
    assert_eq!(r.newdst, labels(&[200]));
    assert_eq!(r.via, Some(IpAddr::from([192, 0, 2, 1])));
    assert_eq!(
        (r.oif, r.malformed, r.truncated),
        (Some(3), Malformed::default(), false)
    );
    assert_eq!(r.metric(), None, "MPLS routes have no metric");
}

/// `101 as to 201/202/203 via inet6 2001:db8::1 dev 3 ttl-propagate
/// disabled`.
#[test]
fn label_stack_via_inet6_ttl_propagate() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 1, 0, 0x00, 0x06, 0x51, 0x00,   // RTA_DST = label 101, S
        5, 0, 26, 0, 0, 0, 0, 0,              // RTA_TTL_PROPAGATE = 0
        16, 0, 19, 0,                         // RTA_NEWDST, 12 bytes:
            0x00, 0x0c, 0x90, 0x00,           //   label 201
            0x00, 0x0c, 0xa0, 0x00,           //   label 202
            0x00, 0x0c, 0xb1, 0x00,           //   label 203, S
        22, 0, 18, 0, 10, 0,                  // RTA_VIA (18 bytes): family AF_INET6,
            0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // 2001:db8::1
            0, 0,                             //   pad
        8, 0, 4, 0, 3, 0, 0, 0,               // RTA_OIF = 3
    ];
    let r = route(&HDR_MPLS, &attrs);
    assert_eq!(r.dst_labels, labels(&[101]));
    assert_eq!(r.newdst, labels(&[201, 202, 203]));
    assert_eq!(r.via, Some("2001:db8::1".parse().unwrap()));
    assert_eq!(r.ttl_propagate, Some(false));
    assert_eq!(r.malformed, Malformed::default());
}

/// `102 nexthop as to 300 via inet 192.0.2.1 dev 3 nexthop as to
/// 301/302 via inet6 2001:db8::2 dev 4`.
#[test]
fn multipath_with_per_hop_labels() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 1, 0, 0x00, 0x06, 0x61, 0x00,   // RTA_DST = label 102, S
        76, 0, 9, 0,                          // RTA_MULTIPATH, 72 bytes:
            28, 0, 0, 0, 3, 0, 0, 0,          //   rtnh_len 28, flags 0, hops 0, ifindex 3
            8, 0, 19, 0, 0x00, 0x12, 0xc1, 0x00, //   RTA_NEWDST = label 300, S
            10, 0, 18, 0, 2, 0, 192, 0, 2, 1, 0, 0, // RTA_VIA inet 192.0.2.1, pad
            44, 0, 0, 0, 4, 0, 0, 0,          //   rtnh_len 44, ifindex 4
            12, 0, 19, 0,                     //   RTA_NEWDST, 8 bytes:
                0x00, 0x12, 0xd0, 0x00,       //     label 301
                0x00, 0x12, 0xe1, 0x00,       //     label 302, S
            22, 0, 18, 0, 10, 0,              //   RTA_VIA inet6
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
                0, 0,                         //     pad
    ];
    let r = route(&HDR_MPLS, &attrs);
    assert!(r.multipath && r.malformed == Malformed::default());
    assert_eq!(r.dst_labels, labels(&[102]));
    let hops: Vec<_> = r
        .nexthops
        .iter()
        .map(|h| (h.ifindex, h.newdst, h.via))
        .collect();
    assert_eq!(
        hops,
        [
            (3, labels(&[300]), Some(IpAddr::from([192, 0, 2, 1]))),
            (4, labels(&[301, 302]), Some("2001:db8::2".parse().unwrap())),
        ]
    );
}

/// An RTA_DST of 6 bytes, and an RTA_NEWDST without a bottom of stack:
/// each drops its own field only.
#[test]
fn malformed_label_stacks_drop_their_field() {
    #[rustfmt::skip]
    let attrs = [
        10, 0, 1, 0, 0x00, 0x06, 0x41, 0x00, 0x00, 0x06, 0, 0, // RTA_DST of 6 bytes (+ pad)
        8, 0, 19, 0, 0x00, 0x0c, 0x80, 0x00,  // RTA_NEWDST = label 200, no S
        8, 0, 4, 0, 3, 0, 0, 0,               // RTA_OIF = 3
    ];
    let r = route(&HDR_MPLS, &attrs);
    assert_eq!((r.dst_labels, r.newdst, r.oif), (None, None, Some(3)));
    assert!(r.malformed.dst && r.malformed.newdst);
}

/// A multipath nexthop whose RTA_NEWDST is malformed keeps its device.
#[test]
fn malformed_hop_labels() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 1, 0, 0x00, 0x06, 0x41, 0x00,   // RTA_DST = label 100, S
        20, 0, 9, 0,                          // RTA_MULTIPATH, 16 bytes:
            16, 0, 0, 0, 3, 0, 0, 0,          //   rtnh_len 16, ifindex 3
            7, 0, 19, 0, 0, 0x0c, 0x81, 0,    //   RTA_NEWDST of 3 bytes (+ pad)
    ];
    let r = route(&HDR_MPLS, &attrs);
    assert_eq!(r.nexthops.len(), 1);
    assert_eq!((r.nexthops[0].ifindex, r.nexthops[0].newdst), (3, None));
    assert!(r.malformed.multipath);
}

/// RTA_NEWDST of an IPv4 route is not a label stack: left alone.
#[test]
fn newdst_only_for_mpls() {
    let mut hdr = HDR_MPLS;
    hdr[0] = 2; // AF_INET
    hdr[1] = 32;
    #[rustfmt::skip]
    let attrs = [
        8, 0, 19, 0, 0x00, 0x0c, 0x81, 0x00,  // RTA_NEWDST
        8, 0, 1, 0, 10, 0, 0, 1,              // RTA_DST = 10.0.0.1
    ];
    let r = route(&hdr, &attrs);
    assert_eq!((r.newdst, r.dst_labels), (None, None));
    assert_eq!(r.dst, Some(IpAddr::from([10, 0, 0, 1])));
}

/// `10.1.0.0/16 encap mpls 200/300 ttl 10 via 192.0.2.1 dev 3`.
#[test]
fn encap_mpls_with_ttl_on_ipv4() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 1, 0, 10, 1, 0, 0,              // RTA_DST = 10.1.0.0
        6, 0, 21, 0, 1, 0, 0, 0,              // RTA_ENCAP_TYPE = mpls (+ pad)
        24, 0, 22, 0,                         // RTA_ENCAP, 20 bytes nested:
            12, 0, 1, 0,                      //   MPLS_IPTUNNEL_DST, 8 bytes:
                0x00, 0x0c, 0x80, 0x00,       //     label 200
                0x00, 0x12, 0xc1, 0x00,       //     label 300, S
            5, 0, 2, 0, 10, 0, 0, 0,          //   MPLS_IPTUNNEL_TTL = 10
        8, 0, 5, 0, 192, 0, 2, 1,             // RTA_GATEWAY = 192.0.2.1
        8, 0, 4, 0, 3, 0, 0, 0,               // RTA_OIF = 3
    ];
    let mut hdr = HDR_MPLS;
    hdr[0] = 2; // AF_INET
    hdr[1] = 16;
    let r = route(&hdr, &attrs);
    let e = r.encap.unwrap();
    assert_eq!(e.kind.name(), Some("mpls"));
    assert_eq!(
        e.detail,
        EncapDetail::Mpls(MplsTunnel {
            dst: labels(&[200, 300]),
            ttl: Some(10),
        })
    );
    assert_eq!(r.malformed, Malformed::default());
}

/// `2001:db8:1::/64 nexthop encap mpls 400 via 2001:db8::1 dev 3
/// nexthop via 2001:db8::2 dev 4`: the encap belongs to its nexthop.
#[test]
fn encap_mpls_on_ipv6_nexthops() {
    #[rustfmt::skip]
    let attrs = [
        80, 0, 9, 0,                          // RTA_MULTIPATH, 76 bytes:
            48, 0, 0, 0, 3, 0, 0, 0,          //   rtnh_len 48, ifindex 3
            6, 0, 21, 0, 1, 0, 0, 0,          //   RTA_ENCAP_TYPE = mpls (+ pad)
            12, 0, 22, 0,                     //   RTA_ENCAP, 8 bytes nested:
                8, 0, 1, 0, 0x00, 0x19, 0x01, 0x00, // MPLS_IPTUNNEL_DST = 400, S
            20, 0, 5, 0,                      //   RTA_GATEWAY = 2001:db8::1
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            28, 0, 0, 0, 4, 0, 0, 0,          //   rtnh_len 28, ifindex 4
            20, 0, 5, 0,                      //   RTA_GATEWAY = 2001:db8::2
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    ];
    let mut hdr = HDR_MPLS;
    hdr[0] = 10; // AF_INET6
    hdr[1] = 64;
    let r = route(&hdr, &attrs);
    assert_eq!((r.encap.clone(), r.malformed), (None, Malformed::default()));
    let tunnel = |h: &Hop| match h.encap.as_ref().map(|e| &e.detail) {
        Some(EncapDetail::Mpls(t)) => Some(*t),
        _ => None,
    };
    let first = MplsTunnel {
        dst: labels(&[400]),
        ttl: None,
    };
    assert_eq!(tunnel(&r.nexthops[0]), Some(first));
    assert_eq!(tunnel(&r.nexthops[1]), None);
}
