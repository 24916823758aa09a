//! nlq's own JSON for `routes get --explain` (docs/json.md, `## explain`):
//! one object, total and typed, its keys in the documented order. Built
//! as a small ordered tree ([`Node`]): one object per lookup is no hot
//! path, and serde_json's own map would sort the keys.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

use super::{
    Ctx, deciding_rule, dev_name, packet_value, rule_text, selector, strerror, table_name,
};
use crate::model::explain::{Answer, Decision, Disagreement, Fate, Outcome, Packet, Report, Step};
use crate::model::link::{Link, Links};
use crate::model::nexthop::Nexthop;
use crate::model::route::{Hop, Route};
use crate::render::text::{Cidr, FastIp};

/// A JSON value whose objects keep their keys in order.
enum Node {
    /// A scalar, `null`, or an array of scalars.
    Leaf(Value),
    /// An object, keys in order.
    Obj(Vec<(&'static str, Node)>),
    /// An array of nodes.
    List(Vec<Node>),
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Leaf(v) => v.serialize(s),
            Node::Obj(entries) => {
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
        }
    }
}

/// A leaf from anything serde_json can take.
fn leaf(v: impl Into<Value>) -> Node {
    Node::Leaf(v.into())
}

/// An address as a string, `null` for none.
fn addr(a: Option<std::net::IpAddr>) -> Node {
    leaf(a.map(|a| FastIp(a).to_string()))
}

/// `null`, or the object `f` builds.
fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Node) -> Node {
    v.map_or(Node::Leaf(Value::Null), f)
}

/// The whole report in nlq's schema.
pub struct NlqExplain<'a> {
    /// What to show.
    pub report: &'a Report,
    /// Names.
    pub ctx: &'a Ctx<'a>,
}

impl Serialize for NlqExplain<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, c) = (self.report, self.ctx);
        let family = if r.packet.dst.is_ipv4() {
            "inet"
        } else {
            "inet6"
        };
        Node::Obj(vec![
            ("family", leaf(family)),
            ("packet", packet(&r.packet, r.input)),
            (
                "rules",
                Node::List(
                    r.explanation
                        .steps
                        .iter()
                        .map(|st| step(st, r, c))
                        .collect(),
                ),
            ),
            ("decision", decision(r, c)),
            ("kernel", kernel(r, c)),
            ("agrees", leaf(r.disagreements.is_empty())),
            (
                "disagreements",
                Node::List(r.disagreements.iter().map(disagreement).collect()),
            ),
            ("nexthops", nexthops(r)),
            ("neighbour", neighbour(r)),
            ("link", opt(r.link.as_ref(), |l| link(l, r.master.as_ref()))),
        ])
        .serialize(s)
    }
}

fn packet(p: &Packet, input: bool) -> Node {
    let nonzero = |v: u16| leaf((v != 0).then_some(v));
    Node::Obj(vec![
        ("dst", addr(Some(p.dst))),
        ("from", addr(p.src)),
        ("iif", leaf(p.iif.clone())),
        ("oif", leaf(p.oif.as_ref().map(|(_, n)| n.clone()))),
        ("input", leaf(input)),
        ("mark", leaf(p.mark)),
        ("uid", leaf(p.uid)),
        ("tos", leaf(p.tos)),
        ("ipproto", leaf((p.ipproto != 0).then_some(p.ipproto))),
        ("sport", nonzero(p.sport)),
        ("dport", nonzero(p.dport)),
    ])
}

/// One rule looked at.
fn step(st: &Step, r: &Report, c: &Ctx<'_>) -> Node {
    let (result, table, found) = match &st.outcome {
        None => (None, None, None),
        Some(o) => outcome(o),
    };
    let failed = st.check.failed.as_ref();
    Node::Obj(vec![
        ("priority", leaf(r.rules[st.rule].priority)),
        ("rule", leaf(rule_text(r, st.rule, c))),
        ("jumped", leaf(st.jumped)),
        ("matched", leaf(st.check.matched)),
        ("failed", leaf(failed.map(|f| selector(f, c)))),
        (
            "packet_has",
            leaf(failed.map(|f| packet_value(f, &r.packet, c))),
        ),
        ("result", leaf(result)),
        ("table", leaf(table.map(|t| table_name(c.names, t)))),
        ("table_id", leaf(table)),
        ("route", opt(found, |i| route(&r.routes[i], &r.links, c))),
    ])
}

/// The result word, the table looked up and the route found.
fn outcome(o: &Outcome) -> (Option<String>, Option<u32>, Option<usize>) {
    let word = |w: &str| Some(w.to_string());
    match o {
        Outcome::Goto { to: Some(_), .. } => (word("goto"), None, None),
        Outcome::Goto { to: None, .. } => (word("goto_unresolved"), None, None),
        Outcome::Nop => (word("nop"), None, None),
        Outcome::Refuse(why) => (word(why.name()), None, None),
        Outcome::Lookup { table, found: None } => (word("no_route"), Some(*table), None),
        Outcome::Lookup {
            table,
            found: Some((i, fate)),
        } => {
            let w = match fate {
                Fate::Accepted => "route",
                Fate::Throw => "throw",
                Fate::SuppressedPrefix(_) | Fate::SuppressedGroup(_) => "suppressed",
                Fate::Refused(why) => why.name(),
            };
            (word(w), Some(*table), Some(*i))
        }
    }
}

