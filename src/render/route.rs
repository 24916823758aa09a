//! Routes for people and scripts, all from one [`Route`]: a table, nlq's
//! own JSON schema (docs/json.md, `## routes`), and the `ip -j route show`
//! dialect (iproute2 6.1's `print_route`, key for key and in its order).
//!
//! The JSON renderers write over the model and a [`Ctx`] (names, link
//! names, pinned filters) field by field: nothing is built in memory. The
//! objects of both dialects write their keys themselves (render::json), as
//! single appends; small nested values are `Serialize` impls. Strings are formatted into one reused
//! buffer and escaped once (render::text).

use std::fmt::{self, Display};
use std::net::IpAddr;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::model::route::{Encap, Labels, Route, RouteType, SEG6_ACTIONS, SEG6_MODES};
use crate::model::{AF_INET, LinkNames};
use crate::names::Names;
use crate::render::text::{Cidr, FastIp, Hex, NameOr, Str};

mod ip;
mod nlq;
mod table;

pub use ip::IpRoute;
pub(crate) use ip::ip_encap;
pub(crate) use nlq::NlqEncap;
pub(crate) use nlq::NlqRealms;
pub use nlq::NlqRoute;
pub(crate) use table::EncapText;
#[cfg(any(test, feature = "fuzzing"))]
pub use table::Row;
pub use table::{COLUMNS, RowCells, brief_line, fill_row, row};

/// Values a command-line filter pins exactly; `ip` leaves their keys out
/// of its JSON (iproute2 `print_route`: `filter.tb`, `protocolmask`,
/// `oifmask`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pinned {
    /// A table was chosen (anything but `all`): no `"table"`.
    pub table: bool,
    /// A protocol was chosen: no `"protocol"`.
    pub protocol: bool,
    /// A device was chosen: no top-level `"dev"`.
    pub dev: bool,
}

/// What the renderers need besides the route.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Table, protocol, scope, realm and DS field names.
    pub names: &'a Names,
    /// Interface names.
    pub links: &'a LinkNames,
    /// Filters that pin values (the `ip` dialect omits those keys).
    pub pinned: Pinned,
}

// ---------------------------------------------------------------------------
// Route-only Display helpers (the shared ones are in render::text).

/// An interface as `ip` names it (ll_index_to_name): `*` for 0, the name,
/// or `if<N>` when the index is unknown.
struct IfName<'a>(&'a LinkNames, u32);

impl Display for IfName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.1, self.0.name(self.1)) {
            (0, _) => f.write_str("*"),
            (_, Some(name)) => f.write_str(name),
            (i, None) => write!(f, "if{i}"),
        }
    }
}

/// A prefix the way `ip` prints it: `addr` for a host route, `addr/len`
/// otherwise, `default` for none, `0/len ` (sic) for a length without an
/// address.
enum IpPrefix {
    Host(IpAddr),
    Net(IpAddr, u8),
    Default,
    LenOnly(u8),
}

impl IpPrefix {
    fn new(addr: Option<IpAddr>, len: u8, host_len: u8) -> Self {
        match addr {
            Some(a) if len == host_len => IpPrefix::Host(a),
            Some(a) => IpPrefix::Net(a, len),
            None if len != 0 => IpPrefix::LenOnly(len),
            None => IpPrefix::Default,
        }
    }
}

impl Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpPrefix::Host(a) => FastIp(*a).fmt(f),
            IpPrefix::Net(a, l) => Cidr(*a, *l).fmt(f),
            IpPrefix::Default => f.write_str("default"),
            IpPrefix::LenOnly(l) => write!(f, "0/{l} "),
        }
    }
}

/// An MPLS destination the way `ip` prints it: the label stack, with
/// `/len` unless the length is one label's 20 bits (af_bit_len).
struct MplsPrefix(Labels, u8);

impl Display for MplsPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)?;
        match self.1 {
            20 => Ok(()),
            len => write!(f, "/{len}"),
        }
    }
}

