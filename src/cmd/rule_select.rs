//! The selectors of `nlq rules`, as `ip rule show` has them: `--pref`,
//! `--from`, `--to`, `--table`, `--fwmark`, `--iif`, `--oif`, `--l3mdev`,
//! `--uidrange`, `--ipproto`, `--sport`, `--dport`, `--tos`, `--protocol`,
//! `--not`, `--tun-id`.
//!
//! They follow iproute2 6.1's `filter_nlmsg` (ip/iprule.c) and its
//! argument parsing in `iprule_list_flush_or_save`, quirks included:
//!
//! * `--from P` / `--to P` keep the rules of P's family whose source
//!   (destination) prefix lies inside P: at least as long, and the same
//!   first len(P) bits. `ADDR` alone is a host prefix, so it keeps only
//!   the rules for exactly that host; `all`, `any` and `default` keep
//!   every rule (of the family asked for, if one was).
//! * A value that means "nothing" to ip selects nothing out: `--fwmark 0`
//!   (only its mask, if given, is compared), `--table 0` / `unspec`,
//!   `--ipproto 0`, a port range starting at 0, `--protocol all`,
//!   `--tun-id 0`.
//! * `--not` keeps the rules whose match is negated (FIB_RULE_INVERT);
//!   `--tun-id N` the rules with FRA_TUN_ID N (a rule without one never).
//! * `--fwmark M` compares the rule's mark (0 when it has none) with M;
//!   `/MASK` compares the rule's mask (0 when it has none) too.
//! * `--iif` / `--oif` compare interface names, so they also select rules
//!   whose device is gone (detached); `--tos`, `--uidrange`, the port
//!   ranges and `--pref` compare exactly (a rule without FRA_PRIORITY has
//!   priority 0).
//! * `--protocol`: ip 6.1 parses it but applies it only to `ip rule
//!   flush`; nlq applies flush's test to the listing (a rule without
//!   FRA_PROTOCOL, from kernels before 4.17, is kept).
//!
//! The kernel filters rule dumps by family only (see [`super::rules`]),
//! so everything here runs on nlq's side.

use crate::Error;
use crate::cmd::route_select::{Prefix, addr_bytes, same_bits};
use crate::model::rule::Rule;
use crate::names::Names;

/// `nlq rules` selectors as the command line gives them, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// `--pref`: priority.
    pub pref: Option<u32>,
    /// `--from`: source prefix.
    pub from: Option<String>,
    /// `--to`: destination prefix.
    pub to: Option<String>,
    /// `--table`: a name from rt_tables or a number.
    pub table: Option<String>,
    /// `--fwmark`: MARK[/MASK].
    pub fwmark: Option<String>,
    /// `--iif`: input interface name.
    pub iif: Option<String>,
    /// `--oif`: output interface name.
    pub oif: Option<String>,
    /// `--l3mdev`.
    pub l3mdev: bool,
    /// `--uidrange`: START-END.
    pub uidrange: Option<String>,
    /// `--ipproto`: a number or a name from /etc/protocols.
    pub ipproto: Option<String>,
    /// `--sport`: PORT or START-END.
    pub sport: Option<String>,
    /// `--dport`: PORT or START-END.
    pub dport: Option<String>,
    /// `--tos`: a name from rt_dsfield or a hex number.
    pub tos: Option<String>,
    /// `--protocol`: a name from rt_protos, a number, or `all`.
    pub protocol: Option<String>,
    /// `--not`.
    pub not: bool,
    /// `--tun-id`: a tunnel id.
    pub tun_id: Option<u64>,
}

/// The validated selectors: `None` (or `false`) selects nothing out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFilter {
    /// Priority (FRA_PRIORITY, 0 when absent).
    pub pref: Option<u32>,
    /// Source prefix the rule's FRA_SRC/src_len must lie inside.
    pub from: Option<Prefix>,
    /// Destination prefix the rule's FRA_DST/dst_len must lie inside.
    pub to: Option<Prefix>,
    /// Table id (FRA_TABLE, else the header's); never 0.
    pub table: Option<u32>,
    /// Firewall mark (FRA_FWMARK, 0 when absent); never 0.
    pub fwmark: Option<u32>,
    /// Firewall mask (FRA_FWMASK, 0 when absent); never 0.
    pub fwmask: Option<u32>,
    /// Input interface name (FRA_IIFNAME).
    pub iif: Option<String>,
    /// Output interface name (FRA_OIFNAME).
    pub oif: Option<String>,
    /// Only rules with a non-zero FRA_L3MDEV.
    pub l3mdev: bool,
    /// User id range, start and end (FRA_UID_RANGE).
    pub uidrange: Option<(u32, u32)>,
    /// IP protocol (FRA_IP_PROTO, 0 when absent); never 0.
    pub ipproto: Option<u8>,
    /// Source port range (FRA_SPORT_RANGE); start never 0.
    pub sport: Option<(u16, u16)>,
    /// Destination port range (FRA_DPORT_RANGE); start never 0.
    pub dport: Option<(u16, u16)>,
    /// TOS / DS field byte (tos); 0 is a real filter here.
    pub tos: Option<u8>,
    /// Route protocol of the rule (FRA_PROTOCOL).
    pub protocol: Option<u8>,
    /// Only negated rules (FIB_RULE_INVERT).
    pub not: bool,
    /// Tunnel id (FRA_TUN_ID); never 0.
    pub tun_id: Option<u64>,
}

