//! Nexthop objects, three ways: a table (one row per nexthop), nlq's own
//! JSON (docs/json.md, `## nexthops`) and the `ip -j nexthop show`
//! dialect (iproute2 6.1's `__print_nexthop_entry`, key for key and in its
//! order).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use super::json::{JsonObject, Obj, key};
use super::route::{EncapText, NlqEncap, ip_encap};
use super::stream::{Column, Paint, TableWriter};
use super::text::{self, FastIp};
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::nexthop::{CLOCK_HZ, GroupType, Member, Nexthop, Resilient};
use crate::model::route::IP_FLAG_NAMES;
use crate::names::Names;
use crate::render::json::{Entries, entries_serialize};

/// What the renderers need besides the nexthop.
#[derive(Debug, Clone, Copy)]
pub struct NhCtx<'a> {
    /// Scope and protocol names.
    pub names: &'a Names,
    /// Interface names.
    pub links: &'a LinkNames,
}

/// Write `nexthops` in `format`.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &NhCtx<'_>,
    nexthops: &[Nexthop],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for nh in nexthops {
                t.push(&row(nh, ctx))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for nh in nexthops {
                match dialect {
                    Dialect::Nlq => array.push(&NlqNexthop { nh, ctx })?,
                    Dialect::Ip => array.push_object(&IpNexthop { nh, ctx })?,
                }
            }
            array.finish()
        }
    }
}

// ---------------------------------------------------------------------------
// Shared pieces.

/// A name from an editable table, or the number as text.
fn name_or(name: Option<&str>, v: u8) -> Cow<'_, str> {
    name.map_or_else(|| v.to_string().into(), Cow::Borrowed)
}

/// A nexthop's family: `inet`, `inet6`, `unspec` (groups), else the
/// number as text.
fn family_text(f: u8) -> Cow<'static, str> {
    match f {
        0 => "unspec".into(),
        f => text::family_text(f),
    }
}

/// The group type's name, or its number as text.
fn type_text(t: GroupType) -> Cow<'static, str> {
    t.name()
        .map_or_else(|| t.to_u16().to_string().into(), Cow::Borrowed)
}

/// The interface `ip` names (ll_index_to_name): the name, or `if<N>`.
fn if_name(links: &LinkNames, index: u32) -> Cow<'_, str> {
    links
        .name(index)
        .map_or_else(|| format!("if{index}").into(), Cow::Borrowed)
}

/// The RTNH_F_* names of `flags` in `ip`'s order; unknown bits as one hex
/// string when `rest` is set.
pub(super) fn flag_names(flags: u32, rest: bool) -> impl Iterator<Item = Cow<'static, str>> {
    let known = IP_FLAG_NAMES.iter().fold(0, |acc, &(bit, _)| acc | bit);
    let unknown = flags & !known;
    IP_FLAG_NAMES
        .iter()
        .filter(move |&&(bit, _)| flags & bit != 0)
        .map(|&(_, name)| Cow::Borrowed(name))
        .chain((rest && unknown != 0).then(|| Cow::Owned(format!("{unknown:#x}"))))
}

/// C's `printf("%g")`: six significant digits, trailing zeros dropped,
/// an exponent of at least two digits outside 1e-4 ..= 1e6.
pub fn fmt_g(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v.is_nan() {
            "nan".into()
        } else {
            format!("{v}")
        };
    }
    let sci = format!("{v:.5e}"); // rounded to six digits: "1.23457e6"
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&x) {
        let sign = if x < 0 { '-' } else { '+' };
        return format!("{}e{sign}{:02}", trim_fraction(mant), x.unsigned_abs());
    }
    let decimals = (5 - x) as usize;
    trim_fraction(&format!("{v:.decimals$}")).to_string()
}

/// "1.500" → "1.5", "2.000" → "2"; text without a point is left alone.
fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Resilient group times for people: seconds, exact to the clock tick
/// (`ip` prints `%g`, six digits).
fn ticks_text(ticks: u64) -> String {
    let (secs, frac) = (ticks / CLOCK_HZ, ticks % CLOCK_HZ);
    match frac {
        0 => secs.to_string(),
        f if f % 10 == 0 => format!("{secs}.{}", f / 10),
        f => format!("{secs}.{f:02}"),
    }
}

