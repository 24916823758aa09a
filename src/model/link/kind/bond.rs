//! Bonds and bond ports: IFLA_BOND_* and IFLA_BOND_SLAVE_* in the order of
//! iproute2 6.1's ip/iplink_bond.c and iplink_bond_slave.c.
//!
//! Most settings are numbers the kernel keeps as small enums; ip prints
//! them by name from its own tables, and "UNKNOWN" past their end (nlq's
//! own JSON keeps the number then, as text).

use std::borrow::Cow;

use super::{Fmt, Kind, KindField, KindValue, Row, put, row};
use crate::model::link::HwAddr;
use crate::wire::attr::{AF_INET, AF_INET6, Attr, AttrIndex};

/// The bond kind.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "bond",
    decode: bond,
    essentials: &["mode", "active_slave"],
}];

/// Ports of a bond (IFLA_INFO_SLAVE_KIND "bond").
pub(super) const SLAVE_KINDS: &[Kind] = &[Kind {
    name: "bond",
    decode: bond_slave,
    essentials: &["state", "mii_status"],
}];

/// How one bond attribute is shown: a shared format, or one of bond's own.
#[derive(Clone, Copy)]
enum Bf {
    /// A format shared with the other kinds.
    Std(Fmt),
    /// A u8 named from a table (ip's `get_name`).
    Name8(&'static [&'static str]),
    /// A u32 named from a table.
    Name32(&'static [&'static str]),
    /// A nest of addresses of one family (ARP / NS targets).
    Targets(u8),
    /// IFLA_BOND_ARP_VALIDATE: named, but `null` to ip when 0.
    ArpValidate,
    /// IFLA_BOND_AD_INFO: a nested object.
    AdInfo,
    /// A hardware address of any length, as ip's `ll_addr_n2a`.
    AnyHw,
}

// Names of ip/iplink_bond.c, indexed by the kernel's value.
const MODES: &[&str] = &[
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];
const ARP_VALIDATE: &[&str] = &[
    "none",
    "active",
    "backup",
    "all",
    "filter",
    "filter_active",
    "filter_backup",
];
const ARP_ALL_TARGETS: &[&str] = &["any", "all"];
const PRIMARY_RESELECT: &[&str] = &["always", "better", "failure"];
const FAIL_OVER_MAC: &[&str] = &["none", "active", "follow"];
const XMIT_HASH_POLICY: &[&str] = &[
    "layer2",
    "layer3+4",
    "layer2+3",
    "encap2+3",
    "encap3+4",
    "vlan+srcmac",
];
const LACP_ACTIVE: &[&str] = &["off", "on"];
const LACP_RATE: &[&str] = &["slow", "fast"];
const AD_SELECT: &[&str] = &["stable", "bandwidth", "count"];

// IFLA_BOND_* (linux/if_link.h); ip prints them in this order, which is
// not the attribute order.
const BOND_MAX: usize = 32;
const BOND: &[(u16, &str, Bf)] = &[
    (1, "mode", Bf::Name8(MODES)),
    (2, "active_slave", Bf::Std(Fmt::IfIndexNonZero)),
    (3, "miimon", Bf::Std(Fmt::U32)),
    (4, "updelay", Bf::Std(Fmt::U32)),
    (5, "downdelay", Bf::Std(Fmt::U32)),
    (28, "peer_notify_delay", Bf::Std(Fmt::U32)),
    (6, "use_carrier", Bf::Std(Fmt::U8)),
    (7, "arp_interval", Bf::Std(Fmt::U32)),
    (30, "arp_missed_max", Bf::Std(Fmt::U8)),
    (8, "arp_ip_target", Bf::Targets(AF_INET)),
    (31, "ns_ip6_target", Bf::Targets(AF_INET6)),
    (9, "arp_validate", Bf::ArpValidate),
    (10, "arp_all_targets", Bf::Name32(ARP_ALL_TARGETS)),
    (11, "primary", Bf::Std(Fmt::IfIndexNonZero)),
    (12, "primary_reselect", Bf::Name8(PRIMARY_RESELECT)),
    (13, "fail_over_mac", Bf::Name8(FAIL_OVER_MAC)),
    (14, "xmit_hash_policy", Bf::Name8(XMIT_HASH_POLICY)),
    (15, "resend_igmp", Bf::Std(Fmt::U32)),
    (16, "num_peer_notif", Bf::Std(Fmt::U8)),
    (17, "all_slaves_active", Bf::Std(Fmt::U8)),
    (18, "min_links", Bf::Std(Fmt::U32)),
    (19, "lp_interval", Bf::Std(Fmt::U32)),
    (20, "packets_per_slave", Bf::Std(Fmt::U32)),
    (29, "ad_lacp_active", Bf::Name8(LACP_ACTIVE)),
    (21, "ad_lacp_rate", Bf::Name8(LACP_RATE)),
    (22, "ad_select", Bf::Name8(AD_SELECT)),
    (23, "ad_info", Bf::AdInfo),
    (24, "ad_actor_sys_prio", Bf::Std(Fmt::U16)),
    (25, "ad_user_port_key", Bf::Std(Fmt::U16)),
    (26, "ad_actor_system", Bf::AnyHw),
    (27, "tlb_dynamic_lb", Bf::Std(Fmt::U8)),
];