/// A usage error naming the flag and its value.
fn usage(flag: &str, value: &str, what: &str) -> Error {
    Error::Usage(format!("{flag} {value}: {what}"))
}

impl RuleFilter {
    /// Check `q` against the name tables; `family` is the one asked for
    /// (`-4` / `-6`), which `--from` and `--to` must be of.
    pub fn new(q: &Query, family: Option<u8>, names: &Names) -> Result<Self, Error> {
        let prefix = |flag: &str, v: &Option<String>| {
            v.as_deref()
                .map(|t| Prefix::parse(t, family, true).map_err(|e| usage(flag, t, &e)))
                .transpose()
        };
        let (fwmark, fwmask) = q.fwmark.as_deref().map(fwmark).transpose()?.unzip();
        Ok(RuleFilter {
            pref: q.pref,
            from: prefix("--from", &q.from)?,
            to: prefix("--to", &q.to)?,
            table: q
                .table
                .as_deref()
                .map(|t| table(t, names))
                .transpose()?
                .flatten(),
            fwmark: fwmark.filter(|&m| m != 0),
            fwmask: fwmask.flatten().filter(|&m| m != 0),
            iif: q.iif.clone(),
            oif: q.oif.clone(),
            l3mdev: q.l3mdev,
            uidrange: q.uidrange.as_deref().map(uidrange).transpose()?,
            ipproto: ipproto(q.ipproto.as_deref())?,
            sport: ports("--sport", q.sport.as_deref())?,
            dport: ports("--dport", q.dport.as_deref())?,
            tos: tos(q.tos.as_deref(), names)?,
            protocol: crate::cmd::routes::named_u8(
                "rule protocol",
                "rt_protos",
                q.protocol.as_deref(),
                |p| names.protos.id(p),
            )?,
            not: q.not,
            tun_id: q.tun_id.filter(|&t| t != 0),
        })
    }

    /// The one family `--from` and `--to` name, which the dump can ask the
    /// kernel for; two different ones select nothing and are a usage error.
    pub fn implied_family(&self) -> Result<Option<u8>, Error> {
        let from = self.from.and_then(|p| p.family);
        let to = self.to.and_then(|p| p.family);
        match (from, to) {
            (Some(a), Some(b)) if a != b => Err(Error::Usage(
                "--from and --to are of different families: no rule has both".into(),
            )),
            (a, b) => Ok(a.or(b)),
        }
    }

    /// Whether `r` passes every selector (ip's `filter_nlmsg`, in its order).
    pub fn keeps(&self, r: &Rule) -> bool {
        let is = |want: Option<u32>, got: u32| want.is_none_or(|w| w == got);
        let name = |want: &Option<String>, got: &Option<String>| {
            want.is_none() || (got.is_some() && want == got)
        };
        is(self.pref, r.priority)
            && (!self.not || r.invert())
            && prefix_keeps(self.from.as_ref(), r.family.0, r.src, r.src_len)
            && prefix_keeps(self.to.as_ref(), r.family.0, r.dst, r.dst_len)
            && self.tos.is_none_or(|t| t == r.tos)
            && is(self.fwmark, r.fwmark.unwrap_or(0))
            && is(self.fwmask, r.fwmask.unwrap_or(0))
            && name(&self.iif, &r.iif)
            && name(&self.oif, &r.oif)
            && (!self.l3mdev || r.is_l3mdev())
            && self
                .uidrange
                .is_none_or(|u| r.uid_range.is_some_and(|g| (g.start, g.end) == u))
            && self.ipproto.is_none_or(|p| p == r.ip_proto.unwrap_or(0))
            && self
                .sport
                .is_none_or(|p| r.sport.is_some_and(|g| (g.start, g.end) == p))
            && self
                .dport
                .is_none_or(|p| r.dport.is_some_and(|g| (g.start, g.end) == p))
            && self.tun_id.is_none_or(|t| r.tun_id == Some(t))
            && is(self.table, r.table)
            && self
                .protocol
                .is_none_or(|p| r.protocol.is_none_or(|g| g == p))
    }
}

