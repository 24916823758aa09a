//! nlq's own rule schema (docs/json.md, `## rules`): total and typed.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{NameOr, RuleCtx, Str, fwmark, prefix};
use crate::model::rule::{PortRange, Rule, UidRange};
use crate::render::json::{Entries, entries_serialize};
use crate::render::route::NlqRealms;

/// A rule in nlq's JSON schema: every key always present.
pub struct NlqRule<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Names.
    pub ctx: &'a RuleCtx<'a>,
}

impl Entries for NlqRule<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        nlq_match(m, self.rule, self.ctx)?;
        nlq_action(m, self.rule, self.ctx)?;
        Ok(())
    }
}

entries_serialize!(NlqRule<'_>);

/// family, priority, and every selector.
fn nlq_match<M: SerializeMap>(m: &mut M, r: &Rule, c: &RuleCtx<'_>) -> Result<(), M::Error> {
    let family = r.family;
    m.serialize_entry("family", &Str(NameOr(family.name(), family.0.into())))?;
    m.serialize_entry("priority", &r.priority)?;
    m.serialize_entry("not", &r.invert())?;
    m.serialize_entry("from", &prefix(r, r.src, r.src_len).map(Str))?;
    m.serialize_entry("to", &prefix(r, r.dst, r.dst_len).map(Str))?;
    m.serialize_entry("tos", &r.tos)?;
    let tos = (r.tos != 0).then_some(r.tos);
    m.serialize_entry(
        "dsfield",
        &tos.and_then(|t| c.names.dsfields.name(t.into())),
    )?;
    let mark = fwmark(r);
    m.serialize_entry("fwmark", &mark.map(|(v, _)| v))?;
    m.serialize_entry("fwmask", &mark.map(|(_, v)| v))?;
    m.serialize_entry("iif", &r.iif)?;
    m.serialize_entry("iif_detached", &r.iif_detached())?;
    m.serialize_entry("oif", &r.oif)?;
    m.serialize_entry("oif_detached", &r.oif_detached())?;
    m.serialize_entry("l3mdev", &r.is_l3mdev())?;
    m.serialize_entry("uid_range", &r.uid_range.map(Uids))?;
    m.serialize_entry("ipproto", &r.ip_proto.and_then(|p| c.protos.name(p)))?;
    m.serialize_entry("ipproto_id", &r.ip_proto)?;
    m.serialize_entry("sport", &r.sport.map(Ports))?;
    m.serialize_entry("dport", &r.dport.map(Ports))?;
    m.serialize_entry("tun_id", &r.tun_id)
}

/// action, table, goto, suppressors, realms, protocol, flags.
fn nlq_action<M: SerializeMap>(m: &mut M, r: &Rule, c: &RuleCtx<'_>) -> Result<(), M::Error> {
    let n = c.names;
    let action = r.action;
    m.serialize_entry("action", &Str(NameOr(action.name(), action.to_u8().into())))?;
    let table = (r.table != 0).then_some(r.table);
    m.serialize_entry("table", &table.and_then(|t| n.tables.name(t)))?;
    m.serialize_entry("table_id", &table)?;
    m.serialize_entry("goto", &r.goto)?;
    m.serialize_entry("unresolved", &r.unresolved())?;
    m.serialize_entry("suppress_prefixlen", &r.suppress_prefixlen())?;
    let group = r.suppress_ifgroup();
    m.serialize_entry("suppress_ifgroup", &group.and_then(|g| n.groups.name(g)))?;
    m.serialize_entry("suppress_ifgroup_id", &group)?;
    m.serialize_entry("realms", &r.flow.map(|f| NlqRealms(f, n)))?;
    let proto = r.protocol;
    m.serialize_entry("protocol", &proto.and_then(|p| n.protos.name(p.into())))?;
    m.serialize_entry("protocol_id", &proto)?;
    m.serialize_entry("flags", &Flags(r))
}

/// `{"start": n, "end": n}` of a uid range.
struct Uids(UidRange);

impl Serialize for Uids {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("start", &self.0.start)?;
        m.serialize_entry("end", &self.0.end)?;
        m.end()
    }
}

/// `{"start": n, "end": n}` of a port range.
struct Ports(PortRange);

impl Serialize for Ports {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("start", &self.0.start)?;
        m.serialize_entry("end", &self.0.end)?;
        m.end()
    }
}

/// The FIB_RULE_* flag names.
struct Flags<'a>(&'a Rule);

impl Serialize for Flags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.flag_names())
    }
}
