//! The prefix selectors of `nlq routes`: `--to` and `--from` with their
//! `root` / `match` / `exact` forms, `--via` and `--src`.
//!
//! `--to` and `--from` follow iproute2 6.1's `filter_nlmsg` exactly (the
//! `rdst`/`mdst` and `rsrc`/`msrc` filters of `iproute_list_flush_or_save`):
//!
//! * `root P`: the route's prefix lies inside P (its length is P's or
//!   longer, and its first len(P) bits are P's);
//! * `match P`: the route's prefix covers P (its length is P's or shorter,
//!   and P's first len(route) bits are the route's);
//! * `exact P`, or P alone: both, so the same length and bits.
//!
//! P is `ADDR` (a host prefix), `ADDR/LEN`, `default` (length 0, any
//! address) or `all` / `any` (no length at all). `default`, `all` and
//! `any` take the family of `-4` / `-6` / `--family`; without one,
//! `default` compares only the length and `all` / `any` select nothing
//! out, as in `ip`. An address's own family must match the route's.
//!
//! With `--family mpls`, `--to [exact] LABEL[/LABEL...]` selects the MPLS
//! route for that label stack; `--via` works as for IP routes (an MPLS
//! route's RTA_VIA is an IP address), and `--from` / `--src` do not apply.
//!
//! `--via` and `--src` are simpler than ip's (which compare a missing
//! gateway or preferred source as all zeroes): a route matches when it
//! has a gateway (RTA_GATEWAY, RTA_VIA, or one of its multipath
//! nexthops') or a preferred source inside the prefix.

use std::net::IpAddr;

use crate::Error;
use crate::model::route::{Labels, MAX_LABELS, Route};
use crate::wire::attr::{AF_INET, AF_INET6};

/// A prefix as `ip`'s `inet_prefix` holds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefix {
    /// AF_INET or AF_INET6; `None` for `default` / `all` without a family.
    pub family: Option<u8>,
    /// The address bytes (an IPv4 address in the first four).
    pub addr: [u8; 16],
    /// Prefix length, in bits.
    pub len: u8,
    /// Whether the length counts without a family (`default`, ip's
    /// PREFIXLEN_SPECIFIED); `all` / `any` without a family have none.
    pub len_given: bool,
}

/// How `--to` / `--from` compare a route's prefix with the one given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The route's prefix lies inside the one given.
    Root,
    /// The route's prefix covers the one given.
    Match,
    /// Both: the same prefix.
    Exact,
}

/// A `--to` or `--from` selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefixFilter {
    /// root, match or exact.
    pub mode: Mode,
    /// The prefix given.
    pub prefix: Prefix,
}

/// An address's bytes, IPv4 in the first four; all zero for none.
pub fn addr_bytes(addr: Option<IpAddr>) -> [u8; 16] {
    let mut b = [0u8; 16];
    match addr {
        Some(IpAddr::V4(a)) => b[..4].copy_from_slice(&a.octets()),
        Some(IpAddr::V6(a)) => b = a.octets(),
        None => {}
    }
    b
}

/// Whether the first `bits` bits of `a` and `b` are equal (iproute2
/// `inet_addr_match`).
pub fn same_bits(a: &[u8; 16], b: &[u8; 16], bits: u8) -> bool {
    let bits = usize::from(bits).min(128);
    let (whole, rest) = (bits / 8, bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    a[whole] & mask == b[whole] & mask
}

fn family_of(addr: IpAddr) -> u8 {
    if addr.is_ipv4() { AF_INET } else { AF_INET6 }
}

fn host_len(family: u8) -> u8 {
    if family == AF_INET { 32 } else { 128 }
}

impl Prefix {
    /// Parse `ADDR`, `ADDR/LEN`, and, when `keywords`, `default`, `all`
    /// and `any`, which take `family` (the `-4` / `-6` choice). An
    /// address of another family than `family` is an error.
    pub fn parse(text: &str, family: Option<u8>, keywords: bool) -> Result<Prefix, String> {
        match text {
            "default" | "all" | "any" if keywords => {
                return Ok(Prefix {
                    family,
                    len_given: text == "default",
                    ..Prefix::default()
                });
            }
            _ => {}
        }
        let (addr, len) = match text.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| "not an IP address".to_string())?;
        let fam = family_of(addr);
        if family.is_some_and(|f| f != fam) {
            return Err("not of the address family asked for".into());
        }
        let host = host_len(fam);
        let len = match len {
            None => host,
            Some(l) => l
                .parse::<u8>()
                .ok()
                .filter(|&n| n <= host)
                .ok_or_else(|| format!("prefix length must be 0 to {host}"))?,
        };
        Ok(Prefix {
            family: Some(fam),
            addr: addr_bytes(Some(addr)),
            len,
            len_given: true,
        })
    }

    /// Whether this prefix constrains anything: a family or a length.
    fn constrains(&self) -> bool {
        self.family.is_some() || self.len_given
    }

    /// Whether a route prefix (`family`, `addr`/`len`) lies inside this one
    /// (ip's `root`).
    pub fn holds(&self, family: u8, addr: &[u8; 16], len: u8) -> bool {
        if !self.constrains() {
            return true;
        }
        self.family.is_none_or(|f| f == family)
            && self.len <= len
            && same_bits(addr, &self.addr, self.len)
    }

    /// Whether a route prefix (`family`, `addr`/`len`) covers this one
    /// (ip's `match`).
    pub fn within(&self, family: u8, addr: &[u8; 16], len: u8) -> bool {
        if !self.constrains() {
            return true;
        }
        self.family.is_none_or(|f| f == family)
            && self.len >= len
            && same_bits(addr, &self.addr, len)
    }

    /// Whether `addr` is an address inside this prefix.
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.family == Some(family_of(addr))
            && same_bits(&addr_bytes(Some(addr)), &self.addr, self.len)
    }
}

