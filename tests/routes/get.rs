//! `nlq routes get` against `ip route get` (iproute2 6.1): one namespace
//! with plain, multipath, blackhole, unreachable and prohibit routes, two
//! extra tables reached by fwmark and by ipproto/dport rules, IPv4 and
//! IPv6. Each lookup's `--json=ip` must be a superset of `ip -j route get`,
//! its `--json` must match docs/json.md and say what the lookup found,
//! and each failed lookup must give the kernel's reason as ip does.

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset};

const SETUP: &str = "\
link add va type veth peer name vb
link add vc type veth peer name vd
link set va up
link set vb up
link set vc up
link set vd up
address add 10.1.0.1/24 dev va
address add 10.2.0.1/24 dev vc
address add 2001:db8:1::1/64 dev va nodad
address add 2001:db8:2::1/64 dev vc nodad
route add default via 10.1.0.254 dev va
route add 198.51.100.0/24 via 10.2.0.2 dev vc table 100
route add 198.51.101.0/24 via 10.2.0.3 dev vc table 101
route add 203.0.113.0/28 nexthop via 10.1.0.2 dev va weight 1 nexthop via 10.2.0.2 dev vc weight 3
route add blackhole 203.0.113.100
route add unreachable 203.0.113.101
route add prohibit 203.0.113.102
route add 2001:db8:50::/48 nexthop via 2001:db8:1::2 dev va nexthop via 2001:db8:2::2 dev vc
route add 2001:db8:99::/48 via 2001:db8:2::2 dev vc table 100
route add blackhole 2001:db8:15::/48
route add unreachable 2001:db8:16::/48
rule add fwmark 7 table 100
rule add ipproto tcp dport 443 table 101
";

/// The namespace, with forwarding on (a lookup with `--iif` is a
/// forwarding decision) and DAD off (addresses usable at once).
fn lookup_ns(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    super::sysctl(
        &ns,
        &[
            "net.ipv4.conf.all.forwarding=1",
            "net.ipv6.conf.all.forwarding=1",
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0",
        ],
    );
    ns.ip_batch(SETUP);
    ns.ip(&["-6", "rule", "add", "fwmark", "7", "table", "100"]);
    ns
}

/// `ip route get` arguments for nlq's: the same words without `--`.
fn ip_args(nlq: &[&str]) -> Vec<String> {
    let mut args = vec!["route".to_string(), "get".to_string()];
    args.extend(nlq.iter().map(|a| a.trim_start_matches("--").to_string()));
    args
}

