//! Kind-specific link data (IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA): one
//! file per family of kinds, each registered in [`KINDS`] or
//! [`SLAVE_KINDS`].
//!
//! Each kind becomes an ordered list of named values: the keys, order and
//! conditions of iproute2 6.1's `print_opt` function for that kind
//! (ip/iplink_*.c, ip/link_*.c, ip/ipmacsec.c, ip/iptuntap.c), so the `ip`
//! dialect can print them as `ip -d -j` does. The values stay typed
//! (numbers, booleans, addresses, interface indexes); renderers turn them
//! into text, or into nlq's typed JSON. Attributes are checked strictly:
//! one of the wrong size is left out, as if absent.
//!
//! The registry holds exactly the kinds ip 6.1 has a `print_opt` for,
//! except can, dsa, ipoib, rmnet and wwan (hardware nlq cannot test):
//! bridge and its ports, bond and its ports, vrf and its ports, vlan,
//! vxlan, geneve, macvlan, macvtap, ipvlan, ipvtap, macsec, tun, gre,
//! gretap, erspan, ip6gre, ip6gretap, ip6erspan, ipip, sit, ip6tnl, vti,
//! vti6, xfrm, hsr, gtp, bareudp and amt. Kinds ip prints no data for
//! (dummy, veth, team, wireguard, nlmon, vcan, vxcan, ifb) have none here.
//!
//! Left out, on purpose: tun's `user`/`group` (ip names them from the
//! passwd and group databases) and `info_xstats`. One `ip` bug is not
//! copied: `ip` 6.1 prints the bridge's own id as `root_id`; nlq prints
//! IFLA_BR_ROOT_ID (the two are equal unless STP elected another bridge
//! as root).

use std::borrow::Cow;
use std::net::IpAddr;

use super::HwAddr;
use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex};

/// Kind-specific data, in `ip`'s print order.
#[derive(Debug, Clone, PartialEq)]
pub struct KindData {
    /// The values, each with its `ip -d -j` key.
    pub fields: Vec<KindField>,
}

/// One named value of [`KindData`].
#[derive(Debug, Clone, PartialEq)]
pub struct KindField {
    /// The key `ip -d -j` prints it under.
    pub key: &'static str,
    /// The value.
    pub value: KindValue,
}

/// A typed value of kind-specific data.
#[derive(Debug, Clone, PartialEq)]
pub enum KindValue {
    /// An unsigned number.
    Uint(u64),
    /// A signed number.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A name or other text.
    Text(Cow<'static, str>),
    /// An IP address.
    Ip(IpAddr),
    /// A timer, in hundredths of a second (the kernel's clock_t).
    Centis(u64),
    /// A number `ip` prints in hexadecimal ("0x8001", "0" for zero).
    Hex(u64),
    /// An interface index, shown by name.
    Link(u32),
    /// A hardware address.
    Hw(HwAddr),
    /// A bridge id: priority and address (`struct ifla_bridge_id`).
    BridgeId {
        /// Priority, big-endian bytes.
        prio: [u8; 2],
        /// The bridge's MAC address.
        addr: [u8; 6],
    },
    /// A nested object.
    Object(Vec<KindField>),
    /// A list of hardware addresses.
    List(Vec<HwAddr>),
    /// A value `ip` spells as text where nlq's own JSON keeps the typed
    /// value: a GRE tunnel's ttl 0 is `"inherit"` to ip and 0 to nlq.
    Spelled {
        /// What `ip -j` prints.
        ip: Cow<'static, str>,
        /// What nlq's `--json` prints.
        nlq: Box<KindValue>,
    },
    /// A list of values (`open_json_array`): a VLAN's flag names, its QoS
    /// maps as objects.
    Array(Vec<KindValue>),
    /// No value: `ip` prints `null` (`print_null`), as for an HSR device
    /// without its second port or a tunnel's encap type it cannot name.
    Null,
    /// A list of IP addresses (a bond's ARP and NS targets).
    Ips(Vec<IpAddr>),
    /// A list of names (a bond port's LACP state bits).
    Names(Vec<&'static str>),
    /// A value `ip -j` prints as `null` where nlq's own JSON keeps it: a
    /// bond's `arp_validate` "none".
    IpNull(Box<KindValue>),
}

mod bond;
mod bridge;
mod ethertype;
mod geneve;
mod gre;
mod iptnl;
mod ipvlan;
mod macsec;
mod macvlan;
mod misc;
mod tun;
mod tunnel;
mod vlan;
mod vrf;
mod vti;
mod vxlan;

/// How nlq reads one link kind (or one master kind's port data).
#[derive(Clone, Copy)]
pub(super) struct Kind {
    /// IFLA_INFO_KIND (or IFLA_INFO_SLAVE_KIND) as the kernel names it.
    pub name: &'static str,
    /// IFLA_INFO_DATA (or IFLA_INFO_SLAVE_DATA) to fields in ip's order.
    pub decode: fn(&[u8]) -> Vec<KindField>,
    /// The keys a person looks for first, in the order a table shows them.
    pub essentials: &'static [&'static str],
}

/// Every kind nlq decodes, one list per file.
const KINDS: &[&[Kind]] = &[
    bridge::KINDS,
    vxlan::KINDS,
    macvlan::KINDS,
    tun::KINDS,
    vlan::KINDS,
    geneve::KINDS,
    ipvlan::KINDS,
    macsec::KINDS,
    misc::KINDS,
    gre::KINDS,
    iptnl::KINDS,
    vti::KINDS,
    bond::KINDS,
    vrf::KINDS,
];

/// Every master kind whose port data nlq decodes.
const SLAVE_KINDS: &[&[Kind]] = &[bridge::SLAVE_KINDS, bond::SLAVE_KINDS, vrf::SLAVE_KINDS];

fn find(lists: &[&[Kind]], name: &str) -> Option<Kind> {
    lists
        .iter()
        .flat_map(|l| l.iter())
        .find(|k| k.name == name)
        .copied()
}

/// Decode IFLA_INFO_DATA of a link of kind `kind`; `None` for kinds nlq
/// does not decode.
pub fn decode(kind: &str, data: &[u8]) -> Option<KindData> {
    let fields = (find(KINDS, kind)?.decode)(data);
    Some(KindData { fields })
}

/// Decode IFLA_INFO_SLAVE_DATA of a port whose master is of kind `kind`.
pub fn decode_slave(kind: &str, data: &[u8]) -> Option<KindData> {
    let fields = (find(SLAVE_KINDS, kind)?.decode)(data);
    Some(KindData { fields })
}

/// The keys of a `kind` link's data that a table shows first.
pub fn essentials(kind: &str) -> &'static [&'static str] {
    find(KINDS, kind).map_or(&[], |k| k.essentials)
}