/// BOND_MAX_ARP_TARGETS (and BOND_MAX_NS_TARGETS) of ip and the kernel.
const MAX_TARGETS: usize = 16;

// IFLA_BOND_AD_INFO_* (linux/if_link.h).
const AD_INFO_MAX: usize = 6;
const AD_INFO_PARTNER_MAC: u16 = 5;
const AD_INFO: &[(u16, &str)] = &[
    (1, "aggregator"),
    (2, "num_ports"),
    (3, "actor_key"),
    (4, "partner_key"),
];

/// IFLA_INFO_DATA of a bond, in ip's order.
fn bond(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<BOND_MAX>::parse(data);
    let mut out = Vec::new();
    for &(kind, key, fmt) in BOND {
        if let Some(a) = tb.get(kind) {
            bond_row(&mut out, key, fmt, a);
        }
    }
    out
}

/// One bond attribute; one of the wrong size is left out.
fn bond_row(out: &mut Vec<KindField>, key: &'static str, fmt: Bf, a: Attr<'_>) {
    let value = match fmt {
        Bf::Std(f) => {
            let _ = row(out, key, f, a);
            return;
        }
        Bf::Name8(names) => a.u8().ok().map(|v| named(names, v.into())),
        Bf::Name32(names) => a.u32().ok().map(|v| named(names, v)),
        Bf::Targets(family) => targets(a, family),
        // ip prints `"arp_validate": null` for none (print_null), though
        // its text output says "none".
        Bf::ArpValidate => a.u32().ok().map(|v| match v {
            0 => KindValue::IpNull(Box::new(named(ARP_VALIDATE, v))),
            v => named(ARP_VALIDATE, v),
        }),
        Bf::AdInfo => Some(ad_info(a)),
        Bf::AnyHw => any_hw(a),
    };
    if let Some(value) = value {
        put(out, key, value);
    }
}

/// ip's `get_name`: the table's name, or "UNKNOWN" past its end.
fn named(names: &'static [&'static str], v: u32) -> KindValue {
    match names.get(v as usize) {
        Some(&name) => KindValue::Text(name.into()),
        None => KindValue::Spelled {
            ip: "UNKNOWN".into(),
            nlq: Box::new(KindValue::Text(v.to_string().into())),
        },
    }
}

/// IFLA_BOND_ARP_IP_TARGET / NS_IP6_TARGET: addresses nested under types
/// 0..16. ip opens its array only when type 0 is there (the kernel numbers
/// them from 0), so without it nothing is shown; addresses of the wrong
/// size are left out.
fn targets(a: Attr<'_>, family: u8) -> Option<KindValue> {
    let tb = AttrIndex::<MAX_TARGETS>::parse(a.payload());
    tb.get(0)?;
    let ips = (0..MAX_TARGETS as u16)
        .filter_map(|i| tb.get(i)?.ip(family).ok())
        .collect();
    Some(KindValue::Ips(ips))
}

/// IFLA_BOND_AD_INFO: the active aggregator; ip prints the object even
/// when it is empty.
fn ad_info(a: Attr<'_>) -> KindValue {
    let tb = AttrIndex::<AD_INFO_MAX>::parse(a.payload());
    let mut fields = Vec::new();
    for &(kind, key) in AD_INFO {
        // u16s that ip prints with print_int.
        if let Some(v) = tb.get(kind).and_then(|a| a.u16().ok()) {
            put(&mut fields, key, KindValue::Int(v.into()));
        }
    }
    let mac = tb
        .get(AD_INFO_PARTNER_MAC)
        .and_then(|a| a.fixed::<6>().ok());
    if let Some(mac) = mac.and_then(|m| HwAddr::new(&m)) {
        put(&mut fields, "partner_mac", KindValue::Hw(mac));
    }
    KindValue::Object(fields)
}

