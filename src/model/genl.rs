//! Generic netlink families: [`Family`], decoded from one controller
//! answer (GENL_ID_CTRL, CTRL_CMD_NEWFAMILY), with its operations and
//! multicast groups.
//!
//! The family's attributes are indexed first (first occurrence wins);
//! unknown types (the policies of CTRL_CMD_GETPOLICY) are skipped and a
//! known attribute of the wrong size is dropped on its own. The nested
//! arrays CTRL_ATTR_OPS and CTRL_ATTR_MCAST_GROUPS are walked with the
//! same attribute iterator: the walk ends at the first malformed entry
//! (the entries before it are kept), and an entry's fields are decoded
//! like any attribute, each on its own.

use std::borrow::Cow;

use crate::model::link::text;
use crate::wire::attr::{Attr, AttrIndex, Attrs};
use crate::wire::genlmsg::*;
use crate::wire::nlmsg::NlMsg;

/// Operation flags with the names nlq prints, lowest bit first.
pub const OP_FLAG_NAMES: [(u32, &str); 5] = [
    (GENL_ADMIN_PERM, "admin-perm"),
    (GENL_CMD_CAP_DO, "doit"),
    (GENL_CMD_CAP_DUMP, "dumpit"),
    (GENL_CMD_CAP_HASPOL, "has-policy"),
    (GENL_UNS_ADMIN_PERM, "uns-admin-perm"),
];

/// One generic netlink family, as the controller describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Family {
    /// Family id: the nlmsg_type of its messages (CTRL_ATTR_FAMILY_ID).
    pub id: Option<u16>,
    /// Family name, up to 15 bytes (CTRL_ATTR_FAMILY_NAME).
    pub name: Option<String>,
    /// Interface version (CTRL_ATTR_VERSION).
    pub version: Option<u32>,
    /// Size of the family's own header after genlmsghdr, in bytes
    /// (CTRL_ATTR_HDRSIZE).
    pub hdrsize: Option<u32>,
    /// Highest attribute type the family accepts (CTRL_ATTR_MAXATTR).
    pub maxattr: Option<u32>,
    /// Operations, in the controller's order (CTRL_ATTR_OPS).
    pub ops: Vec<Op>,
    /// Multicast groups, in the controller's order (CTRL_ATTR_MCAST_GROUPS).
    pub groups: Vec<Group>,
}

/// One operation (command) of a family: an entry of CTRL_ATTR_OPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Op {
    /// Position in the array, from 1 (the entry's attribute type).
    pub slot: u16,
    /// Command number (CTRL_ATTR_OP_ID).
    pub id: Option<u32>,
    /// GENL_* capability and permission bits (CTRL_ATTR_OP_FLAGS).
    pub flags: Option<u32>,
}

/// One multicast group of a family: an entry of CTRL_ATTR_MCAST_GROUPS.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Group {
    /// Position in the array, from 1 (the entry's attribute type).
    pub slot: u16,
    /// Group name (CTRL_ATTR_MCAST_GRP_NAME).
    pub name: Option<String>,
    /// Group id, to join with NETLINK_ADD_MEMBERSHIP (CTRL_ATTR_MCAST_GRP_ID).
    pub id: Option<u32>,
}

impl Family {
    /// Decode a controller answer: `Ok(None)` for any other message (type,
    /// command), an error for a payload too short for `struct genlmsghdr`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Family>, crate::wire::Error> {
        if msg.kind() != GENL_ID_CTRL {
            return Ok(None);
        }
        let hdr = GenlMsg::new_checked(msg.payload())?;
        Ok((hdr.cmd() == CTRL_CMD_NEWFAMILY).then(|| Family::decode(&hdr)))
    }

    /// [`Family::try_from_msg`] for callers that skip what they cannot
    /// read: `None` for another message and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Family> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked controller message's attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &GenlMsg<T>) -> Family {
        let tb = AttrIndex::<CTRL_ATTR_MAX>::parse(hdr.body());
        let u32_of = |kind| tb.get(kind).and_then(|a| a.u32().ok());
        Family {
            id: tb.get(CTRL_ATTR_FAMILY_ID).and_then(|a| a.u16().ok()),
            name: tb.get(CTRL_ATTR_FAMILY_NAME).map(text),
            version: u32_of(CTRL_ATTR_VERSION),
            hdrsize: u32_of(CTRL_ATTR_HDRSIZE),
            maxattr: u32_of(CTRL_ATTR_MAXATTR),
            ops: entries(tb.get(CTRL_ATTR_OPS), Op::decode),
            groups: entries(tb.get(CTRL_ATTR_MCAST_GROUPS), Group::decode),
        }
    }

    /// Whether this is the controller itself (whose commands nlq can name).
    pub fn is_controller(&self) -> bool {
        self.id == Some(GENL_ID_CTRL)
    }

    /// The name of command `id` where nlq knows it: the controller's own
    /// (`getfamily`, `getpolicy`); other families' are their business.
    pub fn op_name(&self, id: u32) -> Option<&'static str> {
        if !self.is_controller() {
            return None;
        }
        let id = u8::try_from(id).ok()?;
        CTRL_CMD_NAMES.iter().find(|(n, _)| *n == id).map(|e| e.1)
    }
}

/// Decode each entry of a nested array attribute with `decode`, in wire
/// order, stopping at the first malformed entry header.
fn entries<T>(array: Option<Attr<'_>>, decode: fn(Attr<'_>) -> T) -> Vec<T> {
    let Some(array) = array else {
        return Vec::new();
    };
    // The iterator yields one error and then stops: `map_while` keeps
    // what came before it.
    Attrs::new(array.payload())
        .map_while(Result::ok)
        .map(decode)
        .collect()
}

impl Op {
    fn decode(entry: Attr<'_>) -> Op {
        let tb = AttrIndex::<CTRL_ATTR_OP_MAX>::parse(entry.payload());
        Op {
            slot: entry.kind(),
            id: tb.get(CTRL_ATTR_OP_ID).and_then(|a| a.u32().ok()),
            flags: tb.get(CTRL_ATTR_OP_FLAGS).and_then(|a| a.u32().ok()),
        }
    }

    /// Names of the set flags, lowest bit first; unknown bits follow as
    /// one hex string. Empty when the kernel sent no flags.
    pub fn flag_names(&self) -> impl Iterator<Item = Cow<'static, str>> {
        flag_names(self.flags.unwrap_or(0))
    }
}

/// Names of the GENL_* bits in `flags` (see [`Op::flag_names`]).
pub fn flag_names(flags: u32) -> impl Iterator<Item = Cow<'static, str>> {
    let known = OP_FLAG_NAMES.iter().fold(0, |acc, &(bit, _)| acc | bit);
    let rest = flags & !known;
    let named = OP_FLAG_NAMES
        .iter()
        .filter(move |(bit, _)| flags & bit != 0)
        .map(|(_, name)| Cow::Borrowed(*name));
    named.chain((rest != 0).then(|| Cow::Owned(format!("{rest:#x}"))))
}

impl Group {
    fn decode(entry: Attr<'_>) -> Group {
        let tb = AttrIndex::<CTRL_ATTR_MCAST_GRP_MAX>::parse(entry.payload());
        Group {
            slot: entry.kind(),
            name: tb.get(CTRL_ATTR_MCAST_GRP_NAME).map(text),
            id: tb.get(CTRL_ATTR_MCAST_GRP_ID).and_then(|a| a.u32().ok()),
        }
    }
}

#[cfg(test)]
mod tests;
