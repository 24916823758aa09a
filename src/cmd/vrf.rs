//! `nlq routes --vrf NAME`: the routing table a VRF device is bound to,
//! read from its link message as iproute2's `ipvrf_get_table` reads it:
//!
//! ```text
//! IFLA_IFNAME  "NAME"
//! IFLA_LINKINFO
//!   IFLA_INFO_KIND  "vrf"
//!   IFLA_INFO_DATA
//!     IFLA_VRF_TABLE  u32
//! ```
//!
//! (linux/if_link.h). The link kinds' own decoder lives in model::link;
//! this reads only the one number `--vrf` needs, without decoding a link.

use crate::wire::attr::{Attr, AttrIndex};
use crate::wire::ifinfomsg::{
    IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO, IfInfoMsg, RTM_NEWLINK,
};
use crate::wire::nlmsg::NlMsg;

/// The VRF's table id (IFLA_VRF_TABLE).
const IFLA_VRF_TABLE: u16 = 1;

/// What a link message says about device `name` as a VRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vrf {
    /// `msg` is not about `name` (another device, not a link message).
    Other,
    /// `name` is a VRF bound to this table.
    Table(u32),
    /// `name` exists but is not a VRF (or its table is missing or 0,
    /// which `ip` refuses alike: "Invalid VRF").
    NotVrf,
}

/// Read the message `msg` of a link dump for device `name`.
pub fn lookup(msg: &NlMsg<&[u8]>, name: &str) -> Vrf {
    if msg.kind() != RTM_NEWLINK {
        return Vrf::Other;
    }
    let Ok(link) = IfInfoMsg::new_checked(msg.payload()) else {
        return Vrf::Other;
    };
    let attrs = AttrIndex::<{ IFLA_LINKINFO as usize + 1 }>::parse(link.attr_bytes());
    if attrs.get(IFLA_IFNAME).map(|a| a.bytes_to_nul()) != Some(name.as_bytes()) {
        return Vrf::Other;
    }
    match attrs.get(IFLA_LINKINFO).and_then(table) {
        Some(t) if t != 0 => Vrf::Table(t),
        _ => Vrf::NotVrf,
    }
}

/// IFLA_VRF_TABLE of an IFLA_LINKINFO whose kind is "vrf".
fn table(linkinfo: Attr<'_>) -> Option<u32> {
    let info = AttrIndex::<{ IFLA_INFO_DATA as usize + 1 }>::parse(linkinfo.payload());
    if info.get(IFLA_INFO_KIND)?.bytes_to_nul() != b"vrf" {
        return None;
    }
    let data =
        AttrIndex::<{ IFLA_VRF_TABLE as usize + 1 }>::parse(info.get(IFLA_INFO_DATA)?.payload());
    data.get(IFLA_VRF_TABLE)?.u32().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nlmsg::HDRLEN as NLMSG_HDRLEN;

    /// RTM_NEWLINK for `blue` (index 5), kind `kind`, IFLA_VRF_TABLE `t`.
    fn link(kind: &[u8; 3], t: u32) -> Vec<u8> {
        #[rustfmt::skip]
        let mut body = vec![
            0, 0, 1, 0,             // ifi_family, pad, ifi_type = ARPHRD_ETHER
            5, 0, 0, 0,             // ifi_index = 5
            0, 0, 0, 0,             // ifi_flags
            0, 0, 0, 0,             // ifi_change
            9, 0, 3, 0, b'b', b'l', b'u', b'e', 0, 0, 0, 0, // IFLA_IFNAME "blue\0" (+ pad)
            28, 0, 18, 0,           // IFLA_LINKINFO, 24 bytes nested:
                8, 0, 1, 0, kind[0], kind[1], kind[2], 0, //   IFLA_INFO_KIND "vrf\0"
                16, 0, 2, 0,        //   IFLA_INFO_DATA, 12 bytes nested:
                    8, 0, 1, 0, 0, 0, 0, 0, //     IFLA_VRF_TABLE (set below)
                    4, 0, 9, 0,     //     an unknown empty attribute, skipped
        ];
        body[48..52].copy_from_slice(&t.to_ne_bytes());
        let len = (NLMSG_HDRLEN + body.len()) as u32;
        let mut msg = len.to_ne_bytes().to_vec();
        msg.extend_from_slice(&RTM_NEWLINK.to_ne_bytes());
        msg.extend_from_slice(&[2, 0, 1, 0, 0, 0, 0, 0, 0, 0]); // flags MULTI, seq 1, port 0
        msg.extend_from_slice(&body);
        msg
    }

    fn look(bytes: &[u8], name: &str) -> Vrf {
        lookup(&NlMsg::new_checked(bytes).unwrap(), name)
    }

    #[test]
    fn a_vrf_names_its_table() {
        assert_eq!(look(&link(b"vrf", 1001), "blue"), Vrf::Table(1001));
        assert_eq!(look(&link(b"vrf", 1001), "red"), Vrf::Other);
        assert_eq!(look(&link(b"vrf", 1001), "blu"), Vrf::Other);
    }

    #[test]
    fn other_kinds_and_table_0_are_not_vrfs() {
        assert_eq!(look(&link(b"gre", 1001), "blue"), Vrf::NotVrf);
        assert_eq!(look(&link(b"vrf", 0), "blue"), Vrf::NotVrf);
    }

    #[test]
    fn a_short_table_is_not_a_table() {
        let mut b = link(b"vrf", 1001);
        b[16 + 44] = 6; // IFLA_VRF_TABLE of 2 bytes
        assert_eq!(look(&b, "blue"), Vrf::NotVrf);
    }
}
