//! Renderers: tables for people, JSON in two dialects for scripts.
//!
//! One model per object feeds all three. Each renderer writes to a
//! `&mut dyn Write` (normally a buffered, locked stdout) and never prints
//! on its own.

pub mod addr;
pub mod addrlabel;
pub mod bridge_vlan;
pub mod diff;
pub mod event;
pub mod explain;
pub mod fdb;
pub mod genl;
pub mod ifstats;
pub mod json;
pub mod link;
pub mod maddr;
pub mod mdb;
pub mod mroute;
pub mod neigh;
pub mod netconf;
pub mod nexthop;
pub mod nexthop_bucket;
pub mod ntable;
pub mod port;
pub mod rate;
pub mod route;
pub mod rule;
pub mod snapshot;
pub mod vlan_db;

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
    /// A table for people: on a terminal (wrapped to its width) or not
    /// (never truncated), in colour or not, with the columns and order
    /// the user chose.
    Table(stream::TableView),
    /// A JSON array.
    Json(Dialect),
}

impl Format {
    /// Every way output can look, for tests and fuzzing that render an
    /// object in all of them: a table off and on a terminal, both dialects.
    #[cfg(any(test, feature = "fuzzing"))]
    pub const ALL: [Format; 4] = [
        Format::Table(stream::TableView::PLAIN),
        Format::Table(stream::TableView::TTY),
        Format::Json(Dialect::Nlq),
        Format::Json(Dialect::Ip),
    ];
}

/// Objects written one at a time as a table or as a JSON array in one
/// dialect: the writer of a listing whose three forms are a row, an object
/// of nlq's schema and one of `ip`'s (`nlq fdb`, `nlq ports`).
pub enum Listing<'w> {
    /// A table, laid out whole or streamed (render::stream).
    Table(stream::TableWriter<'w>),
    /// A JSON array in one dialect.
    Json(JsonArray<'w>, Dialect),
}

impl<'w> Listing<'w> {
    /// A listing of `format` to `out`, a table with `columns`.
    pub fn new(out: &'w mut dyn Write, format: Format, columns: &'static [stream::Column]) -> Self {
        match format {
            Format::Table(view) => Listing::Table(stream::TableWriter::new(out, columns, view)),
            Format::Json(d) => Listing::Json(JsonArray::new(out), d),
        }
    }

    /// Write one object: its table `row` (made only for a table), or its
    /// `nlq` or `ip` form.
    pub fn push<C: AsRef<str>, const N: usize>(
        &mut self,
        row: impl FnOnce() -> [C; N],
        nlq: &impl Serialize,
        ip: &impl Serialize,
    ) -> io::Result<()> {
        match self {
            Listing::Table(t) => t.push(&row()),
            Listing::Json(a, Dialect::Nlq) => a.push(nlq),
            Listing::Json(a, Dialect::Ip) => a.push(ip),
        }
    }

    /// End the output after success.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Listing::Table(t) => t.finish(),
            Listing::Json(a, _) => a.finish(),
        }
    }

    /// End the output after an error: a started JSON array is closed, a
    /// table prints what it holds.
    pub fn close(self) -> io::Result<()> {
        match self {
            Listing::Table(t) => t.finish(),
            Listing::Json(a, _) => a.close(),
        }
    }
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
    /// Output is held back (see [`Held`]): full buffers go to `held`
    /// rather than to `out`.
    holding: bool,
    /// Full buffers held back, in order: a list of chunks, so holding
    /// megabytes costs no reallocation and copy as one growing buffer
    /// would.
    held: Vec<Vec<u8>>,
    /// Bytes in `held`.
    held_bytes: usize,
}

/// A writer that can hold its output back while the dump it renders may
/// still be retried: the writer of a speculative dump sink
/// (`dump::Sink`), which renders each message as it arrives.
pub trait Held {
    /// Bytes held back, or `None` when output is written at once.
    fn held(&self) -> Option<usize>;
    /// Write what is held and stop holding.
    fn commit(&mut self) -> io::Result<()>;
    /// Forget everything written since the writer began holding, as if it
    /// had never come.
    fn rollback(&mut self);
}

/// Output written at once, held back never: a dump into it holds its
/// messages back instead.
pub struct Direct<'w>(pub &'w mut dyn Write);

impl Held for Direct<'_> {
    fn held(&self) -> Option<usize> {
        None
    }
    fn commit(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn rollback(&mut self) {}
}

