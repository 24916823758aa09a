//! Bridge forwarding database entries: the words `bridge fdb show`
//! (iproute2 6.1, bridge/fdb.c) uses for a [`Neigh`] of family AF_BRIDGE,
//! its state and its flags. The entry itself is a [`Neigh`]: the kernel
//! sends FDB entries as RTM_NEWNEIGH, decoded by model/neigh.rs.

use std::borrow::Cow;

use super::neigh::Neigh;
use crate::wire::ndmsg::*;

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
}
