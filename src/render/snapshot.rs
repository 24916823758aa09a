//! `nlq snapshot`: one JSON document of every object kind, in nlq's
//! schema (docs/json.md `## snapshot`): a header, then each kind's array
//! with exactly the objects its listing's `--json` writes.

use std::io;

use super::event::{Shown, View};
use super::json::{Key, Obj, key};

/// Where and when a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// Local time, ISO 8601 with milliseconds and the UTC offset.
    pub time: &'a str,
    /// The kernel release (uname); `None` for a replay.
    pub kernel: Option<&'a str>,
    /// The host name (uname); `None` for a replay.
    pub hostname: Option<&'a str>,
    /// The namespace named with `-n` (or met by `--all-netns`).
    pub netns: Option<&'a str>,
    /// `"live"` or `"replay"`.
    pub source: &'a str,
}

/// One kind's objects, in the order the kernel dumped them.
pub struct Section<'s> {
    /// The kind's array key ([`crate::model::snapshot::Kind::section`]).
    pub name: &'static str,
    /// Its objects.
    pub objects: Vec<&'s dyn Shown>,
}

/// The snapshot key of a kind's array.
fn section_key(name: &str) -> Option<Key> {
    Some(match name {
        "links" => key!("links"),
        "addrs" => key!("addrs"),
        "routes" => key!("routes"),
        "neigh" => key!("neigh"),
        "rules" => key!("rules"),
        "nexthops" => key!("nexthops"),
        _ => return None,
    })
}

/// Append the snapshot object (braces included) to `out`.
pub fn json(
    out: &mut Vec<u8>,
    header: &Header<'_>,
    sections: &[Section<'_>],
    view: &View<'_>,
) -> io::Result<()> {
    let mut o = Obj::begin(out);
    let mut h = o.object(key!("header"));
    h.entry(key!("time"), header.time)?;
    h.entry(key!("kernel"), &header.kernel)?;
    h.entry(key!("hostname"), &header.hostname)?;
    h.entry(key!("netns"), &header.netns)?;
    h.entry(key!("source"), header.source)?;
    h.entry(key!("nlq"), env!("CARGO_PKG_VERSION"))?;
    h.end();
    for s in sections {
        let Some(k) = section_key(s.name) else {
            continue;
        };
        o.objects(k, s.objects.iter(), |obj, item| item.json(obj, view))?;
    }
    o.end();
    Ok(())
}
