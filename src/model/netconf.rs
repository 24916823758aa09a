//! Per-device IP configuration (`ip netconf`): [`Netconf`], decoded from one
//! RTM_NEWNETCONF message: forwarding, reverse path filter, multicast
//! forwarding, proxy ARP/NDP and the like, for one device (or the `all` and
//! `default` pseudo-devices) in one family.
//!
//! The kernel sends each setting as an s32 sysctl value; a setting the
//! family does not have (rp_filter for IPv6) is simply absent. Attributes
//! are indexed first (first occurrence wins); unknown types are skipped and
//! one of the wrong size is dropped on its own.

use super::object::{ObjectKind, group};
use super::route::AF_MPLS;
use crate::wire::Error as WireError;
use crate::wire::attr::AttrIndex;
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::netconf::*;
use crate::wire::nlmsg::NlMsg;

/// The names of rp_filter's values, by value (`ip`'s `rp_filter_names`).
pub const RP_FILTER_NAMES: [&str; 3] = ["off", "strict", "loose"];

/// Which device a [`Netconf`] describes (NETCONFA_IFINDEX).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetconfDev {
    /// The `all` pseudo-device: settings for every device at once
    /// (NETCONFA_IFINDEX_ALL).
    All,
    /// The `default` pseudo-device: what new devices start with
    /// (NETCONFA_IFINDEX_DEFAULT).
    Default,
    /// A real interface, by index.
    Index(u32),
    /// A negative index the kernel does not define.
    Unknown(i32),
}

impl NetconfDev {
    /// The device NETCONFA_IFINDEX value `i` names.
    pub fn from_i32(i: i32) -> Self {
        match i {
            NETCONFA_IFINDEX_ALL => NetconfDev::All,
            NETCONFA_IFINDEX_DEFAULT => NetconfDev::Default,
            i if i >= 0 => NetconfDev::Index(i.unsigned_abs()),
            i => NetconfDev::Unknown(i),
        }
    }

    /// The NETCONFA_IFINDEX value for this device.
    pub fn to_i32(self) -> i32 {
        match self {
            NetconfDev::All => NETCONFA_IFINDEX_ALL,
            NetconfDev::Default => NETCONFA_IFINDEX_DEFAULT,
            NetconfDev::Index(i) => i as i32,
            NetconfDev::Unknown(i) => i,
        }
    }

    /// `all` or `default` for the pseudo-devices.
    pub fn pseudo_name(self) -> Option<&'static str> {
        match self {
            NetconfDev::All => Some("all"),
            NetconfDev::Default => Some("default"),
            _ => None,
        }
    }
}

/// One device's configuration in one family, as one RTM_NEWNETCONF
/// message describes it. Each setting is the raw sysctl value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Netconf {
    /// Address family, AF_INET / AF_INET6 / AF_MPLS (ncm_family).
    pub family: u8,
    /// The device, as a raw index (NETCONFA_IFINDEX); see [`Netconf::dev`].
    pub ifindex: Option<i32>,
    /// IP forwarding (NETCONFA_FORWARDING).
    pub forwarding: Option<i32>,
    /// Reverse path filter, 0 off, 1 strict, 2 loose; IPv4 only
    /// (NETCONFA_RP_FILTER).
    pub rp_filter: Option<i32>,
    /// Multicast forwarding, read-only (NETCONFA_MC_FORWARDING).
    pub mc_forwarding: Option<i32>,
    /// Proxy ARP / proxy NDP (NETCONFA_PROXY_NEIGH).
    pub proxy_neigh: Option<i32>,
    /// Ignore routes through a device without carrier
    /// (NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN).
    pub ignore_routes_with_linkdown: Option<i32>,
    /// MPLS input enabled; MPLS only (NETCONFA_INPUT).
    pub input: Option<i32>,
    /// Directed broadcast forwarding; IPv4 only (NETCONFA_BC_FORWARDING).
    pub bc_forwarding: Option<i32>,
}

impl Netconf {
    /// Decode an RTM_NEWNETCONF message: `Ok(None)` for any other message
    /// type, an error for an empty payload (malformed).
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Netconf>, WireError> {
        if msg.kind() != RTM_NEWNETCONF {
            return Ok(None);
        }
        Ok(Some(Netconf::decode(&NetconfMsg::new_checked(
            msg.payload(),
        )?)))
    }

    /// [`Netconf::try_from_msg`] for callers that skip what they cannot
    /// read: `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Netconf> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `netconfmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &NetconfMsg<T>) -> Netconf {
        let tb = AttrIndex::<NETCONFA_MAX>::parse(hdr.attr_bytes());
        let s32 = |kind| tb.get(kind).and_then(|a| a.i32().ok());
        Netconf {
            family: hdr.family(),
            ifindex: s32(NETCONFA_IFINDEX),
            forwarding: s32(NETCONFA_FORWARDING),
            rp_filter: s32(NETCONFA_RP_FILTER),
            mc_forwarding: s32(NETCONFA_MC_FORWARDING),
            proxy_neigh: s32(NETCONFA_PROXY_NEIGH),
            ignore_routes_with_linkdown: s32(NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN),
            input: s32(NETCONFA_INPUT),
            bc_forwarding: s32(NETCONFA_BC_FORWARDING),
        }
    }

    /// The device this configuration belongs to, if the message said.
    pub fn dev(&self) -> Option<NetconfDev> {
        self.ifindex.map(NetconfDev::from_i32)
    }

    /// rp_filter's name (`off`, `strict`, `loose`); `None` when absent or
    /// a value without one.
    pub fn rp_filter_name(&self) -> Option<&'static str> {
        let v = usize::try_from(self.rp_filter?).ok()?;
        RP_FILTER_NAMES.get(v).copied()
    }
}

