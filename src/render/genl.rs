//! Generic netlink families, two ways: a table (one row per family, or
//! for one family its operations and multicast groups in detail, as
//! `genl ctrl get name NAME` shows them) and nlq's own JSON (docs/json.md
//! `## genl`). There is no `ip` dialect: `genl` has no JSON output.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::{Format, JsonArray, table, write_table};
use crate::model::genl::{Family, Group, Op, flag_names};

/// Write `families` in `format`; `detail` shows each one's operations and
/// groups in full (`nlq genl NAME`).
pub fn write(
    out: &mut dyn Write,
    format: Format,
    families: &[Family],
    detail: bool,
) -> io::Result<()> {
    match format {
        Format::Table(view) if detail => {
            for (i, f) in families.iter().enumerate() {
                write_detail(out, f, view.tty, i > 0)?;
            }
            Ok(())
        }
        Format::Table(view) => write_table(out, &list_table(families, view.tty)),
        // `--json=ip` is refused before the kernel is asked (cmd::genl).
        Format::Json(_) => {
            let mut array = JsonArray::new(out);
            for family in families {
                array.push(&NlqFamily(family))?;
            }
            array.finish()
        }
    }
}

const LIST_COLUMNS: [&str; 7] = [
    "ID", "NAME", "VERSION", "HDRSIZE", "MAXATTR", "OPS", "GROUPS",
];

/// An optional number as text, blank when absent.
fn num<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// `name(id)`: a multicast group as the list and detail show it.
fn group_text(g: &Group) -> String {
    format!(
        "{}({})",
        g.name.as_deref().unwrap_or("?"),
        g.id.map_or(Cow::Borrowed("?"), |id| id.to_string().into())
    )
}

fn list_table(families: &[Family], tty: bool) -> comfy_table::Table {
    let mut t = table(&LIST_COLUMNS, tty);
    for f in families {
        let groups: Vec<String> = f.groups.iter().map(group_text).collect();
        t.add_row(vec![
            num(f.id),
            f.name.clone().unwrap_or_default(),
            num(f.version),
            num(f.hdrsize),
            num(f.maxattr),
            f.ops.len().to_string(),
            groups.join(","),
        ]);
    }
    t
}

/// One family in detail: a heading line, then a table of operations and
/// one of multicast groups (each left out when the family has none).
fn write_detail(out: &mut dyn Write, f: &Family, tty: bool, gap: bool) -> io::Result<()> {
    if gap {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{}: id {}, version {}, hdrsize {}, maxattr {}",
        f.name.as_deref().unwrap_or("?"),
        num(f.id),
        num(f.version),
        num(f.hdrsize),
        num(f.maxattr)
    )?;
    if !f.ops.is_empty() {
        let mut t = table(&["OP", "NAME", "FLAGS"], tty);
        for op in &f.ops {
            t.add_row(vec![
                num(op.id),
                op.id.and_then(|id| f.op_name(id)).unwrap_or("").to_string(),
                op.flag_names().collect::<Vec<_>>().join(","),
            ]);
        }
        writeln!(out)?;
        write_table(out, &t)?;
    }
    if !f.groups.is_empty() {
        let mut t = table(&["GROUP", "ID"], tty);
        for g in &f.groups {
            t.add_row(vec![g.name.clone().unwrap_or_default(), num(g.id)]);
        }
        writeln!(out)?;
        write_table(out, &t)?;
    }
    Ok(())
}

/// A family in nlq's schema (docs/json.md, `## genl`).
struct NlqFamily<'a>(&'a Family);

/// The `ops` array.
struct NlqOps<'a>(&'a Family);

/// One entry of `ops`.
struct NlqOp<'a>(&'a Family, &'a Op);

/// An op's `flags` array.
struct NlqFlags(Option<u32>);

impl Serialize for NlqFamily<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut m = s.serialize_struct("Family", 7)?;
        m.serialize_field("id", &f.id)?;
        m.serialize_field("name", &f.name)?;
        m.serialize_field("version", &f.version)?;
        m.serialize_field("hdrsize", &f.hdrsize)?;
        m.serialize_field("maxattr", &f.maxattr)?;
        m.serialize_field("ops", &NlqOps(f))?;
        m.serialize_field(
            "mcast_groups",
            &f.groups.iter().map(NlqGroup).collect::<Vec<_>>(),
        )?;
        m.end()
    }
}

impl Serialize for NlqOps<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.ops.iter().map(|op| NlqOp(self.0, op)))
    }
}

impl Serialize for NlqOp<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (f, op) = (self.0, self.1);
        let mut m = s.serialize_struct("Op", 4)?;
        m.serialize_field("id", &op.id)?;
        m.serialize_field("name", &op.id.and_then(|id| f.op_name(id)))?;
        m.serialize_field("flags", &NlqFlags(op.flags))?;
        m.serialize_field("flags_raw", &op.flags)?;
        m.end()
    }
}

impl Serialize for NlqFlags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(flag_names(self.0.unwrap_or(0)))
    }
}

/// One entry of `mcast_groups`.
struct NlqGroup<'a>(&'a Group);

impl Serialize for NlqGroup<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Group", 2)?;
        m.serialize_field("name", &self.0.name)?;
        m.serialize_field("id", &self.0.id)?;
        m.end()
    }
}

#[cfg(test)]
mod tests;
