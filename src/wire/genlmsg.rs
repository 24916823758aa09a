//! `struct genlmsghdr`: the generic netlink header (NETLINK_GENERIC), and
//! the controller's (`nlctrl`, GENL_ID_CTRL) commands and CTRL_ATTR_* types
//! of linux/genetlink.h.
//!
//! A generic netlink message is an nlmsghdr whose type is the family id,
//! this 4-byte header, the family's own fixed header (CTRL_ATTR_HDRSIZE
//! bytes; 0 for the controller), then attributes: the message and
//! attribute iterators of [`super::nlmsg`] and [`super::attr`] read it as
//! they read rtnetlink.
//!
//! ```text
//!  0       1         2                4
//!  +-------+---------+----------------+
//!  |  cmd  | version |    reserved    |
//!  +-------+---------+----------------+
//! ```
//!
//! The controller describes a family's operations and multicast groups
//! as *arrays*: CTRL_ATTR_OPS nests one attribute per operation, whose
//! type is only its position (1, 2, ...), each nesting CTRL_ATTR_OP_*;
//! CTRL_ATTR_MCAST_GROUPS likewise nests CTRL_ATTR_MCAST_GRP_*.

use super::{Error, need};

/// The controller's family id, fixed (GENL_ID_CTRL = NLMSG_MIN_TYPE).
pub const GENL_ID_CTRL: u16 = 0x10;
/// Longest family name, NUL included, in bytes (GENL_NAMSIZ).
pub const GENL_NAMSIZ: usize = 16;

/// Controller: a family was registered; also every answer (CTRL_CMD_NEWFAMILY).
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
/// Controller: a family was unregistered (CTRL_CMD_DELFAMILY).
pub const CTRL_CMD_DELFAMILY: u8 = 2;
/// Controller: ask for one family, or dump them all (CTRL_CMD_GETFAMILY).
pub const CTRL_CMD_GETFAMILY: u8 = 3;
/// Controller: ask for a family's attribute policies (CTRL_CMD_GETPOLICY).
pub const CTRL_CMD_GETPOLICY: u8 = 10;
/// The controller's commands by number with their lowercase names
/// (enum in linux/genetlink.h; 4..6 and 9 are reserved or unused).
pub const CTRL_CMD_NAMES: [(u8, &str); 10] = [
    (1, "newfamily"),
    (2, "delfamily"),
    (3, "getfamily"),
    (4, "newops"),
    (5, "delops"),
    (6, "getops"),
    (7, "newmcast_grp"),
    (8, "delmcast_grp"),
    (9, "getmcast_grp"),
    (10, "getpolicy"),
];

/// Family id, u16 (CTRL_ATTR_FAMILY_ID).
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
/// Family name, NUL-terminated string (CTRL_ATTR_FAMILY_NAME).
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
/// Family version, u32 (CTRL_ATTR_VERSION).
pub const CTRL_ATTR_VERSION: u16 = 3;
/// Size of the family's own fixed header, in bytes, u32 (CTRL_ATTR_HDRSIZE).
pub const CTRL_ATTR_HDRSIZE: u16 = 4;
/// Highest attribute type the family accepts, u32 (CTRL_ATTR_MAXATTR).
pub const CTRL_ATTR_MAXATTR: u16 = 5;
/// Nested array of operations (CTRL_ATTR_OPS).
pub const CTRL_ATTR_OPS: u16 = 6;
/// Nested array of multicast groups (CTRL_ATTR_MCAST_GROUPS).
pub const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
/// One past the highest CTRL_ATTR_* type nlq indexes.
pub const CTRL_ATTR_MAX: usize = 8;

/// Operation (command) number, u32 (CTRL_ATTR_OP_ID).
pub const CTRL_ATTR_OP_ID: u16 = 1;
/// Operation flags, GENL_* bits, u32 (CTRL_ATTR_OP_FLAGS).
pub const CTRL_ATTR_OP_FLAGS: u16 = 2;
/// One past the highest CTRL_ATTR_OP_* type.
pub const CTRL_ATTR_OP_MAX: usize = 3;

/// Multicast group name, NUL-terminated string (CTRL_ATTR_MCAST_GRP_NAME).
pub const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
/// Multicast group id, u32 (CTRL_ATTR_MCAST_GRP_ID).
pub const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;
/// One past the highest CTRL_ATTR_MCAST_GRP_* type.
pub const CTRL_ATTR_MCAST_GRP_MAX: usize = 3;

/// Operation flag: needs CAP_NET_ADMIN in the initial namespace (GENL_ADMIN_PERM).
pub const GENL_ADMIN_PERM: u32 = 0x01;
/// Operation flag: has a handler for single requests (GENL_CMD_CAP_DO).
pub const GENL_CMD_CAP_DO: u32 = 0x02;
/// Operation flag: has a dump handler (GENL_CMD_CAP_DUMP).
pub const GENL_CMD_CAP_DUMP: u32 = 0x04;
/// Operation flag: validates its attributes with a policy (GENL_CMD_CAP_HASPOL).
pub const GENL_CMD_CAP_HASPOL: u32 = 0x08;
/// Operation flag: needs CAP_NET_ADMIN in the socket's user namespace
/// (GENL_UNS_ADMIN_PERM).
pub const GENL_UNS_ADMIN_PERM: u32 = 0x10;