impl<H: Held + ?Sized> Held for &mut H {
    fn held(&self) -> Option<usize> {
        (**self).held()
    }
    fn commit(&mut self) -> io::Result<()> {
        (**self).commit()
    }
    fn rollback(&mut self) {
        (**self).rollback()
    }
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
            holding: false,
            held: Vec::new(),
            held_bytes: 0,
        }
    }

    /// Hold every element back until [`Held::commit`].
    pub fn hold_back(mut self) -> Self {
        self.holding = true;
        self
    }

    /// Append one element.
    pub fn push<T: Serialize + ?Sized>(&mut self, item: &T) -> io::Result<()> {
        self.push_with(|buf| serde_json::to_writer(buf, item).map_err(io::Error::from))
    }

    /// Append one object that writes itself (see [`json::JsonObject`]).
    pub fn push_object<T: json::JsonObject + ?Sized>(&mut self, item: &T) -> io::Result<()> {
        self.push_with(|buf| item.write(buf))
    }

    /// Append one element that `write` appends to the buffer it is given
    /// as one JSON value.
    fn push_with<F>(&mut self, write: F) -> io::Result<()>
    where
        F: FnOnce(&mut Vec<u8>) -> io::Result<()>,
    {
        self.buf
            .extend_from_slice(if self.started { b",\n" } else { b"[\n" });
        self.started = true;
        write(&mut self.buf)?;
        if self.buf.len() >= Self::FLUSH && self.holding {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(Self::FLUSH + 4096));
            self.held_bytes += full.len();
            self.held.push(full);
        } else if self.buf.len() >= Self::FLUSH {
            self.drain()?;
        }
        Ok(())
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
        let held = std::mem::take(&mut self.held);
        self.held_bytes = 0;
        let r = held
            .iter()
            .chain([&self.buf])
            .try_for_each(|chunk| self.out.write_all(chunk));
        self.buf.clear();
        r
    }
}

impl Held for JsonArray<'_> {
    fn held(&self) -> Option<usize> {
        self.holding.then_some(self.held_bytes + self.buf.len())
    }

    fn commit(&mut self) -> io::Result<()> {
        self.holding = false;
        self.drain()
    }

    fn rollback(&mut self) {
        self.held.clear();
        self.held_bytes = 0;
        self.buf.clear();
        self.started = false;
    }
}

/// Joins the JSON arrays one command writes in several namespaces
/// (`--all-netns`) into one array whose objects each begin with
/// `"netns": NAME`.
///
/// It reads [`JsonArray`]'s framing: `[` on a line, one element per line
/// (serde_json writes a newline inside a string as `\n`), `,` at the end
/// of all but the last, `]` on a line, or `[]` for none.
pub struct NetnsJoin<'w> {
    out: &'w mut dyn Write,
    /// `"netns":"NAME"`, ready to write.
    tag: Vec<u8>,
    /// The line being gathered.
    line: Vec<u8>,
    started: bool,
}

impl<'w> NetnsJoin<'w> {
    /// A joined array that will be written to `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        NetnsJoin {
            out,
            tag: Vec::new(),
            line: Vec::new(),
            started: false,
        }
    }

    /// The namespace whose array comes next.
    pub fn set_netns(&mut self, name: &str) -> io::Result<()> {
        self.tag.clear();
        self.tag.extend_from_slice(b"\"netns\":");
        serde_json::to_writer(&mut self.tag, name).map_err(io::Error::from)
    }

    /// The writer underneath, for output that is not joined (tables).
    pub fn inner(&mut self) -> &mut dyn Write {
        &mut *self.out
    }

    /// End the joined array (an empty one is `[]`).
    pub fn finish(self) -> io::Result<()> {
        self.out
            .write_all(if self.started { b"\n]\n" } else { b"[]\n" })?;
        self.out.flush()
    }

    /// One whole line of a namespace's array.
    fn line(&mut self) -> io::Result<()> {
        let line = std::mem::take(&mut self.line);
        let element = line.strip_suffix(b",").unwrap_or(&line);
        if matches!(element, b"" | b"[" | b"]" | b"[]") {
            return Ok(());
        }
        self.out
            .write_all(if self.started { b",\n" } else { b"[\n" })?;
        self.started = true;
        match element.strip_prefix(b"{") {
            Some(rest) => {
                self.out.write_all(b"{")?;
                self.out.write_all(&self.tag)?;
                if rest != b"}" {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(rest)?;
            }
            None => self.out.write_all(element)?,
        }
        self.line = line; // keep the allocation
        self.line.clear();
        Ok(())
    }
}

