//! Tables that stay cheap at a million rows.
//!
//! comfy-table lays out a whole table at once: every cell is an owned
//! `Cell`, measured and formatted in memory, which at a million routes
//! costs gigabytes and several times `ip route`'s run time. A person reads
//! a table that size through `grep` or `less` anyway, so [`TableWriter`]
//! holds the first [`WINDOW`] rows and then decides:
//!
//! * a table of at most [`WINDOW`] rows goes to comfy-table whole, with
//!   columns that say nothing left out and, on a terminal, wrapped to its
//!   width;
//! * a larger one is streamed: column widths are measured over the window,
//!   the window and then every further row are written as they come, in
//!   the same look (no borders, a rule under the header), with every
//!   column shown (a row far down may need one the window never did). A
//!   later cell wider than its column pushes the rest of its line right
//!   instead of re-flowing everything above it. Memory stays flat: one row
//!   at a time past the window.

use std::cmp::Ordering;
use std::io::{self, Write};
use std::net::IpAddr;

use super::text::PushText;
use comfy_table::{Cell, Color};

/// Rows held before a table is laid out whole or streamed.
pub const WINDOW: usize = 1_000;

/// What a column's cells are, for colour (as `ip -c` paints them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Not coloured.
    Plain,
    /// Interface names: cyan.
    Name,
    /// Hardware addresses: yellow.
    Mac,
    /// IP addresses and prefixes: magenta for IPv4, blue for IPv6.
    Addr,
    /// Operational states: UP green, DOWN red, UNKNOWN yellow.
    State,
}

/// A column: its header, the nlq JSON key it shows (the name `--columns`
/// and `--sort` take), and how its cells look.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text.
    pub header: &'static str,
    /// The `--json` key of the value shown (`dst`, `dev`, ...).
    pub key: &'static str,
    /// Hide the column when every cell is this text (comfy-table layout
    /// only, and never when the user chose the columns).
    pub hide_if_all: Option<&'static str>,
    /// Colour of its cells.
    pub paint: Paint,
}

impl Column {
    /// A plain column always shown.
    pub const fn new(header: &'static str, key: &'static str) -> Self {
        Column {
            header,
            key,
            hide_if_all: None,
            paint: Paint::Plain,
        }
    }

    /// Hidden when every cell is `nothing`.
    pub const fn hide_if(self, nothing: &'static str) -> Self {
        Column {
            hide_if_all: Some(nothing),
            ..self
        }
    }

    /// Coloured as `paint`.
    pub const fn paint(self, paint: Paint) -> Self {
        Column { paint, ..self }
    }
}

/// The most columns `--columns` may name.
pub const MAX_PICK: usize = 32;

/// How a table is shown: on a terminal or not, in colour or not, and the
/// columns and order the user chose (resolved against the command's
/// columns before anything is asked of the kernel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableView {
    /// stdout is a terminal: wrap to its width.
    pub tty: bool,
    /// Colour the cells (`--color`, NO_COLOR).
    pub color: bool,
    /// `--columns`: indexes into the command's columns, in the order shown.
    pub pick: Option<Pick>,
    /// `--sort`: the index of the column rows are sorted by.
    pub sort: Option<usize>,
}

impl TableView {
    /// Not a terminal, no colour, every column in its order.
    pub const PLAIN: TableView = TableView {
        tty: false,
        color: false,
        pick: None,
        sort: None,
    };
    /// On a terminal, otherwise as [`TableView::PLAIN`].
    #[cfg(any(test, feature = "fuzzing"))]
    pub const TTY: TableView = TableView {
        tty: true,
        ..TableView::PLAIN
    };
}

/// Chosen column indexes, in order (Copy, so a view is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    idx: [u8; MAX_PICK],
    len: u8,
}

impl Pick {
    /// The columns of `columns` named by `keys` (their `key`s), in that
    /// order; the first unknown key is the error.
    pub fn resolve<'k>(
        columns: &[Column],
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<Pick, String> {
        let mut pick = Pick {
            idx: [0; MAX_PICK],
            len: 0,
        };
        for key in keys {
            let i = column_index(columns, key)?;
            let slot = pick
                .idx
                .get_mut(pick.len as usize)
                .ok_or_else(|| format!("at most {MAX_PICK} columns"))?;
            *slot = i as u8;
            pick.len += 1;
        }
        Ok(pick)
    }

