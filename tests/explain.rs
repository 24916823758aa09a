//! `nlq routes get --explain` in a namespace whose rules exercise every
//! selector and action (from, to, tos, fwmark/mask, iif, oif, uidrange,
//! ipproto, sport, dport, not, goto and an unresolved goto, nop,
//! suppress_prefixlength, suppress_ifgroup, blackhole / unreachable /
//! prohibit rules and routes, throw, tables without the route and a table
//! that does not exist), IPv4 and IPv6. For every case nlq's reading must
//! agree with the kernel (its own check), name the rule the case was built
//! for, and end where `ip route get` ends (the same device and gateway, or
//! the same error). Also: the JSON matches docs/json.md, `--json=ip` is a
//! usage error, and a capture replays identically.

use serde_json::Value;

use crate::harness::{NetNs, assert_documented};

/// Two veth pairs' ends in one namespace: va (main's way out) and vb
/// (the policy tables' way out, interface group 5), with permanent
/// neighbours for the gateways, and forwarding on for `iif` lookups.
const SETUP: &str = "\
link add va type veth peer name va-peer
link add vb type veth peer name vb-peer
link set va up
link set va-peer up
link set vb up
link set vb-peer up
link set vb group 5
addr add 10.1.0.1/24 dev va
addr add 10.9.0.1/16 dev va
addr add 10.2.0.1/24 dev vb
addr add 2001:db8:1::1/64 dev va nodad
addr add 2001:db8:9::1/64 dev va nodad
addr add 2001:db8:2::1/64 dev vb nodad
neigh add 10.1.0.2 lladdr 02:00:00:00:01:02 dev va
neigh add 10.2.0.2 lladdr 02:00:00:00:02:02 dev vb
neigh add 2001:db8:1::2 lladdr 02:00:00:00:01:02 dev va
neigh add 2001:db8:2::2 lladdr 02:00:00:00:02:02 dev vb
route add default via 10.1.0.2
route add 198.51.100.0/24 via 10.2.0.2 table 100
route add 198.51.100.64/26 via 10.2.0.2 table 100
route add default via 10.2.0.2 table 200
route add throw 198.51.100.128/25 table 300
route add 192.0.2.0/24 via 10.2.0.2 table 300
route add unreachable 203.0.113.64/26 table 400
route add prohibit 203.0.113.128/26 table 400
route add blackhole 203.0.113.192/26 table 400
route add 203.0.113.0/30 via 10.2.0.2 table 400
route add default via 2001:db8:1::2
route add 2001:db8:51::/48 via 2001:db8:2::2 table 100
route add 2001:db8:51:64::/64 via 2001:db8:2::2 table 100
route add default via 2001:db8:2::2 table 200
route add throw 2001:db8:51:80::/57 table 300
route add unreachable 2001:db8:203:1::/64 table 400
route add prohibit 2001:db8:203:2::/64 table 400
route add blackhole 2001:db8:203:3::/64 table 400
route add 8.8.4.0/24 tos 0x08 via 10.2.0.2
route add 8.8.5.0/24 via 10.2.0.2 metric 10
route add 8.8.5.0/24 via 10.1.0.2 metric 5
route add 2001:db8:88::/48 from 2001:db8:9::/64 via 2001:db8:2::2
route add 2001:db8:89::/48 via 2001:db8:2::2 metric 10
route add 2001:db8:89::/48 via 2001:db8:1::2 metric 5
";

