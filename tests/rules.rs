//! `nlq rules` against `ip rule` (iproute2 6.1), in a namespace holding
//! rules with every selector and action `ip` can add, on IPv4 and IPv6:
//! `--json=ip` must be a superset of `ip -j [-6] rule show` (and of `ip -d`
//! and `ip mrule` for the multicast families), `--json` must match
//! docs/json.md and the values given, the family selectors must equal the
//! unfiltered output filtered by hand, and bad families are usage errors.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::harness::{NetNs, assert_documented, assert_superset, nlq};

/// Veth pairs for iif/oif.
const LINKS: &str = "\
link add va type veth peer name vb
link set va up
link set vb up
";

/// IPv4 rules: every selector, every action, tables by name and number.
const RULES4: &str = "\
rule add pref 100 from 10.0.0.0/8 table 100
rule add pref 101 not to 192.0.2.1 table main
rule add pref 102 from 10.1.2.3 to 10.0.0.0/24 lookup 4000
rule add pref 103 not from 172.16.0.0/12 to 198.51.100.0/24 table 100
rule add pref 110 iif va oif vb lookup 200
rule add pref 111 iif nosuch0 table 201
rule add pref 112 oif nosuch1 table 201
rule add pref 120 fwmark 0x10 table 202
rule add pref 121 fwmark 0x10/0xff table 203
rule add pref 122 fwmark 0/0xff table 203
rule add pref 130 tos 0x10 table 204
rule add pref 131 dsfield 0x04 table 204
rule add pref 140 unreachable
rule add pref 141 prohibit
rule add pref 142 blackhole
rule add pref 150 goto 160
rule add pref 151 nop
rule add pref 152 goto 999
rule add pref 160 table main suppress_prefixlength 0
rule add pref 161 table main suppress_ifgroup 5
rule add pref 162 lookup default suppress_ifgroup default
rule add pref 170 protocol bird table 5
rule add pref 171 protocol 77 table 5
rule add pref 172 protocol kernel table 5
rule add pref 180 uidrange 1000-2000 table 6
rule add pref 181 uidrange 0-0 table 6
rule add pref 190 ipproto tcp table 7
rule add pref 191 ipproto udp sport 53 table 7
rule add pref 192 ipproto tcp sport 1000-2000 dport 80 table 7
rule add pref 193 ipproto tcp dport 8000-8080 table 7
rule add pref 194 ipproto 200 table 7
rule add pref 200 realms 3/4 table 9
rule add pref 201 realms 5 table 9
rule add pref 210 tun_id 77 table 10
rule add pref 220 iif va fwmark 0x1/0x1 not from 10.9.0.0/16 ipproto udp dport 4789 uidrange 5-6 table 4000000 protocol static
";

/// IPv6 rules (realms are IPv4 only), with an IPv4-compatible and an
/// IPv4-mapped address, which `ip` (glibc's inet_ntop) writes dotted.
const RULES6: &str = "\
rule add pref 100 from 2001:db8::/32 to 2001:db8:1::1 table 100
rule add pref 101 not from 2001:db8:5::/48 table main
rule add pref 102 from ::10.0.0.1 to ::ffff:10.0.0.0/104 table 5
rule add pref 110 iif va oif vb table 200
rule add pref 111 iif nosuch0 table 201
rule add pref 120 fwmark 0x20/0xf0 table 202
rule add pref 130 dsfield AF11 table 204
rule add pref 131 tos 0x14 table 204
rule add pref 140 unreachable
rule add pref 141 prohibit
rule add pref 142 blackhole
rule add pref 150 goto 160
rule add pref 151 nop
rule add pref 160 table main suppress_prefixlength 64
rule add pref 170 protocol bird table 5
rule add pref 180 uidrange 1000-2000 table 6
rule add pref 190 ipproto ipv6-icmp table 7
rule add pref 191 ipproto tcp sport 22 dport 1000-2000 table 7
rule add pref 210 tun_id 88 table 10
";

