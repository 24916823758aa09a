//! [`decoders`]: every typed decoder, then every renderer in every format.

use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::OnceLock;

use serde_json::Value;

use crate::model::LinkNames;
use crate::model::addr::{Addr, Grouped};
use crate::model::link::{Link, Links};
use crate::model::route::Route;
use crate::names::Names;
use crate::render::link::LinkCtx;
use crate::render::route::{COLUMNS, Ctx, IpRoute, NlqRoute, Pinned, Row, row};
use crate::render::stream::TableWriter;
use crate::render::{Dialect, Format, JsonArray};
use crate::wire::ifaddrmsg::{IfAddrMsg, RTM_NEWADDR};
use crate::wire::ifinfomsg::{IfInfoMsg, RTM_NEWLINK};
use crate::wire::nlmsg::Messages;
use crate::wire::rtmsg::{RTM_NEWROUTE, RtMsg};

/// The message types [`decoders`] picks by the first byte when the input is
/// not a datagram.
const OBJECT_KINDS: [u16; 3] = [RTM_NEWROUTE, RTM_NEWLINK, RTM_NEWADDR];

/// Every typed decoder, then every renderer in every format. The input is a
/// datagram whose route, link and address messages are decoded; if it does
/// not start with a well-formed message, the first byte picks a decoder
/// and the rest is its payload. JSON output must parse, nlq's dialect must
/// be total (every object of a kind has the same keys), tables are UTF-8.
pub fn decoders(data: &[u8]) {
    let mut objects = Objects::default();
    if matches!(Messages::new(data).next(), Some(Ok(_))) {
        for msg in Messages::new(data).map_while(Result::ok) {
            objects.add(msg.kind(), msg.payload());
        }
    } else if let Some((&pick, payload)) = data.split_first() {
        objects.add(
            OBJECT_KINDS[usize::from(pick) % OBJECT_KINDS.len()],
            payload,
        );
    }
    objects.render_links();
    objects.render_addrs();
    objects.render_routes();
    super::ipconf::ipconf(data);
    super::bridge::bridge(data);
    super::mcast::mcast(data);
    super::ifstats::ifstats(data);
    monitor_events(data);
}

/// Each message as `nlq monitor` shows it: through every watched kind's
/// state ([`crate::monitor::KINDS`], and links) and renderer. Each event
/// is one JSON object (the envelope, then the kind's keys) and one line
/// of text.
fn monitor_events(data: &[u8]) {
    use crate::monitor::event;
    use crate::monitor::{Filter, KINDS, Seen, Watch, Watched};
    use crate::render::event::View;
    let mut watches: Vec<Box<dyn Watch>> = KINDS.iter().map(|make| make()).collect();
    watches.push(Box::new(Watched::<Link>::default()));
    let (links, link_names) = (Links::new(), LinkNames::new());
    let nsids = crate::netns::NsidNames::default();
    let protos = crate::model::rule::IpProtos::default();
    let view = View {
        names: names(),
        protos: &protos,
        links: &links,
        link_names: &link_names,
        nsids: &nsids,
    };
    for msg in Messages::new(data).map_while(Result::ok) {
        for w in &mut watches {
            let Seen::Show(changes) = w.event(&msg, &Filter::default()) else {
                continue;
            };
            for (change, obj) in changes {
                let mut line = Vec::new();
                event::json(&mut line, "t", change, &*obj, &view, Some("ns"))
                    .expect("an event renders");
                let v: Value = serde_json::from_slice(&line).unwrap_or_else(|e| {
                    panic!("event JSON: {e}: {}", String::from_utf8_lossy(&line))
                });
                assert_eq!(v["object"], obj.kind(), "{v}");
                line.clear();
                event::text(&mut line, "t", change, &*obj, &view, None);
                assert!(std::str::from_utf8(&line).is_ok_and(|t| t.ends_with('\n')));
            }
        }
    }
}

/// What [`decoders`] decoded.
#[derive(Default)]
struct Objects {
    links: Links,
    addrs: Vec<Addr>,
    routes: Vec<Route>,
}

const FORMATS: [Format; 4] = Format::ALL;

