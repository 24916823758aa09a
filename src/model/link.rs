//! Network interfaces: [`Link`], decoded from one RTM_NEWLINK message, and
//! [`Links`], a whole link dump with its index map (master and peer names,
//! and `ip`'s M-DOWN flag, need every link of the dump).
//!
//! Decoding follows the house rules: the attributes are indexed first
//! (first occurrence wins, see [`AttrIndex`]); types nlq does not know are
//! skipped, with or without NLA_F_NESTED; a known attribute of the wrong
//! size is dropped (that field becomes `None`) and spoils nothing else.
//!
//! Strings (name, alias, qdisc, altnames, ...) are read up to their first
//! NUL, or to the end of the attribute when it has none, and decoded
//! lossily: invalid UTF-8 becomes U+FFFD rather than dropping the field,
//! because a link must have a name to be shown at all. Names longer than
//! IFNAMSIZ are kept whole: nlq shows what the kernel sent. A link without
//! IFLA_IFNAME is named `if<index>`, as `ip` names it.

mod arphrd;
mod kind;
mod stats;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use arphrd::link_type_name;
pub use kind::{KindData, KindField, KindValue, essentials, slave_essentials};
pub use stats::{COUNTERS, Counter, Stats};

use super::object::{ObjectKind, group};
use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET6, Attr, AttrIndex, Attrs};
use crate::wire::ifinfomsg::*;
use crate::wire::nlmsg::NlMsg;

/// Interface flags (ifi_flags, IFF_* of linux/if.h), lowest bit first,
/// with the lowercase names nlq prints.
pub const IFF_NAMES: [(u32, &str); 19] = [
    (IFF_UP, "up"),
    (IFF_BROADCAST, "broadcast"),
    (IFF_DEBUG, "debug"),
    (IFF_LOOPBACK, "loopback"),
    (IFF_POINTOPOINT, "pointopoint"),
    (IFF_NOTRAILERS, "notrailers"),
    (IFF_RUNNING, "running"),
    (IFF_NOARP, "noarp"),
    (IFF_PROMISC, "promisc"),
    (IFF_ALLMULTI, "allmulti"),
    (IFF_MASTER, "master"),
    (IFF_SLAVE, "slave"),
    (IFF_MULTICAST, "multicast"),
    (IFF_PORTSEL, "portsel"),
    (IFF_AUTOMEDIA, "automedia"),
    (IFF_DYNAMIC, "dynamic"),
    (IFF_LOWER_UP, "lower_up"),
    (IFF_DORMANT, "dormant"),
    (IFF_ECHO, "echo"),
];

/// Interface is administratively up (IFF_UP).
pub const IFF_UP: u32 = 0x1;
/// Broadcast address valid (IFF_BROADCAST).
pub const IFF_BROADCAST: u32 = 0x2;
/// Debugging turned on (IFF_DEBUG).
pub const IFF_DEBUG: u32 = 0x4;
/// Loopback interface (IFF_LOOPBACK).
pub const IFF_LOOPBACK: u32 = 0x8;
/// Point-to-point link (IFF_POINTOPOINT).
pub const IFF_POINTOPOINT: u32 = 0x10;
/// Avoid trailers (IFF_NOTRAILERS).
pub const IFF_NOTRAILERS: u32 = 0x20;
/// Operationally up, RFC 2863 (IFF_RUNNING).
pub const IFF_RUNNING: u32 = 0x40;
/// No ARP (IFF_NOARP).
pub const IFF_NOARP: u32 = 0x80;
/// Promiscuous mode set by flag (IFF_PROMISC).
pub const IFF_PROMISC: u32 = 0x100;
/// Receives all multicast (IFF_ALLMULTI).
pub const IFF_ALLMULTI: u32 = 0x200;
/// Load-balancing master (IFF_MASTER).
pub const IFF_MASTER: u32 = 0x400;
/// Load-balancing slave (IFF_SLAVE).
pub const IFF_SLAVE: u32 = 0x800;
/// Supports multicast (IFF_MULTICAST).
pub const IFF_MULTICAST: u32 = 0x1000;
/// Can set media type (IFF_PORTSEL).
pub const IFF_PORTSEL: u32 = 0x2000;
/// Auto media select (IFF_AUTOMEDIA).
pub const IFF_AUTOMEDIA: u32 = 0x4000;
/// Dialup device with changing addresses (IFF_DYNAMIC).
pub const IFF_DYNAMIC: u32 = 0x8000;
/// Driver signals L1 up (IFF_LOWER_UP).
pub const IFF_LOWER_UP: u32 = 0x10000;
/// Driver signals dormant (IFF_DORMANT).
pub const IFF_DORMANT: u32 = 0x20000;
/// Echo sent packets (IFF_ECHO).
pub const IFF_ECHO: u32 = 0x40000;

/// IPv6 per-link data inside IFLA_AF_SPEC: address generation mode, u8
/// (IFLA_INET6_ADDR_GEN_MODE, linux/if_link.h).
const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
/// Size of the IFLA_INET6_* index.
const IFLA_INET6_MAX: usize = 10;
/// Size of the IFLA_INFO_* index.
const IFLA_INFO_MAX: usize = 6;
/// Largest hardware address (MAX_ADDR_LEN, linux/netdevice.h).
pub const MAX_ADDR_LEN: usize = 32;

/// A hardware address of up to [`MAX_ADDR_LEN`] bytes, held inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HwAddr {
    len: u8,
    bytes: [u8; MAX_ADDR_LEN],
}

