//! A policy routing rule (RTM_NEWRULE), decoded from a checked
//! [`FibRuleHdr`] into an owned value every renderer reads.
//!
//! The attributes are indexed once (the first occurrence of a type wins),
//! unknown types are skipped (newer kernels add FRA_DSCP, FRA_FLOWLABEL,
//! port masks, ...), and each known attribute is checked strictly: one of
//! the wrong size (an FRA_PRIORITY of 2 bytes, an FRA_SRC of 3) drops that
//! field alone, the rest of the rule survives. Nothing here can panic.

mod ipproto;

use std::net::IpAddr;

pub use ipproto::IpProtos;

use super::object::{ObjectKind, group};
use super::route::{Family, Realms};
use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET, AF_INET6, Attr, AttrIndex};
use crate::wire::fib_rule::*;
use crate::wire::nlmsg::NlMsg;

/// What a rule does when it matches (fib_rule_hdr.action, FR_ACT_*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Action {
    /// FR_ACT_UNSPEC: nothing.
    #[default]
    Unspec,
    /// FR_ACT_TO_TBL: look up a table.
    ToTable,
    /// FR_ACT_GOTO: continue at another rule.
    Goto,
    /// FR_ACT_NOP: do nothing, go on with the next rule.
    Nop,
    /// FR_ACT_BLACKHOLE: drop silently.
    Blackhole,
    /// FR_ACT_UNREACHABLE: drop with "network unreachable".
    Unreachable,
    /// FR_ACT_PROHIBIT: drop with "prohibited".
    Prohibit,
    /// Any other value (FR_ACT_RES3, FR_ACT_RES4, newer ones).
    Unknown(u8),
}

impl Action {
    /// The action for the wire value `v`.
    pub fn from_u8(v: u8) -> Self {
        match v {
            FR_ACT_UNSPEC => Action::Unspec,
            FR_ACT_TO_TBL => Action::ToTable,
            FR_ACT_GOTO => Action::Goto,
            FR_ACT_NOP => Action::Nop,
            FR_ACT_BLACKHOLE => Action::Blackhole,
            FR_ACT_UNREACHABLE => Action::Unreachable,
            FR_ACT_PROHIBIT => Action::Prohibit,
            v => Action::Unknown(v),
        }
    }

    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Action::Unspec => FR_ACT_UNSPEC,
            Action::ToTable => FR_ACT_TO_TBL,
            Action::Goto => FR_ACT_GOTO,
            Action::Nop => FR_ACT_NOP,
            Action::Blackhole => FR_ACT_BLACKHOLE,
            Action::Unreachable => FR_ACT_UNREACHABLE,
            Action::Prohibit => FR_ACT_PROHIBIT,
            Action::Unknown(v) => v,
        }
    }

    /// nlq's name: `lookup` for FR_ACT_TO_TBL, else the FR_ACT_* name in
    /// lowercase; `None` for unknown values.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Action::Unspec => "unspec",
            Action::ToTable => "lookup",
            Action::Goto => "goto",
            Action::Nop => "nop",
            Action::Blackhole => "blackhole",
            Action::Unreachable => "unreachable",
            Action::Prohibit => "prohibit",
            Action::Unknown(_) => return None,
        })
    }
}

/// FIB_RULE_* flags with the names nlq prints, lowest bit first.
pub const FLAG_NAMES: [(u32, &str); 6] = [
    (FIB_RULE_PERMANENT, "permanent"),
    (FIB_RULE_INVERT, "invert"),
    (FIB_RULE_UNRESOLVED, "unresolved"),
    (FIB_RULE_IIF_DETACHED, "iif_detached"),
    (FIB_RULE_OIF_DETACHED, "oif_detached"),
    (FIB_RULE_FIND_SADDR, "find_saddr"),
];

/// `struct fib_rule_uid_range` (FRA_UID_RANGE): user ids, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UidRange {
    /// First uid (start).
    pub start: u32,
    /// Last uid (end).
    pub end: u32,
}

/// `struct fib_rule_port_range` (FRA_SPORT_RANGE / FRA_DPORT_RANGE):
/// ports in host byte order, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PortRange {
    /// First port (start).
    pub start: u16,
    /// Last port (end).
    pub end: u16,
}

/// The "none" value of FRA_SUPPRESS_PREFIXLEN and FRA_SUPPRESS_IFGROUP
/// (-1 as a u32).
pub const SUPPRESS_NONE: u32 = u32::MAX;

