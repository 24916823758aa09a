//! `nlq diff`'s output: the changes between two snapshots, as text
//! grouped by kind (a heading per kind, a line per object, a line per
//! changed field) or as nlq's JSON (docs/json.md `## diff`).

use std::io::{self, Write};

use serde_json::Value;

use super::json::{Obj, key};
use crate::model::snapshot::{Change, What};

/// The keys that name an object in a line of text, per kind: the first
/// one's value alone, then `key value` pairs of those that are set.
fn label_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "link" => &["name", "index"],
        "addr" => &["cidr", "dev"],
        "route" => &[
            "dst",
            "dst_labels",
            "from",
            "table",
            "metric",
            "dev",
            "gateway",
            "nhid",
        ],
        "neigh" => &["dst", "dev"],
        "rule" => &[
            "priority", "from", "to", "iif", "oif", "fwmark", "table", "action",
        ],
        "nexthop" => &["id", "gateway", "dev", "group_type"],
        _ => &[],
    }
}

/// A value as text: strings bare, anything else as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The object in a few words (`10.0.0.0/24 table main dev v1`); a name
/// that is `null` (a table no file names) stands in by its `_id` number.
pub fn label(change: &Change) -> String {
    let obj = change.new.as_ref().or(change.old.as_ref());
    let mut words: Vec<String> = Vec::new();
    let get = |k: &str| obj.and_then(|o| o.get(k)).filter(|v| !v.is_null());
    for &k in label_keys(change.kind.name) {
        // A table no file names: its number (`table_id`).
        let Some(v) = get(k).or_else(|| get(&format!("{k}_id"))) else {
            continue;
        };
        match words.is_empty() {
            true => words.push(text(v)),
            false => words.push(format!("{k} {}", text(v))),
        }
    }
    words.join(" ")
}

/// Write the changes as text: `KIND:` headings in the order given, a
/// line per object (`+` added, `-` removed, `~` changed), and under a
/// changed one a line per field, `path: old -> new`. Nothing for no change.
pub fn table(out: &mut dyn Write, changes: &[Change]) -> io::Result<()> {
    let mut kind = "";
    for c in changes {
        if c.kind.section != kind {
            kind = c.kind.section;
            writeln!(out, "{kind}:")?;
        }
        let sign = match c.what {
            What::Added => '+',
            What::Removed => '-',
            What::Changed => '~',
        };
        writeln!(out, "  {sign} {:<7} {}", c.what.name(), label(c))?;
        for f in &c.fields {
            writeln!(
                out,
                "      {}: {} -> {}",
                f.path,
                text(&f.old),
                text(&f.new)
            )?;
        }
    }
    Ok(())
}

/// Write the changes as one JSON array, one object per change.
pub fn json(out: &mut dyn Write, changes: &[Change]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    buf.push(b'[');
    for (i, c) in changes.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        let mut o = Obj::begin(&mut buf);
        o.entry(key!("object"), c.kind.name)?;
        o.entry(key!("change"), c.what.name())?;
        o.entry(key!("key"), &c.key)?;
        o.entry(key!("old"), &c.old)?;
        o.entry(key!("new"), &c.new)?;
        o.objects(key!("fields"), &c.fields, |f, field| {
            f.entry(key!("path"), &field.path)?;
            f.entry(key!("old"), &field.old)?;
            f.entry(key!("new"), &field.new)
        })?;
        o.end();
    }
    buf.extend_from_slice(b"]\n");
    out.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::{Options, diff};
    use serde_json::json;

    fn changes() -> Vec<Change> {
        let snap = |links: Value| {
            json!({"header": {}, "links": links, "addrs": [], "routes": [], "neigh": [],
                "rules": [], "nexthops": []})
        };
        let old = snap(json!([{"index": 2, "name": "v1", "mtu": 1500}]));
        let new = snap(json!([{"index": 2, "name": "v1", "mtu": 1400},
            {"index": 3, "name": "v2", "mtu": 1500}]));
        diff(&old, &new, &Options::default()).unwrap()
    }

    #[test]
    fn text_groups_by_kind_with_a_line_per_field() {
        let mut out = Vec::new();
        table(&mut out, &changes()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "links:\n  ~ changed v1 index 2\n      mtu: 1500 -> 1400\n  + added   v2 index 3\n"
        );
    }

    #[test]
    fn json_is_an_array_of_changes() {
        let mut out = Vec::new();
        json(&mut out, &changes()).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["object"], "link");
        assert_eq!(v[0]["change"], "changed");
        assert_eq!(v[0]["key"], json!({"index": 2}));
        assert_eq!(
            v[0]["fields"],
            json!([{"path": "mtu", "old": 1500, "new": 1400}])
        );
        assert_eq!(
            (v[1]["change"].clone(), v[1]["old"].clone()),
            (json!("added"), Value::Null)
        );
        let mut empty = Vec::new();
        json(&mut empty, &[]).unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