impl HwAddr {
    /// An address from `bytes`; `None` when it is longer than MAX_ADDR_LEN.
    pub fn new(bytes: &[u8]) -> Option<HwAddr> {
        let mut addr = HwAddr {
            len: u8::try_from(bytes.len()).ok()?,
            bytes: [0; MAX_ADDR_LEN],
        };
        addr.bytes.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(addr)
    }

    /// The address bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// RFC 2863 operational state (IFLA_OPERSTATE, IF_OPER_* of linux/if.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperState {
    /// IF_OPER_UNKNOWN.
    Unknown,
    /// IF_OPER_NOTPRESENT.
    NotPresent,
    /// IF_OPER_DOWN.
    Down,
    /// IF_OPER_LOWERLAYERDOWN.
    LowerLayerDown,
    /// IF_OPER_TESTING.
    Testing,
    /// IF_OPER_DORMANT.
    Dormant,
    /// IF_OPER_UP.
    Up,
    /// A value nlq has no name for.
    Other(u8),
}

const OPER_STATES: [(OperState, &str); 7] = [
    (OperState::Unknown, "unknown"),
    (OperState::NotPresent, "notpresent"),
    (OperState::Down, "down"),
    (OperState::LowerLayerDown, "lowerlayerdown"),
    (OperState::Testing, "testing"),
    (OperState::Dormant, "dormant"),
    (OperState::Up, "up"),
];

impl OperState {
    /// The state for the kernel's number.
    pub fn from_u8(v: u8) -> OperState {
        OPER_STATES
            .get(v as usize)
            .map_or(OperState::Other(v), |&(s, _)| s)
    }

    /// The kernel's number.
    pub fn value(self) -> u8 {
        match self {
            OperState::Other(v) => v,
            s => OPER_STATES.iter().position(|&(x, _)| x == s).unwrap_or(0) as u8,
        }
    }

    /// Lowercase name ("up", "lowerlayerdown"), `None` for [`OperState::Other`].
    pub fn name(self) -> Option<&'static str> {
        OPER_STATES
            .iter()
            .find(|&&(x, _)| x == self)
            .map(|&(_, n)| n)
    }
}

/// Link mode (IFLA_LINKMODE, IF_LINK_MODE_* of linux/if_link.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMode {
    /// IF_LINK_MODE_DEFAULT.
    Default,
    /// IF_LINK_MODE_DORMANT: userspace controls the dormant state.
    Dormant,
    /// IF_LINK_MODE_TESTING or a value nlq has no name for.
    Other(u8),
}

impl LinkMode {
    /// The mode for the kernel's number.
    pub fn from_u8(v: u8) -> LinkMode {
        match v {
            0 => LinkMode::Default,
            1 => LinkMode::Dormant,
            v => LinkMode::Other(v),
        }
    }

    /// The kernel's number.
    pub fn value(self) -> u8 {
        match self {
            LinkMode::Default => 0,
            LinkMode::Dormant => 1,
            LinkMode::Other(v) => v,
        }
    }

    /// Lowercase name, `None` for [`LinkMode::Other`].
    pub fn name(self) -> Option<&'static str> {
        match self {
            LinkMode::Default => Some("default"),
            LinkMode::Dormant => Some("dormant"),
            LinkMode::Other(_) => None,
        }
    }
}

/// IPv6 link-local address generation (IN6_ADDR_GEN_MODE_* of
/// linux/if_link.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrGenMode {
    /// IN6_ADDR_GEN_MODE_EUI64.
    Eui64,
    /// IN6_ADDR_GEN_MODE_NONE.
    None,
    /// IN6_ADDR_GEN_MODE_STABLE_PRIVACY (`ip` calls it stable_secret).
    StableSecret,
    /// IN6_ADDR_GEN_MODE_RANDOM.
    Random,
    /// A value nlq has no name for.
    Other(u8),
}

impl AddrGenMode {
    /// The mode for the kernel's number.
    pub fn from_u8(v: u8) -> AddrGenMode {
        match v {
            0 => AddrGenMode::Eui64,
            1 => AddrGenMode::None,
            2 => AddrGenMode::StableSecret,
            3 => AddrGenMode::Random,
            v => AddrGenMode::Other(v),
        }
    }

    /// The kernel's number.
    pub fn value(self) -> u8 {
        match self {
            AddrGenMode::Eui64 => 0,
            AddrGenMode::None => 1,
            AddrGenMode::StableSecret => 2,
            AddrGenMode::Random => 3,
            AddrGenMode::Other(v) => v,
        }
    }

    /// Name as `ip` prints it, `None` for [`AddrGenMode::Other`].
    pub fn name(self) -> Option<&'static str> {
        match self {
            AddrGenMode::Eui64 => Some("eui64"),
            AddrGenMode::None => Some("none"),
            AddrGenMode::StableSecret => Some("stable_secret"),
            AddrGenMode::Random => Some("random"),
            AddrGenMode::Other(_) => None,
        }
    }
}

