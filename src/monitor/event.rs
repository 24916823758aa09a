//! One event, rendered: a line of text for people, or one NDJSON object.
//!
//! Text: `TIMESTAMP EVENT KIND OBJECT`, the object in the listing
//! commands' words (routes, neighbours and rules as `column value` pairs
//! of their tables). JSON: the envelope keys `timestamp`, `event`,
//! `object`, `netns` first, then the object's keys exactly as the listing
//! command's `--json` writes them (docs/json.md `## monitor`).

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use super::state::{Change, Kind, Object};
use crate::model::LinkNames;
use crate::model::addr::{Addr, Grouped};
use crate::model::link::{IFF_RUNNING, IFF_UP, Link, Links};
use crate::model::rule::IpProtos;
use crate::names::Names;
use crate::netns::NsidNames;
use crate::render::json::JsonObject;
use crate::render::json::{Obj, key};
use crate::render::link::LinkCtx;
use crate::render::neigh::NeighCtx;
use crate::render::route::{Ctx, NlqRoute, Pinned};
use crate::render::rule::{NlqRule, RuleCtx};
use crate::render::stream::Column;
use crate::render::{Dialect, Format};
use crate::wire::attr::{AF_INET, AF_INET6};

/// What rendering an event needs besides the object.
pub struct View<'a> {
    /// Names from /etc/iproute2.
    pub names: &'a Names,
    /// IP protocol names, for rules.
    pub protos: &'a IpProtos,
    /// Every link the monitor knows of.
    pub links: &'a Links,
    /// The same links' names, for routes.
    pub link_names: &'a LinkNames,
    /// Peer namespace names (none are looked up while monitoring).
    pub nsids: &'a NsidNames,
    /// The namespace the events come from, when one was named.
    pub netns: Option<&'a str>,
}

/// Local time as ISO 8601 with milliseconds and the UTC offset
/// ("2026-11-28T10:20:01.123+00:00").
pub fn stamp(now: SystemTime) -> String {
    let d = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(0);
    let t = crate::sys::local_time(secs).unwrap_or(crate::sys::LocalTime::EPOCH);
    let sign = if t.offset < 0 { '-' } else { '+' };
    let off = t.offset.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        d.subsec_millis(),
        off / 3600,
        off % 3600 / 60
    )
}

/// The JSON `event` value of a change.
fn json_event(change: Change) -> &'static str {
    match change {
        Change::New | Change::Flags => "new",
        Change::Del => "del",
    }
}

/// The text event word of a change.
fn text_event(change: Change) -> &'static str {
    match change {
        Change::New => "NEW",
        Change::Flags => "CHANGE",
        Change::Del => "DEL",
    }
}

/// Append the envelope's keys to an open object.
fn envelope(
    o: &mut Obj<'_>,
    ts: &str,
    event: &str,
    kind: Option<Kind>,
    netns: Option<&str>,
) -> io::Result<()> {
    o.entry(key!("timestamp"), ts)?;
    o.entry(key!("event"), event)?;
    o.entry(key!("object"), &kind.map(Kind::name))?;
    o.entry(key!("netns"), &netns)
}

/// Append one event as a JSON line to `out`.
pub fn json(
    out: &mut Vec<u8>,
    ts: &str,
    change: Change,
    obj: &Object,
    view: &View<'_>,
) -> io::Result<()> {
    let mut head = Vec::with_capacity(128);
    {
        // Left open: the object's keys follow.
        let mut o = Obj::begin(&mut head);
        envelope(&mut o, ts, json_event(change), Some(obj.kind()), view.netns)?;
    }
    let body = object_json(obj, view)?;
    out.extend_from_slice(&head);
    match body.strip_prefix(b"{") {
        Some(b"}") | None => out.push(b'}'),
        Some(rest) => {
            out.push(b',');
            out.extend_from_slice(rest);
        }
    }
    out.push(b'\n');
    Ok(())
}

/// Append a marker event (`overrun`, `resync`) with extra counts.
pub fn json_marker(
    out: &mut Vec<u8>,
    ts: &str,
    event: &str,
    netns: Option<&str>,
    counts: &[(crate::render::json::Key, u64)],
) -> io::Result<()> {
    let mut o = Obj::begin(out);
    envelope(&mut o, ts, event, None, netns)?;
    for &(k, n) in counts {
        o.entry(k, &n)?;
    }
    o.end();
    out.push(b'\n');
    Ok(())
}