    /// The chosen indexes.
    pub fn indexes(&self) -> impl Iterator<Item = usize> + '_ {
        self.idx[..self.len as usize].iter().map(|&i| i as usize)
    }
}

/// The index of the column whose key is `key`, or a usage message naming
/// the keys there are.
pub fn column_index(columns: &[Column], key: &str) -> Result<usize, String> {
    columns.iter().position(|c| c.key == key).ok_or_else(|| {
        let keys: Vec<&str> = columns.iter().map(|c| c.key).collect();
        format!("no such column: {key} (columns: {})", keys.join(", "))
    })
}

/// One row's `N` cells written into one buffer that is reused from row to
/// row: a streamed table of a million rows allocates nothing per row. A
/// renderer writes a cell's text (`write!`, [`Cells::push_str`],
/// [`Cells::push`]) and closes it with [`Cells::end`]; cells never closed
/// are empty.
pub struct Cells<const N: usize> {
    /// UTF-8: every writer appends whole strings or ASCII.
    text: Vec<u8>,
    ends: [usize; N],
    closed: usize,
}

impl<const N: usize> Cells<N> {
    /// No cells yet.
    pub fn new() -> Self {
        Cells {
            text: Vec::new(),
            ends: [0; N],
            closed: 0,
        }
    }

    /// Empty every cell, keeping the buffer.
    pub fn clear(&mut self) {
        self.text.clear();
        self.closed = 0;
    }

    /// Append text to the open cell.
    pub fn push_str(&mut self, s: &str) {
        self.text.extend_from_slice(s.as_bytes());
    }

    /// Append a value's text to the open cell, without `core::fmt`.
    pub fn push<T: PushText>(&mut self, value: T) {
        value.push_text(&mut self.text);
    }

    /// The open cell's buffer, for writers of ASCII (numbers).
    pub fn bytes(&mut self) -> &mut Vec<u8> {
        &mut self.text
    }

    /// Close the open cell; the next text starts the next one. Past the
    /// `N`th cell, text joins the last.
    pub fn end(&mut self) {
        if let Some(end) = self.ends.get_mut(self.closed) {
            *end = self.text.len();
            self.closed += 1;
        }
    }

    /// Every cell's text, in order.
    pub fn strs(&self) -> [&str; N] {
        // One check for the row, not one a cell. Every writer appends
        // whole strings or ASCII, so the row is never "", and a cell's
        // ends fall between two appends, on character boundaries.
        let text = std::str::from_utf8(&self.text).unwrap_or("");
        let mut start = 0;
        std::array::from_fn(|i| {
            let end = match i < self.closed {
                true => self.ends[i],
                false => start,
            };
            let cell = text.get(start..end).unwrap_or("");
            start = end;
            cell
        })
    }
}

impl<const N: usize> Default for Cells<N> {
    fn default() -> Self {
        Cells::new()
    }
}

impl<const N: usize> std::fmt::Write for Cells<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// Writes rows as a table, laid out whole or streamed (see the module doc).
pub struct TableWriter<'w> {
    out: &'w mut dyn Write,
    columns: &'static [Column],
    view: TableView,
    window: Vec<Vec<String>>,
    /// Set once the table streams: each column's width, in characters.
    widths: Option<Vec<usize>>,
    /// The columns a streamed table shows, in order.
    shown: Vec<usize>,
    line: String,
    /// While output is held back ([`super::Held`]): the streamed lines,
    /// and the bytes of the rows in `window`.
    held: Option<(Vec<u8>, usize)>,
}

impl<'w> TableWriter<'w> {
    /// A table of `columns`, written to `out` as `view` says.
    pub fn new(out: &'w mut dyn Write, columns: &'static [Column], view: TableView) -> Self {
        TableWriter {
            out,
            columns,
            view,
            window: Vec::new(),
            widths: None,
            shown: Vec::new(),
            line: String::new(),
            held: None,
        }
    }

    /// Hold every line back until [`super::Held::commit`].
    pub fn hold_back(mut self) -> Self {
        self.held = Some((Vec::new(), 0));
        self
    }

