//! The genl renderers on a decoded family, and a property test: controller
//! answers built from arbitrary attributes (the nested op and group arrays
//! two levels deep, payloads of any length and of the sizes the fields
//! expect, a random tail that breaks the last length) decode and render in
//! every format without panicking, and the JSON always parses. Fixed seed:
//! failures reproduce.

use crate::render::stream::TableView;
use proptest::prelude::*;

use super::*;
use crate::render::Dialect;
use crate::test_support::encode_attr as encode;
use crate::wire::genlmsg::GenlMsg;

/// nlctrl with one op and one group, as `genlmsghdr` + attributes.
#[rustfmt::skip]
const NLCTRL: &[u8] = &[
    1, 2, 0, 0,                         // genlmsghdr: cmd NEWFAMILY, version 2
    6, 0, 1, 0, 0x10, 0, 0, 0,          // CTRL_ATTR_FAMILY_ID = 16
    11, 0, 2, 0, b'n', b'l', b'c', b't', b'r', b'l', 0, 0, // FAMILY_NAME "nlctrl"
    8, 0, 3, 0, 2, 0, 0, 0,             // CTRL_ATTR_VERSION = 2
    8, 0, 4, 0, 0, 0, 0, 0,             // CTRL_ATTR_HDRSIZE = 0
    8, 0, 5, 0, 10, 0, 0, 0,            // CTRL_ATTR_MAXATTR = 10
    24, 0, 6, 0,                        // CTRL_ATTR_OPS
      20, 0, 1, 0,                      //   [1]
        8, 0, 1, 0, 3, 0, 0, 0,         //     OP_ID = 3
        8, 0, 2, 0, 0x0e, 0, 0, 0,      //     OP_FLAGS = doit|dumpit|has-policy
    28, 0, 7, 0,                        // CTRL_ATTR_MCAST_GROUPS
      24, 0, 1, 0,                      //   [1]
        8, 0, 2, 0, 0x10, 0, 0, 0,      //     MCAST_GRP_ID = 16
        11, 0, 1, 0, b'n', b'o', b't', b'i', b'f', b'y', 0, 0, // NAME "notify"
];

fn render(families: &[Family], format: Format, detail: bool) -> String {
    let mut out = Vec::new();
    write(&mut out, format, families, detail).unwrap();
    String::from_utf8(out).unwrap()
}

fn nlctrl() -> Family {
    Family::decode(&GenlMsg::new_checked(NLCTRL).unwrap())
}

#[test]
fn list_table_has_one_row_per_family() {
    let text = render(&[nlctrl()], Format::Table(TableView::PLAIN), false);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let row: Vec<_> = lines[2].split_whitespace().collect();
    assert_eq!(row, ["16", "nlctrl", "2", "0", "10", "1", "notify(16)"]);
}

#[test]
fn detail_lists_ops_and_groups() {
    let text = render(&[nlctrl()], Format::Table(TableView::PLAIN), true);
    assert!(
        text.starts_with("nlctrl: id 16, version 2, hdrsize 0, maxattr 10\n"),
        "{text}"
    );
    assert!(
        text.contains("3   getfamily  doit,dumpit,has-policy"),
        "{text}"
    );
    assert!(text.contains("notify  16"), "{text}");
}

#[test]
fn json_is_total() {
    let text = render(
        &[nlctrl(), Family::default()],
        Format::Json(Dialect::Nlq),
        false,
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"id": 16, "name": "nlctrl", "version": 2, "hdrsize": 0, "maxattr": 10,
             "ops": [{"id": 3, "name": "getfamily", "flags": ["doit", "dumpit", "has-policy"],
                      "flags_raw": 14}],
             "mcast_groups": [{"name": "notify", "id": 16}]},
            {"id": null, "name": null, "version": null, "hdrsize": null, "maxattr": null,
             "ops": [], "mcast_groups": []}
        ])
    );
}

fn config() -> ProptestConfig {
    crate::test_support::proptest_config(4_000, 0x67656e6c)
}

/// A leaf attribute: a type below `max` (sometimes flagged), a payload of
/// random length or of a size the fields expect.
fn leaf(max: u16) -> impl Strategy<Value = Vec<u8>> {
    let len = prop_oneof![0usize..20, prop::sample::select(vec![2usize, 4, 4, 7])];
    let payload = len.prop_flat_map(|n| prop::collection::vec(any::<u8>(), n));
    let flags = prop_oneof![Just(0u16), Just(0x8000)];
    (0..max, flags, payload).prop_map(|(k, f, p)| encode(k | f, &p))
}

/// A nested array (CTRL_ATTR_OPS or _MCAST_GROUPS): entries of leaves.
fn array() -> impl Strategy<Value = Vec<u8>> {
    let entry = (0u16..6, prop::collection::vec(leaf(4), 0..4))
        .prop_map(|(slot, leaves)| encode(slot, &leaves.concat()));
    (6u16..8, prop::collection::vec(entry, 0..6))
        .prop_map(|(kind, entries)| encode(kind | 0x8000, &entries.concat()))
}

/// A controller answer's body: genlmsghdr, attributes, a random tail.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let attr = prop_oneof![leaf(10), array()];
    (
        prop::collection::vec(any::<u8>(), 4),
        prop::collection::vec(attr, 0..12),
        prop::collection::vec(any::<u8>(), 0..6),
    )
        .prop_map(|(hdr, attrs, tail)| [hdr, attrs.concat(), tail].concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_answers_decode_and_render(bytes in body()) {
        let family = Family::decode(&GenlMsg::new_checked(&bytes[..]).unwrap());
        let families = [family];
        for detail in [false, true] {
            render(&families, Format::Table(TableView::PLAIN), detail);
            render(&families, Format::Table(TableView::TTY), detail);
            let json = render(&families, Format::Json(Dialect::Nlq), detail);
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(v.as_array().map(Vec::len), Some(1));
        }
    }
}