/// Run `ip -n NS <opts> -batch -` with `lines` on stdin.
fn batch(ns: &NetNs, opts: &[&str], lines: &str) {
    let mut child = Command::new("ip")
        .args(["-n", &ns.name])
        .args(opts)
        .args(["-batch", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ip -batch");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(lines.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "ip {opts:?} -batch failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A namespace with the links and both families' rules.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(LINKS);
    batch(&ns, &[], RULES4);
    batch(&ns, &["-6"], RULES6);
    ns
}

/// The objects of `array` whose `family` is `family`.
fn of_family(array: &Value, family: &str) -> Value {
    let kept = array.as_array().unwrap().iter();
    Value::Array(kept.filter(|r| r["family"] == family).cloned().collect())
}

/// The rule of `family` with priority `prio`.
fn prio<'a>(rules: &'a Value, family: &str, prio: u32) -> &'a Value {
    rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["family"] == family && r["priority"] == prio)
        .unwrap_or_else(|| panic!("no {family} rule {prio}: {rules}"))
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_rule() {
    let ns = fixture("rules-ip");
    let pairs: [(&[&str], &[&str]); 6] = [
        (&["rule", "show"], &["rules", "-4", "--json=ip"]),
        (&["-6", "rule", "show"], &["rules", "-6", "--json=ip"]),
        (&["-d", "rule", "show"], &["rules", "-4", "--json=ip"]),
        (&["-d", "-6", "rule", "show"], &["rules", "-6", "--json=ip"]),
        (
            &["rule", "show"],
            &["rule", "--family", "inet", "--json=ip"],
        ),
        (&["-6", "rule"], &["ru", "--family", "inet6", "--json=ip"]),
    ];
    for (ip_args, nlq_args) in pairs {
        let ip = ns.ip_json(ip_args);
        assert!(ip.as_array().unwrap().len() >= 18, "{ip}");
        let ours = ns.nlq_json(nlq_args);
        assert_superset(&ip, &ours, &format!("ip {}", ip_args.join(" ")));
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn every_family_of_the_unfiltered_dump_is_a_superset_of_ip() {
    let ns = fixture("rules-all");
    let all = ns.nlq_json(&["rules", "--json=ip"]);
    let families: [(&str, &[&str]); 4] = [
        ("inet", &["rule", "show"]),
        ("inet6", &["-6", "rule", "show"]),
        ("ipmr", &["mrule", "show"]),
        ("ip6mr", &["-6", "mrule", "show"]),
    ];
    let mut total = 0;
    for (family, ip_args) in families {
        let Some(ip) = ns
            .ip_try(&[&["-j"], ip_args].concat())
            .status
            .success()
            .then(|| ns.ip_json(ip_args))
        else {
            eprintln!("skipped {family}: this kernel has no {family} rules");
            continue;
        };
        let ours = of_family(&all, family);
        total += ours.as_array().unwrap().len();
        assert_superset(&ip, &ours, &format!("{family} of the unfiltered dump"));
    }
    assert_eq!(total, all.as_array().unwrap().len(), "no other families");
    let order: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["family"].as_str().unwrap())
        .collect();
    assert_eq!(order[0], "inet", "IPv4 first");
    let mut runs = order.clone();
    runs.dedup();
    let mut sorted = runs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), runs.len(), "each family in one run: {runs:?}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation() {
    let ns = fixture("rules-doc");
    let rules = ns.nlq_json(&["rules", "--json"]);
    assert!(rules.as_array().unwrap().len() >= 55, "{rules}");
    assert_documented("rules", &rules);
}

/// Assert that `rule` has every key of `expected` with its value.
fn has(rule: &Value, expected: Value) {
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&rule[k], v, "{k} of {rule}");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_values_ipv4() {
    let ns = fixture("rules-v4");
    let rules = ns.nlq_json(&["rules", "-4", "--json"]);
    ipv4_selectors(&|p| prio(&rules, "inet", p));
    ipv4_actions(&|p| prio(&rules, "inet", p));
}