/// ip's `from` / `to` test: the rule is of the prefix's family, its own
/// prefix is at least as long, and (when it has an address) starts with
/// the prefix's bits. A prefix without a family (`all` with no `-4`/`-6`)
/// tests the length only.
fn prefix_keeps(p: Option<&Prefix>, family: u8, addr: Option<std::net::IpAddr>, len: u8) -> bool {
    let Some(p) = p else { return true };
    p.family.is_none_or(|f| f == family)
        && p.len <= len
        && (addr.is_none() || same_bits(&addr_bytes(addr), &p.addr, p.len))
}

/// A number as ip's `get_u32(.., 0)` reads one: decimal or `0x` hex.
fn number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// `--fwmark MARK[/MASK]`.
fn fwmark(text: &str) -> Result<(u32, Option<u32>), Error> {
    let bad = || {
        usage(
            "--fwmark",
            text,
            "the form is MARK[/MASK], numbers up to 0xffffffff",
        )
    };
    let (mark, mask) = match text.split_once('/') {
        Some((m, k)) => (m, Some(k)),
        None => (text, None),
    };
    let mark = number(mark).ok_or_else(bad)?;
    let mask = mask.map(|k| number(k).ok_or_else(bad)).transpose()?;
    Ok((mark, mask))
}

/// `--table`: `None` for table 0 (`unspec` in rt_tables) and `all`, which select nothing
/// out, as in ip.
fn table(text: &str, names: &Names) -> Result<Option<u32>, Error> {
    if text == "all" {
        return Ok(None);
    }
    match names.tables.id(text) {
        Some(id) => Ok((id != 0).then_some(id)),
        None => Err(usage(
            "--table",
            text,
            "not a number and not named in rt_tables",
        )),
    }
}

/// `--uidrange START-END`: both ends, as ip's `sscanf("%u-%u")` wants.
fn uidrange(text: &str) -> Result<(u32, u32), Error> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| usage("--uidrange", text, "the form is START-END"))?;
    match (a.parse(), b.parse()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(usage(
            "--uidrange",
            text,
            "user ids are numbers up to 4294967295",
        )),
    }
}

/// `--sport` / `--dport`: PORT or START-END; `None` for a start of 0, which
/// ip takes for no filter.
fn ports(flag: &str, text: Option<&str>) -> Result<Option<(u16, u16)>, Error> {
    let Some(text) = text else { return Ok(None) };
    let bad = || {
        usage(
            flag,
            text,
            "the form is PORT or START-END, ports up to 65535",
        )
    };
    let (a, b) = match text.split_once('-') {
        Some((a, b)) => (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?),
        None => {
            let p = text.parse().map_err(|_| bad())?;
            (p, p)
        }
    };
    Ok((a != 0).then_some((a, b)))
}

/// `--ipproto`: `None` for 0, which ip takes for no filter.
fn ipproto(text: Option<&str>) -> Result<Option<u8>, Error> {
    let Some(text) = text else { return Ok(None) };
    let n = crate::names::ip_protocol(text).ok_or_else(|| {
        usage(
            "--ipproto",
            text,
            "not a number up to 255 nor a name in /etc/protocols",
        )
    })?;
    Ok((n != 0).then_some(n))
}