/// Look `nlq` up both ways; returns (`ip -j`, nlq `--json=ip`, `--json`),
/// each an array of one route.
fn both(ns: &NetNs, nlq: &[&str]) -> (Value, Value, Value) {
    let ip = ip_args(nlq);
    let ip: Vec<&str> = ip.iter().map(String::as_str).collect();
    let mut args = vec!["routes", "get"];
    args.extend_from_slice(nlq);
    let ip_json = ns.ip_json(&ip);
    let ip_dialect = ns.nlq_json(&[&args[..], &["--json=ip"]].concat());
    let own = ns.nlq_json(&[&args[..], &["--json"]].concat());
    assert_superset(&ip_json, &ip_dialect, &format!("nlq {}", args.join(" ")));
    assert_documented("routes", &own);
    assert_eq!(own.as_array().map(Vec::len), Some(1), "{own}");
    (ip_json, ip_dialect, own)
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_get_matches_ip_route_get() {
    let ns = lookup_ns("rget");

    let (_, _, r) = both(&ns, &["198.51.100.1"]);
    let r = &r[0];
    assert_eq!(
        (&r["dst"], &r["gateway"], &r["dev"]),
        (
            &"198.51.100.1/32".into(),
            &"10.1.0.254".into(),
            &"va".into()
        )
    );
    assert_eq!(
        (&r["table"], &r["prefsrc"], &r["uid"]),
        (&"main".into(), &"10.1.0.1".into(), &0.into())
    );
    assert_eq!(r["flags"], serde_json::json!(["cloned"]));

    // An fwmark rule steers the lookup to table 100.
    let (_, _, r) = both(&ns, &["198.51.100.1", "--mark", "7"]);
    let r = &r[0];
    assert_eq!(
        (&r["table_id"], &r["gateway"], &r["mark"]),
        (&100.into(), &"10.2.0.2".into(), &7.into())
    );

    // A multipath route: the lookup picks one nexthop; --fibmatch shows all.
    let (_, _, r) = both(&ns, &["203.0.113.5"]);
    let gw = r[0]["gateway"].as_str().unwrap();
    assert!(gw == "10.1.0.2" || gw == "10.2.0.2", "{gw}");
    assert_eq!(r[0]["multipath"], false);
    let (_, _, r) = both(&ns, &["203.0.113.5", "--fibmatch"]);
    let r = &r[0];
    assert_eq!(
        (&r["dst"], &r["multipath"]),
        (&"203.0.113.0/28".into(), &true.into())
    );
    let weights: Vec<&Value> = r["nexthops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["weight"])
        .collect();
    assert_eq!(weights, [1, 3]);

    // A packet coming in on vc from 10.2.0.9, forwarded out of va.
    let (_, _, r) = both(&ns, &["10.1.0.5", "--from", "10.2.0.9", "--iif", "vc"]);
    let r = &r[0];
    assert_eq!(
        (&r["from"], &r["iif"], &r["dev"]),
        (&"10.2.0.9/32".into(), &"vc".into(), &"va".into())
    );

    let (_, _, r) = both(&ns, &["10.1.0.5", "--oif", "vc"]);
    assert_eq!(r[0]["dev"], "vc");
    let (_, _, r) = both(&ns, &["10.1.0.5", "--uid", "1000"]);
    assert_eq!(r[0]["uid"], 1000);
    let (_, _, r) = both(&ns, &["10.1.0.1"]);
    let r = &r[0];
    assert_eq!(
        (&r["type"], &r["table"], &r["dev"]),
        (&"local".into(), &"local".into(), &"lo".into())
    );
    assert_eq!(r["cache"], serde_json::json!(["local"]));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_get_with_ports_and_protocols() {
    let ns = lookup_ns("rgetp");
    // The rule `ipproto tcp dport 443` sends TCP to port 443 to table 101.
    let tcp = [
        "198.51.101.1",
        "--ipproto",
        "tcp",
        "--sport",
        "1000",
        "--dport",
        "443",
    ];
    let (_, _, r) = both(&ns, &tcp);
    assert_eq!(
        (&r[0]["table_id"], &r[0]["gateway"]),
        (&101.into(), &"10.2.0.3".into())
    );
    let (_, _, r) = both(&ns, &["198.51.101.1", "--ipproto", "6", "--dport", "0x1bb"]);
    assert_eq!(r[0]["table_id"], 101, "numbers and hex ports work too");
    let (_, _, r) = both(&ns, &["198.51.101.1", "--ipproto", "udp", "--dport", "443"]);
    assert_eq!(
        (&r[0]["table_id"], &r[0]["gateway"]),
        (&254.into(), &"10.1.0.254".into())
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_get_ipv6() {
    let ns = lookup_ns("rget6");
    let (_, _, r) = both(&ns, &["2001:db8:1::5"]);
    let r = &r[0];
    assert_eq!(
        (&r["family"], &r["dst"], &r["dev"]),
        (&"inet6".into(), &"2001:db8:1::5/128".into(), &"va".into())
    );
    assert_eq!(r["from"], "::/128");
    let (_, _, r) = both(&ns, &["2001:db8:99::1", "--mark", "7"]);
    assert_eq!(
        (&r[0]["table_id"], &r[0]["gateway"]),
        (&100.into(), &"2001:db8:2::2".into())
    );
    let (_, _, r) = both(&ns, &["2001:db8:50::1"]);
    assert_eq!(r[0]["multipath"], false);
    let (_, _, r) = both(&ns, &["2001:db8:50::1", "--fibmatch"]);
    assert_eq!(
        (&r[0]["dst"], &r[0]["multipath"]),
        (&"2001:db8:50::/48".into(), &true.into())
    );
    assert_eq!(r[0]["nexthops"].as_array().unwrap().len(), 2);
    let (_, _, r) = both(
        &ns,
        &["2001:db8:1::5", "--from", "2001:db8:2::5", "--iif", "vc"],
    );
    assert_eq!((&r[0]["iif"], &r[0]["dev"]), (&"vc".into(), &"va".into()));
    let (_, _, r) = both(&ns, &["2001:db8:2::7", "--oif", "vc"]);
    assert_eq!(r[0]["dev"], "vc");
}

/// A destination without a usable route: the kernel's reason, as ip
/// reports it, on one line; exit 1; nothing on stdout in any format.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_get_failures_give_the_kernels_reason() {
    let ns = lookup_ns("rgetx");
    let cases = [
        ("203.0.113.101", "No route to host"),
        ("203.0.113.102", "Permission denied"),
        ("203.0.113.100", "Invalid argument"),
        ("2001:db8:16::1", "No route to host"),
        ("2001:db8:15::1", "Invalid argument"),
        ("2001:db8:77::1", "Network is unreachable"),
    ];
    for (addr, reason) in cases {
        let ip = ns.ip_try(&["route", "get", addr]);
        let ip_err = String::from_utf8_lossy(&ip.stderr);
        assert_eq!(
            ip_err.trim(),
            format!("RTNETLINK answers: {reason}"),
            "ip route get {addr}"
        );
        for format in [None, Some("--json"), Some("--json=ip")] {
            let mut args = vec!["routes", "get", addr];
            args.extend(format);
            let out = ns.nlq(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(
                out.stdout.is_empty(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                format!("nlq: {addr}: {reason}\n")
            );
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_get_usage_errors() {
    let ns = lookup_ns("rgetu");
    let usage: [&[&str]; 7] = [
        &["routes", "get", "203.0.113.300"],
        &["routes", "get"],
        &["routes", "get", "10.1.0.5", "--from", "2001:db8::1"],
        &["routes", "get", "10.1.0.5", "--iif", "vc"],
        &["routes", "get", "10.1.0.5", "--ipproto", "nosuchproto"],
        &["routes", "get", "10.1.0.5", "--tos", "nosuchtos"],
        &["routes", "--dev", "va", "get", "10.1.0.5"],
    ];
    for args in usage {
        let out = ns.nlq(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("nlq: ") && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    let out = ns.nlq(&["r", "get", "10.1.0.5", "--oif", "nosuch"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuch\n"
    );
    // The kernel refuses protocols it cannot look up by port, with its reason.
    let out = ns.nlq(&[
        "route",
        "get",
        "10.1.0.5",
        "--ipproto",
        "gre",
        "--dport",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("nlq: 10.1.0.5: Operation not supported"),
        "{err}"
    );
}

/// The table shows the one route; a capture of the lookup replays.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn route_get_table_and_replay() {
    let ns = lookup_ns("rgett");
    let text = ns.nlq_text(&["route", "get", "203.0.113.5", "--fibmatch"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("DST") && lines[0].contains("GATEWAY"),
        "{text}"
    );
    assert!(
        lines[2].contains("203.0.113.0/28") && lines[2].contains("10.1.0.2"),
        "{text}"
    );
    assert!(
        lines[3].contains("10.2.0.2") && lines[3].contains("vc"),
        "{text}"
    );

    let file = std::env::temp_dir().join(format!("nlq-rget-{}.pcap", std::process::id()));
    let path = file.to_str().unwrap();
    let args = ["route", "get", "198.51.100.1", "--mark", "7", "--json=ip"];
    let live = ns.nlq(&[&["--capture", path][..], &args].concat());
    let replayed = crate::harness::nlq(&[&["--replay", path][..], &args].concat());
    let _ = std::fs::remove_file(&file);
    assert!(live.status.success() && replayed.status.success());
    assert_eq!(live.stdout, replayed.stdout);
}
