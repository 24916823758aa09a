//! `nlq routes get --explain`, two ways from one [`Report`]: for people, a
//! table of the rules looked at (priority, rule, matched, what happened)
//! between lines for the packet, nlq's decision, the kernel's answer and
//! whether they agree, the nexthops, the neighbour and the egress link;
//! and nlq's own JSON (docs/json.md, `## routes get --explain`). There is
//! no `ip` dialect: the CLI refuses `--json=ip` with `--explain`.

mod json;

use std::io::{self, Write};
use std::net::IpAddr;

use super::Format;
use super::stream::{Column, TableWriter};
use crate::model::explain::{
    Answer, Check, Decision, Fate, Outcome, Packet, Refusal, Report, Selector, Step,
};
use crate::model::link::Links;
use crate::model::nexthop::Nexthop;
use crate::model::route::Route;
use crate::model::rule::{IpProtos, PortRange};
use crate::names::Names;
use crate::render::rule::RuleCtx;
use crate::render::text::{Cidr, FastIp};

pub use json::NlqExplain;

/// The columns of the rules table, in order.
pub const COLUMNS: [Column; 4] = [
    Column::new("PRIO", "priority"),
    Column::new("RULE", "rule"),
    Column::new("MATCH", "match"),
    Column::new("RESULT", "result"),
];

/// What the renderers need besides the report.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Table, protocol and group names.
    pub names: &'a Names,
    /// IP protocol names.
    pub protos: &'a IpProtos,
}

/// Write `report` in `format` (nlq's JSON for either dialect: the CLI
/// refuses `--json=ip` before it gets here).
pub fn write(out: &mut dyn Write, format: Format, c: &Ctx<'_>, report: &Report) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            writeln!(
                out,
                "packet:    {}",
                packet(&report.packet, report.input, c)
            )?;
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for step in &report.explanation.steps {
                t.push(&step_row(step, report, c))?;
            }
            t.finish()?;
            summary(out, report, c)
        }
        Format::Json(_) => {
            let mut array = super::JsonArray::new(out);
            array.push(&NlqExplain { report, ctx: c })?;
            array.finish()
        }
    }
}

/// The lines after the rules: decision, kernel, agreement, nexthops,
/// neighbour, link.
fn summary(out: &mut dyn Write, r: &Report, c: &Ctx<'_>) -> io::Result<()> {
    writeln!(out, "nlq:       {}", decision(r, c))?;
    match &r.answer {
        Answer::Route(a) => writeln!(out, "kernel:    {}", in_table(a, &r.links, c.names))?,
        Answer::Error(e) => writeln!(out, "kernel:    error: {}", strerror(*e))?,
    }
    if let Some(f) = &r.fib {
        writeln!(out, "fib entry: {}", in_table(f, &r.links, c.names))?;
    }
    if r.disagreements.is_empty() {
        writeln!(out, "agreement: nlq's reading agrees with the kernel")?;
    } else {
        let what: Vec<String> = r
            .disagreements
            .iter()
            .map(|d| format!("{}: nlq {}, kernel {}", d.what, d.nlq, d.kernel))
            .collect();
        writeln!(
            out,
            "agreement: nlq's reading disagrees with the kernel ({}); the kernel's answer is the one that counts",
            what.join("; ")
        )?;
        if let (Answer::Route(a), Some(_)) = (&r.answer, &r.packet.oif) {
            if a.table == 0 {
                writeln!(
                    out,
                    "note:      the kernel's route is from no table: with --oif, the output path sends a packet no rule routes on link anyway"
                )?;
            }
        }
    }
    for nh in &r.nexthops {
        writeln!(out, "nexthop:   {}", nexthop(nh, &r.links))?;
    }
    if r.nexthops.is_empty() {
        for h in r.fib.iter().flat_map(|f| &f.nexthops) {
            let via = h.gateway.or(h.via).map(|g| format!("via {} ", FastIp(g)));
            let dev = dev_name(&r.links, h.ifindex);
            let w = h.weight();
            writeln!(
                out,
                "nexthop:   {}dev {dev} weight {w}",
                via.unwrap_or_default()
            )?;
        }
    }
    if let Some((addr, dev)) = r.neighbour_of {
        writeln!(out, "neighbour: {}", neighbour(r, addr, dev))?;
    }
    if let Some(l) = &r.link {
        writeln!(out, "link:      {}", link(l, r.master.as_ref()))?;
    }
    Ok(())
}