// ---------------------------------------------------------------------------
// The table.

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 10] = [
    Column::new("ID", "id"),
    Column::new("FAMILY", "family"),
    Column::new("TYPE", "type").hide_if(""),
    Column::new("GROUP", "group").hide_if(""),
    Column::new("GATEWAY", "gateway")
        .hide_if("")
        .paint(Paint::Addr),
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("SCOPE", "scope"),
    Column::new("PROTO", "protocol"),
    Column::new("FLAGS", "flags").hide_if(""),
    Column::new("INFO", "info").hide_if(""),
];

/// Render `nh` as a table row: a cell per column (ID ... INFO).
pub fn row(nh: &Nexthop, c: &NhCtx<'_>) -> [String; COLUMNS.len()] {
    let kind = match nh.kind() {
        Some(t) => type_text(t).into_owned(),
        None if nh.blackhole => "blackhole".into(),
        None => String::new(),
    };
    let family = match nh.family {
        0 => String::new(),
        f => family_text(f).into_owned(),
    };
    let flags: Vec<_> = flag_names(nh.flags, true).collect();
    [
        nh.id.map(|i| i.to_string()).unwrap_or_default(),
        family,
        kind,
        group_text(&nh.members),
        nh.gateway
            .map(|g| FastIp(g).to_string())
            .unwrap_or_default(),
        nh.oif
            .map(|i| if_name(c.links, i).into_owned())
            .unwrap_or_default(),
        name_or(c.names.scopes.name(nh.scope.into()), nh.scope).into_owned(),
        name_or(c.names.protos.name(nh.protocol.into()), nh.protocol).into_owned(),
        flags.join(","),
        info(nh),
    ]
}

/// The members as `ip nexthop add ... group` takes them: `id[,weight]`
/// joined by `/`, the weight left out when it is 1.
fn group_text(members: &[Member]) -> String {
    let mut s = String::new();
    for (i, m) in members.iter().enumerate() {
        let sep = if i == 0 { "" } else { "/" };
        let _ = write!(s, "{sep}{}", m.id); // writing to a String cannot fail
        if m.weight() != 1 {
            let _ = write!(s, ",{}", m.weight());
        }
    }
    s
}

/// The INFO cell: fdb, resilient parameters and encapsulation as words.
fn info(nh: &Nexthop) -> String {
    let mut words: Vec<String> = Vec::new();
    if nh.fdb {
        words.push("fdb".into());
    }
    if let Some(r) = &nh.resilient {
        let opt = |name: &str, v: Option<String>| v.map(|v| format!("{name} {v}"));
        words.extend(opt("buckets", r.buckets.map(|b| b.to_string())));
        words.extend(opt(
            "idle_timer",
            r.idle_timer.map(|t| ticks_text(t.into())),
        ));
        let unbalanced = r.unbalanced_timer.map(|t| ticks_text(t.into()));
        words.extend(opt("unbalanced_timer", unbalanced));
        words.extend(opt("unbalanced_time", r.unbalanced_time.map(ticks_text)));
    }
    if let Some(e) = &nh.encap {
        words.push(format!("encap {}", EncapText(e)));
    }
    words.join(" ")
}

// ---------------------------------------------------------------------------
// nlq's own schema.

/// A nexthop in nlq's JSON schema: every key always present.
pub struct NlqNexthop<'a> {
    /// The nexthop.
    pub nh: &'a Nexthop,
    /// Names.
    pub ctx: &'a NhCtx<'a>,
}