/// `--tos`: a name from rt_dsfield or a hex number, as ip reads it.
fn tos(text: Option<&str>, names: &Names) -> Result<Option<u8>, Error> {
    let Some(text) = text else { return Ok(None) };
    crate::names::dsfield(text, names).map(Some).ok_or_else(|| {
        usage(
            "--tos",
            text,
            "not a name in rt_dsfield nor a hex number up to ff",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::route::Family;
    use crate::wire::attr::{AF_INET, AF_INET6};

    fn filter(q: Query, family: Option<u8>) -> Result<RuleFilter, Error> {
        RuleFilter::new(&q, family, &Names::builtin())
    }

    fn rule4(src: &str, src_len: u8) -> Rule {
        Rule {
            family: Family(AF_INET),
            src: Some(src.parse().unwrap()),
            src_len,
            ..Rule::default()
        }
    }

    #[test]
    fn from_keeps_rules_inside_the_prefix() {
        let from = |p: &str| {
            filter(
                Query {
                    from: Some(p.into()),
                    ..Query::default()
                },
                None,
            )
            .unwrap()
        };
        let r = rule4("10.1.0.0", 16);
        assert!(from("10.0.0.0/8").keeps(&r), "a longer prefix lies inside");
        assert!(from("10.1.0.0/16").keeps(&r));
        assert!(!from("10.1.2.0/24").keeps(&r), "a shorter one does not");
        assert!(!from("10.1.0.0").keeps(&r), "ADDR alone is a /32");
        assert!(!from("11.0.0.0/8").keeps(&r));
        assert!(!from("::/0").keeps(&r), "another family");
        assert!(from("all").keeps(&r) && from("all").keeps(&Rule::default()));
        assert_eq!(from("::/0").implied_family().unwrap(), Some(AF_INET6));
    }

    #[test]
    fn not_keeps_negated_rules_and_tun_id_rules_with_that_id() {
        let q = |not, tun_id| {
            filter(
                Query {
                    not,
                    tun_id,
                    ..Query::default()
                },
                None,
            )
            .unwrap()
        };
        let mut negated = rule4("10.1.0.0", 16);
        negated.flags |= crate::wire::fib_rule::FIB_RULE_INVERT;
        let plain = rule4("10.1.0.0", 16);
        assert!(q(true, None).keeps(&negated) && !q(true, None).keeps(&plain));
        let tunnel = Rule {
            tun_id: Some(77),
            ..Rule::default()
        };
        assert!(q(false, Some(77)).keeps(&tunnel));
        assert!(!q(false, Some(78)).keeps(&tunnel));
        assert!(
            !q(false, Some(77)).keeps(&plain),
            "a rule without FRA_TUN_ID"
        );
        assert!(q(false, Some(0)).keeps(&plain), "0 selects nothing out");
    }

    #[test]
    fn zero_values_select_nothing_out_as_in_ip() {
        let f = filter(
            Query {
                table: Some("0".into()),
                fwmark: Some("0".into()),
                ipproto: Some("0".into()),
                sport: Some("0-10".into()),
                protocol: Some("all".into()),
                ..Query::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(f, RuleFilter::default());
        let f = filter(
            Query {
                fwmark: Some("0/0xff".into()),
                tos: Some("0".into()),
                ..Query::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((f.fwmark, f.fwmask, f.tos), (None, Some(0xff), Some(0)));
    }

    #[test]
    fn exact_fields_compare_exactly() {
        let f = filter(
            Query {
                fwmark: Some("0x10".into()),
                sport: Some("53".into()),
                uidrange: Some("5-6".into()),
                iif: Some("va".into()),
                ..Query::default()
            },
            None,
        )
        .unwrap();
        let mut r = Rule {
            fwmark: Some(0x10),
            sport: Some(crate::model::rule::PortRange { start: 53, end: 53 }),
            uid_range: Some(crate::model::rule::UidRange { start: 5, end: 6 }),
            iif: Some("va".into()),
            ..Rule::default()
        };
        assert!(f.keeps(&r));
        r.iif = Some("vb".into());
        assert!(!f.keeps(&r));
        r.iif = Some("va".into());
        r.fwmark = None;
        assert!(!f.keeps(&r), "no mark compares as 0");
    }

    #[test]
    fn protocol_keeps_rules_without_one() {
        let f = filter(
            Query {
                protocol: Some("bird".into()),
                ..Query::default()
            },
            None,
        )
        .unwrap();
        assert!(
            f.keeps(&Rule::default()),
            "no FRA_PROTOCOL: kept, as ip flush"
        );
        let bird = Rule {
            protocol: Some(12),
            ..Rule::default()
        };
        let boot = Rule {
            protocol: Some(3),
            ..Rule::default()
        };
        assert!(f.keeps(&bird) && !f.keeps(&boot));
    }

    #[test]
    fn malformed_values_are_usage_errors() {
        let bad = [
            Query {
                from: Some("10.0.0.0/8".into()),
                to: Some("::/0".into()),
                ..Query::default()
            },
            Query {
                uidrange: Some("7".into()),
                ..Query::default()
            },
            Query {
                dport: Some("1-x".into()),
                ..Query::default()
            },
            Query {
                fwmark: Some("0x1/".into()),
                ..Query::default()
            },
            Query {
                table: Some("nosuch".into()),
                ..Query::default()
            },
        ];
        for q in bad {
            let err = filter(q.clone(), None)
                .and_then(|f| f.implied_family().map(|_| f))
                .unwrap_err();
            assert_eq!(err.exit_code(), crate::error::EXIT_USAGE, "{q:?}");
        }
        let v6 = Query {
            from: Some("10.0.0.0/8".into()),
            ..Query::default()
        };
        assert!(filter(v6, Some(AF_INET6)).is_err());
    }
}