/// IPv4 rules, one or more per selector or action.
const RULES4: &str = "\
rule add pref 10 from 10.9.0.0/16 lookup 100
rule add pref 11 to 192.0.2.0/24 lookup 200
rule add pref 12 tos 0x10 lookup 200
rule add pref 13 fwmark 0x10/0xff lookup 200
rule add pref 14 iif vb lookup 200
rule add pref 15 oif vb lookup 200
rule add pref 16 uidrange 1000-1999 lookup 200
rule add pref 17 ipproto udp dport 53 lookup 200
rule add pref 18 ipproto tcp sport 1000-2000 lookup 200
rule add pref 20 not uidrange 0-999 lookup 200
rule add pref 30 fwmark 0x30 goto 40
rule add pref 31 fwmark 0x30 blackhole
rule add pref 40 fwmark 0x30 lookup 200
rule add pref 41 fwmark 0x40 goto 45
rule add pref 50 to 198.51.100.0/24 lookup 100 suppress_prefixlength 24
rule add pref 51 to 198.51.100.0/24 lookup 300
rule add pref 52 to 100.64.0.0/10 lookup 200 suppress_ifgroup 5
rule add pref 53 to 100.64.0.0/10 nop
rule add pref 60 to 203.0.113.240/30 unreachable
rule add pref 61 to 203.0.113.244/30 prohibit
rule add pref 62 to 203.0.113.248/30 blackhole
rule add pref 63 to 203.0.113.0/24 lookup 400
rule add pref 70 to 172.16.9.0/24 lookup 500
";

/// IPv6 rules.
const RULES6: &str = "\
rule add pref 10 from 2001:db8:9::/48 lookup 100
rule add pref 11 to 2001:db8:192::/48 lookup 200
rule add pref 12 tos 0x10 lookup 200
rule add pref 13 fwmark 0x10/0xff lookup 200
rule add pref 14 iif vb lookup 200
rule add pref 15 oif vb lookup 200
rule add pref 16 uidrange 1000-1999 lookup 200
rule add pref 17 ipproto udp dport 53 lookup 200
rule add pref 18 ipproto tcp sport 1000-2000 lookup 200
rule add pref 20 not uidrange 0-999 lookup 200
rule add pref 30 fwmark 0x30 goto 40
rule add pref 31 fwmark 0x30 blackhole
rule add pref 40 fwmark 0x30 lookup 200
rule add pref 41 fwmark 0x40 goto 45
rule add pref 50 to 2001:db8:51::/48 lookup 100 suppress_prefixlength 48
rule add pref 51 to 2001:db8:51::/48 lookup 300
rule add pref 52 to 2001:db8:64::/48 lookup 200 suppress_ifgroup 5
rule add pref 53 to 2001:db8:64::/48 nop
rule add pref 60 to 2001:db8:203:f0::/64 unreachable
rule add pref 61 to 2001:db8:203:f4::/64 prohibit
rule add pref 62 to 2001:db8:203:f8::/64 blackhole
rule add pref 63 to 2001:db8:203::/48 lookup 400
rule add pref 70 to 2001:db8:233::/48 lookup 500
";

