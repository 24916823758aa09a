//! Rule decoding on hand-built messages, annotated field by field.

use super::*;
use crate::wire::attr::{AF_INET, AF_INET6};

/// `struct fib_rule_hdr`: AF_INET, to /24, from /8, tos 0x10, table
/// RT_TABLE_COMPAT, FR_ACT_TO_TBL, FIB_RULE_INVERT.
#[rustfmt::skip]
const HDR4: [u8; 12] = [
    2,              // family = AF_INET
    24,             // dst_len
    8,              // src_len
    0x10,           // tos
    252,            // table = RT_TABLE_COMPAT (FRA_TABLE has the real one)
    0, 0,           // res1, res2
    1,              // action = FR_ACT_TO_TBL
    0x02, 0, 0, 0,  // flags = FIB_RULE_INVERT
];

fn rule(hdr: &[u8], attrs: &[u8]) -> Rule {
    let mut buf = hdr.to_vec();
    buf.extend_from_slice(attrs);
    Rule::decode(&FibRuleHdr::new_checked(&buf[..]).unwrap())
}

#[test]
fn every_ipv4_attribute() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 15, 0, 0xa0, 0x0f, 0, 0,      // FRA_TABLE = 4000
        5, 0, 21, 0, 12, 0, 0, 0,           // FRA_PROTOCOL = 12 (bird), pad
        8, 0, 2, 0, 10, 0, 0, 0,            // FRA_SRC = 10.0.0.0
        8, 0, 1, 0, 192, 0, 2, 0,           // FRA_DST = 192.0.2.0
        8, 0, 6, 0, 100, 0, 0, 0,           // FRA_PRIORITY = 100
        7, 0, 3, 0, b'v', b'a', 0, 0,       // FRA_IIFNAME = "va"
        7, 0, 17, 0, b'v', b'b', 0, 0,      // FRA_OIFNAME = "vb"
        8, 0, 10, 0, 0x10, 0, 0, 0,         // FRA_FWMARK = 0x10
        8, 0, 16, 0, 0xff, 0, 0, 0,         // FRA_FWMASK = 0xff
        8, 0, 11, 0, 4, 0, 3, 0,            // FRA_FLOW = 3 << 16 | 4
        12, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 77, // FRA_TUN_ID = 77, big-endian
        8, 0, 13, 0, 5, 0, 0, 0,            // FRA_SUPPRESS_IFGROUP = 5
        8, 0, 14, 0, 0xff, 0xff, 0xff, 0xff, // FRA_SUPPRESS_PREFIXLEN = -1
        5, 0, 19, 0, 1, 0, 0, 0,            // FRA_L3MDEV = 1, pad
        12, 0, 20, 0, 0xe8, 3, 0, 0, 0xd0, 7, 0, 0, // FRA_UID_RANGE = 1000-2000
        5, 0, 22, 0, 6, 0, 0, 0,            // FRA_IP_PROTO = 6 (tcp), pad
        8, 0, 23, 0, 80, 0, 80, 0,          // FRA_SPORT_RANGE = 80-80
        8, 0, 24, 0, 0xe8, 3, 0xd0, 7,      // FRA_DPORT_RANGE = 1000-2000
        8, 0, 0xe8, 0x03, 1, 2, 3, 4,       // type 1000: unknown, skipped
    ];
    let r = rule(&HDR4, &attrs);
    assert_eq!(r.family, Family(AF_INET));
    assert_eq!((r.priority, r.table, r.tos), (100, 4000, 0x10));
    assert_eq!(r.action, Action::ToTable);
    assert!(r.invert() && !r.unresolved());
    assert_eq!(r.src, Some("10.0.0.0".parse().unwrap()));
    assert_eq!(r.dst, Some("192.0.2.0".parse().unwrap()));
    assert_eq!((r.src_len, r.dst_len), (8, 24));
    assert_eq!(
        (r.iif.as_deref(), r.oif.as_deref()),
        (Some("va"), Some("vb"))
    );
    assert_eq!((r.fwmark, r.fwmask), (Some(0x10), Some(0xff)));
    assert_eq!(r.flow, Some(Realms { from: 3, to: 4 }));
    assert_eq!(r.tun_id, Some(77));
    assert_eq!(r.suppress_ifgroup(), Some(5));
    assert_eq!(r.suppress_prefixlen, Some(SUPPRESS_NONE));
    assert_eq!(r.suppress_prefixlen(), None, "-1 is none");
    assert!(r.is_l3mdev());
    assert_eq!(
        r.uid_range,
        Some(UidRange {
            start: 1000,
            end: 2000
        })
    );
    assert_eq!((r.protocol, r.ip_proto), (Some(12), Some(6)));
    assert_eq!(r.sport, Some(PortRange { start: 80, end: 80 }));
    assert_eq!(
        r.dport,
        Some(PortRange {
            start: 1000,
            end: 2000
        })
    );
    assert_eq!(r.goto, None);
    assert_eq!(r.flag_names().collect::<Vec<_>>(), ["invert"]);
}