/// One rule, as one RTM_NEWRULE message describes it.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Rule {
    /// Family: AF_INET, AF_INET6, RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR.
    pub family: Family,
    /// Priority; 0 when FRA_PRIORITY is absent (the kernel omits 0).
    pub priority: u32,
    /// FIB_RULE_* flags (flags).
    pub flags: u32,
    /// Source prefix length, in bits (src_len).
    pub src_len: u8,
    /// Destination prefix length, in bits (dst_len).
    pub dst_len: u8,
    /// Source address (FRA_SRC).
    pub src: Option<IpAddr>,
    /// Destination address (FRA_DST).
    pub dst: Option<IpAddr>,
    /// TOS / DS field byte to match, 0 for any (tos).
    pub tos: u8,
    /// What the rule does (action).
    pub action: Action,
    /// Table id: FRA_TABLE, else the 8-bit header field; 0 for none.
    pub table: u32,
    /// Input interface name (FRA_IIFNAME).
    pub iif: Option<String>,
    /// Output interface name (FRA_OIFNAME).
    pub oif: Option<String>,
    /// Goto target priority (FRA_GOTO).
    pub goto: Option<u32>,
    /// Firewall mark (FRA_FWMARK).
    pub fwmark: Option<u32>,
    /// Firewall mark mask (FRA_FWMASK).
    pub fwmask: Option<u32>,
    /// Realms (FRA_FLOW).
    pub flow: Option<Realms>,
    /// Tunnel id, host order (FRA_TUN_ID, sent big-endian).
    pub tun_id: Option<u64>,
    /// Raw FRA_SUPPRESS_IFGROUP; [`SUPPRESS_NONE`] for none.
    pub suppress_ifgroup: Option<u32>,
    /// Raw FRA_SUPPRESS_PREFIXLEN; [`SUPPRESS_NONE`] for none.
    pub suppress_prefixlen: Option<u32>,
    /// Non-zero: look up the l3mdev's table (FRA_L3MDEV).
    pub l3mdev: Option<u8>,
    /// User id range (FRA_UID_RANGE).
    pub uid_range: Option<UidRange>,
    /// Who added the rule, RTPROT_* (FRA_PROTOCOL).
    pub protocol: Option<u8>,
    /// IP protocol number (FRA_IP_PROTO).
    pub ip_proto: Option<u8>,
    /// Source port range (FRA_SPORT_RANGE).
    pub sport: Option<PortRange>,
    /// Destination port range (FRA_DPORT_RANGE).
    pub dport: Option<PortRange>,
    /// NAT address of an old RTN_NAT rule (FRA_UNUSED2, ex RTA_GATEWAY).
    pub nat_gateway: Option<IpAddr>,
}

impl Rule {
    /// Decode an RTM_NEWRULE message: `Ok(None)` for any other message type, an
    /// error for one whose payload is too short for `struct fib_rule_hdr`
    /// (malformed: nothing of it can be trusted).
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Rule>, WireError> {
        if msg.kind() != RTM_NEWRULE {
            return Ok(None);
        }
        Ok(Some(Rule::decode(&FibRuleHdr::new_checked(msg.payload())?)))
    }

