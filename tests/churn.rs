//! Answers under churn (issue 13): a background loop changes a table
//! while nlq reads it, for every object kind with events. Every run must
//! answer: exit 0 with a confirmed answer, or exit 3 with its best one and
//! a warning; never exit 1, never nothing. Every stable object appears
//! exactly once either way, and once the churn stops nlq's answer equals
//! `ip -j`'s.
//!
//! Every loop is bounded in rounds and time, runs only inside its
//! namespace (`ip -n`), and stops when its guard drops, panics included.
//! What each test measured (the churn rate, how many runs exited 0) is
//! printed: `cargo test churn -- --nocapture` shows it; docs/guide.md
//! keeps a table of it.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{NetNs, no_panic};

/// The most batches a churn loop runs, and for how long, whatever happens.
const CHURN_MAX_BATCHES: u32 = 4000;
const CHURN_MAX_TIME: Duration = Duration::from_secs(45);

/// A bounded loop in a thread of its own: `ip -n NS -batch -` fed each of
/// `batches` in turn, with a pause after each. Stopped when dropped.
struct Churn {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<u32>>,
}

impl Churn {
    fn start(ns: &NetNs, batches: Vec<String>, pause: Duration) -> Churn {
        assert!(!batches.is_empty(), "a churn loop needs a batch");
        let stop = Arc::new(AtomicBool::new(false));
        let name = ns.name.clone();
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut ran = 0;
            while !flag.load(Ordering::Relaxed)
                && ran < CHURN_MAX_BATCHES
                && start.elapsed() < CHURN_MAX_TIME
            {
                // A failed batch (the namespace is going away) ends the loop.
                if !ip_batch_quiet(&name, &batches[ran as usize % batches.len()]) {
                    break;
                }
                ran += 1;
                std::thread::sleep(pause);
            }
            ran
        });
        Churn {
            stop,
            thread: Some(thread),
        }
    }

    /// Stop the loop; how many batches it ran.
    fn stop(mut self) -> u32 {
        self.halt()
    }

    /// Stop and join the thread (at most one batch and one pause away).
    /// Quiet about a panic in it: this also runs while a test unwinds.
    fn halt(&mut self) -> u32 {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread.take();
        thread.map_or(0, |t| t.join().unwrap_or(0))
    }
}

impl Drop for Churn {
    fn drop(&mut self) {
        self.halt();
    }
}

/// `ip -n NS -batch -` with `lines` on stdin; whether it succeeded.
fn ip_batch_quiet(ns: &str, lines: &str) -> bool {
    let child = Command::new("ip")
        .args(["-n", ns, "-batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return false };
    let fed = child
        .stdin
        .take()
        .is_some_and(|mut s| s.write_all(lines.as_bytes()).is_ok());
    child.wait().is_ok_and(|st| st.success()) && fed
}

/// Runs per kind, and the time after which no further run starts.
const RUNS: u32 = 12;
const RUN_TIME: Duration = Duration::from_secs(40);

/// One object kind under churn.
struct Case {
    /// The namespace's tag.
    tag: &'static str,
    /// `ip -batch` lines that build the namespace and the stable objects.
    setup: String,
    /// The stable objects' identities (as `ids` spells them).
    stable: HashSet<String>,
    /// `ip -batch` lines that add the churned objects, and that delete them.
    add: String,
    del: String,
    /// Changes in one batch.
    changes: usize,
    /// nlq's arguments (`--json=ip` is added) and ip's (`-j` is added).
    nlq: &'static [&'static str],
    ip: &'static [&'static str],
    /// The identities of the objects of a JSON listing (ip's, or nlq's
    /// `--json=ip`, which prints the same keys).
    ids: fn(&Value) -> Vec<String>,
}

/// What one kind's runs measured.
#[derive(Debug, Default)]
struct Measured {
    runs: u32,
    rc0: u32,
    rc3: u32,
    changes_per_s: f64,
}