/// A hardware address of the attribute's length; an empty one is left out
/// (ip would read a byte past it).
fn any_hw(a: Attr<'_>) -> Option<KindValue> {
    if a.payload().is_empty() {
        return None;
    }
    HwAddr::new(a.payload()).map(KindValue::Hw)
}

// IFLA_BOND_SLAVE_* (linux/if_link.h).
const SLAVE_MAX: usize = 10;
const SLAVE_STATE: u16 = 1;
const SLAVE_MII_STATUS: u16 = 2;
const SLAVE_PERM_HWADDR: u16 = 4;
const SLAVE_AD_ACTOR_OPER_PORT_STATE: u16 = 7;
const SLAVE_AD_PARTNER_OPER_PORT_STATE: u16 = 8;
const SLAVE_STATES: &[&str] = &["ACTIVE", "BACKUP"];
const MII_STATUS: &[&str] = &["UP", "GOING_DOWN", "DOWN", "GOING_BACK"];

/// IFLA_INFO_SLAVE_DATA of a bond's port, in ip's order.
fn bond_slave(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<SLAVE_MAX>::parse(data);
    let mut out = Vec::new();
    let u8_of = |kind| tb.get(kind).and_then(|a| a.u8().ok());
    if let Some(v) = u8_of(SLAVE_STATE) {
        state(&mut out, ("state", "state_index"), SLAVE_STATES, v);
    }
    if let Some(v) = u8_of(SLAVE_MII_STATUS) {
        state(&mut out, ("mii_status", "mii_status_index"), MII_STATUS, v);
    }
    shared(&tb, &mut out, (3, "link_failure_count", Fmt::I32));
    if let Some(hw) = tb.get(SLAVE_PERM_HWADDR).and_then(any_hw) {
        put(&mut out, "perm_hwaddr", hw);
    }
    // queue_id and the aggregator id are u16s ip prints with print_int:
    // never negative.
    shared(&tb, &mut out, (5, "queue_id", Fmt::U16));
    shared(&tb, &mut out, (9, "prio", Fmt::I32));
    shared(&tb, &mut out, (6, "ad_aggregator_id", Fmt::U16));
    let ports = [
        (
            SLAVE_AD_ACTOR_OPER_PORT_STATE,
            ("ad_actor_oper_port_state", "ad_actor_oper_port_state_str"),
        ),
        (
            SLAVE_AD_PARTNER_OPER_PORT_STATE,
            (
                "ad_partner_oper_port_state",
                "ad_partner_oper_port_state_str",
            ),
        ),
    ];
    for (kind, keys) in ports {
        if let Some(v) = tb.get(kind).and_then(port_state) {
            lacp_state(&mut out, keys, v);
        }
    }
    out
}

/// One attribute in a shared format; one of the wrong size is left out.
fn shared(tb: &AttrIndex<'_, SLAVE_MAX>, out: &mut Vec<KindField>, (kind, key, fmt): Row) {
    if let Some(a) = tb.get(kind) {
        let _ = row(out, key, fmt, a);
    }
}

/// A LACP port state: a u8 for the actor, a u16 for the partner (kernel
/// 6.1's bond_netlink.c); ip reads the first byte of either, the state's
/// 8 bits on a little-endian host.
fn port_state(a: Attr<'_>) -> Option<u8> {
    match a.payload().len() {
        1 => a.u8().ok(),
        2 => a.u16().ok().map(|v| v as u8),
        _ => None,
    }
}

/// A port state named from `names`, or its number under `keys.1` past
/// the table's end.
fn state(
    out: &mut Vec<KindField>,
    keys: (&'static str, &'static str),
    names: &'static [&'static str],
    v: u8,
) {
    match names.get(v as usize) {
        Some(&name) => put(out, keys.0, KindValue::Text(Cow::Borrowed(name))),
        None => put(out, keys.1, KindValue::Int(v.into())),
    }
}