mod field {
    pub const CMD: usize = 0;
    pub const VERSION: usize = 1;
    pub const RESERVED: core::ops::Range<usize> = 2..4;
}

/// Size of `struct genlmsghdr` (GENL_HDRLEN).
pub const GENL_HDRLEN: usize = field::RESERVED.end;

/// A generic netlink payload: `struct genlmsghdr`, then the family's
/// header and attributes.
#[derive(Debug, Clone, Copy)]
pub struct GenlMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> GenlMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        GenlMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct genlmsghdr`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("genlmsghdr", buffer.as_ref(), GENL_HDRLEN)?;
        Ok(GenlMsg { buffer })
    }

    /// Command, the family's own numbering (cmd).
    pub fn cmd(&self) -> u8 {
        self.buffer.as_ref()[field::CMD]
    }

    /// Version of the family's interface (version).
    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[field::VERSION]
    }

    /// The bytes after `struct genlmsghdr`: the family header, then
    /// attributes (for the controller, attributes only).
    pub fn body(&self) -> &[u8] {
        &self.buffer.as_ref()[GENL_HDRLEN..]
    }
}

/// The fields of a `struct genlmsghdr` to put in a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenlMsgRepr {
    /// cmd.
    pub cmd: u8,
    /// version.
    pub version: u8,
}

impl GenlMsgRepr {
    /// The header as bytes (reserved = 0).
    pub fn emit(&self) -> [u8; GENL_HDRLEN] {
        let mut b = [0u8; GENL_HDRLEN];
        b[field::CMD] = self.cmd;
        b[field::VERSION] = self.version;
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::attr::Attrs;
    use crate::wire::nlmsg::NlMsg;

    /// A controller answer as the kernel sends it for a tiny family.
    #[rustfmt::skip]
    const NEWFAMILY: [u8; 16 + 4 + 8 + 12 + 24] = [
        64, 0, 0, 0,  // nlmsg_len = 64
        0x10, 0,      // nlmsg_type = GENL_ID_CTRL
        0, 0,         // nlmsg_flags
        1, 0, 0, 0,   // nlmsg_seq = 1
        0, 0, 0, 0,   // nlmsg_pid = 0 (the kernel)
        1,            // cmd = CTRL_CMD_NEWFAMILY
        2,            // version = 2
        0, 0,         // reserved
        6, 0, 1, 0, 0x10, 0, 0, 0,          // CTRL_ATTR_FAMILY_ID = 16, 2 bytes + pad
        11, 0, 2, 0, b'n', b'l', b'c', b't', b'r', b'l', 0, 0, // FAMILY_NAME "nlctrl\0" + pad
        24, 0, 6, 0x80,                     // CTRL_ATTR_OPS | NLA_F_NESTED, len 24
          20, 0, 1, 0x80,                   //   entry [1] | NLA_F_NESTED, len 20
            8, 0, 1, 0, 3, 0, 0, 0,         //     CTRL_ATTR_OP_ID = 3 (getfamily)
            8, 0, 2, 0, 0x0e, 0, 0, 0,      //     CTRL_ATTR_OP_FLAGS = do|dump|haspol
    ];

    #[test]
    fn reads_the_header_through_the_netlink_message() {
        let m = NlMsg::new_checked(&NEWFAMILY[..]).unwrap();
        assert_eq!(m.kind(), GENL_ID_CTRL);
        let g = GenlMsg::new_checked(m.payload()).unwrap();
        assert_eq!((g.cmd(), g.version()), (CTRL_CMD_NEWFAMILY, 2));
        let attrs: Vec<_> = Attrs::new(g.body()).collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 3);
        assert_eq!(attrs[0].u16(), Ok(16));
        assert_eq!(attrs[1].str(), Ok("nlctrl"));
        assert!(attrs[2].is_nested());
        assert_eq!(attrs[2].kind(), CTRL_ATTR_OPS);
        let entry = attrs[2].nested().next().unwrap().unwrap();
        assert_eq!(entry.kind(), 1, "array entries are numbered from 1");
        let op: Vec<_> = entry.nested().map(|a| a.unwrap().u32()).collect();
        assert_eq!(
            op,
            [
                Ok(3),
                Ok(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL)
            ]
        );
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            GenlMsg::new_checked(&[1u8, 2, 0][..]).unwrap_err(),
            Error::Truncated {
                what: "genlmsghdr",
                need: 4,
                have: 3
            }
        );
    }

    #[test]
    fn emit_round_trips() {
        let b = GenlMsgRepr {
            cmd: CTRL_CMD_GETFAMILY,
            version: 1,
        }
        .emit();
        assert_eq!(b, [3, 1, 0, 0]);
        let g = GenlMsg::new_checked(&b[..]).unwrap();
        assert_eq!((g.cmd(), g.version()), (3, 1));
        assert!(g.body().is_empty());
    }
}