/// The keys of the port data of a `kind` master's port that a table shows
/// first.
pub fn slave_essentials(kind: &str) -> &'static [&'static str] {
    find(SLAVE_KINDS, kind).map_or(&[], |k| k.essentials)
}

/// How one attribute becomes zero, one or two fields.
#[derive(Debug, Clone, Copy)]
enum Fmt {
    U8,
    U16,
    U32,
    U64,
    /// A u32 printed signed (`print_int`).
    I32,
    /// A u8 as a boolean (`print_on_off`, `print_bool`).
    OnOff,
    /// A u8 shown as `true` only when non-zero, else nothing.
    TrueIfSet,
    /// Present at all: `true`.
    TrueIfPresent,
    /// A u64 of hundredths of a second.
    Timer,
    /// A u16 in hexadecimal.
    Hex16,
    /// A u8 in hexadecimal, only when non-zero.
    Hex8NonZero,
    /// A big-endian u32 in hexadecimal, only when non-zero.
    HexBe32NonZero,
    /// A u32, only when non-zero.
    U32NonZero,
    /// A big-endian u16.
    Be16,
    /// `struct ifla_bridge_id`.
    BridgeId,
    /// A 6-byte MAC address.
    Mac,
    /// A big-endian ethertype, named.
    VlanProto,
    /// `struct br_boolopt_multi`: two 0/1 fields.
    BoolOpt,
    /// A bridge port STP state, named.
    PortState,
    /// A group forwarding mask: hex and names.
    FwdMask,
    /// An interface index.
    IfIndex,
    /// An interface index, only when non-zero.
    IfIndexNonZero,
    /// `struct ifla_vxlan_port_range`.
    PortRange,
    /// VXLAN DF setting, named.
    Df,
}

