//! Bridge forwarding database entries: the words `bridge fdb show`
//! (iproute2 6.1, bridge/fdb.c) uses for a [`Neigh`] of family AF_BRIDGE,
//! its state and its flags. The entry itself is a [`Neigh`]: the kernel
//! sends FDB entries as RTM_NEWNEIGH, decoded by model/neigh.rs; [`Fdb`]
//! wraps one as an object kind of its own, so that `nlq monitor fdb`
//! watches them as `bridge monitor fdb` does, apart from IP neighbours.

use std::borrow::Cow;

use super::neigh::{AF_BRIDGE, Neigh};
use super::object::{ObjectKind, group};
use crate::wire::Error as WireError;
use crate::wire::ndmsg::*;

/// A bridge FDB entry: a [`Neigh`] of family AF_BRIDGE, the object kind
/// `fdb` (the same messages and group as neighbours, the other family).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Fdb(pub Neigh);

impl ObjectKind for Fdb {
    const NAME: &'static str = "fdb";
    const NEW: u16 = RTM_NEWNEIGH;
    const DEL: u16 = RTM_DELNEIGH;
    const GET: u16 = RTM_GETNEIGH;
    const GROUPS: &'static [(u8, u32)] = &[(0, group::NEIGH)];
    const FAMILIES: &'static [u8] = &[AF_BRIDGE];
    /// The neighbour's key, which for AF_BRIDGE holds (ndm_ifindex, MAC,
    /// NDA_VLAN, NDA_DST): what the bridge looks an entry up by
    /// (br_fdb_find), and a VXLAN remote by.
    type Key = <Neigh as ObjectKind>::Key;

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Neigh::decode_payload(payload).map(Fdb)
    }
    /// Always AF_BRIDGE: a neighbour dump of family 0 holds no FDB entry.
    fn dump_header(_family: u8) -> Vec<u8> {
        Neigh::dump_header(AF_BRIDGE)
    }
    fn key(&self) -> Self::Key {
        self.0.key()
    }
    fn settle(&mut self) {
        self.0.settle();
    }
    fn family(&self) -> u8 {
        self.0.family
    }
    fn on_dev(&self, index: u32, name: &str) -> bool {
        self.0.on_dev(index, name)
    }
    fn owns(&self) -> bool {
        self.0.family == AF_BRIDGE
    }
}

/// `fdb_print_flags`: the NTF flags `bridge` names, in its order (not bit
/// order); the others are not shown.
pub const FDB_FLAGS: [(u8, &str); 6] = [
    (NTF_SELF, "self"),
    (NTF_ROUTER, "router"),
    (NTF_EXT_LEARNED, "extern_learn"),
    (NTF_OFFLOADED, "offload"),
    (NTF_MASTER, "master"),
    (NTF_STICKY, "sticky"),
];

/// The state words `bridge fdb show state WORD` takes, by the NUD bits
/// each one selects (`state_a2n`).
pub const FDB_STATES: [(&str, u16); 4] = [
    ("permanent", NUD_PERMANENT),
    ("static", NUD_NOARP),
    ("stale", NUD_STALE),
    ("reachable", NUD_REACHABLE),
];

/// `state_n2a`: the entry's state in one word, the first of permanent,
/// static (NUD_NOARP), stale and reachable that is set; other states as
/// the hex number (`0` for none).
pub fn state_word(state: u16) -> Cow<'static, str> {
    FDB_STATES
        .iter()
        .find(|&&(_, bit)| state & bit != 0)
        .map_or_else(|| hex(state).into(), |&(w, _)| Cow::Borrowed(w))
}

/// C's `%#x`: `0` for zero, else `0x` and the lowercase digits.
fn hex(v: u16) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// The names of the entry's flags `bridge` shows, in its order.
pub fn flag_words(n: &Neigh) -> impl Iterator<Item = &'static str> + '_ {
    FDB_FLAGS
        .iter()
        .filter(|&&(bit, _)| n.flags & bit != 0)
        .map(|&(_, w)| w)
}

/// Whether the entry is a static one the user added (NUD_PERMANENT or
/// NUD_NOARP) rather than one the bridge learned.
pub fn is_static(state: u16) -> bool {
    state & (NUD_PERMANENT | NUD_NOARP) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_words_follow_bridge() {
        assert_eq!(state_word(NUD_PERMANENT | NUD_NOARP), "permanent");
        assert_eq!(state_word(NUD_NOARP), "static");
        assert_eq!(state_word(NUD_STALE), "stale");
        assert_eq!(state_word(NUD_REACHABLE), "reachable");
        assert_eq!(state_word(NUD_NONE), "0");
        assert_eq!(state_word(NUD_FAILED), "0x20");
        assert!(is_static(NUD_NOARP) && !is_static(NUD_REACHABLE));
    }

    #[test]
    fn flags_in_bridge_order() {
        #[rustfmt::skip]
        let b = [
            7, 0, 0, 0,             // ndm_family AF_BRIDGE, pads
            2, 0, 0, 0,             // ndm_ifindex 2
            0x80, 0,                // ndm_state NUD_PERMANENT
            NTF_MASTER | NTF_SELF,  // ndm_flags
            0,                      // ndm_type
        ];
        let hdr = NdMsg::new_checked(&b[..]).unwrap();
        let n = Neigh::decode(&hdr);
        assert_eq!(flag_words(&n).collect::<Vec<_>>(), ["self", "master"]);
    }

    /// An RTM_NEWNEIGH message of `family` on ifindex 2, no attributes.
    #[rustfmt::skip]
    fn neigh_msg(family: u8) -> Vec<u8> {
        vec![
            28, 0, 0, 0,            // nlmsg_len
            28, 0, 0, 0,            // RTM_NEWNEIGH, flags 0
            0, 0, 0, 0, 0, 0, 0, 0, // seq, pid
            family, 0, 0, 0,        // ndm_family, pads
            2, 0, 0, 0,             // ndm_ifindex 2
            0x80, 0,                // ndm_state NUD_PERMANENT
            NTF_SELF, 0,            // ndm_flags, ndm_type
        ]
    }

    #[test]
    fn fdb_and_neigh_kinds_split_the_neighbour_messages_by_family() {
        use crate::model::object::Action;
        use crate::wire::nlmsg::NlMsg;
        let bridge = neigh_msg(AF_BRIDGE);
        let msg = NlMsg::new_checked(&bridge[..]).unwrap();
        let (action, fdb) = Fdb::read(&msg).unwrap().unwrap();
        assert_eq!((action, fdb.0.ifindex), (Action::New, 2));
        assert_eq!(Neigh::read(&msg).unwrap(), None, "not a neighbour");
        let arp = neigh_msg(crate::wire::attr::AF_INET);
        let msg = NlMsg::new_checked(&arp[..]).unwrap();
        assert_eq!(Fdb::read(&msg).unwrap(), None, "not an FDB entry");
        assert!(Neigh::read(&msg).unwrap().is_some());
        let req = Fdb::dump_request(None, 1).unwrap();
        assert_eq!(req[16], AF_BRIDGE, "an FDB dump is of family AF_BRIDGE");
        assert_eq!(Fdb::groups(None), [3]);
        assert!(!Fdb::has_family(Some(crate::wire::attr::AF_INET)));
    }
}
