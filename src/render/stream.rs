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

use std::io::{self, Write};

/// Rows held before a table is laid out whole or streamed.
pub const WINDOW: usize = 1_000;

/// A column: its header, and the cell text that says nothing, for columns
/// shown only when some row says something.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text.
    pub header: &'static str,
    /// Hide the column when every cell is this text (comfy-table layout only).
    pub hide_if_all: Option<&'static str>,
}

/// Writes rows as a table, laid out whole or streamed (see the module doc).
pub struct TableWriter<'w> {
    out: &'w mut dyn Write,
    columns: &'static [Column],
    tty: bool,
    window: Vec<Vec<String>>,
    /// Set once the table streams: each column's width, in characters.
    widths: Option<Vec<usize>>,
    line: String,
}

impl<'w> TableWriter<'w> {
    /// A table of `columns`, written to `out`; `tty` says whether `out` is
    /// a terminal.
    pub fn new(out: &'w mut dyn Write, columns: &'static [Column], tty: bool) -> Self {
        TableWriter {
            out,
            columns,
            tty,
            window: Vec::new(),
            widths: None,
            line: String::new(),
        }
    }

    /// Add a row: one cell per column, lines separated by `\n`.
    pub fn push<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        if let Some(widths) = &self.widths {
            return write_row(self.out, &mut self.line, widths, cells);
        }
        self.window
            .push(cells.iter().map(|c| c.as_ref().to_owned()).collect());
        if self.window.len() > WINDOW {
            self.start_streaming()?;
        }
        Ok(())
    }

    /// Write what is still held. A table with no rows prints nothing.
    pub fn finish(self) -> io::Result<()> {
        if self.widths.is_some() || self.window.is_empty() {
            return Ok(());
        }
        let shown: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.says_something(i))
            .collect();
        let headers: Vec<&str> = shown.iter().map(|&i| self.columns[i].header).collect();
        let mut t = super::table(&headers, self.tty);
        for row in &self.window {
            t.add_row(shown.iter().map(|&i| row.get(i).map_or("", String::as_str)));
        }
        super::write_table(self.out, &t)
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

    /// Measure the window, write the header and the window, and stream from
    /// now on.
    fn start_streaming(&mut self) -> io::Result<()> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(c.header)).collect();
        for row in &self.window {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.lines().map(width).max().unwrap_or(0));
            }
        }
        let headers: Vec<&str> = self.columns.iter().map(|c| c.header).collect();
        write_row(self.out, &mut self.line, &widths, &headers)?;
        let rule: usize = widths.iter().map(|w| w + 2).sum();
        writeln!(self.out, "{}", "─".repeat(rule))?;
        for row in std::mem::take(&mut self.window) {
            write_row(self.out, &mut self.line, &widths, &row)?;
        }
        self.widths = Some(widths);
        Ok(())
    }
}

/// Display width of `s`, counted in characters (nlq's cells are ASCII but
/// for interface names and aliases).
fn width(s: &str) -> usize {
    s.chars().count()
}

/// Write one row, one line per line of its tallest cell, each cell padded
/// to its column's width with one space either side, as comfy-table does;
/// trailing blanks are trimmed.
fn write_row<S: AsRef<str>>(
    out: &mut dyn Write,
    line: &mut String,
    widths: &[usize],
    cells: &[S],
) -> io::Result<()> {
    let height = cells
        .iter()
        .map(|c| c.as_ref().lines().count().max(1))
        .max()
        .unwrap_or(1);
    for k in 0..height {
        line.clear();
        for (cell, &w) in cells.iter().zip(widths) {
            let text = cell.as_ref().lines().nth(k).unwrap_or("");
            line.push(' ');
            line.push_str(text);
            line.extend(std::iter::repeat_n(
                ' ',
                (w + 1).saturating_sub(width(text)),
            ));
        }
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column {
            header: "A",
            hide_if_all: None,
        },
        Column {
            header: "BB",
            hide_if_all: Some(""),
        },
        Column {
            header: "C",
            hide_if_all: None,
        },
    ];

    fn render(rows: usize) -> String {
        let mut out = Vec::new();
        let mut t = TableWriter::new(&mut out, &COLS, false);
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
    fn empty_table_prints_nothing() {
        assert_eq!(render(0), "");
    }
}
