//! Resilient group buckets, three ways: a table (one row per bucket),
//! nlq's own JSON (docs/json.md, `## nexthops buckets`) and the `ip -j
//! nexthop bucket` dialect (iproute2 6.1's `print_nexthop_bucket`, key for
//! key and in its order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::json::{JsonObject, Obj, key};
use super::nexthop::{IpFlags, IpTime, Seconds, flag_names};
use super::stream::{Column, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::nexthop_bucket::Bucket;
use crate::render::json::{Entries, entries_serialize};

/// Write `buckets` in `format`.
pub fn write(out: &mut dyn Write, format: Format, buckets: &[Bucket]) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for b in buckets {
                t.push(&row(b))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for b in buckets {
                match dialect {
                    Dialect::Nlq => array.push(&NlqBucket(b))?,
                    Dialect::Ip => array.push_object(&IpBucket(b))?,
                }
            }
            array.finish()
        }
    }
}

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 5] = [
    Column::new("ID", "id"),
    Column::new("INDEX", "index"),
    Column::new("NHID", "nhid"),
    Column::new("IDLE", "idle_time"),
    Column::new("FLAGS", "flags").hide_if(""),
];

/// Render `b` as a table row: a cell per column (ID ... FLAGS).
pub fn row(b: &Bucket) -> [String; COLUMNS.len()] {
    let text = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let flags: Vec<_> = flag_names(b.flags, true).collect();
    [
        text(b.id.map(u64::from)),
        text(b.index.map(u64::from)),
        text(b.nhid.map(u64::from)),
        b.idle_seconds().map(|s| format!("{s}")).unwrap_or_default(),
        flags.join(","),
    ]
}

/// A bucket in nlq's own JSON: every key always present.
struct NlqBucket<'a>(&'a Bucket);

impl Entries for NlqBucket<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let b = self.0;
        m.serialize_entry("id", &b.id)?;
        m.serialize_entry("index", &b.index)?;
        m.serialize_entry("nhid", &b.nhid)?;
        m.serialize_entry("idle_time", &b.idle_time.map(Seconds))?;
        let flags: Vec<_> = flag_names(b.flags, true).collect();
        m.serialize_entry("flags", &flags)?;
        Ok(())
    }
}

entries_serialize!(NlqBucket<'_>);

/// A bucket in the `ip -j nexthop bucket` dialect: `id`, `bucket`
/// (`index`, `idle_time`, `nhid`, each only when the kernel sent it),
/// `flags`.
struct IpBucket<'a>(&'a Bucket);

impl JsonObject for IpBucket<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        let b = self.0;
        if let Some(id) = b.id {
            m.entry(key!("id"), &id)?;
        }
        m.entry(key!("bucket"), &IpInner(b))?;
        m.entry(key!("flags"), &IpFlags(b.flags))
    }
}

/// print_nh_res_bucket's object.
struct IpInner<'a>(&'a Bucket);

impl Serialize for IpInner<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = self.0;
        let mut m = s.serialize_map(None)?;
        if let Some(i) = b.index {
            m.serialize_entry("index", &i)?;
        }
        if let Some(t) = b.idle_time {
            m.serialize_entry("idle_time", &IpTime(t))?;
        }
        if let Some(n) = b.nhid {
            m.serialize_entry("nhid", &n)?;
        }
        m.end()
    }
}

impl super::event::Shown for Bucket {
    fn kind(&self) -> &'static str {
        "bucket"
    }
    fn json(&self, o: &mut Obj<'_>, _: &super::event::View<'_>) -> io::Result<()> {
        Ok(NlqBucket(self).entries(o)?)
    }
    fn text(&self, _: &super::event::View<'_>) -> String {
        super::event::labelled(&COLUMNS, &row(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::stream::TableView;

    fn bucket() -> Bucket {
        Bucket {
            id: Some(10),
            index: Some(3),
            idle_time: Some(150),
            nhid: Some(2),
            flags: 0x10,
            ..Bucket::default()
        }
    }

    fn out(format: Format, b: &Bucket) -> String {
        let mut v = Vec::new();
        write(&mut v, format, std::slice::from_ref(b)).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn ip_dialect_in_ips_order() {
        assert_eq!(
            out(Format::Json(Dialect::Ip), &bucket()),
            "[\n{\"id\":10,\"bucket\":{\"index\":3,\"idle_time\":1.5,\"nhid\":2},\"flags\":[\"linkdown\"]}\n]\n"
        );
        let empty = Bucket::default();
        assert_eq!(
            out(Format::Json(Dialect::Ip), &empty),
            "[\n{\"bucket\":{},\"flags\":[]}\n]\n"
        );
    }

    #[test]
    fn nlq_dialect_is_total() {
        let v: serde_json::Value =
            serde_json::from_str(&out(Format::Json(Dialect::Nlq), &bucket())).unwrap();
        assert_eq!(
            v[0],
            serde_json::json!({"id": 10, "index": 3, "nhid": 2, "idle_time": 1.5, "flags": ["linkdown"]})
        );
        let v: serde_json::Value =
            serde_json::from_str(&out(Format::Json(Dialect::Nlq), &Bucket::default())).unwrap();
        assert_eq!(
            v[0],
            serde_json::json!({"id": null, "index": null, "nhid": null, "idle_time": null, "flags": []})
        );
    }

    #[test]
    fn table_row() {
        assert_eq!(row(&bucket()), ["10", "3", "2", "1.5", "linkdown"]);
        let text = out(Format::Table(TableView::default()), &bucket());
        assert!(text.contains("IDLE") && text.contains("linkdown"), "{text}");
    }
}