/// `to 10.1.2.3 from 0.0.0.0 iif lo (output) mark 0x0 uid 0 tos 0x00`.
fn packet(p: &Packet, input: bool, c: &Ctx<'_>) -> String {
    let mut s = format!("to {}", FastIp(p.dst));
    s += &format!(" from {}", source(p));
    s += &format!(" iif {}", p.iif.as_deref().unwrap_or("none"));
    if let Some((_, name)) = &p.oif {
        s += &format!(" oif {name}");
    }
    s += &format!(" mark {:#x} uid {} tos {:#04x}", p.mark, p.uid, p.tos);
    if p.ipproto != 0 {
        s += &format!(" ipproto {}", ipproto(c.protos, p.ipproto));
    }
    for (key, port) in [("sport", p.sport), ("dport", p.dport)] {
        if port != 0 {
            s += &format!(" {key} {port}");
        }
    }
    s += if input {
        " (input lookup)"
    } else {
        " (output lookup)"
    };
    s
}

/// The packet's source: the address, or the family's zero address.
fn source(p: &Packet) -> String {
    match (p.src, p.dst) {
        (Some(a), _) => FastIp(a).to_string(),
        (None, IpAddr::V4(_)) => "0.0.0.0".into(),
        (None, IpAddr::V6(_)) => "::".into(),
    }
}

/// One rules-table row.
fn step_row(step: &Step, r: &Report, c: &Ctx<'_>) -> [String; COLUMNS.len()] {
    let rule = &r.rules[step.rule];
    let matched = match (step.check.matched, step.jumped) {
        (true, true) => "yes (goto)",
        (true, false) => "yes",
        (false, true) => "no (goto)",
        (false, false) => "no",
    };
    [
        rule.priority.to_string(),
        rule_text(r, step.rule, c),
        matched.into(),
        result(step, r, c),
    ]
}

/// A rule in `ip rule`'s words, without its priority.
pub fn rule_text(r: &Report, i: usize, c: &Ctx<'_>) -> String {
    let ctx = RuleCtx {
        names: c.names,
        protos: c.protos,
    };
    let row = crate::render::rule::row(&r.rules[i], &ctx);
    let (not, from, to, sel, action, options) =
        (&row[2], &row[3], &row[4], &row[5], &row[6], &row[7]);
    let mut words = Vec::new();
    if !not.is_empty() {
        words.push(not.clone());
    }
    words.push(format!("from {from}"));
    if !to.is_empty() {
        words.push(format!("to {to}"));
    }
    words.extend(
        [sel, action, options]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned(),
    );
    words.join(" ")
}

/// What a step did, in words.
fn result(step: &Step, r: &Report, c: &Ctx<'_>) -> String {
    let Some(outcome) = &step.outcome else {
        return mismatch(&step.check, &r.packet, c);
    };
    // A `not` rule matched because a selector failed: say which first.
    let why = match &step.check.failed {
        Some(_) => format!(
            "{}, so `not` matches; ",
            mismatch(&step.check, &r.packet, c)
        ),
        None => String::new(),
    };
    format!("{why}{}", did(outcome, r, c))
}

/// What a matching rule did, in words.
fn did(outcome: &Outcome, r: &Report, c: &Ctx<'_>) -> String {
    let table = |t: u32| table_name(c.names, t);
    match outcome {
        Outcome::Goto {
            target,
            to: Some(_),
        } => format!("goto {target}"),
        Outcome::Goto { target, to: None } => format!("goto {target}: unresolved, next rule"),
        Outcome::Nop => "nop: next rule".into(),
        Outcome::Refuse(why) => format!("{}: {}", why.name(), strerror(why.errno())),
        Outcome::Lookup {
            table: t,
            found: None,
        } => {
            format!("table {}: no route, next rule", table(*t))
        }
        Outcome::Lookup {
            table: t,
            found: Some((i, fate)),
        } => {
            let found = route(&r.routes[*i], &r.links);
            format!(
                "table {}: {found}{}",
                table(*t),
                fate_text(*fate, &r.routes[*i])
            )
        }
    }
}