/// A list of flag names: the entries of `table` whose bit is set in
/// `bits`, in table order.
struct Flags<'a> {
    bits: u32,
    table: &'a [(u32, &'static str)],
    skip: u32,
}

impl Serialize for Flags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for &(bit, name) in self.table {
            if self.bits & bit != 0 && self.skip & bit == 0 {
                seq.serialize_element(name)?;
            }
        }
        seq.end()
    }
}

fn family_name(ip: IpAddr) -> &'static str {
    if ip.is_ipv4() { "inet" } else { "inet6" }
}

fn type_name(kind: RouteType) -> NameOr<'static> {
    NameOr(kind.name(), kind.to_u8() as u32)
}

/// [`type_name`] for tables and the ip dialect: the number under `-N`
/// (`rtnl_rtntype_n2a`).
fn type_text(kind: RouteType, names: &Names) -> NameOr<'static> {
    if names.numeric {
        NameOr(None, kind.to_u8() as u32)
    } else {
        type_name(kind)
    }
}

fn encap_name(e: &Encap) -> &'static str {
    e.kind.name().unwrap_or("unknown")
}

fn seg6_mode(mode: i32) -> &'static str {
    usize::try_from(mode)
        .ok()
        .and_then(|m| SEG6_MODES.get(m))
        .copied()
        .unwrap_or("<unknown>")
}

fn seg6_action(action: u32) -> &'static str {
    match SEG6_ACTIONS.get(action as usize) {
        Some(&"") => "<unknown>",
        Some(name) => name,
        None => "<invalid>",
    }
}

/// Whether the RTCF_* cache flags are what the upper bits of rtm_flags
/// mean: IPv4 cloned routes (print_cache_flags).
fn has_cache_flags(r: &Route) -> bool {
    r.family.0 == AF_INET && r.is_cloned()
}

/// A list of addresses as strings.
struct Addrs<'a, T>(&'a [T]);

impl<T: Display> Serialize for Addrs<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Str))
    }
}

/// The CIDR of an address field, `null` when it cannot be known (its
/// attribute was `malformed`).
fn cidr(r: &Route, addr: Option<IpAddr>, len: u8, malformed: bool) -> Option<Str<Cidr>> {
    if malformed {
        return None;
    }
    addr.or_else(|| r.family.any_addr())
        .map(|a| Str(Cidr(a, len)))
}

impl super::event::Shown for Route {
    fn kind(&self) -> &'static str {
        "route"
    }
    fn json(
        &self,
        o: &mut super::json::Obj<'_>,
        view: &super::event::View<'_>,
    ) -> std::io::Result<()> {
        use super::json::JsonObject as _;
        let ctx = Ctx {
            names: view.names,
            links: view.link_names,
            pinned: Pinned::default(),
        };
        NlqRoute {
            route: self,
            ctx: &ctx,
        }
        .fields(o)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        let ctx = Ctx {
            names: view.names,
            links: view.link_names,
            pinned: Pinned::default(),
        };
        super::event::labelled(&COLUMNS, &row(self, &ctx))
    }
}