/// The object alone in nlq's JSON schema, as the listing command writes it.
fn object_json(obj: &Object, view: &View<'_>) -> io::Result<Vec<u8>> {
    let nlq = Format::Json(Dialect::Nlq);
    let mut buf = Vec::with_capacity(1024);
    let link_ctx = LinkCtx {
        links: view.links,
        names: view.names,
        nsids: view.nsids,
    };
    match obj {
        Object::Route(r) => {
            let ctx = Ctx {
                names: view.names,
                links: view.link_names,
                pinned: Pinned::default(),
            };
            NlqRoute {
                route: r,
                ctx: &ctx,
            }
            .write(&mut buf)?;
            return Ok(buf);
        }
        Object::Rule(rule) => {
            let ctx = RuleCtx {
                names: view.names,
                protos: view.protos,
            };
            serde_json::to_writer(&mut buf, &NlqRule { rule, ctx: &ctx })?;
            return Ok(buf);
        }
        Object::Link(l) => crate::render::link::write(&mut buf, nlq, &link_ctx, &[l])?,
        Object::Addr(a) => {
            let grouped = Grouped::new(view.links, std::slice::from_ref(a), None, false);
            crate::render::addr::write(&mut buf, nlq, &link_ctx, &grouped)?;
        }
        Object::Neigh(n) => {
            let ctx = NeighCtx {
                links: view.links,
                names: view.names,
            };
            crate::render::neigh::write(&mut buf, nlq, &ctx, std::slice::from_ref(n))?;
        }
    }
    // A one-element array: `[\n{...}\n]\n`.
    let inner = buf
        .strip_prefix(b"[\n")
        .and_then(|b| b.strip_suffix(b"\n]\n"))
        .unwrap_or(b"{}");
    Ok(inner.to_vec())
}

/// Append one event as a line of text to `out`.
pub fn text(out: &mut Vec<u8>, ts: &str, change: Change, obj: &Object, view: &View<'_>) {
    let body = match obj {
        Object::Link(l) => link_text(l, view),
        Object::Addr(a) => addr_text(a, view),
        Object::Route(r) => {
            let ctx = Ctx {
                names: view.names,
                links: view.link_names,
                pinned: Pinned::default(),
            };
            labelled(
                &crate::render::route::COLUMNS,
                &crate::render::route::row(r, &ctx),
            )
        }
        Object::Neigh(n) => {
            let ctx = NeighCtx {
                links: view.links,
                names: view.names,
            };
            labelled(
                &crate::render::neigh::COLUMNS,
                &crate::render::neigh::row(n, &ctx),
            )
        }
        Object::Rule(r) => {
            let ctx = RuleCtx {
                names: view.names,
                protos: view.protos,
            };
            labelled(
                &crate::render::rule::COLUMNS,
                &crate::render::rule::row(r, &ctx),
            )
        }
    };
    let ns = view.netns.map(|n| format!("[{n}] ")).unwrap_or_default();
    let line = format!(
        "{ts} {ns}{:<6} {:<5} {body}\n",
        text_event(change),
        obj.kind().name()
    );
    out.extend_from_slice(line.as_bytes());
}

/// A marker line (`OVERRUN`, `RESYNC ...`) for the text stream.
pub fn text_marker(out: &mut Vec<u8>, ts: &str, netns: Option<&str>, what: &str) {
    let ns = netns.map(|n| format!("[{n}] ")).unwrap_or_default();
    out.extend_from_slice(format!("{ts} {ns}{what}\n").as_bytes());
}