/// One network interface, as one RTM_NEWLINK message describes it.
///
/// `None` means the attribute was absent or malformed.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Link {
    /// Interface index (ifi_index).
    pub index: u32,
    /// Interface name (IFLA_IFNAME; `if<index>` when absent).
    pub name: String,
    /// Device flags, IFF_* (ifi_flags).
    pub flags: u32,
    /// Hardware type, ARPHRD_* (ifi_type).
    pub link_type: u16,
    /// MTU, in bytes (IFLA_MTU).
    pub mtu: Option<u32>,
    /// Smallest MTU the device accepts, in bytes (IFLA_MIN_MTU).
    pub min_mtu: Option<u32>,
    /// Largest MTU the device accepts, in bytes (IFLA_MAX_MTU).
    pub max_mtu: Option<u32>,
    /// Operational state (IFLA_OPERSTATE).
    pub operstate: Option<OperState>,
    /// Link mode (IFLA_LINKMODE).
    pub linkmode: Option<LinkMode>,
    /// Carrier present (IFLA_CARRIER).
    pub carrier: Option<bool>,
    /// Queueing discipline name (IFLA_QDISC).
    pub qdisc: Option<String>,
    /// Index of the master device, e.g. a bridge (IFLA_MASTER).
    pub master: Option<u32>,
    /// Index of the peer or lower device (IFLA_LINK); 0 means none.
    pub link: Option<u32>,
    /// Namespace id where `link` lives, when not this one (IFLA_LINK_NETNSID).
    pub link_netnsid: Option<i32>,
    /// Hardware address (IFLA_ADDRESS).
    pub address: Option<HwAddr>,
    /// Hardware broadcast or point-to-point peer address (IFLA_BROADCAST).
    pub broadcast: Option<HwAddr>,
    /// Permanent hardware address (IFLA_PERM_ADDRESS).
    pub permaddr: Option<HwAddr>,
    /// Transmit queue length, in packets (IFLA_TXQLEN).
    pub txqlen: Option<u32>,
    /// Device group number (IFLA_GROUP).
    pub group: Option<u32>,
    /// Interface alias (IFLA_IFALIAS).
    pub alias: Option<String>,
    /// Alternative names, in kernel order (IFLA_PROP_LIST / IFLA_ALT_IFNAME).
    pub altnames: Vec<String>,
    /// Promiscuity counter (IFLA_PROMISCUITY).
    pub promiscuity: Option<u32>,
    /// All-multicast counter (IFLA_ALLMULTI).
    pub allmulti: Option<u32>,
    /// Transmit queue count (IFLA_NUM_TX_QUEUES).
    pub num_tx_queues: Option<u32>,
    /// Receive queue count (IFLA_NUM_RX_QUEUES).
    pub num_rx_queues: Option<u32>,
    /// Largest GSO packet, in bytes (IFLA_GSO_MAX_SIZE).
    pub gso_max_size: Option<u32>,
    /// Most GSO segments (IFLA_GSO_MAX_SEGS).
    pub gso_max_segs: Option<u32>,
    /// Largest GRO packet, in bytes (IFLA_GRO_MAX_SIZE).
    pub gro_max_size: Option<u32>,
    /// Largest TSO packet the device takes, in bytes (IFLA_TSO_MAX_SIZE).
    pub tso_max_size: Option<u32>,
    /// Most TSO segments the device takes (IFLA_TSO_MAX_SEGS).
    pub tso_max_segs: Option<u32>,
    /// Physical port name (IFLA_PHYS_PORT_NAME).
    pub phys_port_name: Option<String>,
    /// Physical port id, raw bytes (IFLA_PHYS_PORT_ID).
    pub phys_port_id: Option<HwAddr>,
    /// Physical switch id, raw bytes (IFLA_PHYS_SWITCH_ID).
    pub phys_switch_id: Option<HwAddr>,
    /// Parent device bus, e.g. "pci" (IFLA_PARENT_DEV_BUS_NAME).
    pub parent_bus: Option<String>,
    /// Parent device, e.g. "0000:00:03.0" (IFLA_PARENT_DEV_NAME).
    pub parent_dev: Option<String>,
    /// Protocol down (IFLA_PROTO_DOWN).
    pub proto_down: Option<bool>,
    /// Carrier changes since creation (IFLA_CARRIER_CHANGES).
    pub carrier_changes: Option<u32>,
    /// Carrier up transitions (IFLA_CARRIER_UP_COUNT).
    pub carrier_up_count: Option<u32>,
    /// Carrier down transitions (IFLA_CARRIER_DOWN_COUNT).
    pub carrier_down_count: Option<u32>,
    /// Link kind, e.g. "veth" (IFLA_LINKINFO / IFLA_INFO_KIND).
    pub kind: Option<String>,
    /// Kind of the master this link is a port of, e.g. "bridge"
    /// (IFLA_INFO_SLAVE_KIND).
    pub slave_kind: Option<String>,
    /// Kind-specific data nlq knows how to read (IFLA_INFO_DATA).
    pub kind_data: Option<KindData>,
    /// Master-kind-specific port data (IFLA_INFO_SLAVE_DATA).
    pub slave_data: Option<KindData>,
    /// IPv6 address generation mode (IFLA_AF_SPEC / AF_INET6 /
    /// IFLA_INET6_ADDR_GEN_MODE).
    pub addr_gen_mode: Option<AddrGenMode>,
    /// Traffic counters (IFLA_STATS64, else IFLA_STATS).
    pub stats: Option<Stats>,
    /// The first structural error in the attributes: those after it are
    /// missing.
    pub error: Option<WireError>,
}

/// A u32 attribute of `tb`, if present and 4 bytes long.
fn u32_of<const N: usize>(tb: &AttrIndex<'_, N>, kind: u16) -> Option<u32> {
    tb.get(kind)?.u32().ok()
}

/// A u8 attribute of `tb`, if present and 1 byte long.
fn u8_of<const N: usize>(tb: &AttrIndex<'_, N>, kind: u16) -> Option<u8> {
    tb.get(kind)?.u8().ok()
}

/// A string attribute of `tb`, if present (see the module doc).
fn text_of<const N: usize>(tb: &AttrIndex<'_, N>, kind: u16) -> Option<String> {
    tb.get(kind).map(text)
}