/// One row of a decoding table: attribute type, key, format.
type Row = (u16, &'static str, Fmt);

/// Apply `rows` to the attributes in `data`, in row order.
fn table<const N: usize>(data: &[u8], rows: &[Row]) -> Vec<KindField> {
    let tb = AttrIndex::<N>::parse(data);
    let mut out = Vec::new();
    apply(&tb, rows, &mut out);
    out
}

fn apply<const N: usize>(tb: &AttrIndex<'_, N>, rows: &[Row], out: &mut Vec<KindField>) {
    for &(kind, key, fmt) in rows {
        if let Some(attr) = tb.get(kind) {
            // A malformed attribute is left out; the rest still show.
            let _ = row(out, key, fmt, attr);
        }
    }
}

fn put(out: &mut Vec<KindField>, key: &'static str, value: KindValue) {
    out.push(KindField { key, value });
}

fn row(
    out: &mut Vec<KindField>,
    key: &'static str,
    fmt: Fmt,
    a: Attr<'_>,
) -> Result<(), WireError> {
    use KindValue::*;
    let value = match fmt {
        Fmt::U8 => Uint(a.u8()?.into()),
        Fmt::U16 => Uint(a.u16()?.into()),
        Fmt::U32 => Uint(a.u32()?.into()),
        Fmt::U64 => Uint(a.u64()?),
        Fmt::I32 => Int((a.u32()? as i32).into()),
        Fmt::OnOff => Bool(a.u8()? != 0),
        Fmt::TrueIfSet if a.u8()? == 0 => return Ok(()),
        Fmt::TrueIfSet | Fmt::TrueIfPresent => Bool(true),
        Fmt::Timer => Centis(a.u64()?),
        Fmt::Hex16 => Hex(a.u16()?.into()),
        Fmt::Hex8NonZero if a.u8()? == 0 => return Ok(()),
        Fmt::Hex8NonZero => Hex(a.u8()?.into()),
        Fmt::HexBe32NonZero if a.be32()? == 0 => return Ok(()),
        Fmt::HexBe32NonZero => Hex(a.be32()?.into()),
        Fmt::U32NonZero if a.u32()? == 0 => return Ok(()),
        Fmt::U32NonZero => Uint(a.u32()?.into()),
        Fmt::Be16 => Uint(a.be16()?.into()),
        Fmt::BridgeId => bridge_id(a.fixed::<8>()?),
        Fmt::Mac => match HwAddr::new(&a.fixed::<6>()?) {
            Some(mac) => Hw(mac),
            None => return Ok(()),
        },
        Fmt::VlanProto => Text(vlan_proto(a.be16()?)),
        Fmt::IfIndex => Link(a.u32()?),
        Fmt::IfIndexNonZero if a.u32()? == 0 => return Ok(()),
        Fmt::IfIndexNonZero => Link(a.u32()?),
        Fmt::PortRange => port_range(a.fixed::<4>()?),
        Fmt::BoolOpt => {
            bool_opt(out, a.fixed::<8>()?);
            return Ok(());
        }
        Fmt::PortState => {
            port_state(out, a.u8()?);
            return Ok(());
        }
        Fmt::FwdMask => {
            fwd_mask(out, a.u16()?);
            return Ok(());
        }
        Fmt::Df => match a.u8()? {
            0 => Text("unset".into()),
            1 => Text("set".into()),
            2 => Text("inherit".into()),
            _ => return Ok(()),
        },
    };
    put(out, key, value);
    Ok(())
}

fn bridge_id(b: [u8; 8]) -> KindValue {
    KindValue::BridgeId {
        prio: [b[0], b[1]],
        addr: [b[2], b[3], b[4], b[5], b[6], b[7]],
    }
}

fn port_range(b: [u8; 4]) -> KindValue {
    KindValue::Object(vec![
        KindField {
            key: "low",
            value: KindValue::Uint(u16::from_be_bytes([b[0], b[1]]).into()),
        },
        KindField {
            key: "high",
            value: KindValue::Uint(u16::from_be_bytes([b[2], b[3]]).into()),
        },
    ])
}

/// `ll_proto_n2a` for the two ethertypes a bridge can use.
fn vlan_proto(proto: u16) -> Cow<'static, str> {
    match proto {
        0x8100 => "802.1Q".into(),
        0x88a8 => "802.1ad".into(),
        p => format!("[{p}]").into(),
    }
}

/// IFLA_BR_MULTI_BOOLOPT: `struct br_boolopt_multi { u32 optval, optmask }`;
/// each option is shown only when its mask bit is set.
fn bool_opt(out: &mut Vec<KindField>, b: [u8; 8]) {
    let val = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
    let mask = u32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
    // BR_BOOLOPT_NO_LL_LEARN = 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1.
    for (bit, key) in [(0, "no_linklocal_learn"), (1, "mcast_vlan_snooping")] {
        if mask & (1 << bit) != 0 {
            put(out, key, KindValue::Uint(((val >> bit) & 1).into()));
        }
    }
}

/// IFLA_BRPORT_STATE: BR_STATE_* names, or the number past them.
fn port_state(out: &mut Vec<KindField>, state: u8) {
    const STATES: [&str; 5] = [
        "disabled",
        "listening",
        "learning",
        "forwarding",
        "blocking",
    ];
    match STATES.get(state as usize) {
        Some(&name) => put(out, "state", KindValue::Text(name.into())),
        None => put(out, "state_index", KindValue::Int(state.into())),
    }
}