/// A link as a link watcher shows it: name, index, operstate, and
/// RUNNING / UP (no carrier) / DOWN, then MTU, kind, the kind's essentials
/// as the links table's INFO shows them (`id 100 protocol 802.1Q`), and
/// master.
fn link_text(l: &Link, view: &View<'_>) -> String {
    let state = match (l.flags & IFF_UP != 0, l.flags & IFF_RUNNING != 0) {
        (true, true) => "RUNNING",
        (true, false) => "UP (no carrier)",
        (false, _) => "DOWN",
    };
    let oper = l.operstate.map_or_else(
        || "-".to_string(),
        |o| o.name().unwrap_or("?").to_uppercase(),
    );
    let mut s = format!("{} index {} {oper} {state}", l.name, l.index);
    if let Some(mtu) = l.mtu {
        s.push_str(&format!(" mtu {mtu}"));
    }
    if let Some(kind) = &l.kind {
        s.push_str(&format!(" kind {kind}"));
    }
    let ctx = LinkCtx {
        links: view.links,
        names: view.names,
        nsids: view.nsids,
    };
    let info = crate::render::link::info(l, &ctx);
    if !info.is_empty() {
        s.push(' ');
        s.push_str(&info);
    }
    if let Some(m) = l.master {
        s.push_str(&format!(" master {m}"));
    }
    s
}

/// An address as `nlq addrs` words it: device, family, address/len,
/// peer, broadcast, scope, flags, label.
fn addr_text(a: &Addr, view: &View<'_>) -> String {
    let dev = view
        .links
        .name(a.index)
        .map_or_else(|| format!("if{}", a.index), str::to_string);
    let family = match a.family {
        AF_INET => "inet".to_string(),
        AF_INET6 => "inet6".to_string(),
        f => f.to_string(),
    };
    let mut s = format!("{dev} {family}");
    if let Some(l) = a.local {
        s.push_str(&format!(" {l}/{}", a.prefix_len));
    }
    if let Some(p) = a.peer {
        s.push_str(&format!(" peer {p}"));
    }
    if let Some(b) = a.broadcast {
        s.push_str(&format!(" brd {b}"));
    }
    let scope = view.names.scopes.name(a.scope.into());
    s.push_str(&format!(
        " scope {}",
        scope.map_or_else(|| a.scope.to_string(), str::to_string)
    ));
    let flags: Vec<_> = a.flag_names().collect();
    if !flags.is_empty() {
        s.push_str(&format!(" flags {}", flags.join(",")));
    }
    if let Some(label) = &a.label {
        s.push_str(&format!(" label {label}"));
    }
    s
}

/// The non-empty cells of a table row as `column value` pairs (the
/// first column's and DST's values alone); a cell of several lines (multipath
/// nexthops) joined with commas.
fn labelled(columns: &[Column], cells: &[String]) -> String {
    let mut s = String::new();
    for (i, (c, cell)) in columns.iter().zip(cells).enumerate() {
        if cell.lines().all(str::is_empty) {
            continue;
        }
        if !s.is_empty() {
            s.push(' ');
        }
        if i > 0 && c.header != "DST" {
            s.push_str(&c.header.to_lowercase());
            s.push(' ');
        }
        s.push_str(&cell.lines().collect::<Vec<_>>().join(","));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_iso_8601_with_milliseconds() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_123);
        let s = stamp(t);
        assert_eq!(s.len(), "2023-11-14T22:13:20.123+00:00".len(), "{s}");
        assert_eq!(&s[19..23], ".123");
        assert_eq!(&s[4..5], "-");
        assert_eq!(&s[10..11], "T");
    }

    #[test]
    fn link_lines_carry_the_kinds_essentials() {
        use crate::model::link::{KindData, KindField, KindValue};
        let field = |key, value| KindField { key, value };
        let link = Link {
            index: 7,
            name: "v100".into(),
            kind: Some("vlan".into()),
            kind_data: Some(KindData {
                fields: vec![
                    field("protocol", KindValue::Text("802.1Q".into())),
                    field("id", KindValue::Uint(100)),
                ],
            }),
            ..Link::default()
        };
        let (names, protos) = (Names::builtin(), IpProtos::default());
        let (links, link_names, nsids) = (Links::new(), LinkNames::new(), NsidNames::default());
        let view = View {
            names: &names,
            protos: &protos,
            links: &links,
            link_names: &link_names,
            nsids: &nsids,
            netns: None,
        };
        let line = link_text(&link, &view);
        assert!(line.ends_with("kind vlan protocol 802.1Q id 100"), "{line}");
    }
}
