//! `nlq snapshot` and `nlq diff` (issue 15) in namespaces built here: a
//! snapshot holds every kind as its listing shows it, documented; a
//! snapshot has no difference with itself (file or live); each kind of
//! change shows up exactly once; diff works through `-n`, on files and on
//! a replayed capture; the exit codes are diff(1)'s.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use crate::harness::schema::{schema_file, validate};
use crate::harness::{NetNs, assert_documented, nlq};

/// The kinds' arrays, in a snapshot's order.
const SECTIONS: [&str; 6] = ["links", "addrs", "routes", "neigh", "rules", "nexthops"];

/// A namespace with objects of every kind: links, addresses, routes in
/// two tables and both families, neighbours, rules, nexthops.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    // No DAD: addresses would leave their tentative state while a test
    // compares.
    for key in [
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0",
    ] {
        let st = std::process::Command::new("ip")
            .args(["netns", "exec", &ns.name, "sysctl", "-qw", key])
            .status()
            .expect("run sysctl");
        assert!(st.success(), "sysctl {key}");
    }
    ns.ip_batch(
        "link add v0 type veth peer name v1
link set v0 up
link set v1 up
addr add 10.30.0.1/24 dev v0
addr add 2001:db8:30::1/64 dev v0 nodad
route add 10.9.0.0/24 via 10.30.0.2 dev v0
route add table 100 default via 10.30.0.2 dev v0
addr add 2001:db8:31::1/64 dev v0 nodad
route add 2001:db8:99::/64 via 2001:db8:30::2 dev v0 mtu 1400
neigh add 10.30.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent
rule add from 10.0.0.0/8 table 100 pref 100
nexthop add id 1 via 10.30.0.2 dev v0
nexthop add id 2 via 10.30.0.3 dev v0
nexthop add id 4 via 10.30.0.5 dev v0
",
    );
    settle(&ns);
    ns
}

