//! Bridge ports as `bridge link show` sees them: [`Port`], decoded from
//! one RTM_NEWLINK message of family AF_BRIDGE (the answer to an
//! RTM_GETLINK dump of that family): the link's own fields and its
//! IFLA_PROTINFO, the port's STP state, priority, cost and flags
//! (IFLA_BRPORT_*, linux/if_link.h).
//!
//! A known attribute of the wrong size is left out on its own; unknown
//! ones are skipped.

use super::link::Link;
use crate::wire::Error as WireError;
use crate::wire::attr::AttrIndex;
use crate::wire::ifinfomsg::{IFLA_AF_SPEC, IFLA_MAX, IfInfoMsg, RTM_NEWLINK};
use crate::wire::nlmsg::NlMsg;

/// The port's own data, nested (IFLA_PROTINFO, linux/if_link.h).
pub const IFLA_PROTINFO: u16 = 12;
/// Spanning tree state, u8 (IFLA_BRPORT_STATE).
const IFLA_BRPORT_STATE: u16 = 1;
/// STP priority, u16 (IFLA_BRPORT_PRIORITY).
const IFLA_BRPORT_PRIORITY: u16 = 2;
/// STP path cost, u32 (IFLA_BRPORT_COST).
const IFLA_BRPORT_COST: u16 = 3;
/// Hardware bridge mode in IFLA_AF_SPEC, u16 (IFLA_BRIDGE_MODE).
const IFLA_BRIDGE_MODE: u16 = 1;
/// Slots for IFLA_BRPORT_*: 39 in 6.1's headers, room for newer kernels.
const BRPORT_SLOTS: usize = 64;

/// The details `bridge -d link` prints, in its order
/// (`print_protinfo`): IFLA_BRPORT_* type, `bridge`'s name, and how the
/// value reads.
pub const PORT_OPTIONS: [(u16, &str, Opt); 16] = [
    (4, "hairpin", Opt::OnOff),           // IFLA_BRPORT_MODE
    (5, "guard", Opt::OnOff),             // IFLA_BRPORT_GUARD
    (6, "root_block", Opt::OnOff),        // IFLA_BRPORT_PROTECT
    (7, "fastleave", Opt::OnOff),         // IFLA_BRPORT_FAST_LEAVE
    (8, "learning", Opt::OnOff),          // IFLA_BRPORT_LEARNING
    (11, "learning_sync", Opt::OnOff),    // IFLA_BRPORT_LEARNING_SYNC
    (9, "flood", Opt::OnOff),             // IFLA_BRPORT_UNICAST_FLOOD
    (27, "mcast_flood", Opt::OnOff),      // IFLA_BRPORT_MCAST_FLOOD
    (30, "bcast_flood", Opt::OnOff),      // IFLA_BRPORT_BCAST_FLOOD
    (25, "mcast_router", Opt::Number),    // IFLA_BRPORT_MULTICAST_ROUTER
    (28, "mcast_to_unicast", Opt::OnOff), // IFLA_BRPORT_MCAST_TO_UCAST
    (32, "neigh_suppress", Opt::OnOff),   // IFLA_BRPORT_NEIGH_SUPPRESS
    (29, "vlan_tunnel", Opt::OnOff),      // IFLA_BRPORT_VLAN_TUNNEL
    (34, "backup_port", Opt::Device),     // IFLA_BRPORT_BACKUP_PORT
    (33, "isolated", Opt::OnOff),         // IFLA_BRPORT_ISOLATED
    (39, "locked", Opt::OnOff),           // IFLA_BRPORT_LOCKED
];

/// How a port option's attribute reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opt {
    /// A u8, 0 off, else on.
    OnOff,
    /// A u8 shown as a number.
    Number,
    /// A u32 interface index.
    Device,
}

/// A port option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptValue {
    /// On or off.
    OnOff(bool),
    /// A number (the multicast router mode: 0 disabled, 1 learned, 2
    /// permanent, 3 temporary).
    Number(u8),
    /// An interface index.
    Device(u32),
}

/// The STP port states by value (BR_STATE_*, linux/if_bridge.h).
pub const STP_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

/// A bridge port (or a device with bridging of its own, `self`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Port {
    /// ifi_family: AF_BRIDGE (or AF_UNSPEC from old kernels).
    pub family: u8,
    /// The link's fields: index, name, flags, MTU, master, peer.
    pub link: Link,
    /// STP state (IFLA_BRPORT_STATE, BR_STATE_*); also a bare
    /// IFLA_PROTINFO u8 from old kernels.
    pub state: Option<u8>,
    /// STP priority (IFLA_BRPORT_PRIORITY).
    pub priority: Option<u16>,
    /// STP path cost (IFLA_BRPORT_COST).
    pub cost: Option<u32>,
    /// The options the kernel sent, in [`PORT_OPTIONS`] order, by name.
    pub options: Vec<(&'static str, OptValue)>,
    /// Hardware bridge mode (IFLA_AF_SPEC / IFLA_BRIDGE_MODE): 0 VEB,
    /// 1 VEPA.
    pub hwmode: Option<u16>,
}