#[test]
fn ipv6_goto_without_priority() {
    #[rustfmt::skip]
    let hdr = [
        10, 0, 32, 0,   // AF_INET6, dst_len 0, src_len 32, tos 0
        0, 0, 0, 2,     // table 0, res1, res2, action = FR_ACT_GOTO
        0x05, 0, 1, 0,  // flags = PERMANENT | UNRESOLVED | FIND_SADDR
    ];
    let mut attrs = vec![20, 0, 2, 0]; // FRA_SRC, 16 bytes
    attrs.extend_from_slice(&"2001:db8::".parse::<std::net::Ipv6Addr>().unwrap().octets());
    attrs.extend_from_slice(&[8, 0, 4, 0, 0xe7, 3, 0, 0]); // FRA_GOTO = 999
    let r = rule(&hdr, &attrs);
    assert_eq!(r.family, Family(AF_INET6));
    assert_eq!(r.priority, 0, "no FRA_PRIORITY: priority 0");
    assert_eq!(r.src, Some("2001:db8::".parse().unwrap()));
    assert_eq!((r.action, r.goto, r.table), (Action::Goto, Some(999), 0));
    assert_eq!(
        r.flag_names().collect::<Vec<_>>(),
        ["permanent", "unresolved", "find_saddr"]
    );
}

#[test]
fn wrong_sizes_drop_one_field() {
    #[rustfmt::skip]
    let attrs = [
        6, 0, 6, 0, 100, 0, 0, 0,           // FRA_PRIORITY of 2 bytes: dropped
        7, 0, 2, 0, 10, 0, 0, 0,            // FRA_SRC of 3 bytes: dropped
        6, 0, 15, 0, 0xa0, 0x0f, 0, 0,      // FRA_TABLE of 2 bytes: header's 252
        8, 0, 21, 0, 12, 0, 0, 0,           // FRA_PROTOCOL of 4 bytes: dropped
        8, 0, 20, 0, 1, 0, 0, 0,            // FRA_UID_RANGE of 4 bytes: dropped
        12, 0, 23, 0, 1, 0, 2, 0, 3, 0, 4, 0, // FRA_SPORT_RANGE of 8 bytes: dropped
        8, 0, 12, 0, 0, 0, 0, 77,           // FRA_TUN_ID of 4 bytes: dropped
        8, 0, 10, 0, 0x10, 0, 0, 0,         // FRA_FWMARK = 0x10 survives
    ];
    let r = rule(&HDR4, &attrs);
    assert_eq!((r.priority, r.src, r.table), (0, None, 252));
    assert_eq!(
        (r.protocol, r.uid_range, r.sport, r.tun_id),
        (None, None, None, None)
    );
    assert_eq!(r.fwmark, Some(0x10));
    assert_eq!(r.src_len, 8, "the header is not affected");
}

#[test]
fn first_occurrence_wins_and_a_bad_length_keeps_what_came_before() {
    #[rustfmt::skip]
    let attrs = [
        8, 0, 6, 0, 5, 0, 0, 0,             // FRA_PRIORITY = 5
        8, 0, 6, 0, 6, 0, 0, 0,             // FRA_PRIORITY = 6: a duplicate, ignored
        8, 0, 10, 0, 1, 0, 0, 0,            // FRA_FWMARK = 1
        0x40, 0, 16, 0, 0xff, 0, 0, 0,      // FRA_FWMASK with rta_len 64: overruns
    ];
    let r = rule(&HDR4, &attrs);
    assert_eq!((r.priority, r.fwmark, r.fwmask), (5, Some(1), None));
}

#[test]
fn unknown_action_and_flags_are_kept() {
    #[rustfmt::skip]
    let hdr = [
        129, 0, 0, 0,   // RTNL_FAMILY_IP6MR, lengths 0, tos 0
        254, 0, 0, 42,  // table main, res1, res2, action 42
        0, 0, 0, 0x80,  // flags = 0x80000000: unknown
    ];
    let r = rule(&hdr, &[]);
    assert_eq!(r.action, Action::Unknown(42));
    assert_eq!(r.action.to_u8(), 42);
    assert_eq!(r.action.name(), None);
    assert_eq!(r.table, 254);
    assert_eq!(r.flag_names().collect::<Vec<_>>(), ["0x80000000"]);
    for v in 0..=255u8 {
        assert_eq!(Action::from_u8(v).to_u8(), v);
    }
}

#[test]
fn from_msg_takes_only_long_enough_newrule() {
    let msg = |kind: u16, payload: &[u8]| crate::dump::script::message(kind, 0x02, 1, payload);
    for have in [0, 11] {
        let m = msg(RTM_NEWRULE, &HDR4[..have]);
        assert_eq!(Rule::from_msg(&NlMsg::new_checked(&m[..]).unwrap()), None);
    }
    let m = msg(RTM_DELRULE, &HDR4);
    assert_eq!(Rule::from_msg(&NlMsg::new_checked(&m[..]).unwrap()), None);
    let m = msg(RTM_NEWRULE, &HDR4);
    let r = Rule::from_msg(&NlMsg::new_checked(&m[..]).unwrap()).unwrap();
    assert_eq!(
        r,
        Rule {
            family: Family(AF_INET),
            flags: FIB_RULE_INVERT,
            src_len: 8,
            dst_len: 24,
            tos: 0x10,
            action: Action::ToTable,
            table: 252,
            ..Rule::default()
        }
    );
}
