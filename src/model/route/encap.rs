//! Lightweight tunnel encapsulation (RTA_ENCAP_TYPE + RTA_ENCAP): the
//! types `ip route` shows in detail (mpls, ip, ip6, seg6, seg6local) are
//! decoded, the others are only named.

use std::net::{IpAddr, Ipv6Addr};

use super::MplsTunnel;
use crate::wire::attr::{AF_INET, AF_INET6, AttrIndex};
use crate::wire::rtmsg::{RTA_ENCAP, RTA_ENCAP_TYPE};

/// Lightweight tunnel encapsulation type (RTA_ENCAP_TYPE, LWTUNNEL_ENCAP_*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EncapKind(pub u16);

/// LWTUNNEL_ENCAP_* names in value order, as `ip` prints them.
const ENCAP_NAMES: [&str; 11] = [
    "none",
    "mpls",
    "ip",
    "ila",
    "ip6",
    "seg6",
    "bpf",
    "seg6local",
    "rpl",
    "ioam6",
    "xfrm",
];

/// MPLS label push (LWTUNNEL_ENCAP_MPLS).
pub const LWTUNNEL_ENCAP_MPLS: u16 = 1;
/// IPv4 tunnel encapsulation (LWTUNNEL_ENCAP_IP).
pub const LWTUNNEL_ENCAP_IP: u16 = 2;
/// IPv6 tunnel encapsulation (LWTUNNEL_ENCAP_IP6).
pub const LWTUNNEL_ENCAP_IP6: u16 = 4;
/// Segment routing encapsulation (LWTUNNEL_ENCAP_SEG6).
pub const LWTUNNEL_ENCAP_SEG6: u16 = 5;
/// Segment routing local behaviour (LWTUNNEL_ENCAP_SEG6_LOCAL).
pub const LWTUNNEL_ENCAP_SEG6_LOCAL: u16 = 7;

impl EncapKind {
    /// The name `ip` prints ("ip", "seg6", ...); `None` for values it
    /// prints as "unknown".
    pub fn name(self) -> Option<&'static str> {
        ENCAP_NAMES
            .get(self.0 as usize)
            .copied()
            .filter(|_| self.0 != 0)
    }
}

/// An IP tunnel encapsulation (LWTUNNEL_IP_* / LWTUNNEL_IP6_*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct IpTunnel {
    /// Tunnel key (LWTUNNEL_IP_ID, be64 on the wire).
    pub id: Option<u64>,
    /// Outer source (LWTUNNEL_IP_SRC).
    pub src: Option<IpAddr>,
    /// Outer destination (LWTUNNEL_IP_DST).
    pub dst: Option<IpAddr>,
    /// TTL, or hop limit for IPv6 (LWTUNNEL_IP_TTL / LWTUNNEL_IP6_HOPLIMIT).
    pub ttl: Option<u8>,
    /// TOS, or traffic class for IPv6 (LWTUNNEL_IP_TOS / LWTUNNEL_IP6_TC).
    pub tos: Option<u8>,
    /// TUNNEL_* flags, host order of the be16 (LWTUNNEL_IP_FLAGS).
    pub flags: Option<u16>,
}

/// Tunnel flag: checksum (TUNNEL_CSUM).
pub const TUNNEL_CSUM: u16 = 0x01;
/// Tunnel flag: key (TUNNEL_KEY).
pub const TUNNEL_KEY: u16 = 0x04;
/// Tunnel flag: sequence numbers (TUNNEL_SEQ).
pub const TUNNEL_SEQ: u16 = 0x08;

impl IpTunnel {
    fn parse(payload: &[u8], family: u8) -> Self {
        // LWTUNNEL_IP_{ID=1, DST=2, SRC=3, TTL=4, TOS=5, FLAGS=6}; the IPv6
        // attributes use the same numbers (HOPLIMIT=4, TC=5).
        let idx = AttrIndex::<7>::parse(payload);
        let get = |k: u16| idx.get(k);
        IpTunnel {
            id: get(1).and_then(|a| a.fixed().ok()).map(u64::from_be_bytes),
            dst: get(2).and_then(|a| a.ip(family).ok()),
            src: get(3).and_then(|a| a.ip(family).ok()),
            ttl: get(4).and_then(|a| a.u8().ok()),
            tos: get(5).and_then(|a| a.u8().ok()),
            flags: get(6).and_then(|a| a.be16().ok()),
        }
    }
}