impl Port {
    /// Decode an RTM_NEWLINK message: `Ok(None)` for another message type,
    /// an error for a payload too short for `struct ifinfomsg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Port>, WireError> {
        if msg.kind() != RTM_NEWLINK {
            return Ok(None);
        }
        Ok(Some(Port::decode(&IfInfoMsg::new_checked(msg.payload())?)))
    }

    /// Decode a checked `ifinfomsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &IfInfoMsg<T>) -> Port {
        let tb = AttrIndex::<IFLA_MAX>::parse(hdr.attr_bytes());
        let mut port = Port {
            family: hdr.family(),
            link: Link::decode(hdr),
            state: None,
            priority: None,
            cost: None,
            options: Vec::new(),
            hwmode: None,
        };
        match tb.get(IFLA_PROTINFO) {
            Some(p) if p.is_nested() => port.read_protinfo(p.payload()),
            Some(p) => port.state = p.u8().ok(),
            None => {}
        }
        port.hwmode = tb.get(IFLA_AF_SPEC).and_then(|s| {
            let spec = AttrIndex::<8>::parse(s.payload());
            spec.get(IFLA_BRIDGE_MODE).and_then(|a| a.u16().ok())
        });
        port
    }

    /// The IFLA_BRPORT_* attributes of a nested IFLA_PROTINFO.
    fn read_protinfo(&mut self, payload: &[u8]) {
        let tb = AttrIndex::<BRPORT_SLOTS>::parse(payload);
        let u8_of = |k| tb.get(k).and_then(|a| a.u8().ok());
        self.state = u8_of(IFLA_BRPORT_STATE);
        self.priority = tb.get(IFLA_BRPORT_PRIORITY).and_then(|a| a.u16().ok());
        self.cost = tb.get(IFLA_BRPORT_COST).and_then(|a| a.u32().ok());
        self.options = PORT_OPTIONS
            .iter()
            .filter_map(|&(k, name, how)| {
                let v = match how {
                    Opt::OnOff => OptValue::OnOff(u8_of(k)? != 0),
                    Opt::Number => OptValue::Number(u8_of(k)?),
                    Opt::Device => OptValue::Device(tb.get(k)?.u32().ok()?),
                };
                Some((name, v))
            })
            .collect();
    }

    /// The STP state by name, `None` for a value past the known ones.
    pub fn state_name(&self) -> Option<&'static str> {
        self.state
            .and_then(|s| STP_STATES.get(usize::from(s)).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AF_BRIDGE RTM_NEWLINK payload for port 4 with `attrs`.
    fn port(attrs: &[u8]) -> Port {
        #[rustfmt::skip]
        let mut b = vec![
            7, 0,             // ifi_family AF_BRIDGE, pad
            1, 0,             // ifi_type ARPHRD_ETHER
            4, 0, 0, 0,       // ifi_index 4
            0x03, 0x10, 0, 0, // ifi_flags UP|BROADCAST|MULTICAST
            0, 0, 0, 0,       // ifi_change
        ];
        b.extend_from_slice(attrs);
        Port::decode(&IfInfoMsg::new_checked(&b[..]).unwrap())
    }

    #[test]
    fn nested_protinfo_in_bridge_order() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 3, 0, b'v', b'0', 0, 0,  // IFLA_IFNAME "v0"
            8, 0, 10, 0, 2, 0, 0, 0,       // IFLA_MASTER 2
            52, 0, 12, 0x80,               // IFLA_PROTINFO | NLA_F_NESTED
              5, 0, 1, 0, 3, 0, 0, 0,      //   STATE forwarding
              6, 0, 2, 0, 9, 0, 0, 0,      //   PRIORITY 9
              8, 0, 3, 0, 7, 0, 0, 0,      //   COST 7
              5, 0, 8, 0, 0, 0, 0, 0,      //   LEARNING off
              5, 0, 4, 0, 1, 0, 0, 0,      //   MODE (hairpin) on
              8, 0, 34, 0, 5, 0, 0, 0,     //   BACKUP_PORT 5
            5, 0, 99, 0, 1, 0, 0, 0,       // an unknown attribute
        ];
        let p = port(&attrs);
        assert_eq!((p.family, p.link.index, p.link.name.as_str()), (7, 4, "v0"));
        assert_eq!(p.link.master, Some(2));
        assert_eq!(
            (p.state_name(), p.priority, p.cost),
            (Some("forwarding"), Some(9), Some(7))
        );
        assert_eq!(
            p.options,
            [
                ("hairpin", OptValue::OnOff(true)),
                ("learning", OptValue::OnOff(false)),
                ("backup_port", OptValue::Device(5)),
            ]
        );
    }

    #[test]
    fn bare_protinfo_and_wrong_sizes() {
        // An old kernel's IFLA_PROTINFO: the state alone, not nested.
        let p = port(&[5, 0, 12, 0, 9, 0, 0, 0]);
        assert_eq!((p.state, p.state_name()), (Some(9), None));
        #[rustfmt::skip]
        let attrs = [
            20, 0, 12, 0x80,               // IFLA_PROTINFO, nested
              6, 0, 3, 0, 7, 0, 0, 0,      //   COST with 2 bytes: dropped
              5, 0, 2, 0, 9, 0, 0, 0,      //   PRIORITY with 1 byte: dropped
            12, 0, 26, 0x80,               // IFLA_AF_SPEC, nested
              6, 0, 1, 0, 1, 0, 0, 0,      //   IFLA_BRIDGE_MODE VEPA
        ];
        let p = port(&attrs);
        assert_eq!((p.cost, p.priority, p.hwmode), (None, None, Some(1)));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::proptest_config(512, 0xb41d6e))]

        /// Any IFLA_PROTINFO payload, nested or not, decodes without a
        /// panic, and every option it yields is one bridge names.
        #[test]
        fn any_protinfo_decodes(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            nested in proptest::prelude::any::<bool>(),
        ) {
            let kind = if nested { IFLA_PROTINFO | 0x8000 } else { IFLA_PROTINFO };
            let p = port(&crate::test_support::encode_attr(kind, &body));
            for (name, _) in &p.options {
                proptest::prop_assert!(PORT_OPTIONS.iter().any(|o| o.1 == *name));
            }
        }
    }
}