    /// Add a row: one cell per column, lines separated by `\n`.
    pub fn push<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        if let Some(widths) = &self.widths {
            let paint = self.view.color.then_some(self.columns);
            let out = target(self.out, &mut self.held);
            return write_row(out, &mut self.line, widths, &self.shown, cells, paint);
        }
        if let Some((_, bytes)) = &mut self.held {
            *bytes += cells.iter().map(|c| c.as_ref().len()).sum::<usize>();
        }
        self.window
            .push(cells.iter().map(|c| c.as_ref().to_owned()).collect());
        // A sorted table needs every row before the first is written.
        if self.window.len() > WINDOW && self.view.sort.is_none() {
            self.start_streaming()?;
        }
        Ok(())
    }

    /// Write what is still held. A table with no rows prints nothing.
    pub fn finish(mut self) -> io::Result<()> {
        // (A sorted table of more than WINDOW rows streams from here.)
        if self.widths.is_some() || self.window.is_empty() {
            return Ok(());
        }
        if let Some(key) = self.view.sort {
            self.sort_by_column(key);
        }
        if self.window.len() > WINDOW {
            // Only a sorted table gets here whole: it streams now.
            return self.start_streaming();
        }
        let shown: Vec<usize> = match self.view.pick {
            Some(p) => p.indexes().collect(),
            None => (0..self.columns.len())
                .filter(|&i| self.says_something(i))
                .collect(),
        };
        let headers: Vec<&str> = shown.iter().map(|&i| self.columns[i].header).collect();
        let mut t = super::table(&headers, self.view.tty);
        if self.view.color {
            t.enforce_styling();
        }
        for row in &self.window {
            t.add_row(shown.iter().map(|&i| {
                let text = row.get(i).map_or("", String::as_str);
                match self.view.color {
                    true => painted_cell(self.columns[i].paint, text),
                    false => Cell::new(text),
                }
            }));
        }
        super::write_table(self.out, &t)
    }

    /// Order the held rows by column `key` ([`SortKey`] order, stable),
    /// each cell parsed once rather than at every comparison.
    fn sort_by_column(&mut self, key: usize) {
        let order: Vec<usize> = {
            let keys: Vec<SortKey<'_>> = self
                .window
                .iter()
                .map(|r| SortKey::of(r.get(key).map_or("", String::as_str)))
                .collect();
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
            order
        };
        let mut rows: Vec<Option<Vec<String>>> = std::mem::take(&mut self.window)
            .into_iter()
            .map(Some)
            .collect();
        self.window = order
            .into_iter()
            .filter_map(|i| rows.get_mut(i).and_then(Option::take))
            .collect();
    }

    fn says_something(&self, i: usize) -> bool {
        match self.columns[i].hide_if_all {
            None => true,
            Some(nothing) => self
                .window
                .iter()
                .any(|r| r.get(i).is_some_and(|c| c != nothing)),
        }
    }

    /// The columns a streamed table shows: the chosen ones, or all (a row
    /// far down may need one the window never did).
    fn shown_all(&self) -> Vec<usize> {
        match self.view.pick {
            Some(p) => p.indexes().collect(),
            None => (0..self.columns.len()).collect(),
        }
    }

    /// Measure the window, write the header and the window, and stream from
    /// now on.
    fn start_streaming(&mut self) -> io::Result<()> {
        let shown = self.shown_all();
        let paint = self.view.color.then_some(self.columns);
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(c.header)).collect();
        for row in &self.window {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.lines().map(width).max().unwrap_or(0));
            }
        }
        let headers: Vec<&str> = self.columns.iter().map(|c| c.header).collect();
        if let Some((_, bytes)) = &mut self.held {
            *bytes = 0; // the window's rows move to the held lines
        }
        let out = target(self.out, &mut self.held);
        write_row(out, &mut self.line, &widths, &shown, &headers, None)?;
        let rule: usize = shown.iter().map(|&i| widths[i] + 2).sum();
        writeln!(out, "{}", "─".repeat(rule))?;
        for row in std::mem::take(&mut self.window) {
            write_row(out, &mut self.line, &widths, &shown, &row, paint)?;
        }
        self.widths = Some(widths);
        self.shown = shown;
        Ok(())
    }
}

