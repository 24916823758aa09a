//! `nlq routes`: validate the filters, dump RTM_GETROUTE once, decode each
//! route into one reused [`Route`], filter it, and render it. `nlq routes
//! get` is a single lookup instead: see [`super::route_get`].
//!
//! Filtering happens twice on purpose. Under strict checking the request
//! carries the filters iproute2's `iproute_dump_filter` sends
//! (rtm_protocol, RTM_F_CLONED, RTA_TABLE, RTA_OIF), so the kernel can
//! skip what is not wanted and flags its answer NLM_F_DUMP_FILTERED; and
//! every route is checked again in user space, because older kernels,
//! other families (ipmr) and non-strict sockets do not filter.
//!
//! The type filter stays in user space, although the kernel's
//! `ip_valid_fib_dump_req` reads rtm_type too: the kernel compares it with
//! the type the route was added with, but reports a route whose nexthop
//! object is a blackhole (`ip route add P nhid N`, N a blackhole group) as
//! RTN_BLACKHOLE, so `--type blackhole` would lose exactly those routes
//! (and an AF_UNSPEC dump would end at the MPLS dumper, which rejects a
//! non-zero rtm_type: "Invalid values in header"). The prefix, gateway,
//! preferred-source, scope and metric selectors
//! ([`super::route_select`]) have no kernel filter at all.

//! Both families are dumped with one AF_UNSPEC request, so the order is
//! the kernel's (IPv4, IPv6, then multicast cache entries), as in
//! `ip route show table all`.

use std::io::{self, Write};

use super::links::LinkSelection;
use super::route_keys::RouteRepeats;
use super::route_select::{Prefix, PrefixFilter, via_matches};
use super::vrf::{self, Vrf};
use super::{Ahead, Env, RTEXT_FILTER_SKIP_STATS, device_index, output};
use crate::Error;
use crate::dump::DumpError;
use crate::model::LinkNames;
use crate::model::route::{AF_MPLS, Family, Labels, Route, RouteType};
use crate::names::Names;
use crate::render::route::{
    COLUMNS, Ctx, IpRoute, NlqRoute, Pinned, RowCells, brief_line, fill_row,
};
use crate::render::stream::TableWriter;
use crate::render::{Dialect, Direct, Format, Held, JsonArray};
use crate::wire::attr::AF_INET6;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};
use crate::wire::rtmsg::{
    RT_TABLE_MAIN, RTA_OIF, RTA_TABLE, RTM_F_CLONED, RTM_GETROUTE, RTM_NEWROUTE, RtMsg, RtMsgRepr,
};

/// "No such file or directory": the kernel's answer to a dump of one
/// family's table that does not exist ("FIB table does not exist").
const ENOENT: i32 = 2;

/// Which routes to show: the validated command-line filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// AF_INET, AF_INET6 or AF_MPLS; `None` for every family.
    pub family: Option<u8>,
    /// The table id; `None` for every table.
    pub table: Option<u32>,
    /// Show cloned (cache/exception) routes instead of normal ones.
    pub cloned: bool,
    /// Routing protocol (rtm_protocol).
    pub protocol: Option<u8>,
    /// Route type (rtm_type).
    pub kind: Option<RouteType>,
    /// Output interface; multipath routes match on any nexthop.
    pub oif: Option<u32>,
    /// Destination prefix (`--to`): rtm_dst_len and RTA_DST.
    pub dst: Option<PrefixFilter>,
    /// Destination label stack of MPLS routes (`--family mpls --to`).
    pub labels: Option<Labels>,
    /// Source prefix (`--from`): rtm_src_len and RTA_SRC.
    pub src: Option<PrefixFilter>,
    /// Gateway prefix (`--via`); multipath routes match on any nexthop.
    pub via: Option<Prefix>,
    /// Preferred source prefix (`--src`): RTA_PREFSRC.
    pub prefsrc: Option<Prefix>,
    /// Scope (rtm_scope).
    pub scope: Option<u8>,
    /// Metric (RTA_PRIORITY, 0 when absent).
    pub metric: Option<u32>,
    /// `--vrf`: the table is a VRF's, whose local and broadcast routes
    /// are left out (ip's `filter.typemask` for `route show vrf`).
    pub vrf: bool,
}

impl Selection {
    /// `--table`: a name, a number, `all` or `cache`.
    pub fn parse_table(&mut self, table: &str, names: &Names) -> Result<(), Error> {
        match table {
            "all" => {}
            "cache" => {
                self.cloned = true;
                self.table = Some(RT_TABLE_MAIN);
            }
            t => match names.tables.id(t) {
                Some(0) => {} // "unspec", table 0: every table, as in ip
                Some(id) => self.table = Some(id),
                None => {
                    return Err(Error::Usage(format!(
                        "unknown routing table {t:?}: not a number and not named in rt_tables"
                    )));
                }
            },
        }
        Ok(())
    }

