//! The `ip -j rule show` dialect: iproute2 6.1's `print_rule`, key for key
//! and in its order, over the model. nlq adds `family` first (one dump
//! holds every family; `ip` shows one) and prints `protocol` always, as
//! `ip -d` does, so it is a superset of `ip -j rule` and `ip -d -j rule`.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Hex, NameOr, RuleCtx, Str, dsfield, fwmark, group, ipproto};
use crate::model::route::{Realms, RouteType};
use crate::model::rule::{Action, Rule};
use crate::render::text::FastIp;

/// RTN_NAT: the action of an old NAT rule, which `ip` still prints.
const RTN_NAT: u8 = 10;

/// A rule in the `ip -j rule show` dialect (a superset of iproute2 6.1).
pub struct IpRule<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Names.
    pub ctx: &'a RuleCtx<'a>,
}

impl Serialize for IpRule<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, c) = (self.rule, self.ctx);
        let mut m = s.serialize_map(None)?;
        let family = r.family;
        m.serialize_entry("family", &Str(NameOr(family.name(), family.0.into())))?;
        m.serialize_entry("priority", &r.priority)?;
        if r.invert() {
            m.serialize_entry("not", &())?;
        }
        ip_prefixes(&mut m, r)?;
        ip_selectors(&mut m, r, c)?;
        ip_ports(&mut m, r)?;
        ip_table(&mut m, r, c)?;
        if let Some(flow) = r.flow {
            ip_flow(&mut m, flow, c)?;
        }
        ip_action(&mut m, r, c)?;
        if let Some(p) = r.protocol {
            m.serialize_entry(
                "protocol",
                &Str(NameOr(c.names.protos.name(p.into()), p.into())),
            )?;
        }
        m.end()
    }
}

/// `src`/`srclen`, `dst`/`dstlen`: the address, its length unless it is a
/// host's; `"0"` and the length when only a length came; `"src": "all"`
/// (but no `dst`) when there is neither.
fn ip_prefixes<M: SerializeMap>(m: &mut M, r: &Rule) -> Result<(), M::Error> {
    let host = r.family.host_len();
    let sides = [
        ("src", "srclen", r.src, r.src_len),
        ("dst", "dstlen", r.dst, r.dst_len),
    ];
    for (key, len_key, addr, len) in sides {
        match addr {
            Some(a) => {
                m.serialize_entry(key, &Str(FastIp(a)))?;
                if len != host {
                    m.serialize_entry(len_key, &len)?;
                }
            }
            None if len != 0 => {
                m.serialize_entry(key, "0")?;
                m.serialize_entry(len_key, &len)?;
            }
            None if key == "src" => m.serialize_entry(key, "all")?,
            None => {}
        }
    }
    Ok(())
}

/// `tos`, `fwmark`/`fwmask`, `iif`, `oif` (with their detached marks),
/// `l3mdev`, `uid_start`/`uid_end`, `ipproto`.
fn ip_selectors<M: SerializeMap>(m: &mut M, r: &Rule, c: &RuleCtx<'_>) -> Result<(), M::Error> {
    if r.tos != 0 {
        m.serialize_entry("tos", &dsfield(c.names, r.tos))?;
    }
    if let Some((mark, mask)) = fwmark(r) {
        m.serialize_entry("fwmark", &Str(Hex(mark.into())))?;
        if mask != u32::MAX {
            m.serialize_entry("fwmask", &Str(Hex(mask.into())))?;
        }
    }
    let ifaces = [
        ("iif", "iif_detached", &r.iif, r.iif_detached()),
        ("oif", "oif_detached", &r.oif, r.oif_detached()),
    ];
    for (key, detached, name, is_detached) in ifaces {
        if let Some(name) = name {
            m.serialize_entry(key, name)?;
            if is_detached {
                m.serialize_entry(detached, &())?;
            }
        }
    }
    if r.is_l3mdev() {
        m.serialize_entry("l3mdev", &())?;
    }
    if let Some(u) = r.uid_range {
        m.serialize_entry("uid_start", &u.start)?;
        m.serialize_entry("uid_end", &u.end)?;
    }
    if let Some(p) = r.ip_proto {
        m.serialize_entry("ipproto", &ipproto(c.protos, p))?;
    }
    Ok(())
}

/// `sport` (one port) or `sport_start`/`sport_end`, the same for `dport`;
/// then `tun_id`.
fn ip_ports<M: SerializeMap>(m: &mut M, r: &Rule) -> Result<(), M::Error> {
    let sides = [
        ("sport", "sport_start", "sport_end", r.sport),
        ("dport", "dport_start", "dport_end", r.dport),
    ];
    for (one, start, end, range) in sides {
        match range {
            Some(p) if p.start == p.end => m.serialize_entry(one, &p.start)?,
            Some(p) => {
                m.serialize_entry(start, &p.start)?;
                m.serialize_entry(end, &p.end)?;
            }
            None => {}
        }
    }
    if let Some(id) = r.tun_id {
        m.serialize_entry("tun_id", &id)?;
    }
    Ok(())
}

/// `table` (a string, names from rt_tables) and, only with a table, the
/// suppressors that are not -1.
fn ip_table<M: SerializeMap>(m: &mut M, r: &Rule, c: &RuleCtx<'_>) -> Result<(), M::Error> {
    if r.table == 0 {
        return Ok(());
    }
    m.serialize_entry("table", &Str(NameOr(c.names.tables.name(r.table), r.table)))?;
    if let Some(pl) = r.suppress_prefixlen() {
        m.serialize_entry("suppress_prefixlen", &(pl as i32))?;
    }
    if let Some(g) = r.suppress_ifgroup() {
        m.serialize_entry("suppress_ifgroup", &group(c.names, g))?;
    }
    Ok(())
}

/// `flow_from` (when not 0) and `flow_to`: realm names from rt_realms.
fn ip_flow<M: SerializeMap>(m: &mut M, flow: Realms, c: &RuleCtx<'_>) -> Result<(), M::Error> {
    let realm = |v: u16| Str(NameOr(c.names.realms.name(v.into()), v.into()));
    if flow.from != 0 {
        m.serialize_entry("flow_from", &realm(flow.from))?;
    }
    m.serialize_entry("flow_to", &realm(flow.to))
}

/// What the rule does, unless it looks up a table: `nat_gateway` or
/// `masquerade` (RTN_NAT), `goto` (the target, or `"none"`) and
/// `unresolved`, `nop`, else `action` named as a route type (its
/// number under `-N`).
fn ip_action<M: SerializeMap>(m: &mut M, r: &Rule, c: &RuleCtx<'_>) -> Result<(), M::Error> {
    match r.action {
        Action::Unknown(RTN_NAT) => match r.nat_gateway {
            Some(gw) => m.serialize_entry("nat_gateway", &Str(FastIp(gw)))?,
            None => m.serialize_entry("masquerade", &())?,
        },
        Action::Goto => {
            match r.goto {
                Some(t) => m.serialize_entry("goto", &t)?,
                None => m.serialize_entry("goto", "none")?,
            }
            if r.unresolved() {
                m.serialize_entry("unresolved", &())?;
            }
        }
        Action::Nop => m.serialize_entry("nop", &())?,
        Action::ToTable => {}
        a => {
            // rtnl_rtntype_n2a: a number under -N.
            let name = RouteType::from_u8(a.to_u8()).name();
            let name = name.filter(|_| !c.names.numeric);
            m.serialize_entry("action", &Str(NameOr(name, a.to_u8().into())))?;
        }
    }
    Ok(())
}