impl Write for NetnsJoin<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for piece in buf.split_inclusive(|&b| b == b'\n') {
            match piece.strip_suffix(b"\n") {
                Some(end) => {
                    self.line.extend_from_slice(end);
                    self.line()?;
                }
                None => self.line.extend_from_slice(piece),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
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
    link::Colons(bytes).to_string()
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

    /// A held array writes nothing until committed, then everything in
    /// order (chunks past FLUSH included); a rollback forgets it all.
    #[test]
    fn json_array_holds_commits_and_rolls_back() {
        let long = "x".repeat(1000);
        let items = 3 * JsonArray::FLUSH / 1000; // several held chunks
        let mut out = Vec::new();
        let mut a = JsonArray::new(&mut out).hold_back();
        for _ in 0..items {
            a.push(&long).unwrap();
        }
        assert!(a.held().unwrap() > 2 * JsonArray::FLUSH);
        a.rollback();
        assert_eq!(a.held(), Some(0));
        for i in 0..items {
            a.push(&format!("{i}{long}")).unwrap();
        }
        a.commit().unwrap();
        assert_eq!(a.held(), None);
        a.push(&"after").unwrap();
        a.finish().unwrap();
        let v: Vec<String> = serde_json::from_slice(&out).unwrap();
        assert_eq!(v.len(), items + 1);
        assert!((0..items).all(|i| v[i].starts_with(&format!("{i}x"))));
        assert_eq!(v[items], "after");
    }

    #[test]
    fn netns_join_tags_and_joins_arrays() {
        let mut buf = Vec::new();
        let mut join = NetnsJoin::new(&mut buf);
        for (ns, items) in [("a", vec![1, 2]), ("b", vec![]), ("c\"", vec![3])] {
            join.set_netns(ns).unwrap();
            let mut array = JsonArray::new(&mut join);
            for i in items {
                array
                    .push(&serde_json::json!({"i": i, "s": "x\ny"}))
                    .unwrap();
            }
            array.push(&serde_json::json!({})).unwrap();
            array.finish().unwrap();
        }
        join.finish().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(
            v,
            serde_json::json!([
                {"netns": "a", "i": 1, "s": "x\ny"}, {"netns": "a", "i": 2, "s": "x\ny"},
                {"netns": "a"}, {"netns": "b"},
                {"netns": "c\"", "i": 3, "s": "x\ny"}, {"netns": "c\""}
            ])
        );
        assert!(
            String::from_utf8(buf)
                .unwrap()
                .starts_with("[\n{\"netns\":\"a\",\"i\":1")
        );

        let mut buf = Vec::new();
        let mut join = NetnsJoin::new(&mut buf);
        join.set_netns("a").unwrap();
        JsonArray::new(&mut join).finish().unwrap();
        join.finish().unwrap();
        assert_eq!(buf, b"[]\n");
    }

    #[test]
    fn hwaddr_format() {
        assert_eq!(hwaddr(&[0xaa, 0, 0x0b]), "aa:00:0b");
        assert_eq!(hwaddr(&[]), "");
    }

    /// The layer rule (CONTRIBUTING.md): renderers read models, never
    /// wire/. Test modules may build wire bytes, so the files of
    /// `#[cfg(test)] mod x;` and the bodies of `#[cfg(test)] mod x { .. }`
    /// are left out (rustfmt closes such a body with the first `}` at
    /// column 0).
    #[test]
    fn render_reads_no_wire_outside_tests() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        assert!(files.len() > 20, "found the render sources");
        let test_files: Vec<_> = files.iter().flat_map(|f| test_mod_files(f)).collect();
        let mut found = Vec::new();
        for file in files.iter().filter(|f| !test_files.contains(f)) {
            let text = std::fs::read_to_string(file).unwrap();
            for (n, line) in outside_test_mods(&text) {
                let code = line.split("//").next().unwrap_or("");
                if code.contains("wire::") || code.contains("crate::wire") {
                    found.push(format!("{}:{n}: {line}", file.display()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "render/ reads wire/:\n{}",
            found.join("\n")
        );
    }

    /// Every `.rs` file under `dir`.
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The files of the `#[cfg(test)] mod x;` declarations in `file`.
    fn test_mod_files(file: &std::path::Path) -> Vec<std::path::PathBuf> {
        let text = std::fs::read_to_string(file).unwrap();
        // `a/b.rs` declares modules in `a/b/`; `a/mod.rs` in `a/`.
        let dir = match file.file_stem().and_then(|s| s.to_str()) {
            Some("mod") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        let lines: Vec<&str> = text.lines().collect();
        lines
            .windows(2)
            .filter(|w| w[0].trim() == "#[cfg(test)]")
            .filter_map(|w| w[1].trim().strip_prefix("mod ")?.strip_suffix(';'))
            .map(|name| dir.join(format!("{name}.rs")))
            .collect()
    }

    /// The numbered lines of `text` outside `#[cfg(test)] mod x { .. }`.
    fn outside_test_mods(text: &str) -> Vec<(usize, &str)> {
        let (mut out, mut in_test, mut cfg_test) = (Vec::new(), false, false);
        for (i, line) in text.lines().enumerate() {
            if in_test {
                in_test = line != "}";
            } else if cfg_test && line.starts_with("mod ") && line.ends_with('{') {
                in_test = true;
            } else {
                out.push((i + 1, line));
            }
            cfg_test = line.trim() == "#[cfg(test)]";
        }
        out
    }

    #[test]
    fn the_layer_check_sees_code_after_a_test_module() {
        let text =
            "use a;\n#[cfg(test)]\nmod tests {\n    use crate::wire::x;\n}\nuse crate::wire::y;\n";
        let lines: Vec<_> = outside_test_mods(text)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(lines, [1, 2, 6]);
    }
}

pub mod stream;
pub mod text;

#[cfg(test)]
mod proptests;
