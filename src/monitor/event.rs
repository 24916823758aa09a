//! One event, rendered: a line of text for people, or one NDJSON object.
//!
//! Text: `TIMESTAMP EVENT KIND OBJECT`, the object in the listing
//! commands' words (routes, neighbours and rules as `column value` pairs
//! of their tables). JSON: the envelope keys `timestamp`, `event`,
//! `object`, `netns` first, then the object's keys exactly as the listing
//! command's `--json` writes them (docs/json.md `## monitor`).

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use super::state::Change;
use crate::render::event::{Shown, View};
use crate::render::json::{Obj, key};

/// Local time as ISO 8601 with milliseconds and the UTC offset
/// ("2026-11-28T10:20:01.123+00:00").
pub fn stamp(now: SystemTime) -> String {
    let d = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(0);
    let t = crate::sys::local_time(secs).unwrap_or(crate::sys::LocalTime::EPOCH);
    let sign = if t.offset < 0 { '-' } else { '+' };
    let off = t.offset.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        d.subsec_millis(),
        off / 3600,
        off % 3600 / 60
    )
}

/// The JSON `event` value of a change.
fn json_event(change: Change) -> &'static str {
    match change {
        Change::New | Change::Flags => "new",
        Change::Del => "del",
    }
}

/// The text event word of a change.
fn text_event(change: Change) -> &'static str {
    match change {
        Change::New => "NEW",
        Change::Flags => "CHANGE",
        Change::Del => "DEL",
    }
}

/// Append the envelope's keys to an open object.
fn envelope(
    o: &mut Obj<'_>,
    ts: &str,
    event: &str,
    kind: Option<&str>,
    netns: Option<&str>,
) -> io::Result<()> {
    o.entry(key!("timestamp"), ts)?;
    o.entry(key!("event"), event)?;
    o.entry(key!("object"), &kind)?;
    o.entry(key!("netns"), &netns)
}

/// Append one event as a JSON line to `out`: the envelope, then the
/// object's keys as its listing's `--json` writes them, in one object.
pub fn json(
    out: &mut Vec<u8>,
    ts: &str,
    change: Change,
    obj: &dyn Shown,
    view: &View<'_>,
    netns: Option<&str>,
) -> io::Result<()> {
    let mut o = Obj::begin(out);
    envelope(&mut o, ts, json_event(change), Some(obj.kind()), netns)?;
    obj.json(&mut o, view)?;
    o.end();
    out.push(b'\n');
    Ok(())
}

/// Append a marker event (`overrun`, `resync`) with extra counts.
pub fn json_marker(
    out: &mut Vec<u8>,
    ts: &str,
    event: &str,
    netns: Option<&str>,
    counts: &[(crate::render::json::Key, u64)],
) -> io::Result<()> {
    let mut o = Obj::begin(out);
    envelope(&mut o, ts, event, None, netns)?;
    for &(k, n) in counts {
        o.entry(k, &n)?;
    }
    o.end();
    out.push(b'\n');
    Ok(())
}

/// Append one event as a line of text to `out`.
pub fn text(
    out: &mut Vec<u8>,
    ts: &str,
    change: Change,
    obj: &dyn Shown,
    view: &View<'_>,
    netns: Option<&str>,
) {
    let ns = netns.map(|n| format!("[{n}] ")).unwrap_or_default();
    let line = format!(
        "{ts} {ns}{:<6} {:<5} {}\n",
        text_event(change),
        obj.kind(),
        obj.text(view)
    );
    out.extend_from_slice(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_iso_8601_with_milliseconds() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_123);
        let s = stamp(t);
        assert_eq!(s.len(), "2023-11-14T22:13:20.123+00:00".len(), "{s}");
        assert_eq!(&s[19..23], ".123");
        assert_eq!(&s[4..5], "-");
        assert_eq!(&s[10..11], "T");
    }

    #[test]
    fn link_lines_carry_the_kinds_essentials() {
        use crate::model::LinkNames;
        use crate::model::link::{KindData, KindField, KindValue, Link, Links};
        use crate::model::rule::IpProtos;
        use crate::names::Names;
        use crate::netns::NsidNames;
        let field = |key, value| KindField { key, value };
        let link = Link {
            index: 7,
            name: "v100".into(),
            kind: Some("vlan".into()),
            kind_data: Some(KindData {
                fields: vec![
                    field("protocol", KindValue::Text("802.1Q".into())),
                    field("id", KindValue::Uint(100)),
                ],
            }),
            ..Link::default()
        };
        let (names, protos) = (Names::builtin(), IpProtos::default());
        let (links, link_names, nsids) = (Links::new(), LinkNames::new(), NsidNames::default());
        let view = View {
            names: &names,
            protos: &protos,
            links: &links,
            link_names: &link_names,
            nsids: &nsids,
        };
        let line = link.text(&view);
        assert!(line.ends_with("kind vlan protocol 802.1Q id 100"), "{line}");
    }
}