/// A LACP port state (LACP_STATE_* of linux/if_bonding.h): the number,
/// then the names of its bits, lowest first.
fn lacp_state(out: &mut Vec<KindField>, keys: (&'static str, &'static str), v: u8) {
    const BITS: [&str; 8] = [
        "active",
        "short_timeout",
        "aggregating",
        "in_sync",
        "collecting",
        "distributing",
        "defaulted",
        "expired",
    ];
    put(out, keys.0, KindValue::Uint(v.into()));
    let names = BITS
        .iter()
        .enumerate()
        .filter(|&(bit, _)| v & (1 << bit) != 0)
        .map(|(_, &name)| name)
        .collect();
    put(out, keys.1, KindValue::Names(names));
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{keys, text};
    use super::super::{decode, decode_slave};
    use super::*;

    #[test]
    fn active_backup_with_arp_targets() {
        #[rustfmt::skip]
        let data = [
            5, 0, 1, 0, 1, 0, 0, 0, // IFLA_BOND_MODE = active-backup
            8, 0, 2, 0, 5, 0, 0, 0, // ACTIVE_SLAVE = ifindex 5
            8, 0, 3, 0, 100, 0, 0, 0, // MIIMON = 100
            8, 0, 11, 0, 0, 0, 0, 0, // PRIMARY = 0: not shown
            20, 0, 8, 0, // ARP_IP_TARGET, nested:
              8, 0, 0, 0, 192, 0, 2, 1, // [0] = 192.0.2.1
              8, 0, 1, 0, 192, 0, 2, 9, // [1] = 192.0.2.9
            8, 0, 9, 0, 0, 0, 0, 0, // ARP_VALIDATE = none: null to ip
            8, 0, 10, 0, 1, 0, 0, 0, // ARP_ALL_TARGETS = all
            5, 0, 16, 0, 2, 0, 0, 0, // NUM_PEER_NOTIF = 2
        ];
        let d = decode("bond", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "mode",
                "active_slave",
                "miimon",
                "arp_ip_target",
                "arp_validate",
                "arp_all_targets",
                "num_peer_notif",
            ]
        );
        assert_eq!(d[0].value, text("active-backup"));
        assert_eq!(d[1].value, KindValue::Link(5));
        let targets = ["192.0.2.1".parse().unwrap(), "192.0.2.9".parse().unwrap()];
        assert_eq!(d[3].value, KindValue::Ips(targets.to_vec()));
        assert_eq!(d[4].value, KindValue::IpNull(Box::new(text("none"))));
        assert_eq!(d[5].value, text("all"));
        assert_eq!(d[6].value, KindValue::Uint(2));
    }

    #[test]
    fn lacp_with_ad_info() {
        #[rustfmt::skip]
        let data = [
            5, 0, 1, 0, 4, 0, 0, 0, // IFLA_BOND_MODE = 802.3ad
            8, 0, 9, 0, 3, 0, 0, 0, // ARP_VALIDATE = all
            5, 0, 14, 0, 9, 0, 0, 0, // XMIT_HASH_POLICY = 9: past ip's table
            5, 0, 29, 0, 1, 0, 0, 0, // AD_LACP_ACTIVE = on
            5, 0, 21, 0, 1, 0, 0, 0, // AD_LACP_RATE = fast
            48, 0, 23, 0, // AD_INFO, nested:
              6, 0, 1, 0, 2, 0, 0, 0, // AGGREGATOR = 2
              6, 0, 2, 0, 1, 0, 0, 0, // NUM_PORTS = 1
              6, 0, 3, 0, 9, 0, 0, 0, // ACTOR_KEY = 9
              6, 0, 4, 0, 0, 0, 0, 0, // PARTNER_KEY = 0
              10, 0, 5, 0, 2, 0, 0, 0, 0, 1, 0, 0, // PARTNER_MAC 02:00:00:00:00:01
            6, 0, 24, 0, 0xe8, 3, 0, 0, // AD_ACTOR_SYS_PRIO = 1000
            10, 0, 26, 0, 2, 0, 0, 0, 0, 2, 0, 0, // AD_ACTOR_SYSTEM
        ];
        let d = decode("bond", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "mode",
                "arp_validate",
                "xmit_hash_policy",
                "ad_lacp_active",
                "ad_lacp_rate",
                "ad_info",
                "ad_actor_sys_prio",
                "ad_actor_system",
            ]
        );
        assert_eq!(d[1].value, text("all"));
        let unknown = KindValue::Spelled {
            ip: "UNKNOWN".into(),
            nlq: Box::new(text("9")),
        };
        assert_eq!(d[2].value, unknown);
        let KindValue::Object(info) = &d[5].value else {
            panic!("ad_info is {:?}", d[5].value);
        };
        assert_eq!(
            keys(info),
            [
                "aggregator",
                "num_ports",
                "actor_key",
                "partner_key",
                "partner_mac"
            ]
        );
        assert_eq!(info[0].value, KindValue::Int(2));
        let mac = HwAddr::new(&[2, 0, 0, 0, 0, 1]).unwrap();
        assert_eq!(info[4].value, KindValue::Hw(mac));
        assert_eq!(d[6].value, KindValue::Uint(1000));
    }

    #[test]
    fn wrong_sizes_are_left_out() {
        #[rustfmt::skip]
        let data = [
            6, 0, 3, 0, 100, 0, 0, 0, // MIIMON with 2 bytes: left out
            6, 0, 1, 0, 1, 0, 0, 0, // MODE with 2 bytes: left out
            12, 0, 8, 0, // ARP_IP_TARGET without a [0]: ip opens no array
              8, 0, 1, 0, 192, 0, 2, 1, // [1] = 192.0.2.1
            16, 0, 31, 0, // NS_IP6_TARGET, nested:
              8, 0, 0, 0, 192, 0, 2, 1, // [0]: 4 bytes, not IPv6: left out
              4, 0, 1, 0, // [1]: empty, left out
            4, 0, 23, 0, // AD_INFO, empty: ip still prints {}
            8, 0, 26, 0, 2, 0, 0, 0, // AD_ACTOR_SYSTEM: 4 bytes, ip prints them
            4, 0, 5, 0, // DOWNDELAY, empty: left out
        ];
        let d = decode("bond", &data).unwrap().fields;
        assert_eq!(keys(&d), ["ns_ip6_target", "ad_info", "ad_actor_system"]);
        assert_eq!(d[0].value, KindValue::Ips(vec![]));
        assert_eq!(d[1].value, KindValue::Object(vec![]));
        let short = HwAddr::new(&[2, 0, 0, 0]).unwrap();
        assert_eq!(d[2].value, KindValue::Hw(short));
    }

    #[test]
    fn empty_data() {
        assert_eq!(decode("bond", &[]).unwrap().fields, []);
        assert_eq!(decode_slave("bond", &[]).unwrap().fields, []);
    }

    #[test]
    fn lacp_port() {
        #[rustfmt::skip]
        let data = [
            5, 0, 1, 0, 1, 0, 0, 0, // IFLA_BOND_SLAVE_STATE = backup
            5, 0, 2, 0, 0, 0, 0, 0, // MII_STATUS = up
            8, 0, 3, 0, 2, 0, 0, 0, // LINK_FAILURE_COUNT = 2
            10, 0, 4, 0, 2, 0, 0, 0, 0, 3, 0, 0, // PERM_HWADDR 02:00:00:00:00:03
            6, 0, 5, 0, 0, 0, 0, 0, // QUEUE_ID = 0
            8, 0, 9, 0, 0xfb, 0xff, 0xff, 0xff, // PRIO = -5
            6, 0, 6, 0, 1, 0, 0, 0, // AD_AGGREGATOR_ID = 1
            5, 0, 7, 0, 0x3d, 0, 0, 0, // ACTOR_OPER_PORT_STATE = 0x3d
            6, 0, 8, 0, 0, 0, 0, 0, // PARTNER_OPER_PORT_STATE = 0, a u16
        ];
        let d = decode_slave("bond", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "state",
                "mii_status",
                "link_failure_count",
                "perm_hwaddr",
                "queue_id",
                "prio",
                "ad_aggregator_id",
                "ad_actor_oper_port_state",
                "ad_actor_oper_port_state_str",
                "ad_partner_oper_port_state",
                "ad_partner_oper_port_state_str",
            ]
        );
        assert_eq!(d[0].value, text("BACKUP"));
        assert_eq!(d[1].value, text("UP"));
        assert_eq!(d[2].value, KindValue::Int(2));
        assert_eq!(d[5].value, KindValue::Int(-5));
        assert_eq!(d[7].value, KindValue::Uint(0x3d));
        let bits = vec![
            "active",
            "aggregating",
            "in_sync",
            "collecting",
            "distributing",
        ];
        assert_eq!(d[8].value, KindValue::Names(bits));
        assert_eq!(d[10].value, KindValue::Names(vec![]));
    }

    #[test]
    fn port_states_past_the_tables() {
        #[rustfmt::skip]
        let data = [
            5, 0, 1, 0, 7, 0, 0, 0, // IFLA_BOND_SLAVE_STATE = 7: a number
            5, 0, 2, 0, 4, 0, 0, 0, // MII_STATUS = 4: a number
            5, 0, 5, 0, 1, 0, 0, 0, // QUEUE_ID with 1 byte: left out
            4, 0, 4, 0, // PERM_HWADDR, empty: left out
            8, 0, 7, 0, 1, 0, 0, 0, // ACTOR_OPER_PORT_STATE, 4 bytes: left out
        ];
        let d = decode_slave("bond", &data).unwrap().fields;
        assert_eq!(keys(&d), ["state_index", "mii_status_index"]);
        assert_eq!(d[0].value, KindValue::Int(7));
        assert_eq!(d[1].value, KindValue::Int(4));
    }
}
