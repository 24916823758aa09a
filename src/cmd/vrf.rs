//! `nlq routes --vrf NAME`: the routing table a VRF device is bound to,
//! as iproute2's `ipvrf_get_table` finds it: the link called NAME, of
//! kind "vrf", and the IFLA_VRF_TABLE of its kind data (decoded by
//! model::link like every link's).

use crate::model::link::Link;
use crate::wire::nlmsg::NlMsg;

/// What one message of a link dump says of the device called NAME.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vrf {
    /// Another link, or another message.
    Other,
    /// The device is a VRF bound to this table.
    Table(u32),
    /// The device exists but is not a VRF (or its table is missing or 0,
    /// which `ip` refuses alike: "Invalid VRF").
    NotOne,
}

/// What `msg`, one message of a link dump, says of the device `name`.
pub fn lookup(msg: &NlMsg<&[u8]>, name: &str) -> Vrf {
    match Link::from_msg(msg) {
        Some(link) if link.name == name => match link.vrf_table() {
            Some(t) if t != 0 => Vrf::Table(t),
            _ => Vrf::NotOne,
        },
        _ => Vrf::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ifinfomsg::RTM_NEWLINK;
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
        assert_eq!(look(&link(b"gre", 1001), "blue"), Vrf::NotOne);
        assert_eq!(look(&link(b"vrf", 0), "blue"), Vrf::NotOne);
    }

    #[test]
    fn a_short_table_is_not_a_table() {
        let mut b = link(b"vrf", 1001);
        b[16 + 44] = 6; // IFLA_VRF_TABLE of 2 bytes
        assert_eq!(look(&b, "blue"), Vrf::NotOne);
    }
}
