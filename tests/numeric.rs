//! `-N` / `--numeric` against `ip -N` (iproute2 6.1): numbers instead of
//! names for protocols, scopes, tables, realms, groups, DS fields, route
//! and link types and IP protocols, in every `--json=ip` output and every
//! table, while nlq's own `--json` (which has both) does not change.

use serde_json::Value;

use crate::harness::{NetNs, assert_superset, superset_problems};

/// Objects with a name for every kind of number `-N` prints.
const SETUP: &str = "\
link add va type veth peer name vb
link set va up
link set vb up
link set va group 7
addr add 10.5.0.1/24 dev va
addr add 10.5.1.1/24 dev va scope link
route add 10.6.0.0/16 via 10.5.0.2 proto bird realm 5
route add 10.7.0.0/16 via 10.5.0.2 table 100 proto static tos 0x10
route add blackhole 10.8.0.0/16 table main
route add unreachable 10.9.0.0/16 table local
rule add pref 50 ipproto tcp tos 0x10 table 100 protocol static
rule add pref 40000 unreachable
rule add pref 70 table main suppress_ifgroup 7 realms 3/4
nexthop add id 1 via 10.5.0.3 dev va onlink proto zebra
neigh add 10.5.0.2 lladdr 02:00:00:00:00:02 dev va
";

fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(SETUP);
    ns
}

/// (`ip -N -j` arguments, the nlq command giving the same objects,
/// whether that output has names that `-N` turns into numbers).
const PAIRS: &[(&[&str], &[&str], bool)] = &[
    (
        &["route", "show", "table", "all"],
        &["routes", "--table", "all", "--family", "all"],
        true,
    ),
    (
        &["route", "get", "10.6.0.1"],
        &["routes", "get", "10.6.0.1"],
        false,
    ),
    (&["addr", "show"], &["addrs"], true),
    (&["-d", "link", "show"], &["links"], true),
    (&["-br", "link", "show"], &["-b", "links"], false),
    (&["rule", "show"], &["rules", "-4"], true),
    (&["-d", "rule", "show"], &["rules", "-4"], true),
    (&["nexthop", "show"], &["nexthops"], true),
    (&["neigh", "show"], &["neigh"], false),
];

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_numeric() {
    let ns = fixture("numeric-ip");
    for &(ip_args, nlq_args, has_names) in PAIRS {
        let ip = ns.ip_json(&[&["-N"][..], ip_args].concat());
        let what = format!("ip -N {}", ip_args.join(" "));
        let ours = ns.nlq_json(&[&["-N", "--json=ip"][..], nlq_args].concat());
        assert_superset(&ip, &ours, &what);
        // Without -N nlq prints names where `ip -N` has numbers.
        let named = ns.nlq_json(&[&["--json=ip"][..], nlq_args].concat());
        let differs = !superset_problems(&ip, &named, &what).is_empty();
        assert_eq!(differs, has_names, "{what}: names without -N");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn nlq_json_is_the_same_with_numeric() {
    let ns = fixture("numeric-nlq");
    for args in [&["routes", "--table", "all"][..], &["rules"], &["links"]] {
        let plain = ns.nlq_json(&[&["--json"][..], args].concat());
        let numeric = ns.nlq_json(&[&["-N", "--json"][..], args].concat());
        let strip = |mut v: Value| {
            crate::harness::strip_volatile(&mut v);
            v
        };
        if args[0] == "links" {
            let names = |v: &Value| {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["ifname"].clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(&plain), names(&numeric));
            continue;
        }
        assert_eq!(strip(plain), strip(numeric), "{args:?}");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn tables_show_numbers() {
    let ns = fixture("numeric-tbl");
    let routes = ns.nlq_text(&["-N", "routes", "--table", "all", "-4"]);
    let named = ns.nlq_text(&["routes", "--table", "all", "-4"]);
    for (name, number) in [("bird", " 12 "), ("blackhole", " 6 "), ("kernel", " 2 ")] {
        assert!(named.contains(name), "{name}: {named}");
        assert!(!routes.contains(name), "{name} under -N: {routes}");
        assert!(routes.contains(number), "{number:?}: {routes}");
    }
    let rules = ns.nlq_text(&["--numeric", "rules", "-4"]);
    for word in ["ipproto-6", "lookup 254", "lookup 255", " 7 ", "static"] {
        if word == "static" {
            assert!(!rules.contains(word), "{rules}");
        } else {
            assert!(rules.contains(word), "{word:?}: {rules}");
        }
    }
    let links = ns.nlq_text(&["-N", "links"]);
    assert!(links.contains("[1]") && !links.contains("ether"), "{links}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn monitor_lines_show_numbers() {
    let ns = fixture("numeric-mon");
    // The snapshot of every IPv4 route, then nlq exits: no waiting.
    let routes = ns.ip_json(&["-4", "route", "show", "table", "all"]);
    let count = routes.as_array().unwrap().len().to_string();
    let args = ["monitor", "route", "-4", "--snapshot", "--count", &count];
    let named = ns.nlq_text(&args);
    let numeric = ns.nlq_text(&[&["-N"][..], &args].concat());
    for name in ["proto bird", "table main", "proto kernel", "scope link"] {
        assert!(named.contains(name), "{name}: {named}");
        assert!(!numeric.contains(name), "{name}: {numeric}");
    }
    for number in ["proto 12", "table 254", "proto 2", "scope 253"] {
        assert!(numeric.contains(number), "{number}: {numeric}");
    }
    // nlq's own JSON keeps its names under -N.
    let json = ns.nlq_text(&[&["-N", "--json"][..], &args].concat());
    assert!(
        json.contains("\"bird\"") && json.contains("\"main\""),
        "{json}"
    );
}