impl Entries for NlqNexthop<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (nh, c) = (self.nh, self.ctx);
        m.serialize_entry("id", &nh.id)?;
        m.serialize_entry("family", &family_text(nh.family))?;
        m.serialize_entry("group_type", &nh.kind().map(type_text))?;
        m.serialize_entry("group", &NlqMembers(&nh.members))?;
        m.serialize_entry("resilient", &nh.resilient.as_ref().map(NlqResilient))?;
        m.serialize_entry("gateway", &nh.gateway.map(FastIp))?;
        m.serialize_entry("dev", &nh.oif.and_then(|i| c.links.name(i)))?;
        m.serialize_entry("ifindex", &nh.oif)?;
        m.serialize_entry("blackhole", &nh.blackhole)?;
        m.serialize_entry("fdb", &nh.fdb)?;
        m.serialize_entry("scope", &c.names.scopes.name(nh.scope.into()))?;
        m.serialize_entry("scope_id", &nh.scope)?;
        m.serialize_entry("protocol", &c.names.protos.name(nh.protocol.into()))?;
        m.serialize_entry("protocol_id", &nh.protocol)?;
        m.serialize_entry("flags", &NlqFlags(nh.flags))?;
        m.serialize_entry("encap", &nh.encap.as_ref().map(NlqEncap))?;
        Ok(())
    }
}

entries_serialize!(NlqNexthop<'_>);

/// `[{"id": 1, "weight": 3}, ...]` with the true weight.
struct NlqMembers<'a>(&'a [Member]);

impl Serialize for NlqMembers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for m in self.0 {
            seq.serialize_element(&MemberObj {
                id: m.id,
                weight: m.weight(),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct MemberObj {
    id: u32,
    weight: u32,
}

/// The flags, unknown bits as one hex string.
struct NlqFlags(u32);

impl Serialize for NlqFlags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(flag_names(self.0, true))
    }
}

/// Seconds from clock ticks: an integer when whole, else a fraction.
pub(super) struct Seconds(pub(super) u64);

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % CLOCK_HZ == 0 {
            s.serialize_u64(self.0 / CLOCK_HZ)
        } else {
            s.serialize_f64(self.0 as f64 / CLOCK_HZ as f64)
        }
    }
}

/// `{"buckets", "idle_timer", "unbalanced_timer", "unbalanced_time"}`,
/// times in seconds, `null` where the kernel sent nothing.
struct NlqResilient<'a>(&'a Resilient);

impl Serialize for NlqResilient<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let secs = |v: Option<u32>| v.map(|t| Seconds(t.into()));
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("buckets", &r.buckets)?;
        m.serialize_entry("idle_timer", &secs(r.idle_timer))?;
        m.serialize_entry("unbalanced_timer", &secs(r.unbalanced_timer))?;
        m.serialize_entry("unbalanced_time", &r.unbalanced_time.map(Seconds))?;
        m.end()
    }
}

// ---------------------------------------------------------------------------
// The `ip -j nexthop show` dialect.

/// A nexthop in the `ip -j nexthop show` dialect (a superset of iproute2
/// 6.1).
pub struct IpNexthop<'a> {
    /// The nexthop.
    pub nh: &'a Nexthop,
    /// Names.
    pub ctx: &'a NhCtx<'a>,
}

impl JsonObject for IpNexthop<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        ip_group(m, self.nh)?;
        ip_single(m, self.nh, self.ctx)
    }
}

/// `id`, `group`, `type`, `resilient_args`.
fn ip_group(m: &mut Obj<'_>, nh: &Nexthop) -> io::Result<()> {
    m.entry(key!("id"), &nh.id.unwrap_or(0))?;
    if !nh.members.is_empty() {
        m.entry(key!("group"), &IpMembers(&nh.members))?;
    }
    match nh.group_type {
        None | Some(GroupType::Mpath) => {} // "not to break existing output"
        Some(GroupType::Resilient) => m.entry(key!("type"), "resilient")?,
        Some(GroupType::Unknown(_)) => m.entry(key!("type"), "<unknown type>")?,
    }
    if let Some(r) = &nh.resilient {
        m.entry(key!("resilient_args"), &IpResilient(r))?;
    }
    Ok(())
}

