//! `nlq links --rate`: each sample's rates, redrawn in place on a
//! terminal, as lines under one header in a pipe, or as NDJSON (one object
//! per link and sample, docs/json.md `## links --rate`).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Format;
use super::stream::{Column, Paint, TableWriter};
use crate::model::rate::{RATED, Rate};

/// Columns of the rate table: the link, then each rate.
const COLUMNS: [Column; 10] = [
    Column::new("TIME", "timestamp"),
    Column::new("NAME", "name").paint(Paint::Name),
    Column::new("RX B/s", "rx_bytes_per_sec"),
    Column::new("TX B/s", "tx_bytes_per_sec"),
    Column::new("RX PKT/s", "rx_packets_per_sec"),
    Column::new("TX PKT/s", "tx_packets_per_sec"),
    Column::new("RX ERR/s", "rx_errors_per_sec"),
    Column::new("TX ERR/s", "tx_errors_per_sec"),
    Column::new("RX DROP/s", "rx_dropped_per_sec"),
    Column::new("TX DROP/s", "tx_dropped_per_sec"),
];

/// The JSON key of each rate, in [`RATED`] order.
const KEYS: [&str; RATED.len()] = [
    "rx_bytes_per_sec",
    "tx_bytes_per_sec",
    "rx_packets_per_sec",
    "tx_packets_per_sec",
    "rx_errors_per_sec",
    "tx_errors_per_sec",
    "rx_dropped_per_sec",
    "tx_dropped_per_sec",
];

/// Writes samples one after another in one format.
pub struct RateWriter {
    format: Format,
    header_done: bool,
}

impl RateWriter {
    /// A writer for `format`.
    pub fn new(format: Format) -> Self {
        RateWriter {
            format,
            header_done: false,
        }
    }

    /// Write one sample, taken at `at`.
    pub fn write(&mut self, out: &mut dyn Write, rates: &[Rate], at: SystemTime) -> io::Result<()> {
        let time = iso8601_utc(at);
        match self.format {
            Format::Json(_) => {
                let mut buf = Vec::new();
                for r in rates {
                    serde_json::to_writer(
                        &mut buf,
                        &JsonRate {
                            time: &time,
                            rate: r,
                        },
                    )?;
                    buf.push(b'\n');
                }
                out.write_all(&buf)
            }
            // On a terminal: clear it and draw the table again.
            Format::Table(view) if view.tty => {
                let mut buf = Vec::from(&b"\x1b[H\x1b[2J"[..]);
                let mut t = TableWriter::new(&mut buf, &COLUMNS, view);
                for r in rates {
                    t.push(&row(&time, r))?;
                }
                t.finish()?;
                out.write_all(&buf)
            }
            // In a pipe, plain text: colour is for terminals.
            Format::Table(_) => self.lines(out, &time, rates),
        }
    }

    /// In a pipe: the header once, then a line per link and sample, in
    /// fixed columns wide enough for most values.
    fn lines(&mut self, out: &mut dyn Write, time: &str, rates: &[Rate]) -> io::Result<()> {
        let mut text = String::new();
        if !std::mem::replace(&mut self.header_done, true) {
            let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
            push_line(&mut text, &headers);
        }
        for r in rates {
            push_line(&mut text, &row(time, r));
        }
        out.write_all(text.as_bytes())
    }
}

/// `TIME NAME rates...`, padded to fixed widths.
fn push_line<S: AsRef<str>>(text: &mut String, cells: &[S]) {
    const WIDTHS: [usize; COLUMNS.len()] = [24, 16, 11, 11, 9, 9, 9, 9, 10, 10];
    let mut line = String::new();
    for (cell, w) in cells.iter().zip(WIDTHS) {
        let _ = write!(line, "{:<w$} ", cell.as_ref());
    }
    text.push_str(line.trim_end());
    text.push('\n');
}

/// One table row.
fn row(time: &str, r: &Rate) -> Vec<String> {
    let mut cells = vec![time.to_string(), r.name.clone()];
    for (i, v) in r.per_sec.iter().enumerate() {
        cells.push(match v {
            None => String::new(),
            Some(v) if i < 2 => bytes(*v),
            Some(v) => format!("{v:.1}"),
        });
    }
    cells
}

/// Bytes per second with an SI prefix: `950`, `12.3k`, `1.05M`.
fn bytes(v: f64) -> String {
    const UNITS: [(f64, &str); 4] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];
    for (scale, unit) in UNITS {
        if v >= scale {
            let n = format!("{:.3}", v / scale);
            let n = n.trim_end_matches('0').trim_end_matches('.');
            return format!("{n}{unit}");
        }
    }
    format!("{v:.0}")
}

/// `{"timestamp", "index", "name", "<counter>_per_sec"...}`.
struct JsonRate<'a> {
    time: &'a str,
    rate: &'a Rate,
}

impl Serialize for JsonRate<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3 + KEYS.len()))?;
        m.serialize_entry("timestamp", self.time)?;
        m.serialize_entry("index", &self.rate.index)?;
        m.serialize_entry("name", &self.rate.name)?;
        for (k, v) in KEYS.iter().zip(&self.rate.per_sec) {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `t` as ISO 8601 in UTC with milliseconds: `2026-11-28T10:40:05.123Z`.
pub fn iso8601_utc(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, day) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn utc_timestamps() {
        let at = |s: u64, ms: u64| UNIX_EPOCH + Duration::from_millis(s * 1000 + ms);
        assert_eq!(iso8601_utc(at(0, 0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_utc(at(951_782_400, 5)), "2000-02-29T00:00:00.005Z");
        assert_eq!(
            iso8601_utc(at(1_795_861_205, 123)),
            "2026-11-28T10:20:05.123Z"
        );
    }

    #[test]
    fn byte_rates_read_well() {
        assert_eq!(bytes(950.0), "950");
        assert_eq!(bytes(12_300.0), "12.3k");
        assert_eq!(bytes(1_050_000.0), "1.05M");
        assert_eq!(bytes(2e9), "2G");
    }

    #[test]
    fn every_format() {
        let r = Rate {
            index: 2,
            name: "v0".into(),
            per_sec: [
                Some(1500.0),
                Some(0.0),
                Some(3.0),
                None,
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(0.0),
            ],
        };
        let at = UNIX_EPOCH + Duration::from_secs(1_795_861_205);
        let mut out = Vec::new();
        RateWriter::new(Format::Json(super::super::Dialect::Nlq))
            .write(&mut out, std::slice::from_ref(&r), at)
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["rx_bytes_per_sec"], 1500.0);
        assert!(v["tx_packets_per_sec"].is_null());
        assert_eq!(v["timestamp"], "2026-11-28T10:20:05.000Z");
        let mut out = Vec::new();
        let mut w = RateWriter::new(Format::Table(super::super::stream::TableView::PLAIN));
        w.write(&mut out, std::slice::from_ref(&r), at).unwrap();
        w.write(&mut out, &[r], at).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.lines().count(),
            3,
            "one header, a line per sample: {text}"
        );
        assert!(text.lines().nth(1).unwrap().contains(" v0 "), "{text}");
        assert!(text.contains("1.5k"), "{text}");
    }
}
