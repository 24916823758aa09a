//! Kind data (IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA) in nlq's own JSON and
//! in the table's INFO cell.
//!
//! nlq's JSON keeps ip's keys and order (docs/json.md, "links: kind
//! data") but types every value: numbers ip writes in hexadecimal are
//! numbers, timers are seconds, an interface index becomes its name and
//! `KEY_index`, and a value ip spells as text (`KindValue::Spelled`) is
//! printed as the typed value behind it. The INFO cell shows a kind's
//! essentials (see `model::link::essentials`) as `key value` pairs, with
//! ip's spelling of each value.

use std::fmt::{self, Write as _};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::ip::{BridgeId, IpKindValue};
use super::{Colons, LinkCtx};
use crate::model::link::{KindData, KindField, KindValue, Link, essentials, slave_essentials};
use crate::render::text::FastIp;

/// One link's kind data, or its port data, in nlq's JSON.
pub(super) struct NlqKindData<'a> {
    pub(super) data: &'a KindData,
    pub(super) ctx: &'a LinkCtx<'a>,
}

impl Serialize for NlqKindData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields(&self.data.fields, self.ctx, s)
    }
}

fn fields<S: Serializer>(fields: &[KindField], ctx: &LinkCtx<'_>, s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(None)?;
    for f in fields {
        match typed(&f.value) {
            KindValue::Link(i) => {
                m.serialize_entry(f.key, &ctx.links.name(*i))?;
                m.serialize_entry(&format_args!("{}_index", f.key), i)?;
            }
            value => m.serialize_entry(f.key, &NlqKindValue { value, ctx })?,
        }
    }
    m.end()
}

/// The typed value behind any number of `Spelled` layers.
fn typed(mut value: &KindValue) -> &KindValue {
    while let KindValue::Spelled { nlq, .. } = value {
        value = nlq;
    }
    value
}

/// One value, typed.
struct NlqKindValue<'a> {
    value: &'a KindValue,
    ctx: &'a LinkCtx<'a>,
}

impl Serialize for NlqKindValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            KindValue::Spelled { nlq, .. } => NlqKindValue {
                value: nlq,
                ctx: self.ctx,
            }
            .serialize(s),
            KindValue::Uint(v) | KindValue::Hex(v) => s.serialize_u64(*v),
            KindValue::Int(v) => s.serialize_i64(*v),
            KindValue::Bool(v) => s.serialize_bool(*v),
            KindValue::Text(v) => s.serialize_str(v),
            KindValue::Ip(v) => s.collect_str(&FastIp(*v)),
            KindValue::Centis(v) => s.serialize_f64(*v as f64 / 100.0),
            // Only reached inside a List or Object: fields() splits the
            // top-level ones into a name and an index.
            KindValue::Link(i) => s.serialize_u32(*i),
            KindValue::Hw(a) => s.collect_str(&Colons(a.as_bytes())),
            KindValue::BridgeId { prio, addr } => s.collect_str(&BridgeId(prio, addr)),
            KindValue::Object(f) => fields(f, self.ctx, s),
            KindValue::List(l) => s.collect_seq(l.iter().map(|a| Colons(a.as_bytes()).to_string())),
            KindValue::Array(items) => s.collect_seq(items.iter().map(|value| NlqKindValue {
                value,
                ctx: self.ctx,
            })),
            KindValue::Null => s.serialize_unit(),
            KindValue::Ips(l) => s.collect_seq(l.iter().map(|ip| FastIp(*ip))),
            KindValue::Names(l) => s.collect_seq(l),
            KindValue::IpNull(value) => NlqKindValue {
                value,
                ctx: self.ctx,
            }
            .serialize(s),
        }
    }
}

/// The INFO cell: the essentials of the link's kind, then those of its
/// port data, as `key value` pairs in ip's spelling ("id 100 protocol
/// 802.1Q"); empty for kinds nlq does not decode.
pub(crate) fn info(l: &Link, ctx: &LinkCtx<'_>) -> String {
    let mut cell = String::new();
    if let (Some(kind), Some(data)) = (&l.kind, &l.kind_data) {
        pairs(&mut cell, essentials(kind), data, ctx);
    }
    if let (Some(kind), Some(data)) = (&l.slave_kind, &l.slave_data) {
        pairs(&mut cell, slave_essentials(kind), data, ctx);
    }
    cell
}

fn pairs(cell: &mut String, keys: &[&str], data: &KindData, ctx: &LinkCtx<'_>) {
    for key in keys {
        let Some(f) = data.fields.iter().find(|f| f.key == *key) else {
            continue;
        };
        let sep = if cell.is_empty() { "" } else { " " };
        let _ = write!(cell, "{sep}{key} {}", Text(&f.value, ctx));
    }
}

/// A value as ip's JSON spells it, without JSON quoting.
struct Text<'a>(&'a KindValue, &'a LinkCtx<'a>);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::to_value(IpKindValue {
            value: self.0,
            ctx: self.1,
        })
        .map_err(|_| fmt::Error)?;
        match json {
            serde_json::Value::String(s) => f.write_str(&s),
            serde_json::Value::Array(a) => {
                let items: Vec<String> = a.iter().map(|v| v.to_string().replace('"', "")).collect();
                f.write_str(&items.join(","))
            }
            v => write!(f, "{v}"),
        }
    }
}