/// A string payload up to its NUL, decoded lossily.
pub(crate) fn text(attr: Attr<'_>) -> String {
    String::from_utf8_lossy(attr.bytes_to_nul()).into_owned()
}

/// A hardware-address-like attribute of `tb` (at most MAX_ADDR_LEN bytes).
fn hw_of<const N: usize>(tb: &AttrIndex<'_, N>, kind: u16) -> Option<HwAddr> {
    HwAddr::new(tb.get(kind)?.payload())
}

impl Link {
    /// The other interfaces this link names when shown: its master, its
    /// IFLA_LINK parent or peer, and the links in its kind and port data.
    pub fn references(&self) -> impl Iterator<Item = u32> + '_ {
        let data = [&self.kind_data, &self.slave_data]
            .into_iter()
            .flatten()
            .flat_map(|d| d.fields.iter())
            .filter_map(|f| match f.value {
                KindValue::Link(i) => Some(i),
                _ => None,
            });
        self.master.into_iter().chain(self.link).chain(data)
    }

    /// Decode an RTM_NEWLINK message: `Ok(None)` for any other message type, an
    /// error for one whose payload is too short for `struct ifinfomsg`
    /// (malformed: nothing of it can be trusted).
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Link>, WireError> {
        if msg.kind() != RTM_NEWLINK {
            return Ok(None);
        }
        Ok(Some(Link::decode(&IfInfoMsg::new_checked(msg.payload())?)))
    }

    /// [`Link::try_from_msg`] for callers that skip what they cannot read:
    /// `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Link> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `ifinfomsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &IfInfoMsg<T>) -> Link {
        let tb = AttrIndex::<IFLA_MAX>::parse(hdr.attr_bytes());
        let index = hdr.index();
        let mut link = Link::bare(index, hdr.flags(), hdr.link_type());
        link.name = text_of(&tb, IFLA_IFNAME).unwrap_or_else(|| format!("if{index}"));
        link.error = tb.error;
        link.read_state(&tb);
        link.read_details(&tb);
        link.read_nested(&tb);
        link
    }

    /// A link with only its header fields set.
    pub fn bare(index: u32, flags: u32, link_type: u16) -> Link {
        Link {
            index,
            flags,
            link_type,
            ..Link::default()
        }
    }

    /// What `ip link` shows on its first two lines.
    fn read_state(&mut self, tb: &AttrIndex<'_, IFLA_MAX>) {
        self.mtu = u32_of(tb, IFLA_MTU);
        self.operstate = u8_of(tb, IFLA_OPERSTATE).map(OperState::from_u8);
        self.linkmode = u8_of(tb, IFLA_LINKMODE).map(LinkMode::from_u8);
        self.carrier = u8_of(tb, IFLA_CARRIER).map(|c| c != 0);
        self.qdisc = text_of(tb, IFLA_QDISC);
        self.master = u32_of(tb, IFLA_MASTER);
        self.link = u32_of(tb, IFLA_LINK);
        self.link_netnsid = tb.get(IFLA_LINK_NETNSID).and_then(|a| a.i32().ok());
        self.address = hw_of(tb, IFLA_ADDRESS);
        self.broadcast = hw_of(tb, IFLA_BROADCAST);
        self.permaddr = hw_of(tb, IFLA_PERM_ADDRESS);
        self.txqlen = u32_of(tb, IFLA_TXQLEN);
        self.group = u32_of(tb, IFLA_GROUP);
        self.alias = text_of(tb, IFLA_IFALIAS);
        self.proto_down = u8_of(tb, IFLA_PROTO_DOWN).map(|p| p != 0);
    }

    /// What `ip -d link` and `ip -s link` add.
    fn read_details(&mut self, tb: &AttrIndex<'_, IFLA_MAX>) {
        self.min_mtu = u32_of(tb, IFLA_MIN_MTU);
        self.max_mtu = u32_of(tb, IFLA_MAX_MTU);
        self.promiscuity = u32_of(tb, IFLA_PROMISCUITY);
        self.allmulti = u32_of(tb, IFLA_ALLMULTI);
        self.num_tx_queues = u32_of(tb, IFLA_NUM_TX_QUEUES);
        self.num_rx_queues = u32_of(tb, IFLA_NUM_RX_QUEUES);
        self.gso_max_size = u32_of(tb, IFLA_GSO_MAX_SIZE);
        self.gso_max_segs = u32_of(tb, IFLA_GSO_MAX_SEGS);
        self.gro_max_size = u32_of(tb, IFLA_GRO_MAX_SIZE);
        self.tso_max_size = u32_of(tb, IFLA_TSO_MAX_SIZE);
        self.tso_max_segs = u32_of(tb, IFLA_TSO_MAX_SEGS);
        self.phys_port_name = text_of(tb, IFLA_PHYS_PORT_NAME);
        self.phys_port_id = hw_of(tb, IFLA_PHYS_PORT_ID);
        self.phys_switch_id = hw_of(tb, IFLA_PHYS_SWITCH_ID);
        self.parent_bus = text_of(tb, IFLA_PARENT_DEV_BUS_NAME);
        self.parent_dev = text_of(tb, IFLA_PARENT_DEV_NAME);
        self.carrier_changes = u32_of(tb, IFLA_CARRIER_CHANGES);
        self.carrier_up_count = u32_of(tb, IFLA_CARRIER_UP_COUNT);
        self.carrier_down_count = u32_of(tb, IFLA_CARRIER_DOWN_COUNT);
        self.stats = match (tb.get(IFLA_STATS64), tb.get(IFLA_STATS)) {
            (Some(a), _) => Some(Stats::from_stats64(a.payload())),
            (None, Some(a)) => Some(Stats::from_stats32(a.payload())),
            (None, None) => None,
        };
    }

    /// The nested attributes: link info, alternative names, IPv6 data.
    fn read_nested(&mut self, tb: &AttrIndex<'_, IFLA_MAX>) {
        if let Some(info) = tb.get(IFLA_LINKINFO) {
            self.read_linkinfo(info);
        }
        if let Some(props) = tb.get(IFLA_PROP_LIST) {
            // Every IFLA_ALT_IFNAME, in order; a malformed one ends the list.
            self.altnames = props
                .nested()
                .map_while(Result::ok)
                .filter(|a| a.kind() == IFLA_ALT_IFNAME)
                .map(text)
                .collect();
        }
        self.addr_gen_mode = tb
            .get(IFLA_AF_SPEC)
            .and_then(|spec| {
                spec.nested()
                    .map_while(Result::ok)
                    .find(|a| a.kind() == AF_INET6 as u16)
            })
            .and_then(|inet6| {
                let tb6 = AttrIndex::<IFLA_INET6_MAX>::parse(inet6.payload());
                u8_of(&tb6, IFLA_INET6_ADDR_GEN_MODE)
            })
            .map(AddrGenMode::from_u8);
    }

    /// IFLA_LINKINFO: kind, slave kind and the data nlq can read for them.
    fn read_linkinfo(&mut self, info: Attr<'_>) {
        let tb = AttrIndex::<IFLA_INFO_MAX>::parse(info.payload());
        self.kind = text_of(&tb, IFLA_INFO_KIND);
        self.slave_kind = text_of(&tb, IFLA_INFO_SLAVE_KIND);
        // A kind nlq decodes has data even when the kernel sent none: ip
        // then prints an empty `info_data` object, and so does nlq.
        let payload = |kind| tb.get(kind).map_or(&[][..], |a: Attr<'_>| a.payload());
        if let Some(kind) = &self.kind {
            self.kind_data = kind::decode(kind, payload(IFLA_INFO_DATA));
        }
        if let Some(kind) = &self.slave_kind {
            self.slave_data = kind::decode_slave(kind, payload(IFLA_INFO_SLAVE_DATA));
        }
    }

    /// The routing table of a VRF device (IFLA_VRF_TABLE, from its kind
    /// data); `None` for any other kind, or a VRF without a valid table.
    pub fn vrf_table(&self) -> Option<u32> {
        if self.kind.as_deref() != Some("vrf") {
            return None;
        }
        let data = self.kind_data.as_ref()?;
        match data.fields.iter().find(|f| f.key == "table")?.value {
            KindValue::Uint(t) => u32::try_from(t).ok(),
            _ => None,
        }
    }

    /// Whether `name` is this link's name or one of its alternative names.
    pub fn is_called(&self, name: &str) -> bool {
        self.name == name || self.altnames.iter().any(|a| a == name)
    }

    /// Lowercase names of the set IFF_* flags, lowest bit first; bits nlq
    /// has no name for follow as one hexadecimal string ("0x80000").
    pub fn flag_names(&self) -> impl Iterator<Item = std::borrow::Cow<'static, str>> + '_ {
        let known: u32 = IFF_NAMES.iter().map(|&(bit, _)| bit).fold(0, |a, b| a | b);
        let rest = self.flags & !known;
        IFF_NAMES
            .iter()
            .filter(|&&(bit, _)| self.flags & bit != 0)
            .map(|&(_, name)| std::borrow::Cow::Borrowed(name))
            .chain((rest != 0).then(|| std::borrow::Cow::Owned(format!("{rest:#x}"))))
    }
}

