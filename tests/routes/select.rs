//! The route selectors of `nlq routes` (`--to`, `--from` with their root /
//! match / exact forms, `--via`, `--src`, `--scope`, `--metric`, and the
//! kernel-filtered `--type`, `--table`, `--dev`, `--proto`) in the
//! namespace of tests/routes.rs: each selected output must equal the
//! unselected output filtered here by an independent implementation, and
//! `--json=ip` must be a superset of `ip -j route show <same selector>`,
//! except for the multipath routes that ip's `via` misses, which are
//! checked to be right instead.

use std::net::IpAddr;

use serde_json::Value;

use super::{routed_ns, same_moment, take_expires};
use crate::harness::assert_superset;
use crate::links::dumps_filtered;

/// One selector, as the test filters by hand.
#[derive(Debug, Clone, Copy)]
enum Sel {
    /// `--to MODE PREFIX`.
    To(&'static str, &'static str),
    /// `--from MODE PREFIX`.
    From(&'static str, &'static str),
    /// `--via PREFIX`.
    Via(&'static str),
    /// `--src PREFIX`.
    Src(&'static str),
    /// `--scope N` (by number).
    Scope(u64),
    /// `--metric N`.
    Metric(u64),
    /// `--type NAME`.
    Type(&'static str),
    /// `--dev NAME`.
    Dev(&'static str),
}

/// An address as a number (IPv4 in the top 32 bits) and whether it is IPv4.
fn num(a: IpAddr) -> (bool, u128) {
    match a {
        IpAddr::V4(a) => (true, u128::from(u32::from(a)) << 96),
        IpAddr::V6(a) => (false, u128::from(a)),
    }
}

/// `a` and `b` agree in their first `len` bits (and are of one family).
fn same_net(a: IpAddr, b: IpAddr, len: u32) -> bool {
    let ((fa, x), (fb, y)) = (num(a), num(b));
    let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
    fa == fb && x & mask == y & mask
}

/// `ADDR[/LEN]` (a host prefix without a length).
fn prefix(s: &str) -> (IpAddr, u32) {
    let (a, l) = s.split_once('/').unwrap_or((s, ""));
    let a: IpAddr = a.parse().unwrap();
    let host = if a.is_ipv4() { 32 } else { 128 };
    (a, l.parse().unwrap_or(host))
}

/// The family name nlq gives routes of `a`'s family.
fn family(a: IpAddr) -> &'static str {
    if a.is_ipv4() { "inet" } else { "inet6" }
}

/// Whether the route prefix `have` (a CIDR string, or `None` for "no
/// source prefix": all zero, length 0) of a route of `fam` is selected by
/// `MODE PREFIX`, as ip's root / match / exact.
fn prefix_keeps(mode: &str, want: &str, fam: &str, have: Option<&str>) -> bool {
    let (a, l) = match have {
        Some(c) => prefix(c),
        None if fam == "inet6" => ("::".parse().unwrap(), 0),
        None => ("0.0.0.0".parse().unwrap(), 0),
    };
    if want == "default" {
        return mode == "root" || l == 0;
    }
    let (p, pl) = prefix(want);
    if fam != family(p) {
        return false;
    }
    let root = l >= pl && same_net(a, p, pl);
    let covers = l <= pl && same_net(a, p, l);
    match mode {
        "root" => root,
        "match" => covers,
        _ => root && covers,
    }
}

/// Every gateway of a route in nlq's schema: its own and its nexthops'.
fn gateways(r: &Value) -> Vec<IpAddr> {
    let own = [&r["gateway"], &r["via"]["address"]];
    let hops = r["nexthops"].as_array().into_iter().flatten();
    let hop_gws = hops.flat_map(|h| [&h["gateway"], &h["via"]["address"]]);
    own.into_iter()
        .chain(hop_gws)
        .filter_map(|v| v.as_str()?.parse().ok())
        .collect()
}

/// Whether `in_prefix` holds `addr`.
fn inside(addr: IpAddr, in_prefix: &str) -> bool {
    let (p, l) = prefix(in_prefix);
    same_net(addr, p, l)
}

impl Sel {
    /// nlq's arguments for this selector.
    fn nlq(self) -> Vec<String> {
        let words = match self {
            Sel::To(m, p) => vec!["--to", m, p],
            Sel::From(m, p) => vec!["--from", m, p],
            Sel::Via(p) => vec!["--via", p],
            Sel::Src(p) => vec!["--src", p],
            Sel::Type(t) => vec!["--type", t],
            Sel::Dev(d) => vec!["--dev", d],
            Sel::Scope(n) => return vec!["--scope".into(), n.to_string()],
            Sel::Metric(n) => return vec!["--metric".into(), n.to_string()],
        };
        words.into_iter().map(String::from).collect()
    }

    /// `ip route show`'s words for this selector.
    fn ip(self) -> Vec<String> {
        let words = match self {
            Sel::To(m, p) => vec![m, p],
            Sel::From(m, p) => vec!["from", m, p],
            Sel::Via(p) if p.contains(':') => vec!["via", "inet6", p],
            Sel::Via(p) => vec!["via", p],
            Sel::Src(p) => vec!["src", p],
            Sel::Type(t) => vec!["type", t],
            Sel::Dev(d) => vec!["dev", d],
            Sel::Scope(n) => return vec!["scope".into(), n.to_string()],
            Sel::Metric(n) => return vec!["metric".into(), n.to_string()],
        };
        words.into_iter().map(String::from).collect()
    }

    /// Whether route `r` (nlq's own schema) is selected.
    fn keeps(self, r: &Value) -> bool {
        let fam = r["family"].as_str().unwrap();
        match self {
            Sel::To(m, p) => prefix_keeps(m, p, fam, r["dst"].as_str()),
            Sel::From(m, p) => prefix_keeps(m, p, fam, r["from"].as_str()),
            Sel::Via(p) => gateways(r).into_iter().any(|g| inside(g, p)),
            Sel::Src(p) => r["prefsrc"]
                .as_str()
                .is_some_and(|a| inside(a.parse().unwrap(), p)),
            Sel::Scope(n) => r["scope_id"] == n,
            Sel::Metric(n) => r["metric"].as_u64().unwrap_or(0) == n,
            Sel::Type(t) => r["type"] == t,
            Sel::Dev(d) => {
                r["dev"] == d
                    || r["nexthops"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|h| h["dev"] == d)
            }
        }
    }
}

/// `nlq routes BASE SELECTORS --json` and the unselected output of the
/// same moment (the unselected dump is taken before and after, and must
/// agree), both without `expires`.
fn selected_and_all(ns: &crate::harness::NetNs, base: &[&str], sels: &[Sel]) -> (Value, Value) {
    let words: Vec<String> = sels.iter().flat_map(|s| s.nlq()).collect();
    let mut args: Vec<&str> = vec!["routes"];
    args.extend_from_slice(base);
    let all_args = [&args[..], &["--json"]].concat();
    args.extend(words.iter().map(String::as_str));
    args.push("--json");
    for _ in 0..20 {
        let mut before = ns.nlq_json(&all_args);
        let mut picked = ns.nlq_json(&args);
        let mut after = ns.nlq_json(&all_args);
        take_expires(&mut before);
        take_expires(&mut after);
        take_expires(&mut picked);
        if before == after {
            return (picked, before);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the routes of {} never settled", ns.name);
}

/// Check `sels` in `ns` by hand and, unless `ip_misses`, against ip;
/// returns how many routes were selected.
fn check(
    ns: &crate::harness::NetNs,
    base: &[&str],
    sels: &[Sel],
    ip_misses_multipath: bool,
) -> usize {
    let (picked, all) = selected_and_all(ns, base, sels);
    let by_hand: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| sels.iter().all(|s| s.keeps(r)))
        .cloned()
        .collect();
    assert_eq!(
        picked,
        Value::Array(by_hand),
        "nlq routes {base:?} {sels:?}"
    );
    let n = picked.as_array().unwrap().len();

    let ip_words: Vec<String> = sels.iter().flat_map(|s| s.ip()).collect();
    let mut ip_args: Vec<&str> = vec!["route", "show", "table", "all"];
    ip_args.extend(ip_words.iter().map(String::as_str));
    let nlq_words: Vec<String> = sels.iter().flat_map(|s| s.nlq()).collect();
    let mut nlq_args: Vec<&str> = vec!["routes", "--table", "all"];
    nlq_args.extend(nlq_words.iter().map(String::as_str));
    nlq_args.push("--json=ip");
    let (ip, mut nlq) = same_moment(ns, &ip_args, &nlq_args);
    if ip_misses_multipath {
        // iproute2 6.1 compares RTA_GATEWAY / RTA_OIF, which multipath
        // routes do not have: nlq's extra routes are exactly those, and
        // the by-hand check above proved they belong.
        let list = nlq.as_array_mut().unwrap();
        let before = list.len();
        list.retain(|r| r.get("nexthops").is_none());
        assert!(
            list.len() < before,
            "{sels:?}: no multipath route to show ip's miss"
        );
    }
    assert_superset(&ip, &nlq, &format!("nlq {}", nlq_args.join(" ")));
    n
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_selectors_equal_filtering_by_hand_and_ip() {
    let (ns, _) = routed_ns("rsel");
    let base = ["--table", "all"];
    let cases: &[(&[Sel], bool)] = &[
        (&[Sel::To("exact", "192.0.2.0/24")], false),
        (&[Sel::To("exact", "192.0.2.77")], false),
        (&[Sel::To("root", "203.0.113.0/24")], false),
        (&[Sel::To("match", "203.0.113.5")], false),
        (&[Sel::To("exact", "default")], false),
        (&[Sel::To("root", "2001:db8::/32")], false),
        (&[Sel::To("match", "2001:db8:10::1")], false),
        (&[Sel::To("exact", "2001:db8:10::/48")], false),
        (&[Sel::From("exact", "2001:db8:aa::/48")], false),
        (&[Sel::From("root", "2001:db8::/32")], false),
        (&[Sel::From("match", "2001:db8:aa::1")], false),
        (&[Sel::Via("10.2.0.2")], true),
        (&[Sel::Via("10.1.0.0/24")], true),
        (&[Sel::Via("2001:db8:1::2")], true),
        (&[Sel::Via("fe80::1")], false),
        (&[Sel::Src("10.2.0.1")], false),
        (&[Sel::Src("10.0.0.0/8")], false),
        (&[Sel::Scope(253)], false),
        (&[Sel::Scope(254)], false),
        (&[Sel::Metric(50)], false),
        (&[Sel::Metric(0)], false),
        (&[Sel::Metric(1024)], false),
        (&[Sel::To("root", "203.0.113.0/24"), Sel::Scope(253)], false),
        (&[Sel::Dev("va"), Sel::Via("10.1.0.2")], true),
    ];
    for &(sels, ip_misses) in cases {
        let n = check(&ns, &base, sels, ip_misses);
        assert!(n > 0, "{sels:?} selects nothing: a vacuous check");
    }
}

/// The selectors the kernel filters on (table, device, protocol) and one
/// it is not asked to (type: it would lose routes via a blackhole nexthop
/// object):
/// the same by hand either way, and the kernel says whether it filtered
/// (NLM_F_DUMP_FILTERED).
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn kernel_filtered_selectors() {
    let (ns, _) = routed_ns("rkern");
    // The link dump for names, then the route dump; a route dump's DONE
    // says whether the kernel applied the request's filter.
    let cases: [(&[&str], &[Sel], bool); 5] = [
        (
            &["-4", "--table", "all"],
            &[Sel::Type("unreachable")],
            false,
        ),
        (
            &["-6", "--table", "all"],
            &[Sel::Type("unreachable")],
            false,
        ),
        (
            &["-4", "--table", "all"],
            &[Sel::Type("local"), Sel::Dev("va")],
            true,
        ),
        (&["-6", "--table", "100"], &[Sel::Dev("va")], true),
        (&["-4", "--proto", "static"], &[], true),
    ];
    for (base, sels, filtered) in cases {
        let (picked, all) = selected_and_all(&ns, base, sels);
        let by_hand: Vec<Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| sels.iter().all(|s| s.keeps(r)))
            .cloned()
            .collect();
        assert!(!by_hand.is_empty(), "{base:?} {sels:?}");
        assert_eq!(picked, Value::Array(by_hand), "{base:?} {sels:?}");
        let words: Vec<String> = sels.iter().flat_map(|s| s.nlq()).collect();
        let mut args: Vec<&str> = vec!["routes"];
        args.extend_from_slice(base);
        args.extend(words.iter().map(String::as_str));
        // The link dump for names, then the route dump.
        let dumps = dumps_filtered(&ns, &args);
        assert_eq!(dumps.len(), 2, "{args:?}");
        assert!(
            !dumps[0].done && !dumps[0].data,
            "the link dump is not filtered"
        );
        assert_eq!(dumps[1].done, filtered, "{args:?}");
    }
    let scope = ns.nlq_json(&["routes", "--table", "all", "--scope", "link", "--json"]);
    let by_number = ns.nlq_json(&["routes", "--table", "all", "--scope", "253", "--json"]);
    assert_eq!(scope, by_number);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_selector_usage_errors() {
    let ns = crate::harness::NetNs::new("rselu");
    let bad: [&[&str]; 9] = [
        &["--to", "10.0.0.0/33"],
        &["--to", "under", "10.0.0.0/8"],
        &["--to", "nonsense"],
        &["-6", "--to", "10.0.0.0/8"],
        &["--to", "10.0.0.0/8", "--from", "2001:db8::/32"],
        &["--via", "default"],
        &["--src", "10.0.0.0/8/8"],
        &["--scope", "nosuchscope"],
        &["--metric", "-1"],
    ];
    for extra in bad {
        let args = [&["routes"][..], extra].concat();
        let out = ns.nlq(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("nlq: ") && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
}