/// How an nlq run under churn ended; anything else fails the test.
fn outcome(args: &[&str], out: &Output) -> u8 {
    let err = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => 0,
        Some(3) => {
            assert!(
                err.contains("nlq: warning: the table kept changing")
                    || err.contains("output may be inconsistent"),
                "nlq {args:?}: exit 3 without saying why: {err}"
            );
            3
        }
        code => panic!("nlq {args:?}: exit {code:?} under churn (exit 1 is never \"busy\"): {err}"),
    }
}

/// Every stable identity exactly once in `ids`, and no identity twice.
fn assert_each_once(case: &Case, ids: &[String], run: u32) {
    let mut seen = HashSet::new();
    for id in ids {
        assert!(
            seen.insert(id),
            "{}: run {run}: {id} listed twice",
            case.tag
        );
    }
    for id in &case.stable {
        assert!(
            seen.contains(id),
            "{}: run {run}: stable {id} missing",
            case.tag
        );
    }
}

/// Build `case`, churn it, read it `RUNS` times, then compare with ip.
fn under_churn(case: &Case) -> Measured {
    let ns = NetNs::new(case.tag);
    ns.ip_batch(&case.setup);
    let mut args: Vec<&str> = case.nlq.to_vec();
    args.push("--json=ip");
    let started = Instant::now();
    let churn = Churn::start(
        &ns,
        vec![case.add.clone(), case.del.clone()],
        Duration::from_millis(5),
    );
    let mut m = Measured::default();
    while m.runs < RUNS && started.elapsed() < RUN_TIME {
        m.runs += 1;
        let out = no_panic(&args, ns.nlq(&args));
        match outcome(&args, &out) {
            0 => m.rc0 += 1,
            _ => m.rc3 += 1,
        }
        let listing: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: run {}: not JSON: {e}", case.tag, m.runs));
        assert_each_once(case, &(case.ids)(&listing), m.runs);
    }
    replays_as_it_ran(case, &ns, &args);
    let elapsed = started.elapsed();
    let batches = churn.stop();
    m.changes_per_s = (batches as usize * case.changes) as f64 / elapsed.as_secs_f64();
    // Quiet now: nlq's answer is ip's.
    let out = no_panic(&args, ns.nlq(&args));
    assert_eq!(outcome(&args, &out), 0, "{}: quiet, yet exit 3", case.tag);
    let ours: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut ip_args = vec!["-j"];
    ip_args.extend_from_slice(case.ip);
    let theirs = ns.ip_json(&ip_args);
    let set = |v: &Value| (case.ids)(v).into_iter().collect::<HashSet<_>>();
    assert_eq!(
        set(&ours),
        set(&theirs),
        "{}: after the churn, nlq != ip",
        case.tag
    );
    eprintln!(
        "churn {}: {:.0} changes/s, {} runs: exit 0 {}, exit 3 {}",
        case.tag, m.changes_per_s, m.runs, m.rc0, m.rc3
    );
    assert!(batches > 0, "{}: the churn loop never ran", case.tag);
    m
}

/// One more run under the churn, captured: its replay prints the same,
/// however many subscribed dumps and events it took (a capture holds the
/// events where they came, and an overrun as an NLMSG_ERROR of ENOBUFS).
fn replays_as_it_ran(case: &Case, ns: &NetNs, args: &[&str]) {
    let pcap = std::env::temp_dir().join(format!(
        "nlq-churn-{}-{}.pcap",
        std::process::id(),
        case.tag
    ));
    let path = pcap.to_str().unwrap();
    let mut captured = vec!["--capture", path];
    captured.extend_from_slice(args);
    let live = no_panic(&captured, ns.nlq(&captured));
    let mut replayed = vec!["--replay", path];
    replayed.extend_from_slice(args);
    let replay = no_panic(&replayed, crate::harness::nlq(&replayed));
    let _ = std::fs::remove_file(&pcap);
    assert_eq!(
        live.status.code(),
        replay.status.code(),
        "{}: exit codes",
        case.tag
    );
    assert!(
        live.stdout == replay.stdout,
        "{}: the replay printed something else than the captured run",
        case.tag
    );
}

/// Lines of `ip -batch` made by `line` for each of `items`.
fn lines<I: IntoIterator>(items: I, line: impl Fn(I::Item) -> String) -> String {
    items.into_iter().map(|i| line(i) + "\n").collect()
}

