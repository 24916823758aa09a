//! Policy routing rules, three ways from one [`Rule`]: a table for people
//! (one row per rule), nlq's own JSON (docs/json.md, `## rules`) and the
//! `ip -j rule show` dialect (iproute2 6.1's `print_rule`, key for key and
//! in its order).

use std::io::{self, Write};
use std::net::IpAddr;

use super::stream::TableWriter;
use super::{Dialect, Format, JsonArray};
use crate::model::rule::{IpProtos, Rule};
use crate::names::Names;
use crate::render::text::{Cidr, Hex, NameOr, Str};

mod ip;
mod nlq;
mod table;

pub use ip::IpRule;
pub use nlq::NlqRule;
pub use table::{COLUMNS, row};

/// What the renderers need besides the rule: names from /etc/iproute2
/// (tables, protocols, realms, groups, DS fields) and /etc/protocols.
#[derive(Debug, Clone, Copy)]
pub struct RuleCtx<'a> {
    /// Names from /etc/iproute2.
    pub names: &'a Names,
    /// IP protocol names.
    pub protos: &'a IpProtos,
}

/// Write `rules` in `format`, in the order given.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &RuleCtx<'_>,
    rules: &[Rule],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for r in rules {
                t.push(&row(r, ctx))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for rule in rules {
                match dialect {
                    Dialect::Nlq => array.push(&NlqRule { rule, ctx })?,
                    Dialect::Ip => array.push(&IpRule { rule, ctx })?,
                }
            }
            array.finish()
        }
    }
}

/// A rule's source or destination as a CIDR: the address (the family's
/// zero address when only a length was sent) with its length; `None` when
/// the rule matches every address.
fn prefix(r: &Rule, addr: Option<IpAddr>, len: u8) -> Option<Cidr> {
    match addr {
        Some(a) => Some(Cidr(a, len)),
        None if len != 0 => r.family.any_addr().map(|a| Cidr(a, len)),
        None => None,
    }
}

/// The DS field name from rt_dsfield, else `0x%02x` (rtnl_dsfield_n2a).
fn dsfield(names: &Names, tos: u8) -> String {
    match names.dsfields.name(tos.into()) {
        Some(n) => n.to_string(),
        None => format!("0x{tos:02x}"),
    }
}

/// The IP protocol name, else `ipproto-N` (inet_proto_n2a).
fn ipproto(protos: &IpProtos, p: u8) -> String {
    match protos.name(p) {
        Some(n) => n.to_string(),
        None => format!("ipproto-{p}"),
    }
}

/// The interface group name from `group`, else the number as C's `%d`
/// prints a u32 (rtnl_group_n2a).
fn group(names: &Names, g: u32) -> String {
    match names.groups.name(g) {
        Some(n) => n.to_string(),
        None => (g as i32).to_string(),
    }
}

/// The fwmark selector, `(mark, mask)`: the kernel sends FRA_FWMASK
/// whenever the rule has a mark or a mask; a missing one is 0 for the
/// mark and all ones for the mask (the kernel's default).
fn fwmark(r: &Rule) -> Option<(u32, u32)> {
    if r.fwmark.is_none() && r.fwmask.is_none() {
        return None;
    }
    Some((r.fwmark.unwrap_or(0), r.fwmask.unwrap_or(u32::MAX)))
}

impl super::event::Shown for Rule {
    fn kind(&self) -> &'static str {
        "rule"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        use super::json::Entries as _;
        let ctx = RuleCtx {
            names: view.names,
            protos: view.protos,
        };
        Ok(NlqRule {
            rule: self,
            ctx: &ctx,
        }
        .entries(o)?)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        let ctx = RuleCtx {
            names: view.names,
            protos: view.protos,
        };
        super::event::labelled(&COLUMNS, &row(self, &ctx))
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