/// The built-in rules, prefixes, interfaces, marks, tos, uids, ports.
fn ipv4_selectors<'a>(r: &dyn Fn(u32) -> &'a Value) {
    has(
        r(0),
        json!({"action": "lookup", "table": "local", "table_id": 255, "from": null,
               "to": null, "not": false, "protocol": "kernel", "protocol_id": 2, "flags": []}),
    );
    has(r(32766), json!({"table": "main", "table_id": 254}));
    has(r(32767), json!({"table": "default", "table_id": 253}));
    has(
        r(100),
        json!({"from": "10.0.0.0/8", "table": null, "table_id": 100}),
    );
    has(
        r(100),
        json!({"fwmark": null, "fwmask": null, "suppress_prefixlen": null}),
    );
    has(
        r(100),
        json!({"protocol": "unspec", "protocol_id": 0, "tos": 0, "dsfield": null}),
    );
    has(
        r(101),
        json!({"not": true, "to": "192.0.2.1/32", "flags": ["invert"]}),
    );
    has(
        r(102),
        json!({"from": "10.1.2.3/32", "to": "10.0.0.0/24", "table_id": 4000}),
    );
    has(
        r(103),
        json!({"not": true, "from": "172.16.0.0/12", "to": "198.51.100.0/24"}),
    );
    has(
        r(110),
        json!({"iif": "va", "oif": "vb", "iif_detached": false, "oif_detached": false}),
    );
    has(
        r(111),
        json!({"iif": "nosuch0", "iif_detached": true, "flags": ["iif_detached"]}),
    );
    has(
        r(112),
        json!({"oif": "nosuch1", "oif_detached": true, "flags": ["oif_detached"]}),
    );
    has(r(120), json!({"fwmark": 16, "fwmask": u32::MAX}));
    has(r(121), json!({"fwmark": 16, "fwmask": 255}));
    has(r(122), json!({"fwmark": 0, "fwmask": 255}));
    has(r(130), json!({"tos": 16}));
    has(r(131), json!({"tos": 4}));
    has(r(180), json!({"uid_range": {"start": 1000, "end": 2000}}));
    has(r(181), json!({"uid_range": {"start": 0, "end": 0}}));
    has(
        r(190),
        json!({"ipproto": "tcp", "ipproto_id": 6, "sport": null, "dport": null}),
    );
    has(
        r(191),
        json!({"ipproto": "udp", "sport": {"start": 53, "end": 53}, "dport": null}),
    );
    has(
        r(192),
        json!({"sport": {"start": 1000, "end": 2000}, "dport": {"start": 80, "end": 80}}),
    );
    has(r(193), json!({"dport": {"start": 8000, "end": 8080}}));
    has(r(194), json!({"ipproto": null, "ipproto_id": 200}));
    has(r(210), json!({"tun_id": 77}));
    has(
        r(220),
        json!({"not": true, "from": "10.9.0.0/16", "iif": "va", "fwmark": 1, "fwmask": 1,
               "ipproto": "udp", "dport": {"start": 4789, "end": 4789},
               "uid_range": {"start": 5, "end": 6}, "table_id": 4_000_000,
               "protocol": "static", "protocol_id": 4}),
    );
}