/// A cell read once for sorting, in the order a person expects:
/// addresses and prefixes by family, address and length; numbers (also
/// with a unit, `1400s`) by value; anything else as text. Empty cells go
/// last.
struct SortKey<'a> {
    text: &'a str,
    addr: Option<(IpAddr, u8)>,
    number: Option<f64>,
}

impl<'a> SortKey<'a> {
    fn of(text: &'a str) -> Self {
        let addr = || {
            let (ip, len) = text.split_once('/').unwrap_or((text, ""));
            let ip: IpAddr = ip.parse().ok()?;
            let len = len.parse().unwrap_or(if ip.is_ipv4() { 32 } else { 128 });
            Some((ip, len))
        };
        let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        SortKey {
            text,
            addr: addr(),
            number: digits.parse().ok(),
        }
    }

    fn cmp(&self, other: &SortKey<'_>) -> Ordering {
        match (self.text.is_empty(), other.text.is_empty()) {
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            _ => {}
        }
        if let (Some(x), Some(y)) = (self.addr, other.addr) {
            return x.cmp(&y);
        }
        if let (Some(x), Some(y)) = (self.number, other.number) {
            return x.total_cmp(&y);
        }
        self.text.cmp(other.text)
    }
}

/// The colour of `text` in a column painted `paint`, as `ip -c` chooses.
fn colour(paint: Paint, text: &str) -> Option<Color> {
    match paint {
        Paint::Plain => None,
        Paint::Name => Some(Color::Cyan),
        Paint::Mac => Some(Color::Yellow),
        Paint::Addr if text.contains(':') => Some(Color::Blue), // IPv6, mapped ones too
        Paint::Addr => Some(Color::Magenta),
        Paint::State => match text {
            "UP" => Some(Color::Green),
            "DOWN" | "LOWERLAYERDOWN" | "NOTPRESENT" => Some(Color::Red),
            "UNKNOWN" | "DORMANT" | "TESTING" => Some(Color::Yellow),
            _ => None,
        },
    }
}

fn painted_cell(paint: Paint, text: &str) -> Cell {
    match colour(paint, text) {
        Some(c) if !text.is_empty() => Cell::new(text).fg(c),
        _ => Cell::new(text),
    }
}

/// The ANSI SGR code of `c` (foreground), for streamed rows.
fn sgr(c: Color) -> &'static str {
    match c {
        Color::Red => "\x1b[31m",
        Color::Green => "\x1b[32m",
        Color::Yellow => "\x1b[33m",
        Color::Blue => "\x1b[34m",
        Color::Magenta => "\x1b[35m",
        Color::Cyan => "\x1b[36m",
        _ => "",
    }
}

/// Display width of `s`, counted in characters (nlq's cells are ASCII but
/// for interface names and aliases).
fn width(s: &str) -> usize {
    match s.is_ascii() {
        true => s.len(),
        false => s.chars().count(),
    }
}

/// Blanks to pad cells with, a slice at a time.
const BLANKS: &str = "                                                                ";

/// Append `n` blanks to `line`.
fn pad(line: &mut String, mut n: usize) {
    while n > 0 {
        let k = n.min(BLANKS.len());
        line.push_str(&BLANKS[..k]);
        n -= k;
    }
}

/// What a cell's bytes hold: bit 0 a non-ASCII byte, bit 1 a line break
/// (`\n`, or `\r`, which `str::lines` strips). One pass that the compiler
/// vectorises: the streamed table's hottest loop.
fn classify(s: &str) -> u8 {
    s.bytes().fold(0, |k, b| {
        k | u8::from(b >= 0x80) | (u8::from(b == b'\n' || b == b'\r') << 1)
    })
}

/// Where a table's lines go: the held lines while output is held back,
/// else `out`.
fn target<'a>(out: &'a mut dyn Write, held: &'a mut Option<(Vec<u8>, usize)>) -> &'a mut dyn Write {
    match held {
        Some((lines, _)) => lines,
        None => out,
    }
}

