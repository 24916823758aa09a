//! `--brief` for links and addresses: one line per link, the fields a
//! person scans for, as `ip -br link` and `ip -br addr` print them (name
//! with its peer, operstate, then the hardware address and flags, or the
//! addresses), and in the `ip` dialect the objects of `ip -br -j`.
//!
//! nlq's own `--json` is total by design and is not cut down by `--brief`.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::ip::{Peer, ip_flags, ip_operstate, peer};
use super::{LinkCtx, LlAddr};
use crate::model::addr::{Addr, Grouped};
use crate::model::link::Link;
use crate::render::text::FastIp;
use crate::render::{Format, JsonArray};

/// Write `links` briefly: a line each, or `ip -br -j link`'s objects.
pub fn links(
    out: &mut dyn Write,
    format: Format,
    ctx: &LinkCtx<'_>,
    links: &[&Link],
) -> io::Result<()> {
    match format {
        Format::Json(_) => {
            let mut array = JsonArray::new(out);
            for &link in links {
                array.push(&BriefLink {
                    link,
                    ctx,
                    addrs: None,
                })?;
            }
            array.finish()
        }
        Format::Table(_) => {
            let mut line = String::new();
            for &l in links {
                head(&mut line, ctx, l);
                if let Some(a) = &l.address {
                    let _ = write!(line, "{} ", LlAddr(l.link_type, a));
                }
                let (_, mdown) = peer(ctx, l);
                let flags: Vec<_> = ip_flags(l.flags, mdown).collect();
                let _ = write!(line, "<{}>", flags.join(","));
                writeln!(out, "{}", line.trim_end())?;
            }
            Ok(())
        }
    }
}

/// Write each link of `grouped` briefly with its addresses: a line each,
/// or `ip -br -j addr`'s objects.
pub fn addrs(
    out: &mut dyn Write,
    format: Format,
    ctx: &LinkCtx<'_>,
    grouped: &Grouped<'_>,
) -> io::Result<()> {
    match format {
        Format::Json(_) => {
            let mut array = JsonArray::new(out);
            for g in &grouped.links {
                array.push(&BriefLink {
                    link: g.link,
                    ctx,
                    addrs: Some(&g.addrs),
                })?;
            }
            array.finish()
        }
        Format::Table(_) => {
            let mut line = String::new();
            for g in &grouped.links {
                head(&mut line, ctx, g.link);
                for a in &g.addrs {
                    match (a.local, a.peer) {
                        (Some(l), Some(p)) => {
                            let _ = write!(line, "{} peer {}", FastIp(l), FastIp(p));
                        }
                        (Some(ip), None) | (None, Some(ip)) => {
                            let _ = write!(line, "{}", FastIp(ip));
                        }
                        (None, None) => continue,
                    }
                    let _ = write!(line, "/{} ", a.prefix_len);
                }
                writeln!(out, "{}", line.trim_end())?;
            }
            Ok(())
        }
    }
}

/// `name@peer` padded to 16 and the operstate padded to 14, as ip pads
/// them (`%-16s %-14s `), into a cleared `line`.
fn head(line: &mut String, ctx: &LinkCtx<'_>, l: &Link) {
    line.clear();
    let mut name = l.name.clone();
    match peer(ctx, l).0 {
        Peer::None => {}
        Peer::Zero => name.push_str("@NONE"),
        Peer::Index(i) => {
            let _ = write!(name, "@if{i}");
        }
        Peer::Name(n) => {
            let _ = write!(name, "@{n}");
        }
    }
    let state = l
        .operstate
        .map_or("UNKNOWN".into(), |s| ip_operstate(s.value()));
    let _ = write!(line, "{name:<16} {state:<14} ");
}

/// A link as `ip -br -j` shows it: `link`, `ifname`, `operstate`, then
/// `address` and `flags` (links) or `addr_info` (addresses).
struct BriefLink<'a> {
    link: &'a Link,
    ctx: &'a LinkCtx<'a>,
    addrs: Option<&'a [&'a Addr]>,
}

impl Serialize for BriefLink<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (l, ctx) = (self.link, self.ctx);
        let mut m = s.serialize_map(None)?;
        let (peer, mdown) = peer(ctx, l);
        match &peer {
            Peer::None => {}
            Peer::Zero => m.serialize_entry("link", "NONE")?,
            Peer::Index(i) => m.serialize_entry("link_index", &(*i as i32))?,
            Peer::Name(n) => m.serialize_entry("link", n)?,
        }
        m.serialize_entry("ifname", &l.name)?;
        let state = l
            .operstate
            .map_or("UNKNOWN".into(), |s| ip_operstate(s.value()));
        m.serialize_entry("operstate", &state)?;
        match self.addrs {
            None => {
                if let Some(a) = &l.address {
                    m.serialize_entry("address", &LlAddr(l.link_type, a).to_string())?;
                }
                let flags: Vec<_> = ip_flags(l.flags, mdown).collect();
                m.serialize_entry("flags", &flags)?;
            }
            Some(addrs) => m.serialize_entry("addr_info", &BriefAddrs(addrs))?,
        }
        m.end()
    }
}

/// `[{"local": ..., "address": peer, "prefixlen": ...}]`.
struct BriefAddrs<'a>(&'a [&'a Addr]);

impl Serialize for BriefAddrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let shown = self
            .0
            .iter()
            .filter(|a| a.local.is_some() || a.peer.is_some());
        s.collect_seq(shown.map(|a| BriefAddr(a)))
    }
}

struct BriefAddr<'a>(&'a Addr);

impl Serialize for BriefAddr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        let mut m = s.serialize_map(None)?;
        match (a.local, a.peer) {
            (Some(l), Some(p)) => {
                m.serialize_entry("local", &FastIp(l).to_string())?;
                m.serialize_entry("address", &FastIp(p).to_string())?;
            }
            (Some(ip), None) | (None, Some(ip)) => {
                m.serialize_entry("local", &FastIp(ip).to_string())?;
            }
            (None, None) => {}
        }
        m.serialize_entry("prefixlen", &a.prefix_len)?;
        m.end()
    }
}