/// Drop actions, goto and nop, suppressors, protocols, realms.
fn ipv4_actions<'a>(r: &dyn Fn(u32) -> &'a Value) {
    for (p, action) in [
        (140, "unreachable"),
        (141, "prohibit"),
        (142, "blackhole"),
        (151, "nop"),
    ] {
        has(
            r(p),
            json!({"action": action, "table": null, "table_id": null, "goto": null}),
        );
    }
    has(
        r(150),
        json!({"action": "goto", "goto": 160, "unresolved": false, "flags": []}),
    );
    has(
        r(152),
        json!({"goto": 999, "unresolved": true, "flags": ["unresolved"]}),
    );
    has(
        r(160),
        json!({"table": "main", "suppress_prefixlen": 0, "suppress_ifgroup_id": null}),
    );
    has(
        r(161),
        json!({"suppress_ifgroup_id": 5, "suppress_prefixlen": null}),
    );
    has(
        r(162),
        json!({"table": "default", "suppress_ifgroup": "default", "suppress_ifgroup_id": 0}),
    );
    has(r(170), json!({"protocol": "bird", "protocol_id": 12}));
    has(r(171), json!({"protocol": null, "protocol_id": 77}));
    has(r(172), json!({"protocol": "kernel", "protocol_id": 2}));
    let realms = |p| {
        (
            r(p)["realms"]["from_id"].clone(),
            r(p)["realms"]["to_id"].clone(),
        )
    };
    assert_eq!(realms(200), (json!(3), json!(4)));
    assert_eq!(realms(201), (json!(0), json!(5)));
    assert_eq!(r(100)["realms"], Value::Null);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_values_ipv6() {
    let ns = fixture("rules-v6");
    let rules = ns.nlq_json(&["rules", "-6", "--json"]);
    let r = |p| prio(&rules, "inet6", p);
    has(
        r(0),
        json!({"family": "inet6", "table": "local", "protocol": "kernel"}),
    );
    has(r(32766), json!({"table": "main"}));
    has(
        r(100),
        json!({"from": "2001:db8::/32", "to": "2001:db8:1::1/128"}),
    );
    has(
        r(101),
        json!({"not": true, "from": "2001:db8:5::/48", "table": "main"}),
    );
    has(
        r(102),
        json!({"from": "::10.0.0.1/128", "to": "::ffff:10.0.0.0/104"}),
    );
    has(r(110), json!({"iif": "va", "oif": "vb"}));
    has(r(111), json!({"iif": "nosuch0", "iif_detached": true}));
    has(r(120), json!({"fwmark": 0x20, "fwmask": 0xf0}));
    has(r(130), json!({"tos": 0x28, "dsfield": "AF11"}));
    has(r(131), json!({"tos": 0x14, "dsfield": null}));
    has(r(140), json!({"action": "unreachable", "table_id": null}));
    has(r(141), json!({"action": "prohibit"}));
    has(r(142), json!({"action": "blackhole"}));
    has(
        r(150),
        json!({"action": "goto", "goto": 160, "unresolved": false}),
    );
    has(r(151), json!({"action": "nop"}));
    has(r(160), json!({"suppress_prefixlen": 64}));
    has(r(170), json!({"protocol": "bird"}));
    has(r(180), json!({"uid_range": {"start": 1000, "end": 2000}}));
    has(r(190), json!({"ipproto": "ipv6-icmp", "ipproto_id": 58}));
    has(
        r(191),
        json!({"sport": {"start": 22, "end": 22}, "dport": {"start": 1000, "end": 2000}}),
    );
    has(r(210), json!({"tun_id": 88, "realms": null}));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn family_selection_equals_filtering_by_hand() {
    let ns = fixture("rules-fam");
    for dialect in ["--json", "--json=ip"] {
        let all = ns.nlq_json(&["rules", dialect]);
        let picks: [(&[&str], Option<&str>); 5] = [
            (&["-4"], Some("inet")),
            (&["-6"], Some("inet6")),
            (&["--family", "inet"], Some("inet")),
            (&["--family", "inet6"], Some("inet6")),
            (&["--family", "all"], None),
        ];
        for (args, family) in picks {
            let one = ns.nlq_json(&[&["rules", dialect], args].concat());
            let expected = family.map_or_else(|| all.clone(), |f| of_family(&all, f));
            assert_eq!(one, expected, "rules {dialect} {args:?}");
            assert!(!one.as_array().unwrap().is_empty());
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn l3mdev_rules() {
    let ns = NetNs::new("rules-l3m");
    for family in ["-4", "-6"] {
        let out = ns.ip_try(&[family, "rule", "add", "pref", "300", "l3mdev"]);
        if !out.status.success() {
            eprintln!(
                "skipped {family} l3mdev: the kernel refuses it: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        }
        let ip = ns.ip_json(&[family, "rule", "show"]);
        let ours = ns.nlq_json(&["rules", family, "--json=ip"]);
        assert_superset(&ip, &ours, &format!("ip {family} rule with l3mdev"));
        let ours = ns.nlq_json(&["rules", family, "--json"]);
        let fam = if family == "-4" { "inet" } else { "inet6" };
        let rule = prio(&ours, fam, 300);
        assert_eq!(
            (&rule["l3mdev"], &rule["action"]),
            (&json!(true), &json!("lookup"))
        );
        assert_eq!(rule["table_id"], Value::Null);
        assert_eq!(prio(&ours, fam, 0)["l3mdev"], false);
        assert_documented("rules", &ours);
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn table_one_row_per_rule() {
    let ns = fixture("rules-tbl");
    let text = ns.nlq_text(&["rules"]);
    let lines: Vec<&str> = text.lines().collect();
    for col in [
        "PRIO", "FAMILY", "NOT", "FROM", "TO", "MATCH", "ACTION", "OPTIONS", "PROTO",
    ] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    let json = ns.nlq_json(&["rules", "--json"]);
    assert_eq!(lines.len() - 2, json.as_array().unwrap().len(), "{text}");
    for want in [
        "iif nosuch0 [detached]",
        "fwmark 0/0xff",
        "fwmark 0x10/0xff",
        "goto 999 [unresolved]",
        "lookup main",
        "suppress_prefixlength 0",
        "uidrange 1000-2000",
        "ipproto tcp sport 1000-2000 dport 80",
        "tos AF11",
        "realms 3/4",
        "tun_id 77",
        "2001:db8::/32",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
}

#[test]
fn bad_family_is_a_usage_error() {
    for args in [
        &["rules", "--family", "mpls"][..],
        &["rules", "--family", "ipx", "--json"],
        &["rules", "-4", "-6"],
        &["rules", "extra"],
    ] {
        let out = nlq(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("nlq: "), "{err}");
    }
    let err = String::from_utf8_lossy(&nlq(&["rules", "--family", "mpls"]).stderr).into_owned();
    assert!(err.contains("mpls"), "{err}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn capture_replays_to_the_same_output() {
    let ns = fixture("rules-cap");
    let path = std::env::temp_dir().join(format!("nlq-rules-{}.pcap", std::process::id()));
    let p = path.to_str().unwrap();
    let live = ns.nlq_json(&["rules", "--json", "--capture", p]);
    let replayed = nlq(&["rules", "--json", "--replay", p]);
    let _ = std::fs::remove_file(&path);
    assert!(
        replayed.status.success(),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    let replayed: Value = serde_json::from_slice(&replayed.stdout).unwrap();
    assert_eq!(live, replayed);
}

/// `ip rule show` selectors (ip's words) and nlq's flags for the same
/// thing, each with the number of IPv4 and IPv6 rules of the fixture it
/// must keep (so no pair passes by keeping nothing, or everything).
const SELECTORS: &[(&[&str], &[&str], usize, usize)] = &[
    (&["pref", "110"], &["--pref", "110"], 1, 1),
    (&["not"], &["--not"], 3, 1),
    (&["not", "iif", "va"], &["--not", "--iif", "va"], 1, 0),
    (&["tun_id", "77"], &["--tun-id", "77"], 1, 0),
    (&["tun_id", "0x58"], &["--tun-id", "0x58"], 0, 1),
    (&["from", "10.0.0.0/8"], &["--from", "10.0.0.0/8"], 3, 0),
    (&["from", "10.1.2.3"], &["--from", "10.1.2.3"], 1, 0),
    (&["from", "all"], &["--from", "all"], 38, 21),
    (&["to", "10.0.0.0/16"], &["--to", "10.0.0.0/16"], 1, 0),
    (&["table", "100"], &["--table", "100"], 2, 1),
    (&["lookup", "main"], &["--table", "main"], 4, 3),
    (&["fwmark", "0x10"], &["--fwmark", "0x10"], 2, 0),
    (&["fwmark", "0x10/0xff"], &["--fwmark", "0x10/0xff"], 1, 0),
    (&["fwmark", "0/0xff"], &["--fwmark", "0/0xff"], 2, 0),
    (&["iif", "va"], &["--iif", "va"], 2, 1),
    (&["dev", "nosuch0"], &["--dev", "nosuch0"], 1, 1),
    (&["oif", "vb"], &["--oif", "vb"], 1, 1),
    (
        &["uidrange", "1000-2000"],
        &["--uidrange", "1000-2000"],
        1,
        1,
    ),
    (&["ipproto", "tcp"], &["--ipproto", "tcp"], 3, 1),
    (&["ipproto", "200"], &["--ipproto", "200"], 1, 0),
    (&["sport", "53"], &["--sport", "53"], 1, 0),
    (&["sport", "1000-2000"], &["--sport", "1000-2000"], 1, 0),
    (&["dport", "4789"], &["--dport", "4789"], 1, 0),
    (&["tos", "0x10"], &["--tos", "0x10"], 1, 0),
    (&["dsfield", "0x14"], &["--dsfield", "0x14"], 0, 1),
    (
        &["table", "7", "ipproto", "tcp"],
        &["--table", "7", "--ipproto", "tcp"],
        3,
        1,
    ),
];

/// The priorities in an array of rules, in order.
fn prios(rules: &Value) -> Vec<u64> {
    let rules = rules.as_array().unwrap().iter();
    rules.map(|r| r["priority"].as_u64().unwrap()).collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_keep_what_ip_rule_show_keeps() {
    let ns = fixture("rules-sel");
    for &(ip_sel, ours_sel, n4, n6) in SELECTORS {
        for (family, n) in [("-4", n4), ("-6", n6)] {
            if family == "-6" && ip_sel.iter().any(|w| w.contains('.')) {
                continue; // an IPv4 prefix is a usage error with -6
            }
            let ip = ns.ip_json(&[&[family, "rule", "show"], ip_sel].concat());
            let ours = ns.nlq_json(&[&["rules", family, "--json=ip"], ours_sel].concat());
            let what = format!("ip {family} rule show {}", ip_sel.join(" "));
            assert_eq!(prios(&ours), prios(&ip), "{what}");
            assert_eq!(prios(&ours).len(), n, "{what}: {ours}");
            assert_superset(&ip, &ours, &what);
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn from_and_to_imply_the_family() {
    let ns = fixture("rules-imp");
    // 101 is `not from 2001:db8:5::/48`: ip's test ignores `not`.
    let ours = ns.nlq_json(&["rules", "--json", "--from", "2001:db8::/16"]);
    assert_eq!(prios(&ours), [100, 101], "{ours}");
    assert_eq!(ours[0]["family"], "inet6");
    let ours = ns.nlq_json(&["rules", "--json", "--to", "10.0.0.0/8"]);
    assert_eq!(prios(&ours), [102], "{ours}");
    // `all` without a family keeps every rule of every family.
    let all = ns.nlq_json(&["rules", "--json"]);
    assert_eq!(ns.nlq_json(&["rules", "--json", "--from", "all"]), all);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn protocol_l3mdev_and_nothing_selectors() {
    let ns = fixture("rules-proto");
    let p = |args: &[&str]| prios(&ns.nlq_json(&[&["rules", "-4", "--json"], args].concat()));
    assert_eq!(p(&["--protocol", "bird"]), [170]);
    assert_eq!(p(&["--protocol", "77"]), [171]);
    assert_eq!(p(&["--protocol", "static"]), [220]);
    assert_eq!(p(&["--protocol", "all"]), p(&[]));
    assert_eq!(
        p(&["--table", "0"]),
        p(&[]),
        "table 0 selects nothing out, as in ip"
    );
    assert_eq!(p(&["--ipproto", "0"]), p(&[]));
    assert!(p(&["--l3mdev"]).is_empty());
    // The table output is filtered too.
    let text = ns.nlq_text(&["rules", "-4", "--pref", "152"]);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("goto 999"), "{text}");
}

#[test]
fn bad_selectors_are_usage_errors() {
    for args in [
        &["rules", "--from", "10.0.0.0/33"][..],
        &["rules", "-6", "--from", "10.0.0.0/8"],
        &["rules", "--from", "10.0.0.0/8", "--to", "2001:db8::/32"],
        &["rules", "--table", "nosuchtable"],
        &["rules", "--fwmark", "0x10/zz"],
        &["rules", "--uidrange", "5"],
        &["rules", "--sport", "70000"],
        &["rules", "--ipproto", "nosuchproto"],
        &["rules", "--tos", "0x100"],
        &["rules", "--protocol", "nosuchproto"],
        &["rules", "--pref", "x"],
        &["rules", "--tun-id", "-1"],
    ] {
        let out = nlq(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