impl super::Held for TableWriter<'_> {
    fn held(&self) -> Option<usize> {
        self.held
            .as_ref()
            .map(|(lines, window)| lines.len() + window)
    }

    fn commit(&mut self) -> io::Result<()> {
        match self.held.take() {
            Some((lines, _)) => self.out.write_all(&lines),
            None => Ok(()),
        }
    }

    fn rollback(&mut self) {
        self.window.clear();
        self.widths = None;
        self.shown.clear();
        if let Some((lines, window)) = &mut self.held {
            lines.clear();
            *window = 0;
        }
    }
}

/// Write the `shown` cells of one row, one line per line of its tallest
/// cell, each padded to its column's width with one space either side, as
/// comfy-table does, and coloured as `paint`'s columns say when given;
/// trailing blanks are trimmed.
fn write_row<S: AsRef<str>>(
    out: &mut dyn Write,
    line: &mut String,
    widths: &[usize],
    shown: &[usize],
    cells: &[S],
    paint: Option<&[Column]>,
) -> io::Result<()> {
    let cell = |i: usize| cells.get(i).map_or("", |c| c.as_ref());
    // Most rows are one line: each cell is its own only line.
    if one_line(line, widths, shown, paint, |i| (cell(i), 0)) {
        return finish_line(out, line);
    }
    let height = shown
        .iter()
        .map(|&i| cell(i).lines().count().max(1))
        .max()
        .unwrap_or(1);
    for k in 0..height {
        let text = |i: usize| (cell(i).lines().nth(k).unwrap_or(""), 2);
        one_line(line, widths, shown, paint, text);
        finish_line(out, line)?;
    }
    Ok(())
}

/// Lay out one line in `line` from the texts `text(i)` gives for the
/// `shown` cells, each with the [`classify`] bits it is known not to need
/// checked (2: it holds no line break); false, with `line` unfinished, as
/// soon as a text holds a line break.
fn one_line<'a>(
    line: &mut String,
    widths: &[usize],
    shown: &[usize],
    paint: Option<&[Column]>,
    text: impl Fn(usize) -> (&'a str, u8),
) -> bool {
    line.clear();
    // Blanks owed before the next text: written only when text follows,
    // so a line never ends in padding.
    let mut owed = 0;
    for &i in shown {
        let (text, known) = text(i);
        let kind = classify(text) & !known;
        if kind & 2 != 0 {
            return false;
        }
        owed += 1;
        if !text.is_empty() {
            pad(line, owed);
            owed = 0;
            match paint.and_then(|p| colour(p.get(i)?.paint, text)) {
                Some(c) => {
                    line.push_str(sgr(c));
                    line.push_str(text);
                    line.push_str("\x1b[0m");
                }
                None => line.push_str(text),
            }
        }
        let width = match kind & 1 {
            0 => text.len(),
            _ => text.chars().count(),
        };
        owed += widths.get(i).copied().unwrap_or(0).saturating_sub(width) + 1;
    }
    true
}