/// Why a rule did not match, or (with `not`) why it did.
fn mismatch(check: &Check, p: &Packet, c: &Ctx<'_>) -> String {
    match &check.failed {
        Some(s) => format!("{}: packet has {}", selector(s, c), packet_value(s, p, c)),
        None => "not: every selector matched".into(),
    }
}

/// The end of a table lookup's line.
fn fate_text(fate: Fate, route: &Route) -> String {
    match fate {
        Fate::Accepted => " (decides)".into(),
        Fate::Throw => " (throw: next rule)".into(),
        Fate::SuppressedPrefix(n) => format!(
            " (suppressed: /{} is not longer than suppress_prefixlength {n}; next rule)",
            route.dst_len
        ),
        Fate::SuppressedGroup(g) => {
            format!(" (suppressed: its device is in suppress_ifgroup {g}; next rule)")
        }
        Fate::Refused(why) => format!(" ({}: {})", why.name(), strerror(why.errno())),
    }
}

/// nlq's decision in words.
fn decision(r: &Report, c: &Ctx<'_>) -> String {
    let by = deciding_rule(r).map_or(String::new(), |p| format!(", rule {p}"));
    match r.explanation.decision {
        Decision::Route { route: i, table } => format!(
            "route {} in table {}{by}",
            route(&r.routes[i], &r.links),
            table_name(c.names, table)
        ),
        Decision::Refused(Refusal::NoRoute) => {
            format!(
                "no rule found a route: {}",
                strerror(Refusal::NoRoute.errno())
            )
        }
        Decision::Refused(why) => format!("{}: {}{by}", why.name(), strerror(why.errno())),
    }
}

/// The priority of the rule that decided, if one did.
pub fn deciding_rule(r: &Report) -> Option<u32> {
    match r.explanation.decision {
        Decision::Refused(Refusal::NoRoute) => None,
        _ => r.explanation.steps.last().map(|s| r.rules[s.rule].priority),
    }
}

/// A route in short: `[type] prefix [from src] [tos T] [via gw] [dev d]
/// [metric m] [nhid n]`, table left out (the caller says it).
pub fn route(r: &Route, links: &Links) -> String {
    let mut words = Vec::new();
    if !matches!(r.kind, crate::model::route::RouteType::Unicast) {
        words.push(r.kind.name().unwrap_or("unknown").to_string());
    }
    words.push(prefix(r.dst, r.dst_len));
    if r.src_len != 0 {
        words.push(format!("from {}", prefix(r.src, r.src_len)));
    }
    if r.tos != 0 {
        words.push(format!("tos {:#04x}", r.tos));
    }
    if let Some(g) = r.gateway.or(r.via) {
        words.push(format!("via {}", FastIp(g)));
    }
    if let Some(d) = r.oif {
        words.push(format!("dev {}", dev_name(links, d)));
    }
    for h in &r.nexthops {
        let via = h.gateway.or(h.via).map(|g| format!("via {} ", FastIp(g)));
        words.push(format!(
            "nexthop {}dev {} weight {}",
            via.unwrap_or_default(),
            dev_name(links, h.ifindex),
            h.weight()
        ));
    }
    if let Some(m) = r.priority.filter(|&m| m != 0) {
        words.push(format!("metric {m}"));
    }
    if let Some(src) = r.prefsrc {
        words.push(format!("src {}", FastIp(src)));
    }
    if let Some(id) = r.nhid {
        words.push(format!("nhid {id}"));
    }
    words.join(" ")
}

/// A route in short, with its table.
fn in_table(r: &Route, links: &Links, names: &Names) -> String {
    format!("{} table {}", route(r, links), table_name(names, r.table))
}

/// `default`, or the CIDR (`ip`'s host routes keep their `/32` here, so
/// a FIB entry and a host answer read differently).
fn prefix(addr: Option<IpAddr>, len: u8) -> String {
    match addr {
        Some(a) => Cidr(a, len).to_string(),
        None if len == 0 => "default".into(),
        None => format!("0/{len}"),
    }
}

/// An interface's name, or `if<N>`.
pub fn dev_name(links: &Links, index: u32) -> String {
    links
        .name(index)
        .map_or_else(|| format!("if{index}"), str::to_string)
}