/// What nlq decodes of an encapsulation, by type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum EncapDetail {
    /// A type nlq only names (ila, bpf, rpl, ioam6, xfrm, ...).
    #[default]
    None,
    /// LWTUNNEL_ENCAP_MPLS.
    Mpls(MplsTunnel),
    /// LWTUNNEL_ENCAP_IP.
    Ip(IpTunnel),
    /// LWTUNNEL_ENCAP_IP6.
    Ip6(IpTunnel),
    /// LWTUNNEL_ENCAP_SEG6: mode (SEG6_IPTUN_MODE_*) and segments in the
    /// order they were configured (first_segment down to 0).
    Seg6 {
        /// `seg6_iptunnel_encap.mode`.
        mode: i32,
        /// The SRH's segment list.
        segs: Vec<Ipv6Addr>,
    },
    /// LWTUNNEL_ENCAP_SEG6_LOCAL: the action (SEG6_LOCAL_ACTION).
    Seg6Local {
        /// SEG6_LOCAL_ACTION_*.
        action: Option<u32>,
    },
}

/// A route's or nexthop's encapsulation (RTA_ENCAP_TYPE + RTA_ENCAP).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Encap {
    /// The type (RTA_ENCAP_TYPE).
    pub kind: EncapKind,
    /// What nlq decoded of RTA_ENCAP.
    pub detail: EncapDetail,
}

/// seg6 tunnel mode names (SEG6_IPTUN_MODE_*), as `ip` prints them.
pub const SEG6_MODES: [&str; 5] = ["inline", "encap", "l2encap", "encap.red", "l2encap.red"];

/// seg6local action names by SEG6_LOCAL_ACTION_* value (0 unused).
pub const SEG6_ACTIONS: [&str; 17] = [
    "",
    "End",
    "End.X",
    "End.T",
    "End.DX2",
    "End.DX6",
    "End.DX4",
    "End.DT6",
    "End.DT4",
    "End.B6",
    "End.B6.Encaps",
    "End.BM",
    "End.S",
    "End.AS",
    "End.AM",
    "End.BPF",
    "End.DT46",
];

impl Encap {
    /// Decode from the attribute table `idx` (route or nexthop level);
    /// `None` unless both RTA_ENCAP_TYPE (a valid u16) and RTA_ENCAP exist.
    pub(super) fn parse<const N: usize>(idx: &AttrIndex<'_, N>) -> Option<Self> {
        let kind = idx.get(RTA_ENCAP_TYPE)?.u16().ok()?;
        Some(Encap::decode(kind, idx.get(RTA_ENCAP)?.payload()))
    }

    /// Decode an encapsulation of type `kind` (LWTUNNEL_ENCAP_*) from its
    /// nested `payload`, wherever the two came from (RTA_ENCAP_TYPE and
    /// RTA_ENCAP, NHA_ENCAP_TYPE and NHA_ENCAP).
    pub fn decode(kind: u16, payload: &[u8]) -> Self {
        let kind = EncapKind(kind);
        let detail = match kind.0 {
            LWTUNNEL_ENCAP_MPLS => EncapDetail::Mpls(MplsTunnel::parse(payload)),
            LWTUNNEL_ENCAP_IP => EncapDetail::Ip(IpTunnel::parse(payload, AF_INET)),
            LWTUNNEL_ENCAP_IP6 => EncapDetail::Ip6(IpTunnel::parse(payload, AF_INET6)),
            LWTUNNEL_ENCAP_SEG6 => seg6(payload),
            LWTUNNEL_ENCAP_SEG6_LOCAL => EncapDetail::Seg6Local {
                action: AttrIndex::<2>::parse(payload)
                    .get(1)
                    .and_then(|a| a.u32().ok()),
            },
            _ => EncapDetail::None,
        };
        Encap { kind, detail }
    }
}

/// SEG6_IPTUNNEL_SRH: `int mode` then `struct ipv6_sr_hdr` (8 bytes, with
/// `first_segment` at offset 4) and its segments; anything short is
/// dropped to [`EncapDetail::None`].
fn seg6(payload: &[u8]) -> EncapDetail {
    let Some(srh) = AttrIndex::<2>::parse(payload).get(1).map(|a| a.payload()) else {
        return EncapDetail::None;
    };
    let (Some(mode), Some(&first)) = (srh.get(..4), srh.get(4 + 4)) else {
        return EncapDetail::None;
    };
    let segs_at = 4 + 8;
    let count = first as usize + 1;
    let Some(raw) = srh.get(segs_at..segs_at + 16 * count) else {
        return EncapDetail::None;
    };
    let mut segs: Vec<Ipv6Addr> = raw
        .chunks_exact(16)
        .filter_map(|c| <[u8; 16]>::try_from(c).ok().map(Ipv6Addr::from))
        .collect();
    segs.reverse(); // stored last-first; `ip` prints first_segment down to 0
    EncapDetail::Seg6 {
        mode: i32::from_ne_bytes([mode[0], mode[1], mode[2], mode[3]]),
        segs,
    }
}