impl PrefixFilter {
    /// Parse the values of `--to` / `--from` (`[MODE] PREFIX`); `flag`
    /// names the option in errors.
    pub fn parse(flag: &str, values: &[String], family: Option<u8>) -> Result<Self, Error> {
        let usage = |what: &str| Error::Usage(format!("{flag} {}: {what}", values.join(" ")));
        let (mode, text) = match values {
            [p] => (Mode::Exact, p),
            [m, p] => match m.as_str() {
                "root" => (Mode::Root, p),
                "match" => (Mode::Match, p),
                "exact" => (Mode::Exact, p),
                _ => return Err(usage("the form is [root|match|exact] PREFIX")),
            },
            _ => return Err(usage("the form is [root|match|exact] PREFIX")),
        };
        let prefix = Prefix::parse(text, family, true).map_err(|e| usage(&e))?;
        Ok(PrefixFilter { mode, prefix })
    }

    /// Whether the route prefix `addr`/`len` of `family` is selected.
    pub fn keeps(&self, family: u8, addr: Option<IpAddr>, len: u8) -> bool {
        let addr = addr_bytes(addr);
        let p = &self.prefix;
        match self.mode {
            Mode::Root => p.holds(family, &addr, len),
            Mode::Match => p.within(family, &addr, len),
            Mode::Exact => p.holds(family, &addr, len) && p.within(family, &addr, len),
        }
    }
}

/// Parse the values of `--to` for MPLS routes: `[exact] LABEL[/LABEL...]`,
/// each label below 2^20 (20 bits), at most [`MAX_LABELS`] of them.
pub fn parse_labels(values: &[String]) -> Result<Labels, Error> {
    let usage = |what: &str| Error::Usage(format!("--to {}: {what}", values.join(" ")));
    let text = match values {
        [l] => l,
        [m, l] if m == "exact" => l,
        _ => return Err(usage("MPLS routes take [exact] LABEL[/LABEL...]")),
    };
    let mut labels = [0u32; MAX_LABELS];
    let mut n = 0;
    for part in text.split('/') {
        let label = part
            .parse::<u32>()
            .ok()
            .filter(|&l| l < 1 << 20)
            .ok_or_else(|| usage("a label is a number from 0 to 1048575"))?;
        *labels.get_mut(n).ok_or_else(|| usage("too many labels"))? = label;
        n += 1;
    }
    Ok(Labels::from_slice(&labels[..n]))
}

/// Parse a `--via` or `--src` prefix (`ADDR[/LEN]`).
pub fn parse_addr_prefix(flag: &str, text: &str, family: Option<u8>) -> Result<Prefix, Error> {
    Prefix::parse(text, family, false).map_err(|e| Error::Usage(format!("{flag} {text}: {e}")))
}