    /// The one family the prefixes of `--to`, `--from` and `--src` name
    /// (`--via` may be of another family than its route); two different
    /// ones can match nothing and are a usage error.
    pub fn implied_family(&self) -> Result<Option<u8>, Error> {
        let families = [
            self.dst.and_then(|f| f.prefix.family),
            self.src.and_then(|f| f.prefix.family),
            self.prefsrc.and_then(|p| p.family),
        ];
        let mut found = None;
        for f in families.into_iter().flatten() {
            match found {
                Some(g) if g != f => {
                    return Err(Error::Usage(
                        "--to, --from and --src name prefixes of different families".into(),
                    ));
                }
                _ => found = Some(f),
            }
        }
        Ok(found)
    }

    /// Whether `r` is wanted (iproute2 `filter_nlmsg`, with `--dev` and
    /// `--via` also matching multipath nexthops).
    pub fn keeps(&self, r: &Route) -> bool {
        self.family.is_none_or(|f| r.family.0 == f)
            && r.is_cloned() == self.cloned
            && self.table.is_none_or(|t| r.table == t)
            && self.protocol.is_none_or(|p| r.protocol.0 == p)
            && self.kind.is_none_or(|k| r.kind == k)
            && self.oif.is_none_or(|i| r.uses_dev(i))
            && !(self.vrf && matches!(r.kind, RouteType::Local | RouteType::Broadcast))
            && self.keeps_fields(r)
    }

    /// The selectors the kernel never filters on: prefixes, labels,
    /// gateway, preferred source, scope and metric.
    fn keeps_fields(&self, r: &Route) -> bool {
        let fam = r.family.0;
        self.dst.is_none_or(|f| f.keeps(fam, r.dst, r.dst_len))
            && self.labels.is_none_or(|l| r.dst_labels == Some(l))
            && self.src.is_none_or(|f| f.keeps(fam, r.src, r.src_len))
            && self.via.is_none_or(|v| via_matches(&v, r))
            && self
                .prefsrc
                .is_none_or(|p| r.prefsrc.is_some_and(|a| p.contains(a)))
            && self.scope.is_none_or(|s| r.scope.0 == s)
            && self.metric.is_none_or(|m| r.priority.unwrap_or(0) == m)
    }

    /// The values the filters pin (the `ip` dialect omits their keys).
    pub fn pinned(&self) -> Pinned {
        Pinned {
            table: self.table.is_some(),
            protocol: self.protocol.is_some(),
            dev: self.oif.is_some(),
        }
    }

    /// The RTM_GETROUTE dump request. Under strict checking it carries the
    /// filters iproute2 sends (rtm_protocol, RTA_TABLE, RTA_OIF; not
    /// rtm_type: see the module documentation); otherwise only the family
    /// (and the cloned flag, which non-strict kernels read too). The kernel
    /// has no filter for prefixes, gateways, scope (a non-zero rtm_scope is
    /// refused) or metric.
    ///
    /// An MPLS request carries only the family: MPLS has one table and no
    /// cache, so filtering here costs little, and a kernel without MPLS
    /// then answers with every other family's routes, all tables, which
    /// `FamilyCheck` needs to see to say so.
    pub fn request(&self, strict: bool) -> Result<Vec<u8>, Error> {
        let mut hdr = RtMsgRepr {
            family: self.family.unwrap_or(0),
            ..RtMsgRepr::default()
        };
        let filters = self.family != Some(AF_MPLS);
        let strict = strict && filters;
        if self.cloned && filters {
            hdr.flags |= RTM_F_CLONED;
        }
        if strict {
            hdr.protocol = self.protocol.unwrap_or(0);
        }
        let mut buf = [0u8; 64];
        let mut req = RequestBuilder::new(&mut buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&hdr.emit());
        if strict {
            if let Some(t) = self.table {
                req = req.attr_u32(RTA_TABLE, t);
            }
            if let Some(i) = self.oif {
                req = req.attr_u32(RTA_OIF, i);
            }
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }
}

/// A name from an editable table or a number up to 255 (`--proto`,
/// `--scope`); `all` means no filter, as in ip.
pub fn named_u8(
    what: &str,
    file: &str,
    value: Option<&str>,
    id: impl Fn(&str) -> Option<u32>,
) -> Result<Option<u8>, Error> {
    let Some(v) = value.filter(|&v| v != "all") else {
        return Ok(None);
    };
    match id(v).and_then(|n| u8::try_from(n).ok()) {
        Some(n) => Ok(Some(n)),
        None => Err(Error::Usage(format!(
            "unknown {what} {v:?}: not a number up to 255 and not named in {file}"
        ))),
    }
}

/// `ip`'s IPv6 table quirk, for the `ip` dialect only: until an IPv6 route
/// from a table other than main has been seen in the dump, iproute2
/// assumes a kernel without multiple IPv6 tables and hides routes of type
/// local from `table main` (`ip6_multiple_tables` in `filter_nlmsg`). nlq's
/// own dialect and the table show them.
#[derive(Debug, Default)]
struct Ip6Tables {
    multiple: bool,
}

impl Ip6Tables {
    fn hides(&mut self, sel: &Selection, r: &Route) -> bool {
        if r.family.0 != AF_INET6 {
            return false;
        }
        self.multiple |= r.table != RT_TABLE_MAIN;
        !self.multiple && sel.table == Some(RT_TABLE_MAIN) && r.kind == RouteType::Local
    }
}

/// What `nlq routes` shows: the validated selectors, with `--dev` and
/// `--vrf` still by name (resolved from a link dump).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The selectors that need no kernel.
    pub sel: Selection,
    /// `--dev`: only routes through this device (RTA_OIF, also multipath
    /// nexthops).
    pub dev: Option<String>,
    /// `--vrf`: only routes in this VRF device's table.
    pub vrf: Option<String>,
}