/// Write `line` without its trailing blanks (a cell's own, as comfy-table
/// drops them) and a newline.
fn finish_line(out: &mut dyn Write, line: &mut String) -> io::Result<()> {
    let keep = line.trim_end().len();
    line.truncate(keep);
    line.push('\n');
    out.write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two cells in the order `--sort` puts them.
    fn natural(a: &str, b: &str) -> Ordering {
        SortKey::of(a).cmp(&SortKey::of(b))
    }

    const COLS: [Column; 3] = [
        Column::new("A", "a"),
        Column::new("BB", "bb").hide_if(""),
        Column::new("C", "c").paint(Paint::State),
    ];

    fn render(rows: usize) -> String {
        let mut out = Vec::new();
        let mut t = TableWriter::new(&mut out, &COLS, TableView::default());
        for i in 0..rows {
            let c = if i == 1 { "x\ny" } else { "" };
            t.push(&[i.to_string().as_str(), "", c]).unwrap();
        }
        t.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn small_tables_go_to_comfy_table_and_hide_empty_columns() {
        let text = render(3);
        assert!(text.starts_with(" A  C"), "{text}");
        assert!(!text.contains("BB"));
        assert_eq!(
            text.lines().count(),
            2 + 4,
            "header, rule, 3 rows, one of 2 lines"
        );
    }

    #[test]
    fn large_tables_stream_with_every_column() {
        let text = render(WINDOW + 5);
        let lines: Vec<&str> = text.lines().collect();
        // Column A is as wide as the widest number in the window.
        let w = WINDOW.to_string().len();
        assert_eq!(lines[0], format!(" {:<w$}  BB  C", "A"));
        assert!(lines[1].chars().all(|c| c == '─'));
        assert_eq!(lines[2], " 0");
        assert_eq!(lines[3], format!(" {:<w$}  {:<2}  x", "1", ""));
        assert_eq!(lines[4], format!(" {:<w$}  {:<2}  y", "", ""));
        assert_eq!(lines.len(), 2 + WINDOW + 5 + 1);
        assert_eq!(*lines.last().unwrap(), format!(" {}", WINDOW + 4));
    }

    #[test]
    fn natural_order_of_cells() {
        let mut cells = vec![
            "10.0.0.0/24",
            "",
            "9.0.0.0/8",
            "10.0.0.0/8",
            "::1",
            "b",
            "a",
        ];
        cells.sort_by(|a, b| natural(a, b));
        assert_eq!(
            cells,
            [
                "9.0.0.0/8",
                "10.0.0.0/8",
                "10.0.0.0/24",
                "::1",
                "a",
                "b",
                ""
            ]
        );
        let mut n = vec!["1400s", "forever", "20s", "3"];
        n.sort_by(|a, b| natural(a, b));
        assert_eq!(n, ["3", "20s", "1400s", "forever"]);
    }

    #[test]
    fn picked_columns_and_unknown_keys() {
        let p = Pick::resolve(&COLS, ["c", "a"]).unwrap();
        assert_eq!(p.indexes().collect::<Vec<_>>(), [2, 0]);
        let e = Pick::resolve(&COLS, ["a", "zz"]).unwrap_err();
        assert_eq!(e, "no such column: zz (columns: a, bb, c)");
        let many = vec!["a"; MAX_PICK + 1];
        assert!(Pick::resolve(&COLS, many).is_err());
    }

    fn render_view(rows: &[[&str; 3]], view: TableView) -> String {
        let mut out = Vec::new();
        let mut t = TableWriter::new(&mut out, &COLS, view);
        for r in rows {
            t.push(r).unwrap();
        }
        t.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn chosen_columns_sorted_rows_and_colour() {
        let rows = [["2", "", "UP"], ["10", "x", "DOWN"], ["1", "", "UNKNOWN"]];
        let view = TableView {
            pick: Some(Pick::resolve(&COLS, ["c", "a"]).unwrap()),
            sort: Some(0),
            ..TableView::PLAIN
        };
        let text = render_view(&rows, view);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], " C        A");
        assert_eq!(lines[2..], [" UNKNOWN  1", " UP       2", " DOWN     10"]);
        let colored = render_view(
            &rows,
            TableView {
                color: true,
                ..view
            },
        );
        assert!(colored.contains('\x1b'), "{colored}");
        assert!(!render_view(&rows, view).contains('\x1b'));
    }

    #[test]
    fn streamed_rows_are_coloured_and_padded_as_plain_ones() {
        let rows: Vec<[&str; 3]> = (0..WINDOW + 2).map(|_| ["1", "", "UP"]).collect();
        let plain = render_view(&rows, TableView::PLAIN);
        let colored = render_view(
            &rows,
            TableView {
                color: true,
                ..TableView::PLAIN
            },
        );
        let last = colored.lines().last().unwrap();
        assert_eq!(last, " 1      \x1b[32mUP\x1b[0m");
        assert_eq!(plain.lines().last().unwrap(), " 1      UP");
        assert_eq!(colour(Paint::Addr, "2001:db8::1"), Some(Color::Blue));
        assert_eq!(colour(Paint::Addr, "::ffff:10.0.0.1"), Some(Color::Blue));
        assert_eq!(
            colour(Paint::Addr, "10.9.9.1 peer 10.9.9.2/32"),
            Some(Color::Magenta)
        );
    }

    #[test]
    fn empty_table_prints_nothing() {
        assert_eq!(render(0), "");
    }
}