#[cfg(test)]
mod mpls_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_route_types_are_numbers() {
        let local = RouteType::from_u8(2);
        assert_eq!(type_text(local, &Names::builtin()).to_string(), "local");
        assert_eq!(type_text(local, &Names::numeric()).to_string(), "2");
    }
    use crate::model::AF_INET6;
    use crate::model::route::{Family, Pref, Protocol, Scope};
    use crate::render::json::JsonObject;

    fn ctx<'a>(names: &'a Names, links: &'a LinkNames) -> Ctx<'a> {
        Ctx {
            names,
            links,
            pinned: Pinned::default(),
        }
    }

    fn ip_json(r: &Route, c: &Ctx<'_>) -> String {
        IpRoute { route: r, ctx: c }.to_json()
    }

    #[test]
    fn ip_dialect_default_and_host_routes() {
        let (names, mut links) = (Names::builtin(), LinkNames::new());
        links.insert(3, "va");
        let c = ctx(&names, &links);
        let r = Route {
            family: Family(AF_INET),
            table: 254,
            protocol: Protocol(3),
            gateway: Some(IpAddr::from([10, 1, 0, 254])),
            oif: Some(3),
            ..Route::default()
        };
        assert_eq!(
            ip_json(&r, &c),
            r#"{"dst":"default","gateway":"10.1.0.254","dev":"va","flags":[]}"#
        );
        let r = Route {
            dst: Some(IpAddr::from([192, 0, 2, 77])),
            dst_len: 32,
            oif: Some(9),
            table: 100,
            protocol: Protocol(4),
            scope: Scope(253),
            ..r
        };
        assert_eq!(
            ip_json(&r, &c),
            r#"{"dst":"192.0.2.77","gateway":"10.1.0.254","dev":"if9","table":"100","protocol":"static","scope":"link","flags":[]}"#
        );
    }

    #[test]
    fn nlq_dialect_is_total() {
        let (names, links) = (Names::builtin(), LinkNames::new());
        let c = ctx(&names, &links);
        let r = Route {
            family: Family(AF_INET6),
            table: 254,
            pref: Some(Pref(0)),
            ..Route::default()
        };
        let v: serde_json::Value =
            serde_json::from_str(&NlqRoute { route: &r, ctx: &c }.to_json()).unwrap();
        assert_eq!(v["dst"], "::/0");
        assert_eq!(v["table"], "main");
        assert_eq!(v["table_id"], 254);
        assert_eq!(v["metric"], 0);
        assert_eq!(v["pref"], "medium");
        assert_eq!(v["nexthops"], serde_json::json!([]));
        assert!(v["gateway"].is_null() && v["metrics"].is_null());
        assert_eq!(v.as_object().unwrap().len(), 33);
    }

    /// A route message built from arbitrary attributes (any type, any
    /// payload, nested ones included) decodes and renders, in every form,
    /// to valid output without panicking.
    mod fuzz {
        use super::*;
        use crate::wire::rtmsg::RtMsg;
        use proptest::prelude::*;

        fn message() -> impl Strategy<Value = Vec<u8>> {
            let family = prop_oneof![Just(2u8), Just(10), Just(128), Just(28), any::<u8>()];
            let header = (family, any::<[u8; 11]>());
            let attr = (0u16..34, prop::collection::vec(any::<u8>(), 0..40));
            (header, prop::collection::vec(attr, 0..14)).prop_map(|((f, rest), attrs)| {
                let mut b = vec![f];
                b.extend_from_slice(&rest);
                for (kind, payload) in attrs {
                    let len = (4 + payload.len()) as u16;
                    b.extend_from_slice(&len.to_ne_bytes());
                    b.extend_from_slice(&kind.to_ne_bytes());
                    b.extend_from_slice(&payload);
                    b.resize(b.len().next_multiple_of(4), 0);
                }
                b
            })
        }

        /// Fixed seed and case count, as in wire::proptests: failures
        /// reproduce, CI time is bounded.
        fn config() -> ProptestConfig {
            crate::test_support::proptest_config(10_000, 0x726f757465)
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn decodes_and_renders(bytes in message()) {
                let (names, mut links) = (Names::builtin(), LinkNames::new());
                links.insert(1, "lo");
                let c = ctx(&names, &links);
                let r = Route::decode(&RtMsg::new_checked(&bytes[..]).unwrap());
                let ip = IpRoute { route: &r, ctx: &c }.to_json();
                let nlq = NlqRoute { route: &r, ctx: &c }.to_json();
                prop_assert!(serde_json::from_str::<serde_json::Value>(&ip).is_ok());
                let v: serde_json::Value = serde_json::from_str(&nlq).unwrap();
                prop_assert_eq!(v.as_object().unwrap().len(), 33);
                let _ = row(&r, &c);
            }
        }
    }

    #[test]
    fn hex_like_c() {
        assert_eq!(Hex(0).to_string(), "0");
        assert_eq!(Hex(0xab).to_string(), "0xab");
    }
}