/// `encap` ..., `gateway`, `dev`, `scope`, `blackhole`, `protocol`,
/// `flags`, `fdb`.
fn ip_single(m: &mut Obj<'_>, nh: &Nexthop, c: &NhCtx<'_>) -> io::Result<()> {
    if let Some(e) = &nh.encap {
        ip_encap(m, e)?; // its "id" repeats the nexthop's key, as in ip
    }
    if let Some(gw) = nh.gateway {
        m.entry(key!("gateway"), &FastIp(gw))?;
    }
    if let Some(oif) = nh.oif.filter(|&i| i != 0) {
        m.entry(key!("dev"), &if_name(c.links, oif))?;
    }
    if nh.scope != 0 {
        let name = c.names.scopes.name(nh.scope.into());
        m.entry(key!("scope"), &name_or(name, nh.scope))?;
    }
    if nh.blackhole {
        m.entry(key!("blackhole"), &())?;
    }
    if nh.protocol != 0 {
        let name = c.names.protos.name(nh.protocol.into());
        m.entry(key!("protocol"), &name_or(name, nh.protocol))?;
    }
    m.entry(key!("flags"), &IpFlags(nh.flags))?;
    if nh.fdb {
        m.entry(key!("fdb"), &())?;
    }
    Ok(())
}

/// `[{"id": 1, "weight": 3}, {"id": 3}]`: weight 1 left out (print_nh_group).
struct IpMembers<'a>(&'a [Member]);

impl Serialize for IpMembers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for m in self.0 {
            seq.serialize_element(&IpMember(m))?;
        }
        seq.end()
    }
}

struct IpMember<'a>(&'a Member);

impl Serialize for IpMember<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.0.id)?;
        if let Some(w) = self.0.ip_weight() {
            m.serialize_entry("weight", &w)?;
        }
        m.end()
    }
}

/// print_rt_flags: the known flags only.
pub(super) struct IpFlags(pub(super) u32);

impl Serialize for IpFlags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(flag_names(self.0, false))
    }
}

/// print_nh_res_group: every key, 0 for what the kernel did not send.
struct IpResilient<'a>(&'a Resilient);

impl Serialize for IpResilient<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("buckets", &r.buckets.unwrap_or(0))?;
        m.serialize_entry("idle_timer", &IpTime(r.idle_timer.unwrap_or(0).into()))?;
        let unbalanced = r.unbalanced_timer.unwrap_or(0).into();
        m.serialize_entry("unbalanced_timer", &IpTime(unbalanced))?;
        m.serialize_entry("unbalanced_time", &IpTime(r.unbalanced_time.unwrap_or(0)))?;
        m.end()
    }
}

/// A time as print_tv writes it: clock ticks through `__jiffies_to_tv`
/// (10,000 µs a tick, in wrapping 64-bit arithmetic) to a double, printed
/// with `%g`; the JSON number that text parses to.
pub(super) struct IpTime(pub(super) u64);

impl IpTime {
    fn seconds(&self) -> f64 {
        let usec = self.0.wrapping_mul(10_000);
        let (sec, frac) = (usec / 1_000_000, usec % 1_000_000);
        sec as f64 + frac as f64 / 1_000_000.0
    }
}

impl Serialize for IpTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = fmt_g(self.seconds());
        match text.parse::<u64>() {
            Ok(whole) => s.serialize_u64(whole),
            Err(_) => s.serialize_f64(text.parse().unwrap_or(f64::NAN)),
        }
    }
}

