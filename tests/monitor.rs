//! `nlq monitor` in namespaces: every change arrives, in order, with the
//! right fields (links, addresses v4/v6, routes incl. replace and
//! multipath, neighbours, rules); `--count`; an overrun (tiny receive
//! buffer, monitor stopped while 20k routes are added) is reported and the
//! resync leaves the monitor's view equal to the kernel's; `--snapshot`
//! under concurrent changes loses nothing; SIGINT/SIGTERM and a closed
//! pipe end it cleanly. NDJSON is checked against docs/json.md.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{NetNs, assert_documented, clean_env, documented_keys, nlq_path};

/// The envelope keys every event line starts with.
const ENVELOPE: [&str; 4] = ["timestamp", "event", "object", "netns"];

/// A running monitor whose stdout lines arrive on a channel.
struct Mon {
    child: Child,
    lines: Receiver<String>,
}

impl Mon {
    /// Start `nlq -n NS monitor ARGS` and wait until it has joined its
    /// groups (its socket shows them in the namespace's /proc/net/netlink).
    fn start(ns: &NetNs, args: &[&str]) -> Mon {
        Mon::spawn(&["-n", &ns.name, "monitor"], args, &[ns])
    }

    /// Start `nlq GLOBAL ARGS`, waiting until it joined its groups in
    /// each of `watched`.
    fn spawn(global: &[&str], args: &[&str], watched: &[&NetNs]) -> Mon {
        let mut cmd = Command::new(nlq_path());
        cmd.args(global).args(args);
        let mut child = clean_env(&mut cmd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run nlq monitor");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        for ns in watched {
            wait_subscribed(ns, child.id());
        }
        Mon { child, lines }
    }