/// A route in short.
fn route(rt: &Route, links: &Links, c: &Ctx<'_>) -> Node {
    let dst = match (rt.dst, rt.family.any_addr()) {
        (Some(a), _) | (None, Some(a)) => Some(Cidr(a, rt.dst_len).to_string()),
        (None, None) => None,
    };
    let from = rt.src.map(|a| Cidr(a, rt.src_len).to_string());
    Node::Obj(vec![
        ("type", leaf(rt.kind.name().unwrap_or("unknown"))),
        ("dst", leaf(dst)),
        ("from", leaf(from)),
        ("tos", leaf(rt.tos)),
        (
            "table",
            leaf(c.names.tables.name(rt.table).map(str::to_string)),
        ),
        ("table_id", leaf(rt.table)),
        ("metric", leaf(rt.metric())),
        ("gateway", addr(rt.gateway.or(rt.via))),
        ("dev", leaf(rt.oif.map(|d| dev_name(links, d)))),
        ("prefsrc", addr(rt.prefsrc)),
        ("nhid", leaf(rt.nhid)),
    ])
}

/// nlq's decision.
fn decision(r: &Report, c: &Ctx<'_>) -> Node {
    let (result, table, errno) = match r.explanation.decision {
        Decision::Route { table, .. } => ("route", Some(table), None),
        Decision::Refused(why) => (why.name(), None, Some(why.errno())),
    };
    Node::Obj(vec![
        ("result", leaf(result)),
        ("priority", leaf(deciding_rule(r))),
        ("table", leaf(table.map(|t| table_name(c.names, t)))),
        ("table_id", leaf(table)),
        ("errno", leaf(errno)),
        ("error", leaf(errno.map(strerror))),
    ])
}

/// The kernel's answers.
fn kernel(r: &Report, c: &Ctx<'_>) -> Node {
    let (answer, errno) = match &r.answer {
        Answer::Route(a) => (Some(a), None),
        Answer::Error(e) => (None, Some(*e)),
    };
    Node::Obj(vec![
        ("route", opt(answer, |a| route(a, &r.links, c))),
        ("fib", opt(r.fib.as_ref(), |f| route(f, &r.links, c))),
        ("errno", leaf(errno)),
        ("error", leaf(errno.map(strerror))),
    ])
}

fn disagreement(d: &Disagreement) -> Node {
    Node::Obj(vec![
        ("what", leaf(d.what)),
        ("nlq", leaf(d.nlq.clone())),
        ("kernel", leaf(d.kernel.clone())),
    ])
}

/// The nexthop objects, else the FIB entry's multipath nexthops.
fn nexthops(r: &Report) -> Node {
    let taken = |gateway: Option<std::net::IpAddr>, dev: Option<u32>| match &r.answer {
        Answer::Route(a) => dev.is_some() && a.oif == dev && a.gateway.or(a.via) == gateway,
        Answer::Error(_) => false,
    };
    if !r.nexthops.is_empty() {
        let list = r.nexthops.iter().map(|nh| {
            let chosen = !nh.is_group && taken(nh.gateway, nh.oif);
            object(nh, &r.links, chosen)
        });
        return Node::List(list.collect());
    }
    let hops = r.fib.as_ref().map_or(&[][..], |f| &f.nexthops[..]);
    let list = hops.iter().map(|h| {
        let dev = (h.ifindex != 0).then_some(h.ifindex);
        hop(h, &r.links, taken(h.gateway.or(h.via), dev))
    });
    Node::List(list.collect())
}

/// A nexthop object.
fn object(nh: &Nexthop, links: &Links, chosen: bool) -> Node {
    let members = nh
        .members
        .iter()
        .map(|m| Node::Obj(vec![("id", leaf(m.id)), ("weight", leaf(m.weight()))]))
        .collect();
    Node::Obj(vec![
        ("id", leaf(nh.id)),
        ("group", leaf(nh.is_group)),
        ("members", Node::List(members)),
        ("gateway", addr(nh.gateway)),
        ("dev", leaf(nh.oif.map(|d| dev_name(links, d)))),
        ("weight", leaf(Value::Null)),
        ("blackhole", leaf(nh.blackhole)),
        ("chosen", leaf(chosen)),
    ])
}

/// One nexthop of a multipath route (no object: no id).
fn hop(h: &Hop, links: &Links, chosen: bool) -> Node {
    Node::Obj(vec![
        ("id", leaf(Value::Null)),
        ("group", leaf(false)),
        ("members", Node::List(Vec::new())),
        ("gateway", addr(h.gateway.or(h.via))),
        (
            "dev",
            leaf((h.ifindex != 0).then(|| dev_name(links, h.ifindex))),
        ),
        ("weight", leaf(h.weight())),
        ("blackhole", leaf(false)),
        ("chosen", leaf(chosen)),
    ])
}

fn neighbour(r: &Report) -> Node {
    opt(r.neighbour_of, |(a, dev)| {
        let n = r.neighbour.as_ref();
        let states: Vec<String> = n
            .map(|n| n.state_names().map(|s| s.into_owned()).collect())
            .unwrap_or_default();
        let lladdr = n
            .and_then(|n| n.lladdr.as_ref())
            .map(|l| crate::render::hwaddr(l.as_bytes()));
        Node::Obj(vec![
            ("address", addr(Some(a))),
            ("dev", leaf(dev_name(&r.links, dev))),
            ("found", leaf(n.is_some())),
            ("state", leaf(json!(states))),
            ("lladdr", leaf(lladdr)),
        ])
    })
}

fn link(l: &Link, master: Option<&Link>) -> Node {
    Node::Obj(vec![
        ("name", leaf(l.name.clone())),
        ("index", leaf(l.index)),
        ("operstate", leaf(l.operstate.and_then(|s| s.name()))),
        ("carrier", leaf(l.carrier)),
        ("mtu", leaf(l.mtu)),
        ("master", leaf(master.map(|m| m.name.clone()))),
        ("master_kind", leaf(master.and_then(|m| m.kind.clone()))),
    ])
}