/// Wait until both veths say they are up (the kernel's linkwatch sets
/// operstate a moment after the carrier), so that the state stays put
/// while a test compares. Gives up after 50 looks.
fn settle(ns: &NetNs) {
    for _ in 0..50 {
        let links = ns.ip_json(&["link", "show", "type", "veth"]);
        let up = links
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["operstate"] == "UP");
        if up {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the veths never came up");
}

/// Run `run` until the namespace's neighbours and addresses stayed the
/// same throughout: the kernel adds IPv6 multicast neighbours (router
/// solicitations, MLD reports) a moment after a link comes up.
fn quiet<R>(ns: &NetNs, run: impl FnMut() -> R) -> R {
    let probe = || {
        let neigh = ns.ip(&["neigh", "show", "nud", "all"]);
        (neigh, ns.ip(&["addr"]))
    };
    crate::harness::on_stable("the namespace's neighbours", probe, run).1
}

/// A scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nlq-snapdiff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Run nlq with `-n ns` first.
fn nlq_in(ns: &NetNs, args: &[&str]) -> Output {
    let mut full = vec!["-n", ns.name.as_str()];
    full.extend_from_slice(args);
    nlq(&full)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `nlq -n NS snapshot`, written to `path` and parsed.
fn snapshot_to(ns: &NetNs, path: &PathBuf) -> Value {
    let out = nlq_in(ns, &["snapshot"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(path, &out.stdout).unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `nlq -n NS diff ARGS --json`: the exit code and the changes.
fn diff_json(ns: &NetNs, args: &[&str]) -> (i32, Vec<Value>) {
    let mut full = vec!["diff"];
    full.extend_from_slice(args);
    full.push("--json");
    let out = nlq_in(ns, &full);
    let code = out.status.code().unwrap();
    assert!(code <= 1, "nlq {full:?}: {code}: {}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (code, v.as_array().unwrap().clone())
}

/// (dst, table_id) of every route of a JSON array.
fn route_set(routes: &Value) -> BTreeSet<(String, u64)> {
    let each = routes.as_array().unwrap().iter();
    each.map(|r| {
        let dst = r["dst"].as_str().unwrap_or("").to_string();
        (dst, r["table_id"].as_u64().unwrap())
    })
    .collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_snapshot_holds_every_kind_as_its_listing_shows_it() {
    let ns = fixture("snap");
    let snap = snapshot_to(&ns, &scratch("every.json"));
    let doc = &snap[0];
    assert_eq!(
        snap.as_array().unwrap().len(),
        1,
        "an array of one document"
    );
    let header = &doc["header"];
    assert_eq!(header["netns"], ns.name.as_str());
    assert_eq!(header["source"], "live");
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    assert_eq!(header["kernel"], release.trim());
    for section in SECTIONS {
        let objects = &doc[section];
        assert!(
            !objects.as_array().unwrap().is_empty(),
            "{section}: empty: {doc}"
        );
        assert_documented(section, objects);
    }
    // The same objects as the listings: routes of every table and family.
    let listed = nlq_in(&ns, &["routes", "--table", "all", "-j"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(route_set(&doc["routes"]), route_set(&listed));
    for (section, args) in [
        ("addrs", &["addrs", "-j"][..]),
        ("rules", &["rules", "-j"]),
        ("nexthops", &["nexthops", "-j"]),
    ] {
        // The same objects, in the kernel's dump order (`addrs` lists
        // by interface).
        let listed: Value = serde_json::from_slice(&nlq_in(&ns, args).stdout).unwrap();
        let sorted = |v: &Value| {
            let mut each: Vec<String> =
                v.as_array().unwrap().iter().map(Value::to_string).collect();
            each.sort();
            each
        };
        assert_eq!(sorted(&doc[section]), sorted(&listed), "{section}");
    }
    let names = |v: &Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].clone())
            .collect()
    };
    let links: Value = serde_json::from_slice(&nlq_in(&ns, &["links", "-j"]).stdout).unwrap();
    assert_eq!(names(&doc["links"]), names(&links));
    assert!(
        doc["links"][0]["stats64"].is_object(),
        "links come with their counters"
    );
    if let Err(errors) = validate(&schema_file("snapshot"), &snap) {
        panic!(
            "snapshot does not match docs/schema/snapshot.json:\n{}",
            errors.join("\n")
        );
    }
    // --json=ip has nothing to follow.
    assert_eq!(
        nlq_in(&ns, &["snapshot", "--json=ip"]).status.code(),
        Some(2)
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_snapshot_has_no_difference_with_itself() {
    let ns = fixture("same");
    let path = scratch("same.json");
    let p = path.to_str().unwrap();
    // File against file, and against the live state it was taken from,
    // as JSON and as text.
    let runs = quiet(&ns, || {
        snapshot_to(&ns, &path);
        let mut runs = Vec::new();
        for args in [&[p, p][..], &[p]] {
            let (code, changes) = diff_json(&ns, args);
            let mut text = vec!["diff"];
            text.extend_from_slice(args);
            let out = nlq_in(&ns, &text);
            runs.push((args.len(), code, changes, out.status.code(), out.stdout));
        }
        runs
    });
    for (n, code, changes, text_code, text) in runs {
        assert_eq!((code, changes.len()), (0, 0), "{n} files: {changes:?}");
        assert_eq!(text_code, Some(0), "{n} files");
        assert!(text.is_empty(), "diff(1) says nothing of no change");
    }
    // Traffic moves counters only: no difference without --counters,
    // v0's transmit counters with it.
    crate::harness::in_ns(&ns.name, || {
        let sock = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        sock.send_to(b"x", "10.30.0.2:9").unwrap();
    });
    let (code, changes) = quiet(&ns, || diff_json(&ns, &[p]));
    assert_eq!((code, changes.len()), (0, 0), "{changes:?}");
    let (code, changes) = diff_json(&ns, &[p, "--counters"]);
    assert_eq!(code, 1);
    // Only counters and timers: link statistics, neighbour ages.
    let timers = ["used", "confirmed", "updated", "probes", "refcnt"];
    for c in &changes {
        assert_eq!(c["change"], "changed", "{c}");
        for f in c["fields"].as_array().unwrap() {
            let path = f["path"].as_str().unwrap();
            assert!(
                path.starts_with("stats64.") || timers.contains(&path),
                "not a counter: {path}"
            );
        }
    }
    let v0 = changes.iter().find(|c| c["new"]["name"] == "v0").unwrap();
    let paths: Vec<&Value> = v0["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["path"])
        .collect();
    assert!(
        paths.contains(&&Value::from("stats64.tx_packets")),
        "{paths:?}"
    );
}

/// The changes of `kind` and `change` whose object (new, else old) has
/// `key` = `value`.
fn count(changes: &[Value], kind: &str, change: &str, key: &str, value: &Value) -> usize {
    changes
        .iter()
        .filter(|c| c["object"] == kind && c["change"] == change)
        .filter(|c| {
            let obj = if c["new"].is_null() {
                &c["old"]
            } else {
                &c["new"]
            };
            &obj[key] == value
        })
        .count()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn every_kind_of_change_shows_up_once() {
    let ns = fixture("change");
    let path = scratch("change.json");
    snapshot_to(&ns, &path);
    ns.ip_batch(
        "link set v1 mtu 1400 multicast off
link add v2 type veth peer name v3
addr add 10.40.0.1/24 dev v0
addr del 2001:db8:31::1/64 dev v0
route change 2001:db8:99::/64 via 2001:db8:30::2 dev v0 mtu 1300
route add 10.11.0.0/24 via 10.30.0.2 dev v0
route del table 100 default
route change 10.9.0.0/24 via 10.30.0.2 dev v0 proto static
neigh change 10.30.0.2 lladdr 02:00:00:00:00:22 dev v0 nud permanent
neigh add 10.30.0.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent
rule del pref 100
rule add from 10.0.0.0/8 table 200 pref 100
nexthop replace id 2 via 10.30.0.4 dev v0
nexthop add id 3 blackhole
nexthop del id 1
nexthop replace id 4 blackhole
",
    );
    let (code, changes) = diff_json(&ns, &[path.to_str().unwrap()]);
    assert_eq!(code, 1, "differences: exit 1");
    use serde_json::json;
    let expect: [(&str, &str, &str, Value); 18] = [
        ("link", "changed", "name", json!("v1")),
        ("link", "added", "name", json!("v2")),
        ("link", "added", "name", json!("v3")),
        ("addr", "added", "local", json!("10.40.0.1")),
        ("addr", "removed", "local", json!("2001:db8:31::1")),
        ("route", "changed", "dst", json!("2001:db8:99::/64")),
        ("route", "added", "dst", json!("10.11.0.0/24")),
        ("route", "removed", "table_id", json!(100)),
        ("route", "changed", "dst", json!("10.9.0.0/24")),
        ("neigh", "changed", "dst", json!("10.30.0.2")),
        ("neigh", "added", "dst", json!("10.30.0.7")),
        ("rule", "removed", "table_id", json!(100)),
        ("rule", "added", "table_id", json!(200)),
        ("nexthop", "changed", "id", json!(2)),
        ("nexthop", "added", "id", json!(3)),
        ("nexthop", "removed", "id", json!(1)),
        ("nexthop", "changed", "id", json!(4)),
        ("route", "added", "dst", json!("10.40.0.0/24")),
    ];
    for (kind, change, key, value) in &expect {
        assert_eq!(
            count(&changes, kind, change, key, value),
            1,
            "{kind} {change} {key}={value}: {changes:#?}"
        );
    }
    // The changed fields, before and after.
    let fields = |kind: &str, key: &str, value: Value| -> Vec<Value> {
        let c = changes
            .iter()
            .find(|c| c["object"] == kind && c["change"] == "changed" && c["new"][key] == value)
            .unwrap();
        c["fields"].as_array().unwrap().clone()
    };
    let path_of = |f: &Vec<Value>, p: &str| f.iter().find(|x| x["path"] == p).cloned();
    // A number, an array, a nested key, a string, a boolean.
    let v1 = fields("link", "name", json!("v1"));
    let mtu = path_of(&v1, "mtu").unwrap();
    assert_eq!((&mtu["old"], &mtu["new"]), (&json!(1500), &json!(1400)));
    let flags = path_of(&v1, "flags").unwrap();
    assert!(
        flags["old"]
            .as_array()
            .unwrap()
            .contains(&json!("multicast"))
    );
    assert!(
        !flags["new"]
            .as_array()
            .unwrap()
            .contains(&json!("multicast"))
    );
    let v6 = fields("route", "dst", json!("2001:db8:99::/64"));
    let metric = path_of(&v6, "metrics.mtu").unwrap();
    assert_eq!(
        (&metric["old"], &metric["new"]),
        (&json!(1400), &json!(1300))
    );
    let hole = path_of(&fields("nexthop", "id", json!(4)), "blackhole").unwrap();
    assert_eq!((&hole["old"], &hole["new"]), (&json!(false), &json!(true)));
    let proto = path_of(&fields("route", "dst", json!("10.9.0.0/24")), "protocol").unwrap();
    assert_eq!(
        (&proto["old"], &proto["new"]),
        (&json!("boot"), &json!("static"))
    );
    let ll = path_of(&fields("neigh", "dst", json!("10.30.0.2")), "lladdr").unwrap();
    assert_eq!(ll["new"], "02:00:00:00:00:22");
    let gw = path_of(&fields("nexthop", "id", json!(2)), "gateway").unwrap();
    assert_eq!(
        (&gw["old"], &gw["new"]),
        (&json!("10.30.0.3"), &json!("10.30.0.4"))
    );
    // Nothing is reported twice.
    let mut seen = BTreeSet::new();
    for c in &changes {
        assert!(
            seen.insert((c["object"].to_string(), c["key"].to_string())),
            "twice: {c}"
        );
    }
    // `key`, `old`, `new` and a field's values are free-form (documented
    // as map and any): the tables list the keys around them.
    let mut bare = changes.clone();
    for c in &mut bare {
        for k in ["key", "old", "new"] {
            c[k] = Value::Null;
        }
        for f in c["fields"].as_array_mut().unwrap() {
            f["old"] = Value::Null;
            f["new"] = Value::Null;
        }
    }
    assert_documented("diff", &Value::Array(bare));
    if let Err(errors) = validate(&schema_file("diff"), &Value::Array(changes.clone())) {
        panic!(
            "diff does not match docs/schema/diff.json:\n{}",
            errors.join("\n")
        );
    }
    // Filters by kind; the text groups by kind.
    let (_, routes) = diff_json(&ns, &[path.to_str().unwrap(), "-O", "route"]);
    assert!(routes.iter().all(|c| c["object"] == "route") && !routes.is_empty());
    let out = nlq_in(&ns, &["diff", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let headings: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        headings,
        [
            "links:",
            "addrs:",
            "routes:",
            "neigh:",
            "rules:",
            "nexthops:"
        ]
    );
    assert!(text.contains("      mtu: 1500 -> 1400\n"), "{text}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn snapshot_and_diff_replay_a_capture() {
    let ns = fixture("replay");
    let (old, pcap) = (scratch("replay-old.json"), scratch("replay.pcap"));
    let (old_s, pcap_s) = (old.to_str().unwrap(), pcap.to_str().unwrap());
    let args = ["diff", old_s, "-j"];
    let (live, first) = quiet(&ns, || {
        let _ = ns.ip_try(&["route", "del", "10.12.0.0/24"]);
        let live = snapshot_to(&ns, &old);
        ns.ip(&["route", "add", "10.12.0.0/24", "via", "10.30.0.2"]);
        // Live through -n with a capture, then the capture replayed alone.
        let mut captured = vec!["-n", ns.name.as_str(), "--capture", pcap_s];
        captured.extend(args);
        (live, nlq(&captured))
    });
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let mut replayed = vec!["--replay", pcap_s];
    replayed.extend(args);
    let again = nlq(&replayed);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_eq!(first.stdout, again.stdout);
    let changes: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes:#}");
    assert_eq!(changes[0]["new"]["dst"], "10.12.0.0/24");
    // A snapshot replayed: the objects of the live one; the header says
    // replay, with no kernel or host to tell.
    let snap_pcap = scratch("snapshot.pcap");
    let sp = snap_pcap.to_str().unwrap();
    let out = nlq_in(&ns, &["--capture", sp, "snapshot"]);
    let mut taken: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut replay: Value =
        serde_json::from_slice(&nlq(&["--replay", sp, "snapshot"]).stdout).unwrap();
    assert_eq!(replay[0]["header"]["source"], "replay");
    assert_eq!(replay[0]["header"]["kernel"], Value::Null);
    for s in [&mut taken, &mut replay] {
        s[0]["header"] = Value::Null;
    }
    assert_eq!(taken, replay);
    assert_ne!(live[0]["routes"], taken[0]["routes"]);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn diff_failures_exit_2_or_more() {
    let ns = NetNs::new("differr");
    let bad = scratch("not-a-snapshot.json");
    std::fs::write(&bad, "[1, 2]").unwrap();
    let good = scratch("good.json");
    snapshot_to(&ns, &good);
    let (bad, good) = (bad.to_str().unwrap(), good.to_str().unwrap());
    for args in [
        &["diff", "/nonexistent/old.json"][..],
        &["diff", bad],
        &["diff", good, bad],
        &["diff", good, "--json=ip"],
    ] {
        let out = nlq_in(&ns, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    // A kernel error is 2 too (1 would read as "differences").
    let out = nlq(&["-n", "nlq-no-such-namespace", "diff", good]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = nlq(&["--all-netns", "diff", good]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