impl Objects {
    /// Decode `payload` as a message of type `kind`; a payload too short
    /// for its fixed header has nothing to show and is skipped.
    fn add(&mut self, kind: u16, payload: &[u8]) {
        match kind {
            RTM_NEWLINK => {
                if let Ok(h) = IfInfoMsg::new_checked(payload) {
                    self.links.push(Link::decode(&h));
                }
            }
            RTM_NEWADDR => self
                .addrs
                .extend(IfAddrMsg::new_checked(payload).map(|h| Addr::decode(&h))),
            RTM_NEWROUTE => self
                .routes
                .extend(RtMsg::new_checked(payload).map(|h| Route::decode(&h))),
            _ => {}
        }
    }

    /// Links in every format, after one with nothing set.
    fn render_links(&self) {
        let ctx = LinkCtx {
            links: &self.links,
            names: names(),
            nsids: &crate::netns::NsidNames::default(),
        };
        let reference = Link::default(); // every nlq object has its keys
        let all: Vec<&Link> = std::iter::once(&reference)
            .chain(self.links.iter())
            .collect();
        for format in FORMATS {
            check(format, |out| {
                crate::render::link::write(out, format, &ctx, &all)
            });
        }
    }

    /// Addresses of every link, and of the first link only with links
    /// without addresses left out (`nlq addrs --dev X -4`).
    fn render_addrs(&self) {
        let ctx = LinkCtx {
            links: &self.links,
            names: names(),
            nsids: &crate::netns::NsidNames::default(),
        };
        let first = self.links.iter().next().map(|l| l.index);
        for (only, needs_addr) in [(None, false), (first, true)] {
            let grouped = Grouped::new(&self.links, &self.addrs, only, needs_addr);
            for format in FORMATS {
                check(format, |out| {
                    crate::render::addr::write(out, format, &ctx, &grouped)
                });
            }
        }
    }

    /// Routes in every format, and in the `ip` dialect once more with
    /// every filter pinned (which only that dialect reads).
    fn render_routes(&self) {
        let mut links = LinkNames::new();
        self.links
            .iter()
            .for_each(|l| links.insert(l.index, &l.name));
        let ctx = Ctx {
            names: names(),
            links: &links,
            pinned: Pinned::default(),
        };
        let reference = Route::default(); // every nlq object has its keys
        let routes: Vec<&Route> = std::iter::once(&reference).chain(&self.routes).collect();
        let rows: Vec<Row> = routes.iter().map(|r| row(r, &ctx)).collect();
        for format in FORMATS {
            check(format, |out| match format {
                Format::Table(view) => {
                    let mut t = TableWriter::new(out, &COLUMNS, view);
                    rows.iter().try_for_each(|r| t.push(r))?;
                    t.finish()
                }
                Format::Json(dialect) => route_json(out, dialect, &routes, &ctx),
            });
        }
        let pinned = Pinned {
            table: true,
            protocol: true,
            dev: true,
        };
        let ctx = Ctx { pinned, ..ctx };
        check(Format::Json(Dialect::Ip), |out| {
            route_json(out, Dialect::Ip, &routes, &ctx)
        });
    }
}

/// Routes as a JSON array in `dialect`.
fn route_json(
    out: &mut dyn Write,
    dialect: Dialect,
    routes: &[&Route],
    ctx: &Ctx<'_>,
) -> io::Result<()> {
    let mut array = JsonArray::new(out);
    for &route in routes {
        match dialect {
            Dialect::Nlq => array.push_object(&NlqRoute { route, ctx })?,
            Dialect::Ip => array.push_object(&IpRoute { route, ctx })?,
        }
    }
    array.finish()
}

/// iproute2's built-in names, built once.
fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(Names::builtin)
}

/// Render into a buffer and check the output of `format`.
pub(super) fn check(format: Format, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    let mut out = Vec::new();
    render(&mut out).expect("writing to a Vec cannot fail");
    let text = std::str::from_utf8(&out).expect("output is UTF-8");
    let Format::Json(dialect) = format else {
        return;
    };
    let json: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let items = json.as_array().expect("a JSON array");
    if dialect == Dialect::Nlq {
        let keys = |v: &Value| {
            v.as_object()
                .map(|o| o.keys().cloned().collect::<HashSet<_>>())
        };
        let first = items.first().map(keys);
        assert!(
            items.iter().all(|v| Some(keys(v)) == first),
            "nlq's schema is total: {text}"
        );
    }
}