/// A table's name from rt_tables, else its number.
pub fn table_name(names: &Names, id: u32) -> String {
    names
        .tables
        .name(id)
        .map_or_else(|| id.to_string(), str::to_string)
}

/// A selector in `ip rule`'s words.
pub fn selector(s: &Selector, c: &Ctx<'_>) -> String {
    let ports = |p: &PortRange| match p.start == p.end {
        true => p.start.to_string(),
        false => format!("{}-{}", p.start, p.end),
    };
    match s {
        Selector::Iif { name, detached } => format!("iif {name}{}", detached_text(*detached)),
        Selector::Oif { name, detached } => format!("oif {name}{}", detached_text(*detached)),
        Selector::Fwmark {
            mark,
            mask: u32::MAX,
        } => format!("fwmark {mark:#x}"),
        Selector::Fwmark { mark, mask } => format!("fwmark {mark:#x}/{mask:#x}"),
        Selector::TunId(id) => format!("tun_id {id}"),
        Selector::L3mdev => "l3mdev".into(),
        Selector::UidRange(u) => format!("uidrange {}-{}", u.start, u.end),
        Selector::From(a, len) => format!("from {}", prefix(*a, *len)),
        Selector::To(a, len) => format!("to {}", prefix(*a, *len)),
        Selector::Tos(t) => format!("tos {t:#04x}"),
        Selector::IpProto(p) => format!("ipproto {}", ipproto(c.protos, *p)),
        Selector::Sport(p) => format!("sport {}", ports(p)),
        Selector::Dport(p) => format!("dport {}", ports(p)),
    }
}

fn detached_text(detached: bool) -> &'static str {
    if detached { " [detached]" } else { "" }
}

/// What the packet has where selector `s` looks.
pub fn packet_value(s: &Selector, p: &Packet, c: &Ctx<'_>) -> String {
    let dev = |d: Option<&str>| d.unwrap_or("none").to_string();
    match s {
        Selector::Iif { detached: true, .. } | Selector::Oif { detached: true, .. } => {
            "any device (the rule's is gone)".into()
        }
        Selector::Iif { .. } => dev(p.iif.as_deref()),
        Selector::Oif { .. } => dev(p.oif.as_ref().map(|(_, n)| n.as_str())),
        Selector::Fwmark { .. } => format!("{:#x}", p.mark),
        Selector::TunId(_) => "no tunnel id".into(),
        Selector::L3mdev => "no VRF device".into(),
        Selector::UidRange(_) => p.uid.to_string(),
        Selector::From(..) => match p.src {
            Some(a) => FastIp(a).to_string(),
            None => format!("no source ({})", source(p)),
        },
        Selector::To(..) => FastIp(p.dst).to_string(),
        Selector::Tos(_) => format!("{:#04x}", p.tos),
        Selector::IpProto(_) if p.ipproto == 0 => "none".into(),
        Selector::IpProto(_) => ipproto(c.protos, p.ipproto),
        Selector::Sport(_) => p.sport.to_string(),
        Selector::Dport(_) => p.dport.to_string(),
    }
}

/// A protocol's name from /etc/protocols, else its number.
fn ipproto(protos: &IpProtos, p: u8) -> String {
    protos.name(p).map_or_else(|| p.to_string(), str::to_string)
}

/// An errno's text, as strerror(3) says it.
pub fn strerror(errno: i32) -> String {
    let text = io::Error::from_raw_os_error(errno).to_string();
    match text.split_once(" (os error") {
        Some((t, _)) => t.to_string(),
        None => text,
    }
}

/// A nexthop object in short.
fn nexthop(nh: &Nexthop, links: &Links) -> String {
    let mut words = vec![format!(
        "id {}",
        nh.id.map_or("?".into(), |i| i.to_string())
    )];
    if nh.is_group {
        let members: Vec<String> = nh
            .members
            .iter()
            .map(|m| format!("{}/{}", m.id, m.weight()))
            .collect();
        words.push(format!("group {}", members.join(" ")));
    }
    if let Some(g) = nh.gateway {
        words.push(format!("via {}", FastIp(g)));
    }
    if let Some(d) = nh.oif {
        words.push(format!("dev {}", dev_name(links, d)));
    }
    if nh.blackhole {
        words.push("blackhole".into());
    }
    words.join(" ")
}