/// Run `nlq routes` (`nlq routes get` is [`super::route_get::run`]).
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let mut sel = args.sel;
    let links = env.link_names()?;
    if let Some(dev) = &args.dev {
        sel.oif = Some(device_index(&links, dev)?);
    }
    if let Some(name) = &args.vrf {
        sel.table = Some(vrf_table(env, name)?);
        sel.vrf = true;
    }
    let req = sel.request(env.transport.strict())?;
    match env.format {
        Format::Json(dialect) => json(env, &sel, &links, &req, dialect, out),
        // ip has no brief form for routes: its JSON stays whole.
        Format::Table(_) if env.brief => {
            let direct = Direct(out);
            let (_, result) = for_each(env, &sel, &links, &req, direct, |w, r, c| {
                writeln!(w.0, "{}", brief_line(r, c)).map_err(output)
            });
            result
        }
        Format::Table(view) => {
            // Laid out whole up to a window of rows, streamed past it: see
            // render::stream for why.
            let table = TableWriter::new(out, &COLUMNS, view).hold_back();
            let mut cells = RowCells::new();
            let (table, result) = for_each(env, &sel, &links, &req, table, |t, r, c| {
                fill_row(r, c, &mut cells);
                t.push(&cells.strs()).map_err(output)
            });
            result?;
            Ok(table.finish()?)
        }
    }
}

/// The JSON array of routes and `ip`'s IPv6 table quirk, which is part of
/// what a rollback forgets.
struct JsonRoutes<'w> {
    array: JsonArray<'w>,
    ip6: Ip6Tables,
}

impl Held for JsonRoutes<'_> {
    fn held(&self) -> Option<usize> {
        self.array.held()
    }
    fn commit(&mut self) -> io::Result<()> {
        self.array.commit()
    }
    fn rollback(&mut self) {
        self.array.rollback();
        self.ip6 = Ip6Tables::default();
    }
}

/// The table of VRF device `name`, from a link dump (iproute2's
/// `ipvrf_get_table`).
fn vrf_table(env: &mut Env<'_>, name: &str) -> Result<u32, Error> {
    let req = LinkSelection::default().request(false, RTEXT_FILTER_SKIP_STATS)?;
    let mut found = Vrf::Other;
    env.dump_kind::<crate::model::link::Link, _>(&req, |msg| {
        match vrf::lookup(msg, name) {
            Vrf::Other => {}
            seen => found = seen,
        }
        Ok(())
    })?;
    match found {
        Vrf::Table(t) => Ok(t),
        Vrf::NotOne => Err(Error::NotVrf(name.to_string())),
        Vrf::Other => Err(Error::NoSuchDevice(name.to_string())),
    }
}