/// A case: `ip route get` arguments, and the priority of the rule that
/// decides (`None`: no rule does, every one passed on).
type Case = (&'static str, Option<u32>);

const CASES4: [Case; 27] = [
    ("8.8.8.8", Some(32766)),
    ("198.51.100.70 from 10.9.0.1", Some(10)),
    ("8.8.8.8 from 10.9.0.1", Some(32766)),
    ("192.0.2.1", Some(11)),
    ("8.8.8.8 tos 0x10", Some(12)),
    ("8.8.8.8 tos 0x14", Some(32766)),
    ("8.8.8.8 mark 0x110", Some(13)),
    ("8.8.8.8 mark 0x101", Some(32766)),
    ("8.8.8.8 iif vb from 10.2.0.9", Some(14)),
    ("8.8.8.8 oif vb", Some(15)),
    ("8.8.8.8 uid 1500", Some(16)),
    ("8.8.8.8 uid 5000", Some(20)),
    ("8.8.8.8 ipproto udp dport 53", Some(17)),
    ("8.8.8.8 ipproto udp dport 54", Some(32766)),
    ("8.8.8.8 ipproto tcp sport 1500", Some(18)),
    ("8.8.8.8 mark 0x30", Some(40)),
    ("8.8.8.8 mark 0x40", Some(32766)),
    ("198.51.100.10", Some(32766)),
    ("198.51.100.200", Some(32766)),
    ("198.51.100.70", Some(50)),
    ("100.64.1.1", Some(32766)),
    ("203.0.113.241", Some(60)),
    ("203.0.113.245", Some(61)),
    ("203.0.113.249", Some(62)),
    ("203.0.113.70", Some(63)),
    ("203.0.113.130", Some(63)),
    ("203.0.113.200", Some(63)),
];

/// More IPv4 cases: a table without the route, one that does not exist, a
/// multicast destination (typed by its address), local and link routes.
const MORE4: [Case; 12] = [
    ("203.0.113.50", Some(32766)),
    // Within a table: a route's TOS, then the lowest metric.
    ("8.8.4.4 tos 0x08", Some(32766)),
    ("8.8.4.4", Some(32766)),
    ("8.8.5.5", Some(32766)),
    // The IPv4 input path looks up with uid 0, whatever --uid says.
    ("8.8.8.8 iif va from 10.1.0.9 uid 1500", Some(32766)),
    ("8.8.8.8 iif va from 10.1.0.9", Some(32766)),
    (
        "8.8.8.8 iif va from 10.1.0.9 ipproto udp dport 53",
        Some(17),
    ),
    ("8.8.8.8 iif va from 10.1.0.9 mark 0x10", Some(13)),
    ("172.16.9.1", Some(32766)),
    ("233.252.0.1", Some(32766)),
    ("10.1.0.1", Some(0)),
    ("10.1.0.5", Some(32766)),
];

const CASES6: [Case; 24] = [
    ("2001:db8:77::1", Some(32766)),
    ("2001:db8:51:64::1 from 2001:db8:9::1", Some(10)),
    ("2001:db8:77::1 from 2001:db8:9::1", Some(32766)),
    ("2001:db8:192::1", Some(11)),
    ("2001:db8:77::1 tos 0x10", Some(12)),
    ("2001:db8:77::1 mark 0x110", Some(13)),
    ("2001:db8:77::1 iif vb from 2001:db8:2::9", Some(14)),
    ("2001:db8:77::1 oif vb", Some(15)),
    ("2001:db8:77::1 uid 1500", Some(16)),
    ("2001:db8:77::1 uid 5000", Some(20)),
    ("2001:db8:77::1 ipproto udp dport 53", Some(17)),
    ("2001:db8:77::1 ipproto tcp sport 1500", Some(18)),
    ("2001:db8:77::1 mark 0x30", Some(40)),
    ("2001:db8:77::1 mark 0x40", Some(32766)),
    ("2001:db8:51:1::1", Some(32766)),
    ("2001:db8:51:81::1", Some(32766)),
    ("2001:db8:51:64::1", Some(50)),
    ("2001:db8:64::1", Some(32766)),
    ("2001:db8:203:f0::1", Some(60)),
    ("2001:db8:203:f4::1", Some(61)),
    ("2001:db8:203:f8::1", Some(62)),
    ("2001:db8:203:1::1", Some(63)),
    ("2001:db8:203:2::1", Some(63)),
    ("2001:db8:203:3::1", Some(63)),
];

/// More IPv6 cases: a table without the route, a table that does not
/// exist, a local address, a link route.
const MORE6: [Case; 10] = [
    ("2001:db8:203:9::1", Some(32766)),
    // A source-specific route, with and without its source; the metric.
    ("2001:db8:88::1 from 2001:db8:9::1", Some(32766)),
    ("2001:db8:88::1", Some(32766)),
    ("2001:db8:89::1", Some(32766)),
    // The IPv6 input path looks up with the invalid uid (4294967295) unless
    // --uid names one: `not uidrange 0-999` matches it.
    ("2001:db8:77::1 iif va from 2001:db8:1::9", Some(20)),
    (
        "2001:db8:77::1 iif va from 2001:db8:1::9 uid 7",
        Some(32766),
    ),
    (
        "2001:db8:77::1 iif va from 2001:db8:1::9 uid 7 ipproto tcp sport 1999",
        Some(18),
    ),
    ("2001:db8:233::1", Some(32766)),
    ("2001:db8:1::1", Some(0)),
    ("2001:db8:1::5", Some(32766)),
];

/// The namespace: links, routes, both rule sets, forwarding on.
fn fixture() -> NetNs {
    let ns = NetNs::new("explain");
    ns.ip_batch(SETUP);
    ns.ip_batch(RULES4);
    // `ip -batch` takes no -6 per line; rules without an address need it.
    for line in RULES6.lines() {
        let mut args = vec!["-6"];
        args.extend(line.split_whitespace());
        ns.ip(&args);
    }
    for key in ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"] {
        let st = std::process::Command::new("ip")
            .args(["netns", "exec", &ns.name, "sysctl", "-qw", key])
            .status()
            .expect("run sysctl");
        assert!(st.success(), "sysctl {key}");
    }
    ns
}

