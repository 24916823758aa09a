//! Renderers: tables for people, JSON in two dialects for scripts.
//!
//! One model per object feeds all three. Each renderer writes to a
//! `&mut dyn Write` (normally a buffered, locked stdout) and never prints
//! on its own.

pub mod addr;
pub mod json;
pub mod link;
pub mod neigh;
pub mod nexthop;
pub mod route;
pub mod rule;

use std::io::{self, Write};

use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

/// Which JSON dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// nlq's own typed, total schema (docs/json.md).
    Nlq,
    /// A superset of `ip -j`: same keys, types, values and order.
    Ip,
}

/// How a command's objects are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table for people.
    Table {
        /// Whether stdout is a terminal: wrap to its width; otherwise never
        /// truncate.
        tty: bool,
    },
    /// A JSON array.
    Json(Dialect),
}

/// A JSON array written one element at a time.
///
/// Nothing is written until the first element or [`JsonArray::finish`], so
/// an error before the first object leaves stdout empty; [`JsonArray::close`]
/// ends a started array after an error, so stdout is still valid JSON.
///
/// Elements are serialized into one reused buffer, which goes to `out` in
/// writes of at least [`JsonArray::FLUSH`] bytes: serde_json writes many
/// small pieces, each a cheap append here but a dynamic call and a copy on
/// `out`; a large write passes straight through a `BufWriter`.
pub struct JsonArray<'w> {
    out: &'w mut dyn Write,
    started: bool,
    buf: Vec<u8>,
}

impl<'w> JsonArray<'w> {
    /// Bytes gathered before they are written to `out`.
    pub const FLUSH: usize = 64 << 10;

    /// An array that will be written to `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        JsonArray {
            out,
            started: false,
            buf: Vec::with_capacity(Self::FLUSH + 4096),
        }
    }

    /// Append one element.
    pub fn push<T: Serialize + ?Sized>(&mut self, item: &T) -> io::Result<()> {
        self.push_with(|buf| serde_json::to_writer(buf, item).map_err(io::Error::from))
    }

    /// Append one element that `write` appends to the buffer it is given
    /// as one JSON value (see [`json::Obj`]).
    pub fn push_with<F>(&mut self, write: F) -> io::Result<()>
    where
        F: FnOnce(&mut Vec<u8>) -> io::Result<()>,
    {
        self.buf
            .extend_from_slice(if self.started { b",\n" } else { b"[\n" });
        self.started = true;
        write(&mut self.buf)?;
        if self.buf.len() >= Self::FLUSH {
            self.drain()?;
        }
        Ok(())
    }

    /// Whether any element has been written.
    pub fn started(&self) -> bool {
        self.started
    }

    /// End the array after success (an empty one is `[]`).
    pub fn finish(mut self) -> io::Result<()> {
        self.buf
            .extend_from_slice(if self.started { b"\n]\n" } else { b"[]\n" });
        self.drain()
    }

    /// End the array after an error: close it if it was begun, else write
    /// nothing at all.
    pub fn close(mut self) -> io::Result<()> {
        if self.started {
            self.buf.extend_from_slice(b"\n]\n");
        }
        self.drain()
    }

    fn drain(&mut self) -> io::Result<()> {
        let r = self.out.write_all(&self.buf);
        self.buf.clear();
        r
    }
}

/// No borders; one rule under the header.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─'));

/// A table with nlq's look: no borders, a rule under the header; wrapped
/// to the terminal's width on a terminal, never truncated elsewhere.
pub fn table(header: &[&str], tty: bool) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE);
    if tty {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    t.set_header(header.iter().copied());
    t
}

/// Write a finished table, one line per row, without trailing blanks.
pub fn write_table(out: &mut dyn Write, t: &Table) -> io::Result<()> {
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A hardware address as colon-separated lowercase hex ("aa:bb:cc:00:11:22").
pub fn hwaddr(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{b:02x}"); // writing to a String cannot fail
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_array_states() {
        let mut buf = Vec::new();
        JsonArray::new(&mut buf).finish().unwrap();
        assert_eq!(buf, b"[]\n");

        let mut buf = Vec::new();
        JsonArray::new(&mut buf).close().unwrap();
        assert!(
            buf.is_empty(),
            "an error before the first object prints nothing"
        );

        let mut buf = Vec::new();
        let mut a = JsonArray::new(&mut buf);
        a.push(&1).unwrap();
        a.push(&"x").unwrap();
        a.close().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v, serde_json::json!([1, "x"]));
    }

    #[test]
    fn hwaddr_format() {
        assert_eq!(hwaddr(&[0xaa, 0, 0x0b]), "aa:00:0b");
        assert_eq!(hwaddr(&[]), "");
    }
}

pub mod stream;
pub mod text;

#[cfg(test)]
mod proptests;