    /// [`Rule::try_from_msg`] for callers that skip what they cannot read:
    /// `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Rule> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `fib_rule_hdr` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &FibRuleHdr<T>) -> Rule {
        let tb = AttrIndex::<FRA_MAX>::parse(hdr.attr_bytes());
        let family = Family(hdr.family());
        let get = |kind| tb.get(kind);
        let u32_of = |kind| get(kind).and_then(|a| a.u32().ok());
        let ip = |kind| get(kind).and_then(|a| a.ip(family.addr_family()).ok());
        Rule {
            family,
            priority: u32_of(FRA_PRIORITY).unwrap_or(0),
            flags: hdr.flags(),
            src_len: hdr.src_len(),
            dst_len: hdr.dst_len(),
            src: ip(FRA_SRC),
            dst: ip(FRA_DST),
            tos: hdr.tos(),
            action: Action::from_u8(hdr.action()),
            table: u32_of(FRA_TABLE).unwrap_or(hdr.table().into()),
            iif: get(FRA_IIFNAME).map(super::link::text),
            oif: get(FRA_OIFNAME).map(super::link::text),
            goto: u32_of(FRA_GOTO),
            fwmark: u32_of(FRA_FWMARK),
            fwmask: u32_of(FRA_FWMASK),
            flow: u32_of(FRA_FLOW).map(Realms::from_u32),
            tun_id: get(FRA_TUN_ID).and_then(|a| a.fixed().ok().map(u64::from_be_bytes)),
            suppress_ifgroup: u32_of(FRA_SUPPRESS_IFGROUP),
            suppress_prefixlen: u32_of(FRA_SUPPRESS_PREFIXLEN),
            l3mdev: get(FRA_L3MDEV).and_then(|a| a.u8().ok()),
            uid_range: get(FRA_UID_RANGE).and_then(uid_range),
            protocol: get(FRA_PROTOCOL).and_then(|a| a.u8().ok()),
            ip_proto: get(FRA_IP_PROTO).and_then(|a| a.u8().ok()),
            sport: get(FRA_SPORT_RANGE).and_then(port_range),
            dport: get(FRA_DPORT_RANGE).and_then(port_range),
            nat_gateway: ip(FRA_UNUSED2),
        }
    }

    /// Whether FIB_RULE_* `flag` is set.
    fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// Whether the match is negated, `not` (FIB_RULE_INVERT).
    pub fn invert(&self) -> bool {
        self.has(FIB_RULE_INVERT)
    }

    /// Whether a goto rule's target priority has no rule
    /// (FIB_RULE_UNRESOLVED).
    pub fn unresolved(&self) -> bool {
        self.has(FIB_RULE_UNRESOLVED)
    }

    /// Whether the input interface named by FRA_IIFNAME is gone
    /// (FIB_RULE_IIF_DETACHED).
    pub fn iif_detached(&self) -> bool {
        self.has(FIB_RULE_IIF_DETACHED)
    }

    /// Whether the output interface named by FRA_OIFNAME is gone
    /// (FIB_RULE_OIF_DETACHED).
    pub fn oif_detached(&self) -> bool {
        self.has(FIB_RULE_OIF_DETACHED)
    }

    /// The suppressed prefix length, `None` when absent or -1.
    pub fn suppress_prefixlen(&self) -> Option<u32> {
        self.suppress_prefixlen.filter(|&v| v != SUPPRESS_NONE)
    }

    /// The suppressed interface group, `None` when absent or -1.
    pub fn suppress_ifgroup(&self) -> Option<u32> {
        self.suppress_ifgroup.filter(|&v| v != SUPPRESS_NONE)
    }

    /// Whether the rule looks up the l3mdev's table (FRA_L3MDEV non-zero).
    pub fn is_l3mdev(&self) -> bool {
        self.l3mdev.is_some_and(|v| v != 0)
    }

    /// Lowercase names of the set FIB_RULE_* flags, lowest bit first;
    /// unknown bits follow as one hex string.
    pub fn flag_names(&self) -> impl Iterator<Item = std::borrow::Cow<'static, str>> + '_ {
        let known = FLAG_NAMES.iter().fold(0, |acc, &(bit, _)| acc | bit);
        let rest = self.flags & !known;
        FLAG_NAMES
            .iter()
            .filter(|&&(bit, _)| self.flags & bit != 0)
            .map(|&(_, name)| name.into())
            .chain((rest != 0).then(|| format!("{rest:#x}").into()))
    }
}

fn uid_range(a: Attr<'_>) -> Option<UidRange> {
    let b: [u8; 8] = a.fixed().ok()?;
    Some(UidRange {
        start: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        end: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
    })
}

fn port_range(a: Attr<'_>) -> Option<PortRange> {
    let b: [u8; 4] = a.fixed().ok()?;
    Some(PortRange {
        start: u16::from_ne_bytes([b[0], b[1]]),
        end: u16::from_ne_bytes([b[2], b[3]]),
    })
}

impl ObjectKind for Rule {
    const NAME: &'static str = "rule";
    const NEW: u16 = RTM_NEWRULE;
    const DEL: u16 = RTM_DELRULE;
    const GET: u16 = RTM_GETRULE;
    const GROUPS: &'static [(u8, u32)] =
        &[(AF_INET, group::IPV4_RULE), (AF_INET6, group::IPV6_RULE)];
    const FAMILIES: &'static [u8] = &[AF_INET, AF_INET6];
    /// The whole rule, as text: the kernel finds a rule to delete by
    /// comparing every selector and action (fib_nl_delrule).
    type Key = String;

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Rule::decode(&FibRuleHdr::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        FibRuleHdrRepr {
            family,
            ..FibRuleHdrRepr::default()
        }
        .emit()
        .to_vec()
    }
    fn key(&self) -> String {
        format!("{self:?}")
    }
    fn settle(&mut self) {}
    fn family(&self) -> u8 {
        self.family.0
    }
    fn on_dev(&self, _: u32, name: &str) -> bool {
        let named = |n: &Option<String>| n.as_deref() == Some(name);
        named(&self.iif) || named(&self.oif)
    }
}

#[cfg(test)]
mod tests;