    /// Lines until `done` says so for one (included), or `limit` passes.
    fn until(&self, limit: Duration, mut done: impl FnMut(&Value) -> bool) -> Vec<Value> {
        let end = Instant::now() + limit;
        let mut got = Vec::new();
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let v: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not one JSON object per line: {e}: {line}"));
                    let stop = done(&v);
                    got.push(v);
                    if stop {
                        return got;
                    }
                }
                Err(_) => panic!("monitor: no final event within {limit:?}; got {got:#?}"),
            }
        }
    }

    /// Lines until none came for `quiet`.
    fn until_quiet(&self, quiet: Duration) -> Vec<Value> {
        let mut got = Vec::new();
        loop {
            match self.lines.recv_timeout(quiet) {
                Ok(line) => got.push(serde_json::from_str(&line).expect("JSON line")),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return got;
                }
            }
        }
    }

    /// Send `sig` and wait (at most 5 s) for the exit.
    fn signal(&mut self, sig: i32) -> ExitStatus {
        // SAFETY-free: kill(1) rather than libc in the tests.
        let st = Command::new("kill")
            .args([format!("-{sig}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        self.wait(Duration::from_secs(5))
    }

    fn wait(&mut self, limit: Duration) -> ExitStatus {
        let end = Instant::now() + limit;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!("monitor did not exit within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Mon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wait until process `pid` has a NETLINK_ROUTE socket in `ns` that
/// joined a group (column 4 of /proc/net/netlink, the first 32 groups).
fn wait_subscribed(ns: &NetNs, pid: u32) {
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        let out = Command::new("ip")
            .args(["netns", "exec", &ns.name, "cat", "/proc/net/netlink"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let joined = text.lines().any(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            c.len() > 3 && c[1] == "0" && c[2] == pid.to_string() && c[3] != "00000000"
        });
        if joined {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("nlq monitor (pid {pid}) never joined its groups");
}

/// A namespace with veth v0 (10.1.0.1/24) — v1, both up and settled:
/// no IPv6 duplicate address detection (its flag changes would come as
/// late events), both links' operational state up.
fn veth_ns(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    for key in [
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0",
    ] {
        let st = Command::new("ip")
            .args(["netns", "exec", &ns.name, "sysctl", "-qw", key])
            .status()
            .unwrap();
        assert!(st.success(), "sysctl {key}");
    }
    ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
    ns.ip(&["link", "set", "v0", "up"]);
    ns.ip(&["link", "set", "v1", "up"]);
    ns.ip(&["addr", "add", "10.1.0.1/24", "dev", "v0"]);
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        let links = ns.ip_json(&["link", "show", "type", "veth"]);
        if links
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["operstate"] == "UP")
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    ns
}

/// Check an event line: envelope first, envelope keys in `## monitor`,
/// the object's keys in its listing command's section.
fn assert_event_documented(e: &Value) {
    let obj = e.as_object().expect("an object");
    let keys: Vec<&str> = obj.keys().take(4).map(String::as_str).collect();
    assert_eq!(keys, ENVELOPE, "{e}");
    let documented: Vec<String> = documented_keys("monitor")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let section = match e["object"].as_str() {
        None => {
            for k in obj.keys() {
                assert!(documented.contains(k), "marker key {k} not documented: {e}");
            }
            return;
        }
        Some("link") => "links",
        Some("addr") => "addrs",
        Some("route") => "routes",
        Some("neigh") => "neigh",
        Some("rule") => "rules",
        Some("nexthop") => "nexthops",
        Some("netconf") => "netconf",
        Some("fdb") => "fdb",
        Some("bucket") => "nexthops buckets",
        Some("mdb") => "mdb",
        Some(other) => panic!("unknown object {other}"),
    };
    let body: serde_json::Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| !ENVELOPE.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_documented(section, &json!([body]));
}

/// Whether `e` is a `kind` event of `object` whose fields include `want`.
fn is(e: &Value, kind: &str, object: &str, want: &Value) -> bool {
    e["event"] == kind
        && e["object"] == object
        && want.as_object().unwrap().iter().all(|(k, v)| &e[k] == v)
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn every_change_arrives_in_order_with_its_fields() {
    let ns = veth_ns("mon-all");
    let mut mon = Mon::start(&ns, &["--json"]);
    let steps: Vec<(&[&str], &str, &str, Value)> = vec![
        (
            &["link", "set", "v0", "mtu", "1400"],
            "new",
            "link",
            json!({"name": "v0", "mtu": 1400}),
        ),
        (
            &["addr", "add", "10.1.1.1/24", "dev", "v0"],
            "new",
            "addr",
            json!({"dev": "v0", "family": "inet", "cidr": "10.1.1.1/24"}),
        ),
        (
            &["addr", "add", "2001:db8:1::1/64", "dev", "v0", "nodad"],
            "new",
            "addr",
            json!({"dev": "v0", "family": "inet6", "cidr": "2001:db8:1::1/64"}),
        ),
        (
            &["route", "add", "10.2.0.0/16", "via", "10.1.0.2"],
            "new",
            "route",
            json!({"dst": "10.2.0.0/16", "gateway": "10.1.0.2", "dev": "v0", "table": "main"}),
        ),
        (
            &["route", "replace", "10.2.0.0/16", "via", "10.1.0.3"],
            "new",
            "route",
            json!({"dst": "10.2.0.0/16", "gateway": "10.1.0.3"}),
        ),
        (
            &[
                "route",
                "add",
                "10.3.0.0/16",
                "nexthop",
                "via",
                "10.1.0.2",
                "nexthop",
                "via",
                "10.1.0.3",
            ],
            "new",
            "route",
            json!({"dst": "10.3.0.0/16", "gateway": null}),
        ),
        (
            &["route", "add", "2001:db8:9::/48", "via", "2001:db8:1::2"],
            "new",
            "route",
            json!({"dst": "2001:db8:9::/48", "gateway": "2001:db8:1::2", "family": "inet6"}),
        ),
        (
            &["route", "del", "10.2.0.0/16"],
            "del",
            "route",
            json!({"dst": "10.2.0.0/16"}),
        ),
        (
            &["route", "del", "2001:db8:9::/48"],
            "del",
            "route",
            json!({"dst": "2001:db8:9::/48"}),
        ),
        (
            &[
                "neigh",
                "add",
                "10.1.0.9",
                "lladdr",
                "02:00:00:00:00:09",
                "dev",
                "v0",
            ],
            "new",
            "neigh",
            json!({"dst": "10.1.0.9", "lladdr": "02:00:00:00:00:09", "state": ["permanent"]}),
        ),
        (
            &["neigh", "del", "10.1.0.9", "dev", "v0"],
            "del",
            "neigh",
            json!({"dst": "10.1.0.9"}),
        ),
        (
            &[
                "rule",
                "add",
                "from",
                "10.5.0.0/16",
                "table",
                "100",
                "prio",
                "1000",
            ],
            "new",
            "rule",
            json!({"priority": 1000, "from": "10.5.0.0/16", "table_id": 100}),
        ),
        (
            &["rule", "del", "prio", "1000"],
            "del",
            "rule",
            json!({"priority": 1000}),
        ),
        (
            &["nexthop", "add", "id", "5", "via", "10.1.0.2", "dev", "v0"],
            "new",
            "nexthop",
            json!({"id": 5, "gateway": "10.1.0.2", "dev": "v0", "family": "inet"}),
        ),
        (
            &["nexthop", "add", "id", "6", "group", "5"],
            "new",
            "nexthop",
            json!({"id": 6, "group": [{"id": 5, "weight": 1}]}),
        ),
        (
            &["nexthop", "del", "id", "6"],
            "del",
            "nexthop",
            json!({"id": 6}),
        ),
        (
            &["addr", "del", "10.1.1.1/24", "dev", "v0"],
            "del",
            "addr",
            json!({"cidr": "10.1.1.1/24"}),
        ),
        (
            &["addr", "del", "2001:db8:1::1/64", "dev", "v0"],
            "del",
            "addr",
            json!({"cidr": "2001:db8:1::1/64"}),
        ),
        (
            &["link", "set", "v0", "down"],
            "new",
            "link",
            json!({"name": "v0", "operstate": "down"}),
        ),
        (
            &["link", "set", "v0", "mtu", "1300"],
            "new",
            "link",
            json!({"name": "v0", "mtu": 1300}),
        ),
    ];
    for (args, ..) in &steps {
        ns.ip(args);
    }
    let got = mon.until(Duration::from_secs(10), |e| {
        is(e, "new", "link", &json!({"name": "v0", "mtu": 1300}))
    });
    // Every expected event, in order (the kernel adds others between).
    let mut at = 0;
    for (args, kind, object, want) in &steps {
        let found = got[at..].iter().position(|e| is(e, kind, object, want));
        let Some(i) = found else {
            panic!("ip {args:?}: no {kind} {object} {want} after event {at}: {got:#?}");
        };
        at += i + 1;
    }
    let multipath = got.iter().find(|e| e["dst"] == "10.3.0.0/16").unwrap();
    assert_eq!(
        multipath["nexthops"].as_array().map(Vec::len),
        Some(2),
        "{multipath}"
    );
    for e in &got {
        assert_eq!(e["netns"], ns.name.as_str());
        assert!(e["timestamp"].as_str().unwrap().contains('T'));
        assert_event_documented(e);
    }
    assert_eq!(mon.signal(15).code(), Some(143), "SIGTERM exits 143");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn count_ends_after_exactly_n_events() {
    let ns = veth_ns("mon-count");
    let mut mon = Mon::start(&ns, &["route", "-4", "--json", "--count", "3"]);
    ns.ip(&[
        "route",
        "add",
        "10.7.0.0/16",
        "via",
        "10.1.0.2",
        "table",
        "main",
    ]);
    ns.ip(&["route", "replace", "10.7.0.0/16", "via", "10.1.0.3"]);
    ns.ip(&["route", "del", "10.7.0.0/16"]);
    ns.ip(&["route", "add", "10.8.0.0/16", "via", "10.1.0.2"]);
    assert_eq!(mon.wait(Duration::from_secs(5)).code(), Some(0));
    let got = mon.until_quiet(Duration::from_millis(200));
    let summary: Vec<_> = got
        .iter()
        .map(|e| format!("{} {} {}", e["event"], e["dst"], e["gateway"]))
        .collect();
    assert_eq!(
        summary,
        [
            r#""new" "10.7.0.0/16" "10.1.0.2""#,
            // The kernel replaced the route without a deletion of its own.
            r#""del" "10.7.0.0/16" "10.1.0.2""#,
            r#""new" "10.7.0.0/16" "10.1.0.3""#,
        ]
    );
}

/// Apply IPv4 main-table route events to a view: dst → gateway or dev.
fn apply_routes(view: &mut BTreeMap<String, String>, events: &[Value]) -> usize {
    let mut overruns = 0;
    for e in events {
        match e["event"].as_str() {
            Some("overrun") => overruns += 1,
            Some("new") | Some("del") if e["table"] != "main" => {}
            Some("new") => {
                view.insert(e["dst"].to_string(), e["dev"].to_string());
            }
            Some("del") => {
                view.remove(&e["dst"].to_string());
            }
            _ => {}
        }
    }
    overruns
}

/// `ip -4 route show` (the main table) as the same view.
fn kernel_routes(ns: &NetNs) -> BTreeMap<String, String> {
    let routes = ns.ip_json(&["-4", "route", "show"]);
    let mut view = BTreeMap::new();
    for r in routes.as_array().unwrap() {
        let dst = match r["dst"].as_str().unwrap() {
            "default" => "0.0.0.0/0".to_string(),
            d if d.contains('/') => d.to_string(),
            d => format!("{d}/32"),
        };
        view.insert(Value::from(dst).to_string(), r["dev"].to_string());
    }
    view
}

/// `ip -batch` lines adding `n` /32 routes on v0.
fn route_batch(n: u32, second: u8) -> String {
    (0..n)
        .map(|i| format!("route add 10.{second}.{}.{}/32 dev v0\n", i / 256, i % 256))
        .collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn an_overrun_is_reported_and_the_resync_matches_the_kernel() {
    let ns = veth_ns("mon-over");
    ns.ip(&["route", "add", "10.99.0.0/16", "via", "10.1.0.2"]);
    let mut mon = Mon::start(
        &ns,
        &["route", "-4", "--json", "--snapshot", "--rcvbuf", "4096"],
    );
    let mut view = BTreeMap::new();
    let first = mon.until(Duration::from_secs(5), |e| e["dst"] == "10.99.0.0/16");
    apply_routes(&mut view, &first);
    let pid = mon.child.id().to_string();
    Command::new("kill").args(["-STOP", &pid]).status().unwrap();
    ns.ip(&["route", "del", "10.99.0.0/16"]);
    ns.ip_batch(&route_batch(20_000, 200));
    Command::new("kill").args(["-CONT", &pid]).status().unwrap();
    let got = mon.until(Duration::from_secs(30), |e| e["event"] == "resync");
    let rest = mon.until_quiet(Duration::from_millis(500));
    let overruns = apply_routes(&mut view, &got) + apply_routes(&mut view, &rest);
    assert_eq!(overruns, 1, "exactly one overrun event");
    let resync = got.last().unwrap();
    assert_event_documented(resync);
    assert!(resync["new"].as_u64().unwrap() > 0, "{resync}");
    assert_eq!(
        view,
        kernel_routes(&ns),
        "the view after resync is the kernel's"
    );
    assert_eq!(mon.signal(2).code(), Some(130), "SIGINT exits 130");
    let mut err = String::new();
    std::io::Read::read_to_string(mon.child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(err.matches("nlq: overrun").count(), 1, "{err}");
    assert!(err.contains("overrun"), "{err}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn snapshot_under_concurrent_changes_loses_nothing() {
    let ns = veth_ns("mon-snap");
    ns.ip_batch(&route_batch(1000, 150));
    let adder = {
        let name = ns.name.clone();
        std::thread::spawn(move || {
            let mut child = Command::new("ip")
                .args(["-n", &name, "-batch", "-"])
                .stdin(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(route_batch(3000, 151).as_bytes()).unwrap();
            for i in 0..1000u32 {
                writeln!(stdin, "route del 10.150.{}.{}/32 dev v0", i / 256, i % 256).unwrap();
            }
            drop(stdin);
            assert!(child.wait().unwrap().success());
        })
    };
    let mut mon = Mon::start(&ns, &["route", "-4", "--json", "--snapshot"]);
    adder.join().unwrap();
    let got = mon.until_quiet(Duration::from_millis(700));
    let mut view = BTreeMap::new();
    assert_eq!(
        apply_routes(&mut view, &got),
        0,
        "no overrun with the default buffer"
    );
    assert_eq!(view, kernel_routes(&ns));
    assert_eq!(mon.signal(15).code(), Some(143));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn sigint_wakes_a_waiting_monitor_at_once() {
    let ns = veth_ns("mon-int");
    let mut mon = Mon::start(&ns, &[]);
    let t = Instant::now();
    assert_eq!(mon.signal(2).code(), Some(130));
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_closed_pipe_ends_the_monitor_with_0() {
    let ns = veth_ns("mon-pipe");
    let script = format!(
        "{} -n {} monitor link --snapshot | head -3; echo ${{PIPESTATUS[0]}}",
        nlq_path(),
        ns.name
    );
    let out = Command::new("timeout")
        .args(["10", "bash", "-c", &script])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[..3].iter().all(|l| l.contains(" link ")), "{text}");
    assert_eq!(lines[3], "0", "nlq's exit status: {text}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_missing_device_is_an_error() {
    let ns = NetNs::new("mon-nodev");
    let out = ns.nlq(&["monitor", "--dev", "nosuch0", "--count", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuch0\n"
    );
    let out = ns.nlq(&["monitor", "link", "addr", "--family", "mpls"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: monitor: --family mpls watches routes only\n"
    );
    let out = ns.nlq(&["monitor", "--json=ip"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("nlq: monitor: --json=ip is not supported"),
        "{err}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn all_netns_merges_the_namespaces_streams() {
    let (a, b) = (veth_ns("mon-alla"), veth_ns("mon-allb"));
    let args = ["route", "-4", "--json"];
    let mut mon = Mon::spawn(&["--all-netns", "monitor"], &args, &[&a, &b]);
    a.ip(&["route", "add", "10.61.0.0/16", "via", "10.1.0.2"]);
    b.ip(&["route", "add", "10.62.0.0/16", "via", "10.1.0.2"]);
    // Other tests' namespaces may speak too: keep ours.
    let ours = |e: &Value| e["netns"] == a.name.as_str() || e["netns"] == b.name.as_str();
    let got = mon.until(Duration::from_secs(5), |e| {
        e["dst"] == "10.62.0.0/16" && ours(e)
    });
    let tags: Vec<_> = got
        .iter()
        .filter(|e| ours(e))
        .map(|e| (e["netns"].clone(), e["dst"].clone()))
        .collect();
    assert_eq!(
        tags,
        [
            (json!(a.name), json!("10.61.0.0/16")),
            (json!(b.name), json!("10.62.0.0/16")),
        ]
    );
    assert_eq!(mon.signal(15).code(), Some(143));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_captured_session_replays_the_same_events() {
    let ns = veth_ns("mon-cap");
    let pcap = std::env::temp_dir().join(format!("nlq-mon-{}.pcap", std::process::id()));
    let pcap_arg = pcap.display().to_string();
    let args = ["route", "-4", "--json", "--count", "3"];
    let global = ["-n", &ns.name, "--capture", &pcap_arg, "monitor"];
    let mut mon = Mon::spawn(&global, &args, &[&ns]);
    ns.ip(&["route", "add", "10.71.0.0/16", "via", "10.1.0.2"]);
    ns.ip(&["route", "replace", "10.71.0.0/16", "via", "10.1.0.3"]);
    ns.ip(&["route", "del", "10.71.0.0/16"]);
    assert_eq!(mon.wait(Duration::from_secs(5)).code(), Some(0));
    let live = mon.until_quiet(Duration::from_millis(200));
    let out = crate::harness::nlq(&["--replay", &pcap_arg, "monitor", "route", "-4", "--json"]);
    let _ = std::fs::remove_file(&pcap);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replayed: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The same events; the time is the replay's, and no namespace is named.
    let strip = |v: &[Value]| -> Vec<Value> {
        v.iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().unwrap().remove("timestamp");
                e.as_object_mut().unwrap().remove("netns");
                e
            })
            .collect()
    };
    assert_eq!(live.len(), 3);
    assert_eq!(strip(&live), strip(&replayed));
}

/// An event without its time, for comparing two monitors' streams.
fn untimed(e: &Value) -> Value {
    let mut e = e.clone();
    e.as_object_mut().unwrap().remove("timestamp");
    e
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_equal_the_whole_stream_filtered_by_hand() {
    let ns = veth_ns("mon-sel");
    ns.ip(&["addr", "add", "10.4.0.1/24", "dev", "v1"]);
    let all = Mon::start(&ns, &["--json"]);
    let dev = Mon::start(&ns, &["--json", "--dev", "v0"]);
    let v6 = Mon::start(&ns, &["--json", "-6"]);
    let objects = Mon::start(&ns, &["--json", "route", "rule"]);
    // A barrier every monitor shows (an IPv6 rule naming v0): what came
    // before it depends on when each monitor started, what follows not.
    std::thread::sleep(Duration::from_millis(300));
    for args in [
        &[
            "-6", "rule", "add", "iif", "v0", "table", "200", "prio", "999",
        ][..],
        &["addr", "add", "2001:db8:5::1/64", "dev", "v0", "nodad"][..],
        &["addr", "add", "2001:db8:6::1/64", "dev", "v1", "nodad"],
        &["route", "add", "10.20.0.0/16", "via", "10.1.0.2"],
        &["route", "add", "10.21.0.0/16", "via", "10.4.0.2"],
        &["route", "add", "2001:db8:7::/48", "via", "2001:db8:6::2"],
        &[
            "neigh",
            "add",
            "10.4.0.9",
            "lladdr",
            "02:00:00:00:00:09",
            "dev",
            "v1",
        ],
        &[
            "neigh",
            "add",
            "10.1.0.9",
            "lladdr",
            "02:00:00:00:00:0a",
            "dev",
            "v0",
        ],
        &["rule", "add", "iif", "v0", "table", "100", "prio", "1001"],
        &["rule", "add", "iif", "v1", "table", "100", "prio", "1002"],
        &[
            "-6",
            "rule",
            "add",
            "from",
            "2001:db8::/32",
            "table",
            "100",
            "prio",
            "1003",
        ],
        &["link", "set", "v1", "alias", "one"],
        &["link", "set", "v0", "alias", "zero"],
    ] {
        ns.ip(args);
    }
    // Every monitor has the same time to see everything.
    std::thread::sleep(Duration::from_millis(500));
    let quiet = Duration::from_millis(300);
    let after_barrier = |m: &Mon| -> Vec<Value> {
        let events = m.until_quiet(quiet);
        let at = events.iter().position(|e| e["priority"] == 999);
        let at = at.unwrap_or_else(|| panic!("no barrier: {events:#?}"));
        events[at..].iter().map(untimed).collect()
    };
    let whole = after_barrier(&all);
    let got = after_barrier;
    let on_v0 = |e: &Value| match e["object"].as_str().unwrap() {
        "link" => e["name"] == "v0",
        "rule" => e["iif"] == "v0" || e["oif"] == "v0",
        "route" => {
            e["dev"] == "v0"
                || e["nexthops"]
                    .as_array()
                    .is_some_and(|h| h.iter().any(|h| h["dev"] == "v0"))
        }
        _ => e["dev"] == "v0",
    };
    let by_hand = |keep: &dyn Fn(&Value) -> bool| -> Vec<Value> {
        whole.iter().filter(|e| keep(e)).cloned().collect()
    };
    assert_eq!(got(&dev), by_hand(&on_v0), "--dev v0");
    assert!(
        whole
            .iter()
            .any(|e| e["object"] == "rule" && e["iif"] == "v0")
    );
    let inet6 = |e: &Value| e["object"] == "link" || e["family"] == "inet6";
    assert_eq!(got(&v6), by_hand(&inet6), "-6");
    let chosen = |e: &Value| e["object"] == "route" || e["object"] == "rule";
    assert_eq!(got(&objects), by_hand(&chosen), "route rule");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_netconf_event_shows_the_whole_configuration() {
    let ns = veth_ns("mon-netconf");
    let mon = Mon::start(&ns, &["netconf", "--json"]);
    let st = Command::new("ip")
        .args(["netns", "exec", &ns.name])
        .args(["sysctl", "-qw", "net.ipv4.conf.v0.forwarding=1"])
        .status()
        .unwrap();
    assert!(st.success());
    let got = mon.until(Duration::from_secs(5), |e| {
        e["object"] == "netconf" && e["dev"] == "v0" && e["family"] == "inet"
    });
    let e = got.last().unwrap();
    assert_event_documented(e);
    assert_eq!(e["forwarding"], true, "{e}");
    // The kernel's event names forwarding alone; the rest is the state
    // the monitor dumped when it started.
    assert_eq!(e["rp_filter"], "off", "{e}");
    assert_eq!(e["proxy_neigh"], false, "{e}");
}

/// Run `bridge ARGS` in `ns`.
fn bridge(ns: &NetNs, args: &[&str]) {
    let st = Command::new("ip")
        .args(["netns", "exec", &ns.name, "bridge"])
        .args(args)
        .status()
        .unwrap();
    assert!(st.success(), "bridge {args:?}");
}

/// A namespace with bridge br0 (10.1.0.1/24) and its port v0 (veth to
/// v1), all up.
fn bridge_ns(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip(&["link", "add", "br0", "type", "bridge"]);
    ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
    ns.ip(&["link", "set", "v0", "master", "br0"]);
    for dev in ["br0", "v0", "v1"] {
        ns.ip(&["link", "set", dev, "up"]);
    }
    ns.ip(&["addr", "add", "10.1.0.1/24", "dev", "br0"]);
    ns
}

/// An event's object keys: the envelope and the ages left out.
fn body(e: &Value) -> Value {
    let mut o = e.as_object().unwrap().clone();
    for k in ENVELOPE.iter().chain(&["used", "updated"]) {
        o.remove(*k);
    }
    Value::Object(o)
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn fdb_entries_are_fdb_events_not_neighbours() {
    let ns = bridge_ns("mon-fdb");
    let fdb = Mon::start(&ns, &["fdb", "--json"]);
    let neigh = Mon::start(&ns, &["neigh", "--json"]);
    let all = Mon::start(&ns, &["--json"]);
    let mac = "02:00:00:00:00:aa";
    bridge(&ns, &["fdb", "add", mac, "dev", "v0", "master", "static"]);
    // What `nlq fdb` lists for the entry is what the event carries.
    let listed = ns.nlq_json(&["fdb", "--json", "--dev", "v0"]);
    let listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["mac"] == mac)
        .expect("nlq fdb lists the entry");
    ns.ip(&["neigh", "add", "10.1.0.9", "lladdr", mac, "dev", "br0"]);
    bridge(&ns, &["fdb", "del", mac, "dev", "v0", "master"]);
    let is_del = |e: &Value| is(e, "del", "fdb", &json!({"mac": mac}));
    let got = fdb.until(Duration::from_secs(5), is_del);
    assert!(got.iter().all(|e| e["object"] == "fdb"), "{got:#?}");
    let new = got
        .iter()
        .find(|e| is(e, "new", "fdb", &json!({"mac": mac})));
    let new = new.unwrap_or_else(|| panic!("no new fdb event: {got:#?}"));
    assert_event_documented(new);
    assert_eq!(body(new), body(listed), "the event is the listing's entry");
    assert_eq!((&new["dev"], &new["master"]), (&json!("v0"), &json!("br0")));
    assert_eq!(new["state"], "static", "{new}");
    // `nlq monitor neigh` is IP neighbours only (as `ip neigh`); the FDB
    // entries, which `ip monitor neigh` also prints, are `fdb`'s.
    let want = json!({"dst": "10.1.0.9", "dev": "br0"});
    let got = neigh.until(Duration::from_secs(5), |e| is(e, "new", "neigh", &want));
    assert!(got.iter().all(|e| e["object"] == "neigh"), "{got:#?}");
    // With no object, both, each once, in the kernel's order.
    let got = all.until(Duration::from_secs(5), is_del);
    let seen: Vec<(&str, &str)> = got
        .iter()
        .filter(|e| e["mac"] == mac || e["lladdr"] == mac)
        .map(|e| (e["event"].as_str().unwrap(), e["object"].as_str().unwrap()))
        .collect();
    assert_eq!(seen, [("new", "fdb"), ("new", "neigh"), ("del", "fdb")]);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_migrated_bucket_is_a_bucket_event() {
    let ns = veth_ns("mon-bkt");
    ns.ip_batch(
        "nexthop add id 1 via 10.1.0.2 dev v0
nexthop add id 2 via 10.1.0.3 dev v0
nexthop add id 5 via 10.1.0.5 dev v0
nexthop add id 10 group 1/2 type resilient buckets 8 idle_timer 2
route add 10.9.0.0/16 nhid 10
",
    );
    let mon = Mon::start(&ns, &["nexthop", "--json"]);
    // Lookups through the group make its buckets busy (each destination
    // hashes to one); a busy bucket moves to the new member only once it
    // has been idle for 2 s, by the group's upkeep, which announces it.
    let gets: String = (1..=64)
        .map(|i| format!("route get 10.9.0.{i}\n"))
        .collect();
    ns.ip_batch(&gets);
    ns.ip(&[
        "nexthop",
        "replace",
        "id",
        "10",
        "group",
        "1/2/5",
        "type",
        "resilient",
    ]);
    let got = mon.until(Duration::from_secs(10), |e| e["object"] == "bucket");
    let e = got.last().unwrap();
    assert_event_documented(e);
    assert_eq!(
        (&e["event"], &e["id"], &e["nhid"]),
        (&json!("new"), &json!(10), &json!(5)),
        "{e}"
    );
    // What `nexthops buckets get` and `ip nexthop bucket get` say of it.
    let index = e["index"].as_u64().unwrap().to_string();
    let get = [
        "nexthops", "buckets", "get", "--id", "10", "--index", &index, "--json",
    ];
    let listed = ns.nlq_json(&get);
    let mut want = body(e);
    let mut have = body(&listed[0]);
    for o in [&mut want, &mut have] {
        o.as_object_mut().unwrap().remove("idle_time");
    }
    assert_eq!(have, want);
    let ip = ns.ip_json(&["nexthop", "bucket", "get", "id", "10", "index", &index]);
    assert_eq!(ip[0]["bucket"]["nhid"], 5);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn mdb_groups_are_mdb_events_as_nlq_mdb_lists_them() {
    let ns = bridge_ns("mon-mdb");
    ns.ip(&[
        "link",
        "set",
        "br0",
        "type",
        "bridge",
        "mcast_snooping",
        "1",
    ]);
    let mon = Mon::start(&ns, &["mdb", "--json"]);
    let add = [
        "mdb",
        "add",
        "dev",
        "br0",
        "port",
        "v0",
        "grp",
        "239.1.1.1",
        "permanent",
    ];
    bridge(&ns, &add);
    let listed = ns.nlq_json(&["mdb", "--json"]);
    let listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["group"] == "239.1.1.1")
        .expect("nlq mdb lists the group")
        .clone();
    bridge(
        &ns,
        &["mdb", "del", "dev", "br0", "port", "v0", "grp", "239.1.1.1"],
    );
    let want = json!({"group": "239.1.1.1", "port": "v0", "dev": "br0"});
    let got = mon.until(Duration::from_secs(5), |e| is(e, "del", "mdb", &want));
    let new = got.iter().find(|e| is(e, "new", "mdb", &want));
    let new = new.unwrap_or_else(|| panic!("no new mdb event: {got:#?}"));
    assert_event_documented(new);
    assert_eq!(body(new), body(&listed), "the event is the listing's entry");
    assert_eq!(
        (&new["kind"], &new["state"]),
        (&json!("group"), &json!("permanent"))
    );
    // --snapshot: a dump reply holds the bridge's whole database, each
    // item an event of its own.
    bridge(&ns, &add);
    let add2 = [
        "mdb",
        "add",
        "dev",
        "br0",
        "port",
        "v0",
        "grp",
        "239.1.1.2",
        "permanent",
    ];
    bridge(&ns, &add2);
    let snap = Mon::start(&ns, &["mdb", "--json", "--snapshot"]);
    let mut seen = std::collections::BTreeSet::new();
    // (The bridge's own IPv6 groups, port br0, may come too.)
    let ours = |e: &Value| {
        e["group"]
            .as_str()
            .is_some_and(|g| g.starts_with("239.1.1."))
    };
    let got = snap.until(Duration::from_secs(5), |e| {
        if ours(e) {
            seen.insert(e["group"].to_string());
        }
        seen.len() == 2
    });
    assert!(
        got.iter()
            .all(|e| e["event"] == "new" && e["object"] == "mdb")
    );
    let mut groups: Vec<&str> = got
        .iter()
        .filter(|e| ours(e))
        .map(|e| e["group"].as_str().unwrap())
        .collect();
    groups.sort_unstable();
    assert_eq!(groups, ["239.1.1.1", "239.1.1.2"], "{got:#?}");
}