impl super::event::Shown for Nexthop {
    fn kind(&self) -> &'static str {
        "nexthop"
    }
    fn json(&self, o: &mut Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let ctx = NhCtx {
            names: view.names,
            links: view.link_names,
        };
        Ok(NlqNexthop {
            nh: self,
            ctx: &ctx,
        }
        .entries(o)?)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        let ctx = NhCtx {
            names: view.names,
            links: view.link_names,
        };
        super::event::labelled(&COLUMNS, &row(self, &ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AF_INET;
    use serde_json::{Value, json};

    #[test]
    fn g_like_c() {
        for (v, want) in [
            (0.0, "0"),
            (100.0, "100"),
            (0.5, "0.5"),
            (1.25, "1.25"),
            (123456.0, "123456"),
            (1234567.0, "1.23457e+06"),
            (1e6, "1e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (42949672.95, "4.29497e+07"),
        ] {
            assert_eq!(fmt_g(v), want, "{v}");
        }
    }

    #[test]
    fn ip_times_parse_like_ip_text() {
        let v = |ticks| serde_json::to_value(IpTime(ticks)).unwrap();
        assert_eq!(v(10_000), json!(100));
        assert_eq!(v(150), json!(1.5));
        let big: Value = serde_json::from_str("1.23457e+06").unwrap();
        assert_eq!(v(123_456_700), big, "the number ip's text parses to");
        assert_eq!(fmt_g(IpTime(123_456_700).seconds()), "1.23457e+06");
    }

    fn names_links() -> (Names, LinkNames) {
        let mut links = LinkNames::new();
        links.insert(3, "v0");
        (Names::builtin(), links)
    }

    fn ip(nh: &Nexthop) -> String {
        let (names, links) = names_links();
        let ctx = NhCtx {
            names: &names,
            links: &links,
        };
        IpNexthop { nh, ctx: &ctx }.to_json()
    }

    #[test]
    fn ip_dialect_single_and_group() {
        let single = Nexthop {
            id: Some(3),
            family: AF_INET,
            scope: 253,
            flags: 4,
            gateway: Some("10.9.9.9".parse().unwrap()),
            oif: Some(3),
            ..Nexthop::default()
        };
        assert_eq!(
            ip(&single),
            r#"{"id":3,"gateway":"10.9.9.9","dev":"v0","scope":"link","flags":["onlink"]}"#
        );
        let group = Nexthop {
            id: Some(11),
            is_group: true,
            members: vec![
                Member {
                    id: 1,
                    weight_raw: 0,
                },
                Member {
                    id: 3,
                    weight_raw: 4,
                },
            ],
            group_type: Some(GroupType::Resilient),
            resilient: Some(Resilient {
                buckets: Some(8),
                idle_timer: Some(10_000),
                ..Resilient::default()
            }),
            protocol: 4,
            fdb: true,
            ..Nexthop::default()
        };
        assert_eq!(
            ip(&group),
            r#"{"id":11,"group":[{"id":1},{"id":3,"weight":5}],"type":"resilient","resilient_args":{"buckets":8,"idle_timer":100,"unbalanced_timer":0,"unbalanced_time":0},"protocol":"static","flags":[],"fdb":null}"#
        );
        let blackhole = Nexthop {
            blackhole: true,
            oif: Some(9),
            ..Nexthop::default()
        };
        assert_eq!(
            ip(&blackhole),
            r#"{"id":0,"dev":"if9","blackhole":null,"flags":[]}"#
        );
    }

    #[test]
    fn nlq_dialect_is_total_and_table_reads() {
        let (names, links) = names_links();
        let ctx = NhCtx {
            names: &names,
            links: &links,
        };
        let nh = Nexthop {
            id: Some(10),
            is_group: true,
            members: vec![Member {
                id: 1,
                weight_raw: 2,
            }],
            resilient: Some(Resilient {
                idle_timer: Some(150),
                ..Resilient::default()
            }),
            flags: 0x1_0004,
            ..Nexthop::default()
        };
        let v = serde_json::to_value(NlqNexthop { nh: &nh, ctx: &ctx }).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 16);
        assert_eq!(v["family"], "unspec");
        assert_eq!(v["group_type"], "mpath");
        assert_eq!(v["group"], json!([{"id": 1, "weight": 3}]));
        assert_eq!(
            v["resilient"],
            json!({"buckets": null, "idle_timer": 1.5, "unbalanced_timer": null, "unbalanced_time": null})
        );
        assert_eq!(v["flags"], json!(["onlink", "0x10000"]));
        assert_eq!(v["scope"], "global");
        assert_eq!(v["protocol"], "unspec");
        let r = row(&nh, &ctx);
        assert_eq!(r[0], "10");
        assert_eq!(r[2], "mpath");
        assert_eq!(r[3], "1,3");
        assert_eq!(r[9], "idle_timer 1.5");
        assert_eq!(
            (ticks_text(123_456_700), ticks_text(5), ticks_text(0)),
            ("1234567".into(), "0.05".into(), "0".into())
        );
    }
}

#[cfg(test)]
mod proptests;