/// IFLA_BRPORT_GROUP_FWD_MASK: the mask, and the names of its bits.
fn fwd_mask(out: &mut Vec<KindField>, mask: u16) {
    put(out, "group_fwd_mask", KindValue::Hex(mask.into()));
    let names: Vec<String> = (0..16)
        .filter(|bit| mask & (1 << bit) != 0)
        .map(|bit| match bit {
            0 => "stp".to_string(),
            2 => "lacp".to_string(),
            14 => "lldp".to_string(),
            b => format!("{:#x}", 1u32 << b),
        })
        .collect();
    let text = if names.is_empty() {
        "0x0".to_string()
    } else {
        names.join(",")
    };
    put(out, "group_fwd_mask_str", KindValue::Text(text.into()));
}

/// What the kind files' tests share.
#[cfg(test)]
mod test_util {
    use super::{KindField, KindValue};

    /// The keys of `d`, in order.
    pub(super) fn keys(d: &[KindField]) -> Vec<&str> {
        d.iter().map(|f| f.key).collect()
    }

    /// The value of `key` in `d`; panics (failing the test) without it.
    pub(super) fn value<'a>(d: &'a [KindField], key: &str) -> &'a KindValue {
        &d.iter().find(|f| f.key == key).unwrap().value
    }

    /// A text value.
    pub(super) fn text(s: &'static str) -> KindValue {
        KindValue::Text(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::keys;
    use super::*;

    #[test]
    fn macvlan_bridge_mode() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 4, 0, 0, 0, // IFLA_MACVLAN_MODE = bridge
            6, 0, 2, 0, 0, 0, 0, 0, // IFLA_MACVLAN_FLAGS = 0, pad
            8, 0, 7, 0, 0xe8, 3, 0, 0, // BC_QUEUE_LEN = 1000
            8, 0, 8, 0, 0xe8, 3, 0, 0, // BC_QUEUE_LEN_USED = 1000
        ];
        let d = decode("macvlan", &data).unwrap();
        assert_eq!(keys(&d.fields), ["mode", "bcqueuelen", "usedbcqueuelen"]);
        assert_eq!(d.fields[0].value, KindValue::Text("bridge".into()));
    }

    #[test]
    fn macvlan_without_mode_is_empty() {
        let data = [8, 0, 7, 0, 0xe8, 3, 0, 0]; // only BC_QUEUE_LEN
        assert!(decode("macvlan", &data).unwrap().fields.is_empty());
    }

    #[test]
    fn vxlan_remote_local_and_wrong_size() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 42, 0, 0, 0, // IFLA_VXLAN_ID = 42
            8, 0, 2, 0, 10, 9, 9, 2, // GROUP = 10.9.9.2 (unicast: "remote")
            8, 0, 4, 0, 10, 9, 9, 1, // LOCAL = 10.9.9.1
            6, 0, 15, 0, 0x12, 0xb5, 0, 0, // PORT = 4789 (big-endian)
            6, 0, 8, 0, 1, 0, 0, 0, // AGEING with 2 bytes: wrong size, left out
            5, 0, 5, 0, 0, 0, 0, 0, // TTL = 0
        ];
        let d = decode("vxlan", &data).unwrap();
        assert_eq!(keys(&d.fields), ["id", "remote", "local", "port", "ttl"]);
        assert_eq!(d.fields[3].value, KindValue::Uint(4789));
    }

    #[test]
    fn tun_always_has_multi_queue() {
        let data = [5, 0, 3, 0, 1, 0, 0, 0]; // IFLA_TUN_TYPE = IFF_TUN
        let d = decode("tun", &data).unwrap();
        assert_eq!(keys(&d.fields), ["type", "multi_queue"]);
        assert_eq!(d.fields[1].value, KindValue::Bool(false));
    }

    #[test]
    fn bridge_port_state_and_mask() {
        #[rustfmt::skip]
        let data = [
            5, 0, 1, 0, 3, 0, 0, 0, // IFLA_BRPORT_STATE = forwarding
            6, 0, 31, 0, 0x05, 0x40, 0, 0, // GROUP_FWD_MASK = stp|lacp|lldp
        ];
        let d = decode_slave("bridge", &data).unwrap();
        assert_eq!(
            keys(&d.fields),
            ["state", "group_fwd_mask", "group_fwd_mask_str"]
        );
        assert_eq!(d.fields[2].value, KindValue::Text("stp,lacp,lldp".into()));
        assert_eq!(decode_slave("team", &data), None);
    }
}
