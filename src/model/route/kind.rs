//! The numeric kinds of a route: family, type, protocol, scope, IPv6
//! preference and realms. Each keeps values nlq has no name for.

use std::net::IpAddr;

use crate::wire::attr::{AF_INET, AF_INET6};

/// Multiprotocol label switching (AF_MPLS).
pub const AF_MPLS: u8 = 28;
/// IPv4 multicast forwarding cache entries (RTNL_FAMILY_IPMR).
pub const RTNL_FAMILY_IPMR: u8 = 128;
/// IPv6 multicast forwarding cache entries (RTNL_FAMILY_IP6MR).
pub const RTNL_FAMILY_IP6MR: u8 = 129;
/// The address family of a route (rtm_family).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Family(pub u8);

impl Family {
    /// The family's name as `ip` spells it, if nlq knows it.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "unspec",
            AF_INET => "inet",
            AF_INET6 => "inet6",
            AF_MPLS => "mpls",
            RTNL_FAMILY_IPMR => "ipmr",
            RTNL_FAMILY_IP6MR => "ip6mr",
            _ => return None,
        })
    }

    /// The family of the addresses in RTA_DST/RTA_SRC/RTA_GATEWAY:
    /// multicast cache entries carry plain IPv4/IPv6 addresses.
    pub fn addr_family(self) -> u8 {
        match self.0 {
            RTNL_FAMILY_IPMR => AF_INET,
            RTNL_FAMILY_IP6MR => AF_INET6,
            f => f,
        }
    }

    /// Prefix length of a host route, as `ip` uses it to drop the `/len`
    /// (af_bit_len: 0 for families that have none, so ipmr keeps `/32`).
    pub fn host_len(self) -> u8 {
        match self.0 {
            AF_INET => 32,
            AF_INET6 => 128,
            AF_MPLS => 20,
            _ => 0,
        }
    }

    /// The unspecified address of this family's addresses, if it has any.
    pub fn any_addr(self) -> Option<IpAddr> {
        match self.addr_family() {
            AF_INET => Some(IpAddr::from([0u8; 4])),
            AF_INET6 => Some(IpAddr::from([0u8; 16])),
            _ => None,
        }
    }
}

/// Route type (rtm_type, RTN_*), keeping values nlq does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RouteType {
    /// RTN_UNSPEC (0); `ip` calls it "none".
    Unspec,
    /// RTN_UNICAST (1): a gateway or direct route.
    #[default]
    Unicast,
    /// RTN_LOCAL (2): accept locally.
    Local,
    /// RTN_BROADCAST (3): accept locally as broadcast, send as broadcast.
    Broadcast,
    /// RTN_ANYCAST (4): accept locally as broadcast, send as unicast.
    Anycast,
    /// RTN_MULTICAST (5): multicast route.
    Multicast,
    /// RTN_BLACKHOLE (6): drop silently.
    Blackhole,
    /// RTN_UNREACHABLE (7): destination unreachable.
    Unreachable,
    /// RTN_PROHIBIT (8): administratively prohibited.
    Prohibit,
    /// RTN_THROW (9): not in this table, continue the lookup.
    Throw,
    /// RTN_NAT (10): translate this address.
    Nat,
    /// RTN_XRESOLVE (11): use an external resolver.
    Xresolve,
    /// Any other value.
    Unknown(u8),
}

/// RTN_* names in value order, as iproute2's `rtnl_rtntype_n2a` prints them.
const RTN_NAMES: [&str; 12] = [
    "none",
    "unicast",
    "local",
    "broadcast",
    "anycast",
    "multicast",
    "blackhole",
    "unreachable",
    "prohibit",
    "throw",
    "nat",
    "xresolve",
];

impl RouteType {
    const KNOWN: [RouteType; 12] = [
        RouteType::Unspec,
        RouteType::Unicast,
        RouteType::Local,
        RouteType::Broadcast,
        RouteType::Anycast,
        RouteType::Multicast,
        RouteType::Blackhole,
        RouteType::Unreachable,
        RouteType::Prohibit,
        RouteType::Throw,
        RouteType::Nat,
        RouteType::Xresolve,
    ];

    /// The type for the wire value `v`.
    pub fn from_u8(v: u8) -> Self {
        Self::KNOWN
            .get(v as usize)
            .copied()
            .unwrap_or(RouteType::Unknown(v))
    }

    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            RouteType::Unknown(v) => v,
            known => Self::KNOWN.iter().position(|&k| k == known).unwrap_or(0) as u8,
        }
    }

    /// The name `ip` prints ("unicast", "blackhole", ...), if known.
    pub fn name(self) -> Option<&'static str> {
        RTN_NAMES.get(self.to_u8() as usize).copied()
    }

    /// Parse a name ("blackhole") or a number ("6").
    pub fn parse(s: &str) -> Option<Self> {
        if let Ok(n) = s.parse::<u8>() {
            return Some(Self::from_u8(n));
        }
        let at = RTN_NAMES.iter().position(|&n| n == s)?;
        Some(Self::KNOWN[at])
    }
}

/// Routing protocol (rtm_protocol, RTPROT_*); names come from rt_protos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Protocol(pub u8);

/// Route scope (rtm_scope, RT_SCOPE_*); names come from rt_scopes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope(pub u8);

/// An IPv6 router preference (RTA_PREF, ICMPV6_ROUTER_PREF_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pref(pub u8);

impl Pref {
    /// "low", "medium" or "high"; `None` for the invalid value 2 and
    /// anything else.
    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("medium"),
            1 => Some("high"),
            3 => Some("low"),
            _ => None,
        }
    }
}

/// Routing realms (RTA_FLOW): a u32 holding `from << 16 | to`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Realms {
    /// Source realm (upper 16 bits); 0 when unset.
    pub from: u16,
    /// Destination realm (lower 16 bits).
    pub to: u16,
}

impl Realms {
    /// Split the RTA_FLOW value.
    pub fn from_u32(v: u32) -> Self {
        Realms {
            from: (v >> 16) as u16,
            to: v as u16,
        }
    }
}