/// Stream the routes as one JSON array; an error after the first route
/// still closes the array.
fn json(
    env: &mut Env<'_>,
    sel: &Selection,
    links: &LinkNames,
    req: &[u8],
    dialect: Dialect,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let writer = JsonRoutes {
        array: JsonArray::new(out).hold_back(),
        ip6: Ip6Tables::default(),
    };
    let (w, result) = for_each(env, sel, links, req, writer, |w, route, ctx| {
        let pushed = match dialect {
            Dialect::Nlq => w.array.push_object(&NlqRoute { route, ctx }),
            Dialect::Ip if w.ip6.hides(sel, route) => Ok(()),
            Dialect::Ip => w.array.push_object(&IpRoute { route, ctx }),
        };
        pushed.map_err(output)
    });
    match result {
        Ok(()) => Ok(w.array.finish()?),
        Err(e) => {
            let _ = w.array.close(); // the dump's error is the one to report
            Err(e)
        }
    }
}

/// Dump the routes and call `each` with `writer` and every route `sel`
/// keeps, as the messages arrive when the writer holds its output back
/// (see cmd::Ahead); give the writer back with the result. A table that
/// does not exist (ENOENT before any route) is an empty result.
fn for_each<W, F>(
    env: &mut Env<'_>,
    sel: &Selection,
    links: &LinkNames,
    req: &[u8],
    writer: W,
    mut each: F,
) -> (W, Result<(), Error>)
where
    W: Held,
    F: FnMut(&mut W, &Route, &Ctx<'_>) -> Result<(), DumpError>,
{
    let Env {
        transport,
        dumper,
        names,
        ..
    } = env;
    let ctx = Ctx {
        names,
        links,
        pinned: sel.pinned(),
    };
    let mut route = Route::default();
    let mut seen = false;
    let mut families = FamilyCheck::default();
    // A route the kernel sends twice makes the try count as interrupted,
    // like NLM_F_DUMP_INTR (see route_keys).
    let mut repeats = RouteRepeats::new();
    // The fib6 walker can skip a route without flagging the dump: only
    // an event during it tells (see Dumper::dump_consistent).
    let watch_first = matches!(sel.family, None | Some(AF_INET6));
    let t = &mut **transport;
    let mut sink = Ahead {
        writer,
        take: |w: &mut W, msg: &NlMsg<&[u8]>| {
            seen = true;
            if !decode(msg, &mut route) {
                return Ok(());
            }
            families.note(sel, &route);
            if !sel.keeps(&route) {
                return Ok(());
            }
            each(w, &route, &ctx)
        },
    };
    let result =
        super::dump_kind_into::<Route, _, _>(dumper, t, req, watch_first, &mut repeats, &mut sink);
    let writer = sink.writer;
    let result = match result {
        Ok(_) => families.check(sel),
        Err(Error::Dump(DumpError::Kernel { errno: ENOENT, .. }))
            if sel.table.is_some() && !seen =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    };
    (writer, result)
}

/// Which families a dump for one family answered with. A family the
/// kernel has no RTM_GETROUTE handler for (AF_MPLS without mpls_router,
/// AF_INET6 with IPv6 disabled) is answered by rtnetlink's PF_UNSPEC
/// dumper with every other family's routes (`rtnetlink_rcv_msg` falls
/// back to PF_UNSPEC): [`Selection::keeps`] drops them all, and an empty
/// output would claim there are no such routes.
#[derive(Debug, Default)]
struct FamilyCheck {
    wanted: bool,
    other: bool,
}

impl FamilyCheck {
    /// Count `r` as of the wanted family or of another.
    fn note(&mut self, sel: &Selection, r: &Route) {
        match sel.family {
            Some(f) if r.family.0 == f => self.wanted = true,
            Some(_) => self.other = true,
            None => {}
        }
    }

    /// Fail when routes came, but none of the wanted family. No routes at
    /// all is an empty table, not proof of a missing handler.
    fn check(&self, sel: &Selection) -> Result<(), Error> {
        match sel.family {
            Some(f) if self.other && !self.wanted => Err(Error::FamilyUnsupported {
                family: Family(f).name().unwrap_or("unknown"),
                what: "routes",
            }),
            _ => Ok(()),
        }
    }
}

/// Decode `msg` into `route` if it is a route; a message too short for
/// `struct rtmsg` is skipped (there is no route to show).
fn decode(msg: &NlMsg<&[u8]>, route: &mut Route) -> bool {
    if msg.kind() != RTM_NEWROUTE {
        return false;
    }
    match RtMsg::new_checked(msg.payload()) {
        Ok(rt) => {
            route.decode_into(&rt);
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::attr::AF_INET;
    use crate::wire::rtmsg::RTMSG_LEN;

    #[test]
    fn request_carries_filters_only_when_strict() {
        let sel = Selection {
            family: Some(AF_INET),
            table: Some(100),
            protocol: Some(4),
            oif: Some(7),
            // Never sent: the kernel would drop routes via a blackhole
            // nexthop object, which it reports as RTN_BLACKHOLE.
            kind: Some(RouteType::Blackhole),
            ..Selection::default()
        };
        let strict = sel.request(true).unwrap();
        let msg = NlMsg::new_checked(&strict[..]).unwrap();
        assert_eq!(msg.kind(), RTM_GETROUTE);
        let rt = RtMsg::new_checked(msg.payload()).unwrap();
        assert_eq!(
            (rt.family(), rt.protocol(), rt.table(), rt.kind()),
            (2, 4, 0, 0)
        );
        #[rustfmt::skip]
        let attrs = [8, 0, 15, 0, 100, 0, 0, 0, 8, 0, 4, 0, 7, 0, 0, 0]; // RTA_TABLE, RTA_OIF
        assert_eq!(rt.attr_bytes(), &attrs);
        let loose = sel.request(false).unwrap();
        assert_eq!(loose.len(), 16 + RTMSG_LEN);
        let mpls = Selection {
            family: Some(AF_MPLS),
            cloned: true,
            ..sel
        };
        let bare = mpls.request(true).unwrap();
        let rt = RtMsg::new_checked(&bare[16..]).unwrap();
        assert_eq!((rt.family(), rt.protocol(), rt.flags()), (28, 0, 0));
        assert_eq!(bare.len(), 16 + RTMSG_LEN, "MPLS is filtered here only");
    }

    #[test]
    fn keeps_filters_in_user_space() {
        let sel = Selection {
            table: Some(254),
            oif: Some(3),
            ..Selection::default()
        };
        let mut r = Route {
            family: Family(AF_INET),
            table: 254,
            oif: Some(3),
            ..Route::default()
        };
        assert!(sel.keeps(&r));
        r.table = 100;
        assert!(!sel.keeps(&r));
        r.table = 254;
        r.flags = RTM_F_CLONED;
        assert!(!sel.keeps(&r), "cloned routes are hidden unless asked for");
        r.flags = 0;
        r.oif = None;
        r.multipath = true;
        r.nexthops.push(crate::model::route::Hop {
            ifindex: 3,
            ..Default::default()
        });
        assert!(sel.keeps(&r), "--dev matches a multipath nexthop");
    }

    #[test]
    fn other_families_only_means_the_family_is_unsupported() {
        let sel = Selection {
            family: Some(AF_MPLS),
            ..Selection::default()
        };
        let v4 = Route {
            family: Family(AF_INET),
            ..Route::default()
        };
        let mpls = Route {
            family: Family(AF_MPLS),
            ..Route::default()
        };
        assert!(!sel.keeps(&v4), "replies of another family are dropped");
        let mut fallback = FamilyCheck::default();
        fallback.note(&sel, &v4);
        let err = fallback.check(&sel).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this kernel does not support address family mpls for routes"
        );
        assert_eq!(err.exit_code(), crate::error::EXIT_RUNTIME);
        let mut mixed = FamilyCheck::default();
        mixed.note(&sel, &v4);
        mixed.note(&sel, &mpls);
        assert!(mixed.check(&sel).is_ok());
        assert!(FamilyCheck::default().check(&sel).is_ok(), "empty is empty");
        let mut any = FamilyCheck::default();
        any.note(&Selection::default(), &v4);
        assert!(any.check(&Selection::default()).is_ok());
    }

    #[test]
    fn vrf_leaves_out_local_and_broadcast() {
        let sel = Selection {
            table: Some(1001),
            vrf: true,
            ..Selection::default()
        };
        let mut r = Route {
            family: Family(AF_INET),
            table: 1001,
            kind: RouteType::Unreachable,
            ..Route::default()
        };
        assert!(sel.keeps(&r));
        for kind in [RouteType::Local, RouteType::Broadcast] {
            r.kind = kind;
            assert!(!sel.keeps(&r), "{kind:?}");
        }
        r.kind = RouteType::Unicast;
        r.table = 254;
        assert!(!sel.keeps(&r), "another table");
    }

    #[test]
    fn ip6_local_in_main_quirk() {
        let sel = Selection {
            table: Some(254),
            ..Selection::default()
        };
        let local = Route {
            family: Family(AF_INET6),
            table: 254,
            kind: RouteType::Local,
            ..Route::default()
        };
        assert!(Ip6Tables::default().hides(&sel, &local));
        let mut seen = Ip6Tables::default();
        let other = Route {
            table: 100,
            kind: RouteType::Unicast,
            ..local.clone()
        };
        assert!(!seen.hides(&sel, &other));
        assert!(
            !seen.hides(&sel, &local),
            "after a non-main IPv6 route, ip filters normally"
        );
    }
}
