//! One object at a time, of any kind: what `nlq monitor` writes for an
//! event after its envelope. Each kind's renderer implements [`Shown`]
//! beside its listing (route.rs, link.rs, ...), with the same writers, so
//! an event's object has exactly the keys its listing's `--json` prints,
//! and its text line the words of its table.

use std::io;

use super::json::Obj;
use super::stream::Column;
use crate::model::LinkNames;
use crate::model::link::Links;
use crate::model::rule::IpProtos;
use crate::names::Names;
use crate::netns::NsidNames;

/// What rendering one object needs besides the object.
pub struct View<'a> {
    /// Names from /etc/iproute2.
    pub names: &'a Names,
    /// IP protocol names, for rules.
    pub protos: &'a IpProtos,
    /// Every link known (the monitor's state).
    pub links: &'a Links,
    /// The same links' names, for routes and nexthops.
    pub link_names: &'a LinkNames,
    /// Peer namespace names.
    pub nsids: &'a NsidNames,
}

/// An object that can be shown alone.
pub trait Shown {
    /// The kind's name (`"route"`), the event's `object` key.
    fn kind(&self) -> &'static str;

    /// Append the object's keys in nlq's schema, as its listing's
    /// `--json` writes them, to the open object `o`.
    fn json(&self, o: &mut Obj<'_>, view: &View<'_>) -> io::Result<()>;

    /// The object in a few words for a line of text.
    fn text(&self, view: &View<'_>) -> String;
}

/// The non-empty cells of a table row as `column value` pairs (the
/// first column's and DST's values alone); a cell of several lines (multipath
/// nexthops) joined with commas.
pub fn labelled(columns: &[Column], cells: &[String]) -> String {
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
