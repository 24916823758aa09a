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
use crate::require_root;

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
fn json_ip_is_a_superset_of_ip_rule() {
    require_root!();
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
fn every_family_of_the_unfiltered_dump_is_a_superset_of_ip() {
    require_root!();
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
fn json_matches_the_documentation() {
    require_root!();
    let ns = fixture("rules-doc");
    let rules = ns.nlq_json(&["rules", "--json"]);
    assert!(rules.as_array().unwrap().len() >= 55, "{rules}");
    assert_documented("rules", &rules);
}

#[test]
fn json_values_ipv4() {
    require_root!();
    let ns = fixture("rules-v4");
    let rules = ns.nlq_json(&["rules", "-4", "--json"]);
    let r = |p| prio(&rules, "inet", p);

    let local = r(0);
    assert_eq!(
        (&local["action"], &local["table"]),
        (&json!("lookup"), &json!("local"))
    );
    assert_eq!(
        (&local["table_id"], &local["from"]),
        (&json!(255), &Value::Null)
    );
    assert_eq!(
        (&local["protocol"], &local["protocol_id"]),
        (&json!("kernel"), &json!(2))
    );
    assert_eq!(local["flags"], json!([]));
    assert_eq!(r(32766)["table"], "main");
    assert_eq!(r(32767)["table"], "default");

    assert_eq!(
        (&r(100)["from"], &r(100)["table"]),
        (&json!("10.0.0.0/8"), &Value::Null)
    );
    assert_eq!(r(100)["table_id"], 100);
    assert_eq!(
        (&r(101)["not"], &r(101)["to"]),
        (&json!(true), &json!("192.0.2.1/32"))
    );
    assert_eq!(r(101)["flags"], json!(["invert"]));
    assert_eq!(
        (&r(102)["from"], &r(102)["to"]),
        (&json!("10.1.2.3/32"), &json!("10.0.0.0/24"))
    );
    assert_eq!(r(102)["table_id"], 4000);
    assert_eq!(r(103)["to"], "198.51.100.0/24");

    assert_eq!(
        (&r(110)["iif"], &r(110)["oif"]),
        (&json!("va"), &json!("vb"))
    );
    assert_eq!(
        (&r(110)["iif_detached"], &r(110)["oif_detached"]),
        (&json!(false), &json!(false))
    );
    assert_eq!(
        (&r(111)["iif"], &r(111)["iif_detached"]),
        (&json!("nosuch0"), &json!(true))
    );
    assert_eq!(r(111)["flags"], json!(["iif_detached"]));
    assert_eq!(
        (&r(112)["oif"], &r(112)["oif_detached"]),
        (&json!("nosuch1"), &json!(true))
    );

    assert_eq!(
        (&r(120)["fwmark"], &r(120)["fwmask"]),
        (&json!(16), &json!(u32::MAX))
    );
    assert_eq!(
        (&r(121)["fwmark"], &r(121)["fwmask"]),
        (&json!(16), &json!(255))
    );
    assert_eq!(
        (&r(122)["fwmark"], &r(122)["fwmask"]),
        (&json!(0), &json!(255))
    );
    assert_eq!(
        (&r(100)["fwmark"], &r(100)["fwmask"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!((&r(130)["tos"], &r(131)["tos"]), (&json!(16), &json!(4)));

    for (p, action) in [
        (140, "unreachable"),
        (141, "prohibit"),
        (142, "blackhole"),
        (151, "nop"),
    ] {
        assert_eq!(
            (&r(p)["action"], &r(p)["table_id"]),
            (&json!(action), &Value::Null)
        );
    }
    assert_eq!(
        (&r(150)["action"], &r(150)["goto"]),
        (&json!("goto"), &json!(160))
    );
    assert_eq!(r(150)["unresolved"], false);
    assert_eq!(
        (&r(152)["goto"], &r(152)["unresolved"]),
        (&json!(999), &json!(true))
    );

    assert_eq!(r(160)["suppress_prefixlen"], 0);
    assert_eq!(r(100)["suppress_prefixlen"], Value::Null, "-1 is none");
    assert_eq!(
        (&r(161)["suppress_ifgroup"], &r(161)["suppress_ifgroup_id"]),
        (&Value::Null, &json!(5))
    );
    assert_eq!(
        (&r(162)["suppress_ifgroup"], &r(162)["table"]),
        (&json!("default"), &json!("default"))
    );
    assert_eq!(r(162)["suppress_ifgroup_id"], 0);

    assert_eq!(
        (&r(170)["protocol"], &r(170)["protocol_id"]),
        (&json!("bird"), &json!(12))
    );
    assert_eq!(
        (&r(171)["protocol"], &r(171)["protocol_id"]),
        (&Value::Null, &json!(77))
    );
    assert_eq!(r(172)["protocol"], "kernel");
    assert_eq!(
        (&r(100)["protocol"], &r(100)["protocol_id"]),
        (&json!("unspec"), &json!(0))
    );

    assert_eq!(r(180)["uid_range"], json!({"start": 1000, "end": 2000}));
    assert_eq!(r(181)["uid_range"], json!({"start": 0, "end": 0}));
    assert_eq!(
        (&r(190)["ipproto"], &r(190)["ipproto_id"]),
        (&json!("tcp"), &json!(6))
    );
    assert_eq!(r(191)["sport"], json!({"start": 53, "end": 53}));
    assert_eq!(r(191)["dport"], Value::Null);
    assert_eq!(r(192)["sport"], json!({"start": 1000, "end": 2000}));
    assert_eq!(r(192)["dport"], json!({"start": 80, "end": 80}));
    assert_eq!(r(193)["dport"], json!({"start": 8000, "end": 8080}));
    assert_eq!(
        (&r(194)["ipproto"], &r(194)["ipproto_id"]),
        (&Value::Null, &json!(200))
    );

    let realm = |v: &Value, k: &str| v["realms"][k].clone();
    assert_eq!(
        (realm(r(200), "from_id"), realm(r(200), "to_id")),
        (json!(3), json!(4))
    );
    assert_eq!(
        (realm(r(201), "from_id"), realm(r(201), "to_id")),
        (json!(0), json!(5))
    );
    assert_eq!(r(210)["tun_id"], 77);

    let many = r(220);
    assert_eq!(
        (&many["not"], &many["from"]),
        (&json!(true), &json!("10.9.0.0/16"))
    );
    assert_eq!(
        (&many["iif"], &many["fwmark"], &many["fwmask"]),
        (&json!("va"), &json!(1), &json!(1))
    );
    assert_eq!(
        (&many["ipproto"], &many["dport"]),
        (&json!("udp"), &json!({"start": 4789, "end": 4789}))
    );
    assert_eq!(
        (&many["table_id"], &many["protocol"]),
        (&json!(4_000_000), &json!("static"))
    );
    assert_eq!(many["uid_range"], json!({"start": 5, "end": 6}));
}

#[test]
fn json_values_ipv6() {
    require_root!();
    let ns = fixture("rules-v6");
    let rules = ns.nlq_json(&["rules", "-6", "--json"]);
    let r = |p| prio(&rules, "inet6", p);
    assert_eq!(r(0)["table"], "local");
    assert_eq!(r(32766)["table"], "main");
    assert_eq!(
        (&r(100)["from"], &r(100)["to"]),
        (&json!("2001:db8::/32"), &json!("2001:db8:1::1/128"))
    );
    assert_eq!(
        (&r(101)["not"], &r(101)["from"]),
        (&json!(true), &json!("2001:db8:5::/48"))
    );
    assert_eq!(
        (&r(110)["iif"], &r(110)["oif"]),
        (&json!("va"), &json!("vb"))
    );
    assert_eq!(r(111)["iif_detached"], true);
    assert_eq!(
        (&r(120)["fwmark"], &r(120)["fwmask"]),
        (&json!(0x20), &json!(0xf0))
    );
    assert_eq!(
        (&r(130)["tos"], &r(130)["dsfield"]),
        (&json!(0x28), &json!("AF11"))
    );
    assert_eq!(
        (&r(131)["tos"], &r(131)["dsfield"]),
        (&json!(0x14), &Value::Null)
    );
    assert_eq!(r(140)["action"], "unreachable");
    assert_eq!(r(141)["action"], "prohibit");
    assert_eq!(r(142)["action"], "blackhole");
    assert_eq!(
        (&r(150)["goto"], &r(151)["action"]),
        (&json!(160), &json!("nop"))
    );
    assert_eq!(r(160)["suppress_prefixlen"], 64);
    assert_eq!(r(170)["protocol"], "bird");
    assert_eq!(r(180)["uid_range"], json!({"start": 1000, "end": 2000}));
    assert_eq!(
        (&r(190)["ipproto"], &r(190)["ipproto_id"]),
        (&json!("ipv6-icmp"), &json!(58))
    );
    assert_eq!(r(191)["sport"], json!({"start": 22, "end": 22}));
    assert_eq!(r(191)["dport"], json!({"start": 1000, "end": 2000}));
    assert_eq!(r(210)["tun_id"], 88);
}

#[test]
fn family_selection_equals_filtering_by_hand() {
    require_root!();
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
fn l3mdev_rules() {
    require_root!();
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
fn table_one_row_per_rule() {
    require_root!();
    let ns = fixture("rules-tbl");
    let out = ns.nlq(&["rules"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
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
fn capture_replays_to_the_same_output() {
    require_root!();
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