/// A whole link dump: the links in kernel order, and an index map.
#[derive(Debug, Clone, Default)]
pub struct Links {
    list: Vec<Link>,
    by_index: HashMap<u32, usize, BuildHasherDefault<IndexHasher>>,
}

/// Hashes an interface index with one multiplication (Fibonacci hashing,
/// which spreads consecutive indexes over the top bits the table probes
/// with) rather than SipHash: a listing looks up every link's master and
/// peer, and SipHash was a few percent of `nlq links`. The keys are
/// indexes the kernel chose, not text an attacker picks.
#[derive(Debug, Clone, Copy, Default)]
struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Links {
    /// An empty collection.
    pub fn new() -> Links {
        Links::default()
    }

    /// Add one link. A second link with an index already seen is kept in
    /// the list but the index map keeps pointing at the first.
    pub fn push(&mut self, link: Link) {
        self.by_index.entry(link.index).or_insert(self.list.len());
        self.list.push(link);
    }

    /// Decode and add an RTM_NEWLINK message; other messages are ignored.
    pub fn add(&mut self, msg: &NlMsg<&[u8]>) {
        if let Some(link) = Link::from_msg(msg) {
            self.push(link);
        }
    }

    /// The link with interface index `index`.
    pub fn get(&self, index: u32) -> Option<&Link> {
        self.by_index.get(&index).map(|&i| &self.list[i])
    }

    /// The name of interface `index`.
    pub fn name(&self, index: u32) -> Option<&str> {
        self.get(index).map(|l| l.name.as_str())
    }

    /// The link called `name`, by its name or one of its alternative names
    /// (a name wins over another link's altname).
    pub fn find(&self, name: &str) -> Option<&Link> {
        self.list
            .iter()
            .find(|l| l.name == name)
            .or_else(|| self.list.iter().find(|l| l.is_called(name)))
    }

    /// The links, in dump order.
    pub fn iter(&self) -> std::slice::Iter<'_, Link> {
        self.list.iter()
    }

    /// How many links the dump held.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the dump held no link.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Walk `buf` as attributes, ignoring the error that may end it: used for
