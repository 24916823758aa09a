//! `nlq nexthops`: a namespace with nexthop objects of every kind (IPv4
//! and IPv6 gateways over veth, onlink, blackholes, device-only, a
//! protocol, a port of a bridge), a multipath group with weights, an IPv6
//! group, resilient groups, FDB nexthops and groups used by a VXLAN FDB
//! entry, an encapsulation, and routes that use nexthops by id.
//!
//! `--json=ip` is compared with `ip -j nexthop show` (with every selector)
//! under the superset rule, `--json` against docs/json.md and by value,
//! every selector against the unfiltered output filtered by hand, and
//! `nlq routes` against `ip -j route show` for the routes with `nhid`.

use std::process::Command;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset};

/// Links and addresses; `v1` is a port of `br0` (for `--master`).
const LINKS: &str = "link add v0 type veth peer name v1
link add br0 type bridge
link set v1 master br0
link set v0 up
link set v1 up
link set br0 up
addr add 10.0.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0 nodad
";

/// Nexthops every kernel with nexthop objects (Linux 5.3) accepts.
const NEXTHOPS: &str = "nexthop add id 1 via 10.0.0.2 dev v0
nexthop add id 2 via 2001:db8::2 dev v0
nexthop add id 3 via 10.9.9.9 dev v0 onlink
nexthop add id 4 blackhole
nexthop add id 5 dev v0
nexthop add id 6 via 10.0.0.3 dev v0 proto static
nexthop add id 7 via 10.1.0.2 dev v1 onlink
-6 nexthop add id 8 dev v0
-6 nexthop add id 9 blackhole
nexthop add id 10 group 1,3/3
nexthop add id 11 group 2/8,2
route add 192.0.2.0/24 nhid 1
route add 198.51.100.0/24 nhid 10
route add 203.0.113.0/24 nhid 4
route add 192.0.2.128/25 nhid 2
route add 10.99.0.0/16 nhid 11
-6 route add 2001:db8:1::/64 nhid 2
-6 route add 2001:db8:2::/64 nhid 11
-6 route add 2001:db8:3::/64 nhid 9
";

/// Features a kernel may refuse: (name, `ip` commands).
const OPTIONAL: &[(&str, &[&str])] = &[
    (
        "resilient",
        &[
            "nexthop add id 12 group 1/5,4 type resilient buckets 8 idle_timer 100 unbalanced_timer 200",
            "nexthop add id 13 group 1/3 type resilient buckets 16 idle_timer 1234567",
            "route add 203.0.113.128/25 nhid 12",
        ],
    ),
    (
        "fdb",
        &[
            "nexthop add id 20 via 10.0.0.5 fdb",
            "-6 nexthop add id 22 via 2001:db8::5 fdb",
            "nexthop add id 21 group 20,2 fdb",
            "link add vx0 type vxlan id 10 dstport 4789 local 10.0.0.1 nolearning",
            "link set vx0 up",
        ],
    ),
    (
        "encap",
        &["nexthop add id 30 encap ip id 100 dst 10.0.0.9 dev v0"],
    ),
];

/// The namespace under test and the optional features it has.
struct Fixture {
    ns: NetNs,
    has: Vec<&'static str>,
}

impl Fixture {
    fn has(&self, feature: &str) -> bool {
        self.has.contains(&feature)
    }
}

/// Build the fixture, or `None` (with a printed reason) when this kernel
/// has no nexthop objects.
fn fixture(tag: &str) -> Option<Fixture> {
    let ns = NetNs::new(tag);
    ns.ip_batch(LINKS);
    let probe = ns.ip_try(&["nexthop", "add", "id", "99", "blackhole"]);
    if !probe.status.success() {
        let why = String::from_utf8_lossy(&probe.stderr);
        eprintln!(
            "skipped: this kernel has no nexthop objects: {}",
            why.trim()
        );
        return None;
    }
    ns.ip(&["nexthop", "del", "id", "99"]);
    // One command at a time: `ip -batch` takes no `-6` on a line.
    for line in NEXTHOPS.lines() {
        ns.ip(&line.split_whitespace().collect::<Vec<_>>());
    }
    let mut has = Vec::new();
    'features: for &(name, cmds) in OPTIONAL {
        for cmd in cmds {
            let args: Vec<&str> = cmd.split_whitespace().collect();
            let out = ns.ip_try(&args);
            if !out.status.success() {
                let why = String::from_utf8_lossy(&out.stderr);
                eprintln!("skipped: this kernel refuses `ip {cmd}`: {}", why.trim());
                continue 'features;
            }
        }
        has.push(name);
    }
    if has.contains(&"fdb") {
        vxlan_fdb_entry(&ns);
    }
    Some(Fixture { ns, has })
}