/// `ip route get` words as nlq flags: `mark 0x10` → `--mark 0x10`.
fn nlq_args(case: &str) -> Vec<String> {
    let mut words = case.split_whitespace();
    let mut args = vec![
        "routes".to_string(),
        "get".into(),
        words.next().unwrap().into(),
    ];
    while let (Some(k), Some(v)) = (words.next(), words.next()) {
        args.push(format!("--{k}"));
        args.push(v.into());
    }
    args
}

/// Check one case against nlq's own verdict, the expected rule and `ip`.
fn check_case(ns: &NetNs, (case, want): Case) -> Value {
    let mut args = nlq_args(case);
    args.extend(["--explain".into(), "--json".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ns.nlq_json(&args);
    let e = &out[0];
    assert_eq!(
        e["agrees"], true,
        "{case}: nlq disagrees with the kernel: {e:#}"
    );
    assert_eq!(
        e["decision"]["priority"].as_u64(),
        want.map(u64::from),
        "{case}: decided by another rule: {e:#}"
    );
    let mut ip_args = vec!["-j", "route", "get"];
    ip_args.extend(case.split_whitespace());
    let ip = ns.ip_try(&ip_args);
    let decided = e["rules"].as_array().unwrap().last().unwrap();
    if !ip.status.success() {
        let stderr = String::from_utf8_lossy(&ip.stderr);
        let error = e["decision"]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{case}: ip fails ({stderr}), nlq finds a route: {e:#}"));
        assert!(
            stderr.contains(error),
            "{case}: ip says {stderr}, nlq {error}"
        );
        assert_eq!(e["kernel"]["error"], e["decision"]["error"], "{case}");
        return out;
    }
    let ip: Value = serde_json::from_slice(&ip.stdout).unwrap();
    let ip = &ip[0];
    assert_eq!(e["decision"]["result"], "route", "{case}: {e:#}");
    let route = &decided["route"];
    // A local route's packets go out through lo; a multicast destination
    // goes straight out of the route's device, without its gateway.
    let (dev, gateway) = match (route["type"].as_str(), ip["type"].as_str()) {
        (Some("local"), _) => (Value::from("lo"), route["gateway"].clone()),
        (_, Some("multicast")) => (route["dev"].clone(), Value::Null),
        _ => (route["dev"].clone(), route["gateway"].clone()),
    };
    assert_eq!(dev, ip["dev"], "{case}: device: {e:#}\nip: {ip}");
    let ip_gateway = ip.get("gateway").cloned().unwrap_or(Value::Null);
    assert_eq!(gateway, ip_gateway, "{case}: gateway: {e:#}\nip: {ip}");
    assert_eq!(e["kernel"]["route"]["dev"], ip["dev"], "{case}");
    out
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn explain_agrees_with_ip_route_get_for_every_selector() {
    let ns = fixture();
    for case in CASES4.into_iter().chain(MORE4).chain(CASES6).chain(MORE6) {
        let out = check_case(&ns, case);
        assert_documented("explain", &out);
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn explain_names_the_selector_that_failed_and_the_neighbour_and_link() {
    let ns = fixture();
    let out = ns.nlq_json(&[
        "routes",
        "get",
        "8.8.8.8",
        "--mark",
        "0x101",
        "--explain",
        "-j",
    ]);
    let rules = out[0]["rules"].as_array().unwrap();
    let fwmark = rules.iter().find(|r| r["priority"] == 13).unwrap();
    assert_eq!(fwmark["matched"], false);
    assert_eq!(fwmark["failed"], "fwmark 0x10/0xff");
    assert_eq!(fwmark["packet_has"], "0x101");
    let not = rules.iter().find(|r| r["priority"] == 20).unwrap();
    assert_eq!(
        not["failed"],
        Value::Null,
        "uid 0 is in 0-999: the not rule fails"
    );
    let e = &out[0];
    assert_eq!(e["neighbour"]["address"], "10.1.0.2");
    assert_eq!(e["neighbour"]["found"], true);
    assert_eq!(e["neighbour"]["state"], serde_json::json!(["permanent"]));
    assert_eq!(e["neighbour"]["lladdr"], "02:00:00:00:01:02");
    assert_eq!(e["link"]["name"], "va");
    assert_eq!(e["link"]["mtu"], 1500);
    let text = ns.nlq_text(&["routes", "get", "8.8.8.8", "--mark", "0x101", "--explain"]);
    assert!(
        text.contains("fwmark 0x10/0xff: packet has 0x101"),
        "{text}"
    );
    assert!(text.contains("agrees with the kernel"), "{text}");
    assert!(
        text.contains("neighbour: 10.1.0.2 dev va: permanent"),
        "{text}"
    );
    let throw = ns.nlq_text(&["routes", "get", "198.51.100.200", "--explain"]);
    assert!(throw.contains("throw: next rule"), "{throw}");
    let suppressed = ns.nlq_text(&["routes", "get", "198.51.100.10", "--explain"]);
    assert!(
        suppressed.contains("suppress_prefixlength 24"),
        "{suppressed}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn explain_shows_nexthop_objects_and_group_members() {
    let ns = fixture();
    ns.ip_batch(
        "nexthop add id 1 via 10.2.0.2 dev vb\n\
         nexthop add id 2 via 10.1.0.2 dev va\n\
         nexthop add id 10 group 1/2,3\n\
         route add 192.0.2.128/25 nhid 10 table 200\n",
    );
    let out = ns.nlq_json(&["routes", "get", "192.0.2.200", "--explain", "-j"]);
    let e = &out[0];
    assert_eq!(e["agrees"], true, "{e:#}");
    let ids: Vec<&Value> = e["nexthops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["id"])
        .collect();
    assert_eq!(ids, [10, 1, 2], "the group, then its members");
    assert_eq!(e["nexthops"][0]["group"], true);
    assert_eq!(e["nexthops"][0]["members"][1]["weight"], 3);
    let chosen = e["nexthops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["chosen"] == true);
    assert_eq!(chosen.count(), 1, "one member carries the answer: {e:#}");
    assert_documented("explain", &out);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn explain_replays_a_capture_identically() {
    let ns = fixture();
    let dir = std::env::temp_dir().join(format!("nlq-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pcap = dir.join("explain.pcap");
    let pcap = pcap.to_str().unwrap();
    let lookup = [
        "routes",
        "get",
        "203.0.113.200",
        "--mark",
        "0x40",
        "--explain",
    ];
    for format in [&[][..], &["-j"][..]] {
        // Live through -n, then the capture replayed without the namespace.
        let mut live = vec!["-n", ns.name.as_str(), "--capture", pcap];
        live.extend(lookup);
        live.extend(format);
        let out = crate::harness::nlq(&live);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let live = String::from_utf8(out.stdout).unwrap();
        assert!(
            live.contains("goto_unresolved") || live.contains("unresolved, next rule"),
            "{live}"
        );
        let mut replay = vec!["--replay", pcap];
        replay.extend(lookup);
        replay.extend(format);
        let out = crate::harness::nlq(&replay);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_refuses_the_ip_dialect_and_fibmatch() {
    // Columns are the rules table's: a route column is unknown here.
    for extra in [&["--json=ip"][..], &["--fibmatch"], &["-o", "flags"]] {
        let mut args = vec!["routes", "get", "192.0.2.1", "--explain"];
        args.extend(extra);
        let out = crate::harness::nlq(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: a usage error");
        assert!(out.stdout.is_empty());
    }
}

/// A lookup nlq's reading gets wrong on purpose: with `--oif` and no route
/// through that device, the kernel's output path sends the packet on link
/// anyway, which nlq does not model. nlq must say so plainly, exit 0.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn explain_says_plainly_when_the_kernel_disagrees() {
    let ns = NetNs::new("explain-oif");
    ns.ip_batch(
        "link add va type veth peer name va-peer\n\
         link set va up\n\
         link set va-peer up\n\
         addr add 10.1.0.1/24 dev va\n",
    );
    let ip = ns.ip_json(&["route", "get", "192.0.2.9", "oif", "va"]);
    assert_eq!(ip[0]["dev"], "va", "the kernel sends it on link: {ip}");
    let args = ["routes", "get", "192.0.2.9", "--oif", "va", "--explain"];
    let text = ns.nlq_text(&args);
    assert!(
        text.contains(
            "nlq's reading disagrees with the kernel (outcome: nlq errno 101, kernel a route)"
        ),
        "{text}"
    );
    assert!(
        text.contains("note:      the kernel's route is from no table"),
        "{text}"
    );
    let mut json = args.to_vec();
    json.push("-j");
    let out = ns.nlq_json(&json);
    assert_eq!(out[0]["agrees"], false);
    assert_eq!(out[0]["decision"]["result"], "no_route");
    assert_eq!(out[0]["kernel"]["route"]["dev"], "va");
    assert_documented("explain", &out);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn explain_lists_multipath_nexthops_and_the_one_chosen() {
    let ns = fixture();
    ns.ip(&[
        "route",
        "add",
        "192.0.2.0/25",
        "table",
        "200",
        "nexthop",
        "via",
        "10.1.0.2",
        "weight",
        "1",
        "nexthop",
        "via",
        "10.2.0.2",
        "weight",
        "3",
    ]);
    let out = ns.nlq_json(&["routes", "get", "192.0.2.9", "--explain", "-j"]);
    let e = &out[0];
    assert_eq!(e["agrees"], true, "{e:#}");
    let hops = e["nexthops"].as_array().unwrap();
    let weights: Vec<&Value> = hops.iter().map(|h| &h["weight"]).collect();
    assert_eq!(weights, [1, 3]);
    let chosen: Vec<&Value> = hops.iter().filter(|h| h["chosen"] == true).collect();
    assert_eq!(chosen.len(), 1, "the kernel's answer takes one: {e:#}");
    assert_eq!(chosen[0]["dev"], e["kernel"]["route"]["dev"]);
    assert_documented("explain", &out);
}

/// The captures fixtures/record-explain.sh made.
const FIXTURES: [&str; 5] = [
    "explain-fwmark",
    "explain-throw",
    "explain-unreachable",
    "explain-prohibit",
    "explain-v6",
];

/// Each capture replays, without root, to exactly what the live command
/// printed (table and `--json`), agrees with the kernel's recorded answer,
/// and ends where `ip -j route get` did when it was recorded.
#[test]
fn recorded_explanations_replay_and_match_ip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let read = |file: String| std::fs::read_to_string(dir.join(file)).unwrap();
    for name in FIXTURES {
        let cmd = read(format!("{name}.cmd"));
        let pcap = dir.join(format!("{name}.pcap"));
        let mut args = vec!["--replay", pcap.to_str().unwrap()];
        args.extend(cmd.split_whitespace().skip(1));
        for (extra, file) in [(None, "table"), (Some("--json"), "json")] {
            let mut args = args.clone();
            args.extend(extra);
            let out = crate::harness::nlq(&args);
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let want = read(format!("{name}.{file}"));
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                want,
                "{name}.{file}"
            );
        }
        let json: Value = serde_json::from_str(&read(format!("{name}.json"))).unwrap();
        assert_documented("explain", &json);
        let e = &json[0];
        assert_eq!(e["agrees"], true, "{name}: {e:#}");
        let ip_error = read(format!("{name}.oracle.txt"));
        if !ip_error.is_empty() {
            let error = e["decision"]["error"].as_str().unwrap();
            assert!(ip_error.contains(error), "{name}: ip said {ip_error}");
            continue;
        }
        let ip: Value = serde_json::from_str(&read(format!("{name}.oracle.json"))).unwrap();
        let route = &e["rules"].as_array().unwrap().last().unwrap()["route"];
        assert_eq!(route["dev"], ip[0]["dev"], "{name}");
        assert_eq!(route["gateway"], ip[0]["gateway"], "{name}");
    }
}