/// lists whose survivors are worth showing.
pub(crate) fn attrs_ok(buf: &[u8]) -> impl Iterator<Item = Attr<'_>> {
    Attrs::new(buf).map_while(Result::ok)
}

/// Skip statistics in a link dump reply (RTEXT_FILTER_SKIP_STATS,
/// linux/rtnetlink.h): names and state are what a listing needs first.
const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

impl ObjectKind for Link {
    const NAME: &'static str = "link";
    const NEW: u16 = RTM_NEWLINK;
    const DEL: u16 = RTM_DELLINK;
    const GET: u16 = RTM_GETLINK;
    const GROUPS: &'static [(u8, u32)] = &[(0, group::LINK)];
    const FAMILIES: &'static [u8] = &[];
    /// ifi_index.
    type Key = u32;

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Link::decode(&IfInfoMsg::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        IfInfoMsgRepr {
            family,
            ..IfInfoMsgRepr::default()
        }
        .emit()
        .to_vec()
    }
    fn dump_attrs() -> &'static [(u16, u32)] {
        &[(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)]
    }
    fn key(&self) -> u32 {
        self.index
    }
    fn settle(&mut self) {
        self.stats = None;
    }
    fn family(&self) -> u8 {
        0 // AF_UNSPEC: links are not per family
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        self.index == index
    }
    fn flags_changed(&self, old: &Self) -> bool {
        self.flags != old.flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `struct ifinfomsg` for index 7, ARPHRD_ETHER, UP|BROADCAST|RUNNING.
    #[rustfmt::skip]
    const HDR: [u8; 16] = [
        0, 0,       // ifi_family = AF_UNSPEC, pad
        1, 0,       // ifi_type = ARPHRD_ETHER
        7, 0, 0, 0, // ifi_index = 7
        0x43, 0, 0, 0, // ifi_flags = UP|BROADCAST|RUNNING
        0, 0, 0, 0, // ifi_change
    ];

    fn link(attrs: &[u8]) -> Link {
        let mut buf = HDR.to_vec();
        buf.extend_from_slice(attrs);
        Link::decode(&IfInfoMsg::new_checked(&buf[..]).unwrap())
    }

    #[test]
    fn unknown_types_are_skipped() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 62, 0, 1, 0, 0, 0,          // type 62 (newer than nlq): skipped
            8, 0, 69, 0x80, 1, 0, 0, 0,       // type 69 | NLA_F_NESTED: skipped
            8, 0, 0xe8, 0x03, 1, 0, 0, 0,     // type 1000: skipped
            4, 0, 0xff, 0x3f,                 // type 0x3fff, empty: skipped
            4, 0, 0xff, 0xbf,                 // type 0x3fff | NLA_F_NESTED: skipped
            8, 0, 3, 0, b'e', b'0', 0, 0,     // IFLA_IFNAME = "e0"
            8, 0, 4, 0, 0xdc, 0x05, 0, 0,     // IFLA_MTU = 1500
        ];
        let l = link(&attrs);
        assert_eq!((l.index, l.name.as_str(), l.mtu), (7, "e0", Some(1500)));
        assert_eq!(l.error, None);
    }

    #[test]
    fn first_duplicate_wins_and_wrong_size_drops_one_field() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 4, 0, 0xdc, 0x05, 0, 0,     // IFLA_MTU = 1500
            8, 0, 4, 0, 0x00, 0x10, 0, 0,     // IFLA_MTU = 4096 again: ignored
            6, 0, 13, 0, 0xe8, 0x03, 0, 0,    // IFLA_TXQLEN of 2 bytes: dropped
            5, 0, 16, 0, 6, 0, 0, 0,          // IFLA_OPERSTATE = UP
            8, 0, 16, 0, 2, 0, 0, 0,          // IFLA_OPERSTATE again: ignored
            10, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 0, // IFLA_ADDRESS = 02:00:00:00:00:01
        ];
        let l = link(&attrs);
        assert_eq!(l.mtu, Some(1500));
        assert_eq!(l.txqlen, None);
        assert_eq!(l.operstate, Some(OperState::Up));
        assert_eq!(l.address.unwrap().as_bytes(), [2, 0, 0, 0, 0, 1]);
        assert_eq!(l.name, "if7", "no IFLA_IFNAME: named as ip names it");
    }

    #[test]
    fn ifname_without_nul_too_long_or_invalid_utf8() {
        #[rustfmt::skip]
        let no_nul = [
            8, 0, 3, 0, b'e', b't', b'h', b'0', // IFLA_IFNAME "eth0", no NUL
        ];
        assert_eq!(link(&no_nul).name, "eth0");
        #[rustfmt::skip]
        let long = [
            24, 0, 3, 0,                        // IFLA_IFNAME, 20 bytes, no NUL
            b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h', b'i', b'j',
            b'k', b'l', b'm', b'n', b'o', b'p', b'q', b'r', b's', b't',
        ];
        assert_eq!(link(&long).name, "abcdefghijklmnopqrst", "kept whole");
        #[rustfmt::skip]
        let bad = [
            8, 0, 3, 0, b'e', 0xff, 0xfe, 0,    // IFLA_IFNAME "e\xff\xfe": invalid UTF-8
        ];
        assert_eq!(link(&bad).name, "e\u{fffd}\u{fffd}", "decoded lossily");
    }

    #[test]
    fn stats64_shorter_and_longer_than_the_struct() {
        // 3 whole u64 fields and 4 stray bytes: an old kernel's struct.
        let mut short = vec![32, 0, 23, 0]; // len 4 + 28, IFLA_STATS64
        for v in [10u64, 20, 30] {
            short.extend_from_slice(&v.to_ne_bytes()); // rx_packets, tx_packets, rx_bytes
        }
        short.extend_from_slice(&[0xaa; 4]); // half a field: ignored
        let s = link(&short).stats.unwrap();
        assert!(s.wide);
        assert_eq!(s.get(Counter::RxPackets), Some(10));
        assert_eq!(s.get(Counter::RxBytes), Some(30));
        assert_eq!(s.get(Counter::TxBytes), None);
        assert_eq!(s.get(Counter::RxOtherhostDropped), None);

        // 27 fields: a future kernel's struct with two more counters.
        let mut long = vec![4 + 27 * 8, 0, 23, 0]; // IFLA_STATS64, 216 bytes payload
        for v in 0..27u64 {
            long.extend_from_slice(&(v + 100).to_ne_bytes());
        }
        let s = link(&long).stats.unwrap();
        assert_eq!(s.get(Counter::RxPackets), Some(100));
        assert_eq!(s.get(Counter::RxOtherhostDropped), Some(124));
    }

    #[test]
    fn stats32_fallback() {
        #[rustfmt::skip]
        let attrs = [
            12, 0, 7, 0,            // IFLA_STATS (32-bit), 2 fields
            5, 0, 0, 0, 6, 0, 0, 0, // rx_packets = 5, tx_packets = 6
        ];
        let s = link(&attrs).stats.unwrap();
        assert!(!s.wide);
        assert_eq!(s.get(Counter::TxPackets), Some(6));
        assert_eq!(s.get(Counter::RxBytes), None);
    }

    #[test]
    fn nested_linkinfo_altnames_and_af_spec() {
        #[rustfmt::skip]
        let attrs = [
            28, 0, 18, 0x80,                    // IFLA_LINKINFO | NLA_F_NESTED
              9, 0, 1, 0, b'v', b'e', b't', b'h', 0, 0, 0, 0, // IFLA_INFO_KIND "veth"
              11, 0, 4, 0, b'b', b'r', b'i', b'd', b'g', b'e', 0, 0, // SLAVE_KIND "bridge"
            24, 0, 52, 0x80,                    // IFLA_PROP_LIST | NLA_F_NESTED
              8, 0, 53, 0, b'a', b'1', 0, 0,    // IFLA_ALT_IFNAME "a1"
              8, 0, 53, 0, b'a', b'2', 0, 0,    // IFLA_ALT_IFNAME "a2"
              4, 0, 9, 0,                       // something else: not a name
            28, 0, 26, 0x80,                    // IFLA_AF_SPEC | NLA_F_NESTED
              8, 0, 2, 0, 0, 0, 0, 0,           //   AF_INET: not looked at
              16, 0, 10, 0x80,                  //   AF_INET6
                4, 0, 1, 0,                     //     IFLA_INET6_FLAGS (empty)
                5, 0, 8, 0, 2, 0, 0, 0,         //     ADDR_GEN_MODE = stable privacy
        ];
        let l = link(&attrs);
        assert_eq!(l.kind.as_deref(), Some("veth"));
        assert_eq!(l.slave_kind.as_deref(), Some("bridge"));
        assert_eq!(l.kind_data, None, "veth has no kind data");
        // ip prints an empty info_slave_data for a decoded kind without data.
        let empty = l.slave_data.as_ref().map(|d| d.fields.len());
        assert_eq!(empty, Some(0), "bridge port data, though none was sent");
        assert_eq!(l.altnames, ["a1", "a2"]);
        assert_eq!(l.addr_gen_mode, Some(AddrGenMode::StableSecret));
        assert!(l.is_called("a2"));
    }

    #[test]
    fn malformed_tail_keeps_what_came_before() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 4, 0, 0xdc, 0x05, 0, 0,     // IFLA_MTU = 1500
            0xff, 0, 3, 0,                    // IFLA_IFNAME claiming 255 bytes
        ];
        let l = link(&attrs);
        assert_eq!(l.mtu, Some(1500));
        assert_eq!(l.name, "if7");
        assert!(matches!(l.error, Some(WireError::Overrun { .. })));
    }

    #[test]
    fn from_msg_ignores_other_types_and_short_headers() {
        #[rustfmt::skip]
        let mut msg = vec![
            0x1c, 0, 0, 0,  // nlmsg_len = 28: a header and 12 bytes, too short
            16, 0, 2, 0,    // RTM_NEWLINK, NLM_F_MULTI
            1, 0, 0, 0, 0, 0, 0, 0, // seq, port id
        ];
        msg.extend_from_slice(&HDR[..12]);
        let m = NlMsg::new_checked(&msg[..]).unwrap();
        assert!(Link::from_msg(&m).is_none());
        msg[4] = 20; // RTM_NEWADDR
        let m = NlMsg::new_checked(&msg[..]).unwrap();
        assert!(Link::from_msg(&m).is_none());
    }

    #[test]
    fn links_find_by_name_then_altname() {
        let mut a = Link::bare(1, 0, 1);
        a.name = "x".into();
        a.altnames = vec!["y".into()];
        let mut b = Link::bare(2, 0, 1);
        b.name = "y".into();
        let mut links = Links::new();
        links.push(a);
        links.push(b);
        assert_eq!(links.find("y").map(|l| l.index), Some(2), "a name wins");
        assert_eq!(links.find("x").map(|l| l.index), Some(1));
        assert_eq!(links.name(2), Some("y"));
        assert!(links.find("z").is_none());
    }

    #[test]
    fn flag_names_lowercase_with_unknown_bits() {
        let l = Link::bare(1, IFF_UP | IFF_LOWER_UP | 0x80000, 1);
        let names: Vec<_> = l.flag_names().collect();
        assert_eq!(names, ["up", "lower_up", "0x80000"]);
    }

    /// An RTM_NEWLINK message around `payload`.
    fn newlink(payload: &[u8]) -> Vec<u8> {
        crate::dump::script::message(RTM_NEWLINK, 0x02, 1, payload)
    }

    #[test]
    fn from_msg_skips_a_payload_one_byte_short_of_ifinfomsg() {
        for have in [0, 15] {
            let m = newlink(&HDR[..have]);
            assert!(Link::from_msg(&NlMsg::new_checked(&m[..]).unwrap()).is_none());
        }
        let m = newlink(&HDR); // 16 bytes: a link with no attributes
        assert_eq!(
            Link::from_msg(&NlMsg::new_checked(&m[..]).unwrap()),
            Some(Link {
                name: "if7".into(),
                ..Link::bare(7, 0x43, 1)
            })
        );
    }

    #[test]
    fn unknown_ifla_types_with_every_flag_combination_are_ignored() {
        #[rustfmt::skip]
        let known = [
            8, 0, 3, 0, b'e', b'0', 0, 0,     // IFLA_IFNAME = "e0"
            8, 0, 4, 0, 0xdc, 0x05, 0, 0,     // IFLA_MTU = 1500
        ];
        let expected = link(&known);
        assert_eq!((expected.name.as_str(), expected.mtu), ("e0", Some(1500)));
        let kinds = (62..=69).chain([1000, 0x3fff]);
        for kind in kinds {
            for flags in [
                0,
                crate::wire::attr::NLA_F_NESTED,
                crate::wire::attr::NLA_F_NET_BYTEORDER,
                crate::wire::attr::NLA_F_NESTED | crate::wire::attr::NLA_F_NET_BYTEORDER,
            ] {
                let mut attrs = vec![8, 0]; // rta_len = 8
                attrs.extend_from_slice(&(kind | flags).to_ne_bytes()); // rta_type
                attrs.extend_from_slice(&[0xff, 0, 3, 0]); // a bad header if walked as nested
                attrs.extend_from_slice(&known);
                assert_eq!(link(&attrs), expected, "type {kind:#x} | {flags:#x}");
            }
        }
    }

    #[test]
    fn nested_attribute_longer_than_its_parent_keeps_the_siblings() {
        #[rustfmt::skip]
        let attrs = [
            12, 0, 18, 0x80,                    // IFLA_LINKINFO | NLA_F_NESTED, 8 bytes:
              12, 0, 1, 0, b'v', b'e', b't', b'h', //   IFLA_INFO_KIND claiming 12: past its parent
            20, 0, 52, 0x80,                    // IFLA_PROP_LIST | NLA_F_NESTED, 16 bytes:
              8, 0, 53, 0, b'a', b'1', 0, 0,    //   IFLA_ALT_IFNAME "a1"
              12, 0, 53, 0, b'a', b'2', 0, 0,   //   IFLA_ALT_IFNAME claiming 12: past its parent
            8, 0, 4, 0, 0xdc, 0x05, 0, 0,       // IFLA_MTU = 1500: the parents' sibling
        ];
        assert_eq!(
            link(&attrs),
            Link {
                name: "if7".into(),
                mtu: Some(1500),
                altnames: vec!["a1".into()],
                // Only a top-level walk error is recorded; nested ones drop
                // their own field.
                error: None,
                ..Link::bare(7, 0x43, 1)
            }
        );
    }

    #[test]
    fn unpadded_last_attribute_is_read() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 3, 0, b'e', b'0', 0, 0,     // IFLA_IFNAME = "e0"
            5, 0, 16, 0, 6,                   // IFLA_OPERSTATE = UP, no pad: ends the message
        ];
        assert_eq!(
            link(&attrs),
            Link {
                name: "e0".into(),
                operstate: Some(OperState::Up),
                ..Link::bare(7, 0x43, 1)
            }
        );
    }

    #[test]
    fn issue3_invalid_utf8_ifname_is_the_same_name_for_routes() {
        let mut payload = HDR.to_vec();
        #[rustfmt::skip]
        payload.extend_from_slice(&[
            8, 0, 3, 0, b'e', 0xff, 0xfe, 0,  // IFLA_IFNAME "e\xff\xfe": invalid UTF-8
        ]);
        let m = newlink(&payload);
        let m = NlMsg::new_checked(&m[..]).unwrap();
        let link = Link::from_msg(&m).unwrap();
        assert_eq!(link.name, "e\u{fffd}\u{fffd}");
        let mut names = crate::model::LinkNames::new();
        names.add(&m);
        assert_eq!(names.name(7), Some(link.name.as_str()));
    }

    #[test]
    fn index_map_finds_dense_sparse_and_repeated_indexes() {
        let mut links = Links::new();
        let indexes: Vec<u32> = (1..=3000).chain([1 << 20, u32::MAX, 7]).collect();
        for (i, &index) in indexes.iter().enumerate() {
            let mut l = Link::bare(index, 0, 1);
            l.name = format!("l{i}");
            links.push(l);
        }
        assert_eq!(
            links.name(7),
            Some("l6"),
            "the first link with an index wins"
        );
        assert_eq!(links.name(u32::MAX), Some("l3001"));
        assert_eq!(links.name(1 << 20), Some("l3000"));
        assert!((1..=3000).all(|i| links.get(i).is_some_and(|l| l.index == i)));
        assert!(links.get(0).is_none() && links.get(3001).is_none());
    }
}