/// A setting as on/off: any non-zero value is on (`ip`'s `print_on_off`).
pub fn on(v: i32) -> bool {
    v != 0
}

impl ObjectKind for Netconf {
    const NAME: &'static str = "netconf";
    const NEW: u16 = RTM_NEWNETCONF;
    const DEL: u16 = RTM_DELNETCONF;
    const GET: u16 = RTM_GETNETCONF;
    const GROUPS: &'static [(u8, u32)] = &[
        (AF_INET, group::IPV4_NETCONF),
        (AF_INET6, group::IPV6_NETCONF),
        (AF_MPLS, group::MPLS_NETCONF),
    ];
    const FAMILIES: &'static [u8] = &[AF_INET, AF_INET6, AF_MPLS];
    const PARTIAL_EVENTS: bool = true;
    /// (family, NETCONFA_IFINDEX): the device, or `all` / `default`.
    type Key = (u8, Option<i32>);

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Netconf::decode(&NetconfMsg::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        NetconfMsgRepr { family }.emit().to_vec()
    }
    fn key(&self) -> Self::Key {
        (self.family, self.ifindex)
    }
    fn settle(&mut self) {}
    fn family(&self) -> u8 {
        self.family
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        self.ifindex.and_then(|i| u32::try_from(i).ok()) == Some(index)
    }
    /// An event carries the device and the settings that changed
    /// (inet_netconf_notify_devconf): the rest stay as they were.
    fn update(&self, old: &Self) -> Self {
        let or = |new: Option<i32>, old: Option<i32>| new.or(old);
        Netconf {
            family: self.family,
            ifindex: self.ifindex,
            forwarding: or(self.forwarding, old.forwarding),
            rp_filter: or(self.rp_filter, old.rp_filter),
            mc_forwarding: or(self.mc_forwarding, old.mc_forwarding),
            proxy_neigh: or(self.proxy_neigh, old.proxy_neigh),
            ignore_routes_with_linkdown: or(
                self.ignore_routes_with_linkdown,
                old.ignore_routes_with_linkdown,
            ),
            input: or(self.input, old.input),
            bc_forwarding: or(self.bc_forwarding, old.bc_forwarding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::attr::AF_INET;

    #[rustfmt::skip]
    const V0: [u8; 4 + 8 * 4] = [
        2, 0, 0, 0,            // ncm_family = AF_INET, pad
        8, 0, 1, 0, 3, 0, 0, 0, // NETCONFA_IFINDEX = 3
        8, 0, 2, 0, 1, 0, 0, 0, // NETCONFA_FORWARDING = 1
        8, 0, 3, 0, 2, 0, 0, 0, // NETCONFA_RP_FILTER = 2 (loose)
        6, 0, 5, 0, 1, 0, 0, 0, // NETCONFA_PROXY_NEIGH, 2 bytes: dropped
    ];

    fn decoded(b: &[u8]) -> Netconf {
        Netconf::decode(&NetconfMsg::new_checked(b).unwrap())
    }

    #[test]
    fn decodes_settings_and_drops_a_bad_size() {
        let n = decoded(&V0);
        assert_eq!(n.family, AF_INET);
        assert_eq!(n.dev(), Some(NetconfDev::Index(3)));
        assert_eq!(n.forwarding, Some(1));
        assert_eq!(n.rp_filter_name(), Some("loose"));
        assert_eq!(n.proxy_neigh, None, "wrong size");
        assert_eq!(n.mc_forwarding, None);
    }

    #[test]
    fn pseudo_devices() {
        assert_eq!(NetconfDev::from_i32(-1), NetconfDev::All);
        assert_eq!(NetconfDev::from_i32(-2), NetconfDev::Default);
        assert_eq!(NetconfDev::from_i32(-7), NetconfDev::Unknown(-7));
        assert_eq!(NetconfDev::Default.pseudo_name(), Some("default"));
        for d in [-1, -2, -7, 0, 5] {
            assert_eq!(NetconfDev::from_i32(d).to_i32(), d);
        }
    }

    #[test]
    fn rp_filter_out_of_range_has_no_name() {
        let mut n = decoded(&V0);
        n.rp_filter = Some(3);
        assert_eq!(n.rp_filter_name(), None);
        n.rp_filter = Some(-1);
        assert_eq!(n.rp_filter_name(), None);
    }

    #[test]
    fn other_messages_and_malformed_ones() {
        let mut b = [0u8; 16];
        b[0] = 16; // nlmsg_len: header only
        b[4] = RTM_NEWNETCONF as u8;
        let msg = NlMsg::new_checked(&b[..]).unwrap();
        assert!(Netconf::try_from_msg(&msg).is_err(), "no family byte");
        b[4] = 16; // RTM_NEWLINK
        let msg = NlMsg::new_checked(&b[..]).unwrap();
        assert_eq!(Netconf::try_from_msg(&msg), Ok(None));
    }
}