/// Point a VXLAN FDB entry at the FDB group, as FDB nexthops are used.
fn vxlan_fdb_entry(ns: &NetNs) {
    let out = Command::new("bridge")
        .args(["-n", &ns.name, "fdb", "add", "02:00:00:00:00:01"])
        .args(["dev", "vx0", "self", "static", "nhid", "21"])
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => eprintln!(
            "note: no VXLAN FDB entry through nexthop 21: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => eprintln!("note: no `bridge` command: {e}"),
    }
}

/// `ip -j IP_ARGS` and `nlq NLQ_ARGS`, retried until `ip` says the same
/// before and after nlq (a resilient group's unbalanced time moves).
fn same_moment(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) -> (Value, Value) {
    for _ in 0..20 {
        let before = ns.ip_json(ip_args);
        let now = ns.nlq_json(nlq_args);
        if before == ns.ip_json(ip_args) {
            return (before, now);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the nexthops of {} never settled", ns.name);
}

/// The objects of `v` whose `key` is `value`.
fn with(v: &Value, key: &str, value: impl Into<Value>) -> Vec<Value> {
    let value = value.into();
    let all = v.as_array().expect("an array");
    all.iter().filter(|o| o[key] == value).cloned().collect()
}

/// The nexthop with id `id` of nlq's own schema.
fn by_id(v: &Value, id: u32) -> &Value {
    let all = v.as_array().expect("an array");
    all.iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no nexthop {id}: {v}"))
}

fn ids(v: &Value) -> Vec<u64> {
    let all = v.as_array().expect("an array");
    all.iter().filter_map(|o| o["id"].as_u64()).collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_nexthop() {
    let Some(f) = fixture("nh-ip") else { return };
    let ns = &f.ns;
    let mut pairs: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["nexthop", "show"], vec![]),
        (vec!["-4", "nexthop", "show"], vec!["-4"]),
        (vec!["-6", "nexthop", "show"], vec!["-6"]),
        (vec!["-6", "nexthop", "show"], vec!["--family", "inet6"]),
        (vec!["nexthop", "show", "dev", "v0"], vec!["--dev", "v0"]),
        (
            vec!["-6", "nexthop", "show", "dev", "v0"],
            vec!["-6", "--dev", "v0"],
        ),
        (vec!["nexthop", "show", "groups"], vec!["--groups"]),
        (
            vec!["nexthop", "show", "master", "br0"],
            vec!["--master", "br0"],
        ),
        (vec!["nexthop", "show", "id", "10"], vec!["--id", "10"]),
        (vec!["nexthop", "show", "id", "4"], vec!["--id", "4"]),
        (vec!["nexthop", "show", "id", "2"], vec!["--id", "2"]),
    ];
    if f.has("resilient") {
        pairs.push((vec!["nexthop", "show", "id", "12"], vec!["--id", "12"]));
        pairs.push((vec!["nexthop", "show", "id", "13"], vec!["--id", "13"]));
    }
    if f.has("encap") {
        pairs.push((vec!["nexthop", "show", "id", "30"], vec!["--id", "30"]));
    }
    for (ip_args, sel) in pairs {
        let mut nlq_args = vec!["nexthops"];
        nlq_args.extend(&sel);
        nlq_args.push("--json=ip");
        let (ip, nlq) = same_moment(ns, &ip_args, &nlq_args);
        assert!(
            !ip.as_array().unwrap().is_empty(),
            "ip {ip_args:?} shows nothing"
        );
        assert_superset(&ip, &nlq, &format!("nlq {}", nlq_args.join(" ")));
    }
    // Both leave groups out once a device is named: nothing at all.
    let none = ns.nlq_json(&["nexthops", "--dev", "v0", "--groups", "--json=ip"]);
    assert_eq!(
        ns.ip_json(&["nexthop", "show", "dev", "v0", "groups"]),
        none
    );
    assert_eq!(none, Value::Array(vec![]));
}

/// `ip nexthop show fdb` prints every nexthop (the kernel parses NHA_FDB
/// in a dump request but applies no filter); nlq prints the FDB ones,
/// each a superset of ip's object.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn fdb_is_a_superset_of_ip_filtered_by_hand() {
    let Some(f) = fixture("nh-fdb") else { return };
    if !f.has("fdb") {
        eprintln!("skipped: no FDB nexthops on this kernel");
        return;
    }
    let ns = &f.ns;
    let (ip, nlq) = same_moment(
        ns,
        &["nexthop", "show", "fdb"],
        &["nexthops", "--fdb", "--json=ip"],
    );
    let picked: Vec<Value> = ip
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o.get("fdb").is_some())
        .cloned()
        .collect();
    assert_eq!(ids(&Value::Array(picked.clone())), [20, 21, 22]);
    assert_superset(&Value::Array(picked), &nlq, "nlq nexthops --fdb");
    let (ip, nlq) = same_moment(
        ns,
        &["nexthop", "show", "groups", "fdb"],
        &["nexthops", "--groups", "--fdb", "--json=ip"],
    );
    let picked: Vec<Value> = ip
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o.get("fdb").is_some())
        .cloned()
        .collect();
    assert_superset(&Value::Array(picked), &nlq, "nlq nexthops --groups --fdb");
    assert_eq!(ids(&nlq), [21]);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation() {
    let Some(f) = fixture("nh-doc") else { return };
    let all = f.ns.nlq_json(&["nexthops", "--json"]);
    assert!(all.as_array().unwrap().len() >= 11);
    assert_documented("nexthops", &all);
    for id in [1, 10] {
        let one =
            f.ns.nlq_json(&["nexthops", "--id", &id.to_string(), "--json"]);
        assert_documented("nexthops", &one);
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_values() {
    let Some(f) = fixture("nh-val") else { return };
    let all = f.ns.nlq_json(&["nexthops", "--json"]);

    let v4 = by_id(&all, 1);
    assert_eq!(v4["family"], "inet");
    assert_eq!(v4["gateway"], "10.0.0.2");
    assert_eq!(v4["dev"], "v0");
    assert!(v4["ifindex"].is_u64());
    assert_eq!(
        (&v4["scope"], &v4["scope_id"]),
        (&"link".into(), &253.into())
    );
    assert_eq!(
        (&v4["protocol"], &v4["protocol_id"]),
        (&"unspec".into(), &0.into())
    );
    assert_eq!(v4["group_type"], Value::Null);
    assert_eq!(v4["group"], serde_json::json!([]));
    assert_eq!(
        (&v4["blackhole"], &v4["fdb"]),
        (&false.into(), &false.into())
    );
    assert_eq!(
        (&v4["resilient"], &v4["encap"]),
        (&Value::Null, &Value::Null)
    );

    let v6 = by_id(&all, 2);
    assert_eq!(
        (&v6["family"], &v6["gateway"]),
        (&"inet6".into(), &"2001:db8::2".into())
    );
    assert_eq!(by_id(&all, 3)["flags"], serde_json::json!(["onlink"]));
    let bh = by_id(&all, 4);
    assert_eq!(
        (&bh["blackhole"], &bh["dev"], &bh["gateway"]),
        (&true.into(), &Value::Null, &Value::Null)
    );
    assert_eq!(by_id(&all, 9)["family"], "inet6");
    assert_eq!(by_id(&all, 9)["blackhole"], true);
    let dev_only = by_id(&all, 5);
    assert_eq!(
        (&dev_only["gateway"], &dev_only["scope"]),
        (&Value::Null, &"host".into())
    );
    assert_eq!(by_id(&all, 6)["protocol"], "static");
    assert_eq!(by_id(&all, 6)["protocol_id"], 4);
    assert_eq!(by_id(&all, 7)["dev"], "v1");

    let g = by_id(&all, 10);
    assert_eq!(
        (&g["family"], &g["group_type"]),
        (&"unspec".into(), &"mpath".into())
    );
    assert_eq!(
        g["group"],
        serde_json::json!([{"id": 1, "weight": 3}, {"id": 3, "weight": 1}])
    );
    assert_eq!((&g["dev"], &g["resilient"]), (&Value::Null, &Value::Null));
    assert_eq!(
        by_id(&all, 11)["group"],
        serde_json::json!([{"id": 2, "weight": 1}, {"id": 8, "weight": 2}])
    );

    if f.has("resilient") {
        let r = by_id(&all, 12);
        assert_eq!(r["group_type"], "resilient");
        assert_eq!(
            r["group"],
            serde_json::json!([{"id": 1, "weight": 1}, {"id": 5, "weight": 4}])
        );
        assert_eq!(r["resilient"]["buckets"], 8);
        assert_eq!(r["resilient"]["idle_timer"], 100);
        assert_eq!(r["resilient"]["unbalanced_timer"], 200);
        assert!(r["resilient"]["unbalanced_time"].is_u64());
        assert_eq!(by_id(&all, 13)["resilient"]["idle_timer"], 1234567);
    }
    if f.has("fdb") {
        let fdb = by_id(&all, 20);
        assert_eq!((&fdb["fdb"], &fdb["dev"]), (&true.into(), &Value::Null));
        assert_eq!(fdb["gateway"], "10.0.0.5");
        let group = by_id(&all, 21);
        assert_eq!(
            (&group["fdb"], &group["group_type"]),
            (&true.into(), &"mpath".into())
        );
        assert_eq!(group["group"], serde_json::json!([{"id": 20, "weight": 2}]));
    }
    if f.has("encap") {
        let e = &by_id(&all, 30)["encap"];
        assert_eq!(
            (&e["type"], &e["id"], &e["dst"]),
            (&"ip".into(), &100.into(), &"10.0.0.9".into())
        );
    }
}

/// Every selector equals the unfiltered output filtered by hand.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_equal_filtering_by_hand() {
    let Some(f) = fixture("nh-sel") else { return };
    let ns = &f.ns;
    let all = ns.nlq_json(&["nexthops", "--json"]);
    let list = all.as_array().unwrap();
    let keep = |pred: &dyn Fn(&Value) -> bool| -> Value {
        Value::Array(list.iter().filter(|o| pred(o)).cloned().collect())
    };
    let single = |o: &Value| o["group_type"].is_null();
    let cases: Vec<(Vec<&str>, Value)> = vec![
        (vec!["--dev", "v0"], keep(&|o| o["dev"] == "v0")),
        (vec!["-d", "v1"], keep(&|o| o["dev"] == "v1")),
        (vec!["--master", "br0"], keep(&|o| o["dev"] == "v1")),
        (vec!["--groups"], keep(&|o| !single(o))),
        (vec!["--fdb"], keep(&|o| o["fdb"] == true)),
        (
            vec!["--groups", "--fdb"],
            keep(&|o| !single(o) && o["fdb"] == true),
        ),
        (vec!["-4"], keep(&|o| single(o) && o["family"] == "inet")),
        (vec!["-6"], keep(&|o| single(o) && o["family"] == "inet6")),
        (vec!["--family", "inet"], keep(&|o| o["family"] == "inet")),
        (vec!["--family", "all"], all.clone()),
        (
            vec!["-6", "--dev", "v0"],
            keep(&|o| o["family"] == "inet6" && o["dev"] == "v0"),
        ),
        (vec!["--dev", "v0", "--groups"], Value::Array(vec![])),
        (vec!["--id", "10"], keep(&|o| o["id"] == 10)),
        (vec!["--id", "2"], keep(&|o| o["id"] == 2)),
    ];
    for (sel, want) in cases {
        let mut args = vec!["nexthops"];
        args.extend(&sel);
        args.push("--json");
        let got = ns.nlq_json(&args);
        let may_be_empty =
            sel == ["--dev", "v0", "--groups"] || !f.has("fdb") && sel.contains(&"--fdb");
        if !may_be_empty {
            assert!(
                !got.as_array().unwrap().is_empty(),
                "{sel:?} selects nothing"
            );
        }
        // A resilient group's unbalanced time may move between two runs.
        let strip = |mut v: Value| {
            v.as_array_mut().unwrap().iter_mut().for_each(|o| {
                if let Some(r) = o["resilient"].as_object_mut() {
                    r.remove("unbalanced_time");
                }
            });
            v
        };
        assert_eq!(strip(got), strip(want.clone()), "nlq nexthops {sel:?}");
    }
    // The same in the ip dialect, for one selector of each kind.
    let ip_all = ns.nlq_json(&["nexthops", "--json=ip"]);
    let dev = ns.nlq_json(&["nexthops", "--dev", "v0", "--json=ip"]);
    let by_hand: Vec<Value> = with(&ip_all, "dev", "v0");
    assert_eq!(dev, Value::Array(by_hand));
    let groups = ns.nlq_json(&["nexthops", "--groups", "--json=ip"]);
    let by_hand: Vec<Value> = ip_all
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o.get("group").is_some())
        .cloned()
        .collect();
    assert_eq!(ids(&groups), ids(&Value::Array(by_hand)));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn errors_name_the_input() {
    let Some(f) = fixture("nh-err") else { return };
    let ns = &f.ns;
    let out = ns.nlq(&["nexthops", "--id", "4242", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such nexthop: 4242\n"
    );
    let out = ns.nlq(&["nexthops", "--dev", "nosuchdev"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuchdev\n"
    );
    let out = ns.nlq(&["nexthops", "--master", "nosuchdev"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuchdev\n"
    );
    for usage in [
        &["nexthops", "--id", "0"][..],
        &["nexthops", "--id", "x"],
        &["nexthops", "--id", "1", "--dev", "v0"],
        &["nexthops", "--id", "1", "-6"],
        &["nexthops", "--id", "1", "--groups"],
    ] {
        let out = ns.nlq(usage);
        assert_eq!(out.status.code(), Some(2), "{usage:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("nlq: ") && err.lines().count() == 1,
            "{err}"
        );
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn table_one_row_per_nexthop() {
    let Some(f) = fixture("nh-tbl") else { return };
    for cmd in ["nexthops", "nexthop", "nh"] {
        let text = f.ns.nlq_text(&[cmd]);
        let lines: Vec<&str> = text.lines().collect();
        for col in [
            "ID", "FAMILY", "TYPE", "GROUP", "GATEWAY", "DEV", "SCOPE", "PROTO", "FLAGS",
        ] {
            assert!(lines[0].contains(col), "{}", lines[0]);
        }
        let json = f.ns.nlq_json(&["nexthops", "--json"]);
        assert_eq!(lines.len() - 2, json.as_array().unwrap().len(), "{text}");
        let group = lines
            .iter()
            .find(|l| l.trim_start().starts_with("10 "))
            .unwrap();
        assert!(
            group.contains("mpath") && group.contains("1,3/3"),
            "{group}"
        );
        let onlink = lines
            .iter()
            .find(|l| l.trim_start().starts_with("3 "))
            .unwrap();
        assert!(
            onlink.contains("10.9.9.9") && onlink.contains("onlink"),
            "{onlink}"
        );
        if f.has("resilient") {
            let r = lines
                .iter()
                .find(|l| l.trim_start().starts_with("13 "))
                .unwrap();
            assert!(
                r.contains("resilient") && r.contains("idle_timer 1234567"),
                "{r}"
            );
        }
    }
}

/// Routes that use nexthop objects: `nlq routes --json=ip` is a superset
/// of `ip -j route show` (IPv4 and IPv6, single nexthops and groups), and
/// nlq's own schema and the table show the id.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn routes_with_nhid() {
    let Some(f) = fixture("nh-rt") else { return };
    let ns = &f.ns;
    for (ip_args, nlq_args) in [
        (
            &["-4", "route", "show"][..],
            &["routes", "-4", "--json=ip"][..],
        ),
        (&["-6", "route", "show"], &["routes", "-6", "--json=ip"]),
    ] {
        let (ip, nlq) = same_moment(ns, ip_args, nlq_args);
        let with_nhid = ip
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r.get("nhid").is_some());
        assert!(with_nhid.count() >= 3, "{ip}");
        assert_superset(&ip, &nlq, &format!("nlq {}", nlq_args.join(" ")));
    }
    let routes = ns.nlq_json(&["routes", "--json"]);
    let route = |dst: &str| {
        let all = routes.as_array().unwrap();
        all.iter()
            .find(|r| r["dst"] == dst)
            .unwrap_or_else(|| panic!("no route to {dst}: {routes}"))
            .clone()
    };
    let single = route("192.0.2.0/24");
    assert_eq!(
        (&single["nhid"], &single["gateway"], &single["dev"]),
        (&1.into(), &"10.0.0.2".into(), &"v0".into())
    );
    let group = route("198.51.100.0/24");
    assert_eq!(
        (&group["nhid"], &group["multipath"]),
        (&10.into(), &true.into())
    );
    let weights: Vec<&Value> = group["nexthops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["weight"])
        .collect();
    assert_eq!(weights, [3, 1]);
    assert_eq!(route("203.0.113.0/24")["type"], "blackhole");
    assert_eq!(route("192.0.2.128/25")["via"]["address"], "2001:db8::2");
    let v6 = route("2001:db8:2::/64");
    assert_eq!((&v6["nhid"], &v6["family"]), (&11.into(), &"inet6".into()));
    assert_eq!(v6["nexthops"].as_array().unwrap().len(), 2);
    assert_eq!(route("2001:db8:1::/64")["gateway"], "2001:db8::2");
    assert_documented("routes", &routes);

    let out = ns.nlq(&["routes", "-4"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("198.51.100.0/24"))
        .unwrap();
    assert!(line.contains("nhid 10"), "{text}");
}

/// Captures of a dump and of an `--id` lookup (found and not found)
/// replay to the same output and the same error.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn capture_replays_dumps_and_lookups() {
    let Some(f) = fixture("nh-cap") else { return };
    let runs: [&[&str]; 4] = [
        &["nexthops", "--json=ip"],
        &["nexthops", "--groups", "--json"],
        &["nexthops", "--id", "10"],
        &["nexthops", "--id", "4242"],
    ];
    for (i, args) in runs.into_iter().enumerate() {
        let file = std::env::temp_dir().join(format!("nlq-nh-{}-{i}.pcap", std::process::id()));
        let path = file.to_str().unwrap();
        let mut with_file = vec!["--capture", path];
        with_file.extend(args);
        let live = f.ns.nlq(&with_file);
        with_file[0] = "--replay";
        let replayed = crate::harness::nlq(&with_file);
        let _ = std::fs::remove_file(&file);
        assert_eq!(live.status.code(), replayed.status.code(), "{args:?}");
        assert_eq!(live.stdout, replayed.stdout, "{args:?}");
        assert_eq!(live.stderr, replayed.stderr, "{args:?}");
        assert!(!live.stdout.is_empty() || !live.stderr.is_empty());
    }
}

/// `v` with every bucket's idle time taken out (it moves between runs),
/// after checking it is a number.
fn without_idle_time(mut v: Value, ip: bool) -> Value {
    for o in v.as_array_mut().expect("an array") {
        let holder = if ip { &mut o["bucket"] } else { o };
        let t = holder.as_object_mut().unwrap().remove("idle_time");
        assert!(t.as_ref().is_some_and(Value::is_number), "{t:?}");
    }
    v
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn buckets_are_a_superset_of_ip_nexthop_bucket() {
    let Some(f) = fixture("nh-bkt") else { return };
    if !f.has("resilient") {
        return;
    }
    // How many buckets each selector keeps (groups 12 and 13: 8 and 16
    // buckets, all through v0); `None`: some, as the kernel balanced them.
    let pairs: [(&[&str], &[&str], Option<usize>); 6] = [
        (&[], &[], Some(24)),
        (&["id", "12"], &["--id", "12"], Some(8)),
        (&["nhid", "5"], &["--nhid", "5"], None),
        (&["dev", "v0"], &["--dev", "v0"], Some(24)),
        (
            &["id", "13", "nhid", "3"],
            &["--id", "13", "--nhid", "3"],
            Some(8),
        ),
        (&["nhid", "2"], &["--nhid", "2"], Some(0)),
    ];
    for (ip_sel, ours_sel, n) in pairs {
        let ip_args = [&["nexthop", "bucket", "list"], ip_sel].concat();
        let ip = without_idle_time(f.ns.ip_json(&ip_args), true);
        let ours_args = [&["nexthops", "buckets", "--json=ip"], ours_sel].concat();
        let ours = without_idle_time(f.ns.nlq_json(&ours_args), true);
        let what = format!("ip {}", ip_args.join(" "));
        let len = ours.as_array().unwrap().len();
        assert_eq!(n.unwrap_or(len), len, "{what}: {ours}");
        assert!(n.is_some() || len > 0, "{what}: {ours}");
        assert_eq!(ip.as_array().unwrap().len(), len, "{what}");
        assert_superset(&ip, &ours, &what);
        let nlq =
            f.ns.nlq_json(&[&["nexthops", "buckets", "--json"], ours_sel].concat());
        assert_documented("nexthops buckets", &nlq);
        let nlq = without_idle_time(nlq, false);
        for (mine, theirs) in nlq.as_array().unwrap().iter().zip(ours.as_array().unwrap()) {
            assert_eq!(mine["id"], theirs["id"]);
            assert_eq!(mine["index"], theirs["bucket"]["index"]);
            assert_eq!(mine["nhid"], theirs["bucket"]["nhid"]);
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn buckets_table_capture_and_errors() {
    let Some(f) = fixture("nh-bkt2") else { return };
    if !f.has("resilient") {
        return;
    }
    let text = f.ns.nlq_text(&["nexthops", "buckets", "--id", "12"]);
    assert_eq!(text.lines().count(), 2 + 8, "{text}");
    for col in ["ID", "INDEX", "NHID", "IDLE"] {
        assert!(text.lines().next().unwrap().contains(col), "{text}");
    }
    let path = std::env::temp_dir().join(format!("nlq-bkt-{}.pcap", std::process::id()));
    let p = path.to_str().unwrap();
    let live =
        f.ns.nlq_json(&["nexthops", "buckets", "--json", "--capture", p]);
    let replayed = crate::harness::nlq(&["nexthops", "buckets", "--json", "--replay", p]);
    let _ = std::fs::remove_file(&path);
    let replayed: Value = serde_json::from_slice(&replayed.stdout).unwrap();
    assert_eq!(live, replayed);
    let out = f.ns.nlq(&["nexthops", "buckets", "--dev", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    let out = crate::harness::nlq(&["nexthops", "--groups", "buckets"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--groups"));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn bucket_get_is_a_superset_of_ip_nexthop_bucket_get() {
    let Some(f) = fixture("nh-bget") else { return };
    if !f.has("resilient") {
        return;
    }
    // Every bucket of group 12, one request each, in both dialects.
    for index in 0..8 {
        let i = index.to_string();
        let ip_args = ["nexthop", "bucket", "get", "id", "12", "index", &i];
        let ip = without_idle_time(f.ns.ip_json(&ip_args), true);
        let get = ["nexthops", "buckets", "get", "--id", "12", "--index", &i];
        let ours = without_idle_time(f.ns.nlq_json(&[&get[..], &["--json=ip"]].concat()), true);
        assert_eq!(ours.as_array().unwrap().len(), 1, "{ours}");
        assert_superset(&ip, &ours, &ip_args.join(" "));
        let nlq = f.ns.nlq_json(&[&get[..], &["--json"]].concat());
        assert_documented("nexthops buckets", &nlq);
        let nlq = without_idle_time(nlq, false);
        assert_eq!(
            (&nlq[0]["id"], &nlq[0]["index"]),
            (&Value::from(12), &Value::from(index))
        );
        assert_eq!(nlq[0]["nhid"], ours[0]["bucket"]["nhid"]);
    }
    // No such bucket: the kernel's reason, naming the bucket, exit 1 (ip
    // says the same reason, exit 2).
    for (id, index, why) in [
        ("12", "8", "Bucket index out of bounds"),
        ("11", "0", "not of type resilient"),
        ("1", "0", "Not a nexthop group"),
        ("99", "0", "No such file or directory"),
    ] {
        let out =
            f.ns.nlq(&["nexthops", "buckets", "get", "--id", id, "--index", index]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        let bucket = format!("nexthop group {id} bucket {index}: ");
        assert!(err.contains(&bucket) && err.contains(why), "{err}");
    }
    let out = crate::harness::nlq(&["nexthops", "buckets", "get", "--id", "12"]);
    assert_eq!(out.status.code(), Some(2), "--index is required");
    let out = crate::harness::nlq(&[
        "nexthops", "buckets", "--nhid", "2", "get", "--id", "12", "--index", "0",
    ]);
    assert_eq!(out.status.code(), Some(2), "get takes no list selector");
}
