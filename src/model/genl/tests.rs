//! [`Family`] decoding on annotated controller answers: the nested op and
//! group arrays, unknown attributes, wrong sizes and cut entries.

use super::*;

/// `genlmsghdr` + attributes of nlctrl as this kernel describes it.
#[rustfmt::skip]
const NLCTRL: &[u8] = &[
    1, 2, 0, 0,                         // genlmsghdr: cmd NEWFAMILY, version 2
    6, 0, 1, 0, 0x10, 0, 0, 0,          // CTRL_ATTR_FAMILY_ID = 16 (u16 + pad)
    11, 0, 2, 0, b'n', b'l', b'c', b't', b'r', b'l', 0, 0, // FAMILY_NAME "nlctrl"
    8, 0, 3, 0, 2, 0, 0, 0,             // CTRL_ATTR_VERSION = 2
    8, 0, 4, 0, 0, 0, 0, 0,             // CTRL_ATTR_HDRSIZE = 0
    8, 0, 5, 0, 10, 0, 0, 0,            // CTRL_ATTR_MAXATTR = 10
    44, 0, 6, 0,                        // CTRL_ATTR_OPS, len 44
      20, 0, 1, 0,                      //   [1], len 20
        8, 0, 1, 0, 3, 0, 0, 0,         //     OP_ID = 3 (getfamily)
        8, 0, 2, 0, 0x0e, 0, 0, 0,      //     OP_FLAGS = doit|dumpit|has-policy
      20, 0, 2, 0,                      //   [2], len 20
        8, 0, 1, 0, 10, 0, 0, 0,        //     OP_ID = 10 (getpolicy)
        8, 0, 2, 0, 0x2c, 0, 0, 0,      //     OP_FLAGS = dumpit|has-policy|0x20
    28, 0, 7, 0,                        // CTRL_ATTR_MCAST_GROUPS, len 28
      24, 0, 1, 0,                      //   [1], len 24
        8, 0, 2, 0, 0x10, 0, 0, 0,      //     MCAST_GRP_ID = 16
        11, 0, 1, 0, b'n', b'o', b't', b'i', b'f', b'y', 0, 0, // MCAST_GRP_NAME "notify"
    8, 0, 8, 0, 1, 2, 3, 4,             // CTRL_ATTR_POLICY (unknown to nlq): skipped
];

fn family(bytes: &[u8]) -> Family {
    Family::decode(&GenlMsg::new_checked(bytes).unwrap())
}

#[test]
fn decodes_family_ops_and_groups() {
    let f = family(NLCTRL);
    assert_eq!(f.id, Some(16));
    assert_eq!(f.name.as_deref(), Some("nlctrl"));
    assert_eq!(
        (f.version, f.hdrsize, f.maxattr),
        (Some(2), Some(0), Some(10))
    );
    assert_eq!(
        f.ops,
        [
            Op {
                slot: 1,
                id: Some(3),
                flags: Some(0x0e)
            },
            Op {
                slot: 2,
                id: Some(10),
                flags: Some(0x2c)
            },
        ]
    );
    assert_eq!(
        f.groups,
        [Group {
            slot: 1,
            name: Some("notify".into()),
            id: Some(16)
        }]
    );
    assert!(f.is_controller());
    assert_eq!(f.op_name(3), Some("getfamily"));
    assert_eq!(f.op_name(10), Some("getpolicy"));
    assert_eq!(f.op_name(300), None);
    let flags: Vec<_> = f.ops[1].flag_names().collect();
    assert_eq!(flags, ["dumpit", "has-policy", "0x20"]);
}

#[test]
fn whole_message_goes_through_from_msg() {
    let mut msg = vec![0u8; 16];
    msg[0..4].copy_from_slice(&((16 + NLCTRL.len()) as u32).to_ne_bytes());
    msg[4..6].copy_from_slice(&GENL_ID_CTRL.to_ne_bytes());
    msg.extend_from_slice(NLCTRL);
    let m = NlMsg::new_checked(&msg[..]).unwrap();
    assert_eq!(Family::from_msg(&m), Some(family(NLCTRL)));
    // Another family's message, or another controller command: not a family.
    msg[4..6].copy_from_slice(&0x11u16.to_ne_bytes());
    assert_eq!(
        Family::from_msg(&NlMsg::new_checked(&msg[..]).unwrap()),
        None
    );
    msg[4..6].copy_from_slice(&GENL_ID_CTRL.to_ne_bytes());
    msg[16] = CTRL_CMD_GETPOLICY;
    assert_eq!(
        Family::from_msg(&NlMsg::new_checked(&msg[..]).unwrap()),
        None
    );
}

#[test]
fn wrong_sizes_spoil_only_their_field() {
    #[rustfmt::skip]
    let bytes = [
        1, 1, 0, 0,                         // genlmsghdr
        6, 0, 3, 0, 2, 0, 0, 0,             // CTRL_ATTR_VERSION, 2 bytes: dropped
        8, 0, 1, 0, 0x10, 0, 0, 0,          // CTRL_ATTR_FAMILY_ID, 4 bytes: dropped
        24, 0, 6, 0,                        // CTRL_ATTR_OPS, len 24
          20, 0, 1, 0,                      //   [1], len 20
            5, 0, 1, 0, 3, 0, 0, 0,         //     OP_ID, 1 byte: dropped
            8, 0, 2, 0, 2, 0, 0, 0,         //     OP_FLAGS = doit
        8, 0, 5, 0, 7, 0, 0, 0,             // CTRL_ATTR_MAXATTR = 7
    ];
    let f = family(&bytes);
    assert_eq!((f.id, f.version, f.maxattr), (None, None, Some(7)));
    assert_eq!(
        f.ops,
        [Op {
            slot: 1,
            id: None,
            flags: Some(2)
        }]
    );
    assert!(!f.is_controller());
    assert_eq!(f.op_name(3), None);
}

#[test]
fn a_cut_entry_ends_the_array_and_keeps_what_came_before() {
    #[rustfmt::skip]
    let bytes = [
        1, 1, 0, 0,                         // genlmsghdr
        28, 0, 7, 0,                        // CTRL_ATTR_MCAST_GROUPS, len 28
          12, 0, 1, 0,                      //   [1], len 12
            8, 0, 2, 0, 5, 0, 0, 0,         //     MCAST_GRP_ID = 5
          40, 0, 2, 0,                      //   [2], len 40: overruns the array
            8, 0, 2, 0, 6, 0, 0, 0,         //     (never read)
        8, 0, 2, 0, b'x', 0, 0, 0,          // FAMILY_NAME "x": still read
    ];
    let f = family(&bytes);
    assert_eq!(
        f.groups,
        [Group {
            slot: 1,
            name: None,
            id: Some(5)
        }]
    );
    assert_eq!(f.name.as_deref(), Some("x"));
}

#[test]
fn empty_body_is_an_empty_family() {
    assert_eq!(family(&[1, 0, 0, 0]), Family::default());
    let none: Vec<_> = flag_names(0).collect();
    assert!(none.is_empty());
    let all: Vec<_> = flag_names(0xffff_ffff).collect();
    assert_eq!(
        all,
        [
            "admin-perm",
            "doit",
            "dumpit",
            "has-policy",
            "uns-admin-perm",
            "0xffffffe0"
        ]
    );
}