/// Whether the route, or one of its multipath nexthops, has a gateway
/// (RTA_GATEWAY or RTA_VIA) inside `via`.
pub fn via_matches(via: &Prefix, r: &Route) -> bool {
    let gateways = [r.gateway, r.via].into_iter().flatten();
    let hops = r.nexthops.iter().flat_map(|h| [h.gateway, h.via]).flatten();
    gateways.chain(hops).any(|g| via.contains(g))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(values: &[&str], family: Option<u8>) -> PrefixFilter {
        let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
        PrefixFilter::parse("--to", &values, family).unwrap()
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn bits_compare_like_inet_addr_match() {
        let a = addr_bytes(ip("10.1.2.3"));
        let b = addr_bytes(ip("10.1.3.0"));
        assert!(same_bits(&a, &b, 16));
        assert!(same_bits(&a, &b, 23));
        assert!(!same_bits(&a, &b, 24));
        assert!(same_bits(&a, &b, 0));
        assert!(!same_bits(&a, &b, 200), "past 128 bits is 128 bits");
    }

    #[test]
    fn exact_root_and_match() {
        let (v4, v6) = (AF_INET, AF_INET6);
        let exact = filter(&["10.1.0.0/16"], None);
        assert!(exact.keeps(v4, ip("10.1.0.0"), 16));
        assert!(!exact.keeps(v4, ip("10.1.0.0"), 24));
        assert!(!exact.keeps(v4, ip("10.0.0.0"), 8));
        assert!(!exact.keeps(v6, ip("::"), 16), "another family");
        let host = filter(&["exact", "10.1.2.3"], None);
        assert!(host.keeps(v4, ip("10.1.2.3"), 32) && !host.keeps(v4, ip("10.1.2.0"), 24));

        let root = filter(&["root", "10.1.0.0/16"], None);
        assert!(root.keeps(v4, ip("10.1.0.0"), 16));
        assert!(root.keeps(v4, ip("10.1.7.0"), 24));
        assert!(
            !root.keeps(v4, ip("10.0.0.0"), 8),
            "shorter: it covers, not inside"
        );
        assert!(!root.keeps(v4, ip("10.2.0.0"), 24));

        let m = filter(&["match", "10.1.2.3"], None);
        assert!(m.keeps(v4, None, 0), "the default route covers everything");
        assert!(m.keeps(v4, ip("10.0.0.0"), 8));
        assert!(m.keeps(v4, ip("10.1.2.3"), 32));
        assert!(!m.keeps(v4, ip("10.1.3.0"), 24));
    }

    #[test]
    fn keywords_and_families() {
        let any_default = filter(&["default"], None);
        assert!(any_default.keeps(AF_INET, None, 0) && any_default.keeps(AF_INET6, None, 0));
        assert!(any_default.keeps(128, None, 0), "no family: any family");
        assert!(!any_default.keeps(AF_INET, ip("10.0.0.0"), 8));
        let v6_default = filter(&["default"], Some(AF_INET6));
        assert!(!v6_default.keeps(AF_INET, None, 0));
        let all = filter(&["all"], None);
        assert!(all.keeps(AF_INET, ip("10.0.0.0"), 8) && all.keeps(AF_INET6, None, 0));
        let all4 = filter(&["root", "all"], Some(AF_INET));
        assert!(all4.keeps(AF_INET, ip("10.0.0.0"), 8) && !all4.keeps(AF_INET6, None, 0));
        let exact_all4 = filter(&["all"], Some(AF_INET));
        assert!(
            exact_all4.keeps(AF_INET, None, 0) && !exact_all4.keeps(AF_INET, ip("10.0.0.0"), 8)
        );
    }

    #[test]
    fn bad_forms_are_usage_errors() {
        let cases: [(&[&str], Option<u8>, &str); 6] = [
            (&["10.0.0.0/33"], None, "prefix length must be 0 to 32"),
            (&["2001:db8::/129"], None, "prefix length must be 0 to 128"),
            (&["nonsense"], None, "not an IP address"),
            (&["10.0.0.0/8"], Some(AF_INET6), "not of the address family"),
            (&["under", "10.0.0.0/8"], None, "[root|match|exact] PREFIX"),
            (&["root", "default/8"], None, "not an IP address"),
        ];
        for (values, family, want) in cases {
            let v: Vec<String> = values.iter().map(|s| s.to_string()).collect();
            let e = PrefixFilter::parse("--to", &v, family).unwrap_err();
            assert_eq!(e.exit_code(), crate::error::EXIT_USAGE);
            let text = e.to_string();
            assert!(text.starts_with("--to ") && text.contains(want), "{text}");
        }
        assert!(parse_addr_prefix("--via", "default", None).is_err());
    }

    #[test]
    fn mpls_labels_parse() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let one = parse_labels(&v(&["100"])).unwrap();
        assert_eq!(one.as_slice(), &[100]);
        let stack = parse_labels(&v(&["exact", "16/1048575"])).unwrap();
        assert_eq!(stack.as_slice(), &[16, 0xF_FFFF]);
        for bad in [
            &["1048576"][..],
            &["10.0.0.1"],
            &["root", "100"],
            &["1//2"],
            &[""],
        ] {
            let e = parse_labels(&v(bad)).unwrap_err();
            assert_eq!(e.exit_code(), crate::error::EXIT_USAGE, "{bad:?}");
        }
        let deep = vec!["1"; MAX_LABELS + 1].join("/");
        assert!(parse_labels(&[deep]).is_err());
    }

    #[test]
    fn via_matches_gateways_of_every_kind() {
        use crate::model::route::Hop;
        let via = parse_addr_prefix("--via", "10.2.0.0/24", None).unwrap();
        let mut r = Route {
            gateway: ip("10.1.0.2"),
            ..Route::default()
        };
        assert!(!via_matches(&via, &r));
        r.nexthops.push(Hop {
            gateway: ip("10.2.0.2"),
            ..Hop::default()
        });
        assert!(via_matches(&via, &r), "a multipath nexthop's gateway");
        let v6 = parse_addr_prefix("--via", "fe80::1", None).unwrap();
        let cross = Route {
            via: ip("fe80::1"),
            ..Route::default()
        };
        assert!(via_matches(&v6, &cross) && !via_matches(&via, &cross));
        assert!(
            !via_matches(&via, &Route::default()),
            "no gateway, no match"
        );
    }
}