/// The neighbour line: the entry's state and address, or none.
fn neighbour(r: &Report, addr: IpAddr, dev: u32) -> String {
    let at = format!("{} dev {}", FastIp(addr), dev_name(&r.links, dev));
    let Some(n) = &r.neighbour else {
        return format!("{at}: no entry (the kernel resolves it on first use)");
    };
    let states: Vec<String> = n.state_names().map(|s| s.into_owned()).collect();
    let lladdr = n
        .lladdr
        .as_ref()
        .map_or("none".into(), |l| super::hwaddr(l.as_bytes()));
    format!("{at}: {} lladdr {lladdr}", states.join(","))
}

/// The link line: state, carrier, MTU, master.
fn link(l: &crate::model::link::Link, master: Option<&crate::model::link::Link>) -> String {
    let state = l.operstate.and_then(|s| s.name()).unwrap_or("unknown");
    let carrier = match l.carrier {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    };
    let mtu = l.mtu.map_or("unknown".into(), |m| m.to_string());
    let mut s = format!("{} {state}, carrier {carrier}, mtu {mtu}", l.name);
    if let Some(m) = master {
        s += &format!(
            ", master {} ({})",
            m.name,
            m.kind.as_deref().unwrap_or("unknown kind")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::explain::{Disagreement, Explanation};
    use crate::model::route::Family;
    use crate::model::{AF_INET, explain::Answer};

    /// A report whose reading (no route) and answer (a route) differ.
    fn report() -> Report {
        let answer = Route {
            family: Family(AF_INET),
            dst: Some("192.0.2.9".parse().unwrap()),
            dst_len: 32,
            oif: Some(2),
            ..Route::default()
        };
        Report {
            packet: Packet {
                dst: "192.0.2.9".parse().unwrap(),
                src: None,
                iif: Some("lo".into()),
                oif: Some((2, "va".into())),
                mark: 0,
                uid: 0,
                ipproto: 0,
                sport: 0,
                dport: 0,
                tos: 0,
                l3mdev_table: None,
                skip_nh_oif: false,
            },
            input: false,
            rules: Vec::new(),
            routes: Vec::new(),
            explanation: Explanation {
                steps: Vec::new(),
                decision: Decision::Refused(Refusal::NoRoute),
            },
            answer: Answer::Route(Box::new(answer)),
            fib: None,
            disagreements: vec![Disagreement {
                what: "outcome",
                nlq: "errno 101".into(),
                kernel: "a route".into(),
            }],
            nexthops: Vec::new(),
            neighbour_of: None,
            neighbour: None,
            link: None,
            master: None,
            links: Links::new(),
        }
    }

    #[test]
    fn a_disagreement_is_said_plainly_in_both_forms() {
        let names = Names::builtin();
        let protos = IpProtos::new();
        let c = Ctx {
            names: &names,
            protos: &protos,
        };
        let mut out = Vec::new();
        write(
            &mut out,
            Format::Table(super::super::stream::TableView::PLAIN),
            &c,
            &report(),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("agreement: nlq's reading disagrees with the kernel (outcome: nlq errno 101, kernel a route)"),
            "{text}"
        );
        assert!(
            text.contains("note:      the kernel's route is from no table"),
            "{text}"
        );
        let mut out = Vec::new();
        write(
            &mut out,
            Format::Json(super::super::Dialect::Nlq),
            &c,
            &report(),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["agrees"], false);
        assert_eq!(v[0]["disagreements"][0]["what"], "outcome");
        assert_eq!(v[0]["decision"]["result"], "no_route");
        assert_eq!(v[0]["decision"]["errno"], 101);
    }

    #[test]
    fn selectors_and_errors_in_words() {
        let names = Names::builtin();
        let protos = IpProtos::new();
        let c = Ctx {
            names: &names,
            protos: &protos,
        };
        let fw = Selector::Fwmark {
            mark: 0x10,
            mask: 0xff,
        };
        assert_eq!(selector(&fw, &c), "fwmark 0x10/0xff");
        let p = report().packet;
        assert_eq!(packet_value(&fw, &p, &c), "0x0");
        assert_eq!(selector(&Selector::From(None, 0), &c), "from default");
        assert_eq!(strerror(libc::ENETUNREACH), "Network is unreachable");
    }
}