/// The objects of a JSON array, or none.
fn objects(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

/// A string field as an owned string ("-" when absent).
fn field(o: &Value, key: &str) -> String {
    match &o[key] {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// A veth pair v0 - v1, both up, v0 with 10.0.0.1/24.
const VETH: &str = "link add v0 type veth peer name v1\nlink set v0 up\nlink set v1 up\n\
                    addr add 10.0.0.1/24 dev v0\n";

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn addresses_under_churn_answer_every_time() {
    // The case: 5000 stable addresses, another device's 300
    // added and deleted in a loop.
    let stable: Vec<String> = (0..5000u32)
        .map(|i| format!("10.{}.{}.1", 1 + i / 250, i % 250))
        .collect();
    let churned: Vec<String> = (0..300u32)
        .map(|i| format!("10.200.{}.{}", i / 250, 1 + i % 250))
        .collect();
    let case = Case {
        tag: "churn-addr",
        setup:
            "link add br0 type bridge\nlink set br0 up\nlink add br1 type bridge\nlink set br1 up\n"
                .to_string()
                + &lines(&stable, |a| format!("addr add {a}/32 dev br0")),
        stable: stable.iter().map(|a| format!("br0 {a}/32")).collect(),
        add: lines(&churned, |a| format!("addr add {a}/32 dev br1")),
        del: lines(&churned, |a| format!("addr del {a}/32 dev br1")),
        changes: churned.len(),
        nlq: &["addrs", "-4"],
        ip: &["-4", "addr", "show"],
        ids: |v| {
            let mut ids = Vec::new();
            for link in objects(v) {
                for a in objects(&link["addr_info"]) {
                    ids.push(format!(
                        "{} {}/{}",
                        field(link, "ifname"),
                        field(a, "local"),
                        a["prefixlen"]
                    ));
                }
            }
            ids
        },
    };
    let m = under_churn(&case);
    assert!(
        m.rc0 * 12 >= m.runs * 11,
        "addrs: exit 0 in {} of {} runs",
        m.rc0,
        m.runs
    );
}

/// Route identities of a `--json=ip` / `ip -j route` listing: every route
/// of these tests is in table main, on one device, not multipath.
fn route_ids(v: &Value) -> Vec<String> {
    objects(v)
        .map(|r| {
            format!(
                "{} {} {} {}",
                field(r, "type"),
                field(r, "dst"),
                field(r, "metric"),
                field(r, "dev")
            )
        })
        .collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn ipv6_routes_under_churn_answer_every_time() {
    // The case: 20 000 stable IPv6 routes, 400 others added and
    // deleted in a loop, sorting before them in the fib6 walk (where the
    // walker's count-based resume skips and repeats routes unflagged).
    let stable: Vec<String> = (0..20_000u32)
        .map(|i| {
            let net = std::net::Ipv6Addr::new(
                0x2001,
                0xdb8,
                (i / 256) as u16,
                (i % 256) as u16,
                0,
                0,
                0,
                0,
            );
            format!("{net}/64")
        })
        .collect();
    let churned: Vec<String> = (0..400u32).map(|i| format!("100:0:{i:x}::/64")).collect();
    let case = Case {
        tag: "churn-rt6",
        setup: VETH.to_string() + &lines(&stable, |r| format!("route add {r} dev v0")),
        stable: stable.iter().map(|r| format!("- {r} 1024 v0")).collect(),
        add: lines(&churned, |r| format!("route add {r} dev v0")),
        del: lines(&churned, |r| format!("route del {r} dev v0")),
        changes: churned.len(),
        nlq: &["routes", "-6"],
        ip: &["-6", "route", "show"],
        ids: route_ids,
    };
    let m = under_churn(&case);
    assert!(
        m.rc0 * 12 >= m.runs * 11,
        "routes -6: exit 0 in {} of {} runs",
        m.rc0,
        m.runs
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn ipv4_routes_under_churn_answer_every_time() {
    let stable: Vec<String> = (0..5000u32)
        .map(|i| format!("10.{}.{}.0/24", 1 + i / 250, i % 250))
        .collect();
    let churned: Vec<String> = (0..300u32)
        .map(|i| format!("172.16.{}.{}/32", i / 250, i % 250))
        .collect();
    let case = Case {
        tag: "churn-rt4",
        setup: VETH.to_string() + &lines(&stable, |r| format!("route add {r} dev v0")),
        stable: stable.iter().map(|r| format!("- {r} - v0")).collect(),
        add: lines(&churned, |r| format!("route add {r} dev v0")),
        del: lines(&churned, |r| format!("route del {r} dev v0")),
        changes: churned.len(),
        nlq: &["routes", "-4"],
        ip: &["-4", "route", "show"],
        ids: route_ids,
    };
    under_churn(&case);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn links_under_churn_answer_every_time() {
    let case = Case {
        tag: "churn-link",
        setup: lines(0..300, |i| format!("link add sb{i} type bridge")),
        stable: (0..300).map(|i| format!("sb{i}")).collect(),
        add: lines(0..20, |i| format!("link add cb{i} type bridge")),
        del: lines(0..20, |i| format!("link del cb{i}")),
        changes: 20,
        nlq: &["links"],
        ip: &["link", "show"],
        ids: |v| objects(v).map(|l| field(l, "ifname")).collect(),
    };
    under_churn(&case);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn neighbours_under_churn_answer_every_time() {
    let addr = |base: u32, i: u32| {
        format!(
            "10.{}.{}.{}",
            base + i / 250 / 250,
            i / 250 % 250,
            1 + i % 250
        )
    };
    let stable: Vec<String> = (0..2000).map(|i| addr(20, i)).collect();
    let churned: Vec<String> = (0..200).map(|i| addr(30, i)).collect();
    let neigh = |a: &String| format!("neigh add {a} lladdr 02:00:00:00:00:01 dev v0");
    let case = Case {
        tag: "churn-neigh",
        setup: VETH.to_string() + &lines(&stable, neigh),
        stable: stable.iter().map(|a| format!("{a} v0")).collect(),
        add: lines(&churned, neigh),
        del: lines(&churned, |a| format!("neigh del {a} dev v0")),
        changes: churned.len(),
        nlq: &["neigh", "-4"],
        ip: &["-4", "neigh", "show"],
        ids: |v| {
            objects(v)
                .map(|n| format!("{} {}", field(n, "dst"), field(n, "dev")))
                .collect()
        },
    };
    under_churn(&case);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn rules_under_churn_answer_every_time() {
    let case = Case {
        tag: "churn-rule",
        setup: lines(0..500, |i| {
            format!(
                "rule add from 10.{}.{}.0/24 table 100 prio {}",
                i / 250,
                i % 250,
                1000 + i
            )
        }),
        stable: (0..500)
            .map(|i| format!("{} 10.{}.{}.0", 1000 + i, i / 250, i % 250))
            .collect(),
        add: lines(0..50, |i| {
            format!("rule add from 172.16.{i}.0/24 table 200 prio {}", 5000 + i)
        }),
        del: lines(0..50, |i| format!("rule del prio {}", 5000 + i)),
        changes: 50,
        nlq: &["rules", "-4"],
        ip: &["-4", "rule", "show"],
        ids: |v| {
            objects(v)
                .map(|r| format!("{} {}", field(r, "priority"), field(r, "src")))
                .collect()
        },
    };
    under_churn(&case);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn nexthops_under_churn_answer_every_time() {
    let case = Case {
        tag: "churn-nh",
        setup: VETH.to_string()
            + &lines(1..=1000, |i| {
                format!("nexthop add id {i} via 10.0.0.2 dev v0")
            }),
        stable: (1..=1000).map(|i| i.to_string()).collect(),
        add: lines(5000..5100, |i| {
            format!("nexthop add id {i} via 10.0.0.3 dev v0")
        }),
        del: lines(5000..5100, |i| format!("nexthop del id {i}")),
        changes: 100,
        nlq: &["nexthops"],
        ip: &["nexthop", "show"],
        ids: |v| objects(v).map(|n| field(n, "id")).collect(),
    };
    under_churn(&case);
}
