//! Dumps under churn (issue 3, "Live kernel, in namespaces"): a background
//! loop changes the table while nlq and `ip` read it.
//!
//! * Addresses: 5000 stable IPv4 addresses on one bridge, a loop adding and
//!   deleting others on a second bridge. The kernel flags those dumps
//!   NLM_F_DUMP_INTR; every nlq run lists each stable address exactly once
//!   or fails. The issue says "or exits 3": that is for a dump that gave up
//!   after output began, past the 16 MiB hold-back; 5000 addresses never get
//!   there, so a run that gave up exits 1 with nothing on stdout.
//! * IPv6 routes: 30000 stable routes, a loop adding and deleting one route
//!   that sorts before all of them. The kernel's fib6 walker then sends
//!   routes twice (or skips some) and flags nothing; `ip -6 route` shows the
//!   repeats, nlq's repeat check ([`RouteRepeats`]) retries instead.
//!
//! Every loop is bounded in rounds and time, runs only inside its
//! namespace (`ip -n`), and stops when its guard drops, panics included.
//! The numbers each test measured are printed (`--nocapture` shows them).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::RandomState;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nlq::cmd::route_keys::{RouteRepeats, route_key};
use nlq::cmd::routes::Selection;
use nlq::dump::{DumpError, Dumper, Live};
use nlq::sock::{NETLINK_ROUTE, Socket};
use nlq::wire::ifaddrmsg::{IfAddrMsgRepr, RTM_GETADDR};
use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};
use serde::Deserialize;
use serde_json::Value;

use crate::harness::{NetNs, in_ns, no_panic};

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

/// How an nlq run under churn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Exit 0 and a JSON array.
    Listed,
    /// Exit 1, "dump interrupted", nothing on stdout: every try was
    /// inconsistent before output began.
    Interrupted,
    /// Exit 3 with the "output may be inconsistent" line.
    Inconsistent,
}

/// Classify an nlq run; anything but the three documented outcomes fails.
fn outcome(args: &[&str], out: &Output) -> Outcome {
    let err = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => Outcome::Listed,
        Some(1) => {
            assert_eq!(
                err.trim_end(),
                "nlq: dump interrupted: the kernel's table changed while it was read",
                "nlq {args:?}"
            );
            assert!(out.stdout.is_empty(), "nlq {args:?}: exit 1 with output");
            Outcome::Interrupted
        }
        Some(3) => {
            assert!(err.contains("output may be inconsistent"), "{err}");
            Outcome::Inconsistent
        }
        code => panic!("nlq {args:?}: exit {code:?}: {err}"),
    }
}

/// A tally of outcomes, printed at the end of a test.
#[derive(Debug, Default)]
struct Tally(BTreeMap<&'static str, u32>);

impl Tally {
    fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }
    fn get(&self, what: &str) -> u32 {
        self.0.get(what).copied().unwrap_or(0)
    }
}

/// Runs of the address test, and the time after which none starts.
const ADDR_RUNS: u32 = 20;
const ADDR_TIME: Duration = Duration::from_secs(30);
/// The time after which no further in-process dump starts.
const PROBE_TIME: Duration = Duration::from_secs(10);

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn address_dump_under_churn_lists_every_stable_address_once_or_fails() {
    let (ns, stable) = address_namespace();
    let churned: Vec<String> = (1..=20).map(|i| format!("10.200.0.{i}/32")).collect();
    let batch = |verb: &str| {
        let lines = churned.iter().map(|a| format!("addr {verb} {a} dev br1\n"));
        lines.collect::<String>()
    };
    let started = Instant::now();
    let churn = Churn::start(
        &ns,
        vec![batch("add"), batch("del")],
        Duration::from_millis(20),
    );
    let mut tally = Tally::default();
    let args = ["addrs", "--json"];
    let mut runs = 0;
    while runs < ADDR_RUNS && started.elapsed() < ADDR_TIME {
        runs += 1;
        let out = no_panic(&args, ns.nlq(&args));
        match outcome(&args, &out) {
            Outcome::Listed => {
                tally.add("listed");
                assert_each_once(&stable, &out.stdout);
            }
            Outcome::Interrupted => tally.add("interrupted (exit 1)"),
            Outcome::Inconsistent => tally.add("inconsistent (exit 3)"),
        }
    }
    // The same dump loop in this process, where the tries can be counted.
    let tries = in_ns(&ns.name, || {
        let req = addr_request();
        let t = Instant::now();
        let more = || t.elapsed() < PROBE_TIME;
        let each = (0..ADDR_RUNS).map_while(|_| more().then(|| tries_of(&req)));
        each.collect::<Vec<_>>()
    });
    let batches = churn.stop();
    eprintln!(
        "addr churn: {batches} batches of 20 changes in {:.1?}; nlq addrs --json x{runs}: \
         {:?}; in-process dumps, tries each (0 = gave up): {tries:?}",
        started.elapsed(),
        tally.0,
    );
    assert!(batches > 0, "the churn loop never ran");
}

/// A namespace with two bridges up, and 5000 IPv4 /32 addresses on br0;
/// the addresses.
fn address_namespace() -> (NetNs, HashSet<String>) {
    let ns = NetNs::new("churn-addr");
    let mut setup = String::from(
        "link add br0 type bridge\nlink set br0 up\nlink add br1 type bridge\nlink set br1 up\n",
    );
    let stable: HashSet<String> = (0..5000u32)
        .map(|i| format!("10.{}.{}.1", 1 + i / 250, i % 250))
        .collect();
    for a in &stable {
        setup.push_str(&format!("addr add {a}/32 dev br0\n"));
    }
    ns.ip_batch(&setup);
    (ns, stable)
}

/// Every stable address appears exactly once on br0 in nlq's JSON.
fn assert_each_once(stable: &HashSet<String>, stdout: &[u8]) {
    let addrs: Value = serde_json::from_slice(stdout).expect("nlq addrs --json is JSON");
    let mut count: HashMap<&str, u32> = HashMap::new();
    for a in addrs.as_array().expect("an array") {
        if a["dev"] == "br0" && a["family"] == "inet" {
            *count
                .entry(a["local"].as_str().expect("local"))
                .or_default() += 1;
        }
    }
    for a in stable {
        assert_eq!(count.get(a.as_str()), Some(&1), "{a} must be listed once");
    }
    assert_eq!(count.len(), stable.len(), "no address but the stable ones");
}

/// An RTM_GETADDR dump request for IPv4.
fn addr_request() -> Vec<u8> {
    let mut buf = [0u8; 64];
    let hdr = IfAddrMsgRepr {
        family: libc::AF_INET as u8,
        ..Default::default()
    };
    RequestBuilder::new(&mut buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit())
        .finish()
        .unwrap()
        .to_vec()
}

/// How many tries one dump of `req` took; 0 when it gave up interrupted.
fn tries_of(req: &[u8]) -> u32 {
    let mut live = Live::new(Socket::open(NETLINK_ROUTE).unwrap());
    match Dumper::default().dump(&mut live, req, |_| Ok(())) {
        Ok(stats) => stats.tries,
        Err(DumpError::Interrupted { .. }) => 0,
        Err(e) => panic!("address dump: {e}"),
    }
}

/// Stable IPv6 routes: `2001:db8:X:Y::/64 dev v0`, sorted after 100::.
const STABLE_ROUTES: u32 = 30_000;

/// Rounds of the route test (one `ip` and one nlq dump each), and the time
/// after which no new round starts (a loaded machine gets fewer rounds).
const ROUTE_ROUNDS: u32 = 10;
const ROUTE_TIME: Duration = Duration::from_secs(30);
/// In-process dumps of the route test, with and without the check each.
const PROBES: u32 = 5;

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn ipv6_route_dumps_under_churn_never_show_a_route_twice() {
    let ns = NetNs::new("churn-rt6");
    ns.ip_batch("link add v0 type veth peer name v1\nlink set v0 up\nlink set v1 up\n");
    let routes: String = (0..STABLE_ROUTES)
        .map(|i| {
            format!(
                "route add 2001:db8:{:x}:{:x}::/64 dev v0\n",
                i / 256,
                i % 256
            )
        })
        .collect();
    ns.ip_batch(&routes);
    // One route before every stable one in the walk: while it comes and
    // goes, each fib6 dump chunk resumes one node early or late.
    let started = Instant::now();
    let churn = Churn::start(
        &ns,
        vec![
            "route add 100::1/128 dev v0\n".into(),
            "route del 100::1/128 dev v0\n".into(),
        ],
        Duration::from_millis(10),
    );
    let mut tally = Tally::default();
    let mut round = 0;
    while round < ROUTE_ROUNDS && started.elapsed() < ROUTE_TIME {
        round += 1;
        route_round(&ns, round, &mut tally);
    }
    let probe = in_ns(&ns.name, || probe_routes(PROBES));
    let batches = churn.stop();
    eprintln!(
        "route churn: {batches} batches in {:.1?}, {round} rounds: {:?}\n\
         in-process dumps without the check: {} repeated a route, {} were flagged DUMP_INTR; \
         with it: tries {:?}, repeats caught {}",
        started.elapsed(),
        tally.0,
        probe.raw_repeated,
        probe.raw_flagged,
        probe.tries,
        probe.caught,
    );
    if tally.get("ip repeated") == 0 {
        eprintln!("route churn: ip showed no repeat this time (a loaded or fast machine)");
    }
    assert!(
        tally.get("nlq listed") > 0,
        "nlq gave up on every run: the check cannot be judged on no output"
    );
    assert!(batches > 0, "the churn loop never ran");
}

/// One round: `ip -j -6 route` and `nlq routes -6 --json=ip` read the table
/// at once, under the same churn. ip's repeats are counted; nlq may list
/// or give up, but never list a route twice.
fn route_round(ns: &NetNs, round: u32, tally: &mut Tally) {
    let args = ["routes", "-6", "--json=ip"];
    let (ip, out) = std::thread::scope(|s| {
        let nlq = s.spawn(|| ns.nlq(&args));
        let ip = ns.ip(&["-j", "-6", "route", "show"]);
        (ip, nlq.join().expect("nlq runner"))
    });
    let ip = route_ids(ip.as_bytes(), "ip");
    tally.add(if repeats_in(&ip).is_empty() {
        "ip clean"
    } else {
        "ip repeated"
    });
    if stable_count(&ip) < STABLE_ROUTES as usize {
        tally.add("ip missing stable routes");
    }
    let out = no_panic(&args, out);
    match outcome(&args, &out) {
        Outcome::Listed => {
            let nlq = route_ids(&out.stdout, "nlq");
            let twice = repeats_in(&nlq);
            assert!(twice.is_empty(), "round {round}: nlq repeated {twice:?}");
            tally.add("nlq listed");
            if stable_count(&nlq) < STABLE_ROUTES as usize {
                // The walker skipped a route. Counted, not asserted: a
                // skip leaves no trace in the messages.
                tally.add("nlq missing stable routes");
            }
        }
        Outcome::Interrupted => tally.add("nlq interrupted (exit 1)"),
        Outcome::Inconsistent => tally.add("nlq inconsistent (exit 3)"),
    }
}

/// A route as `ip -j route` (and nlq's `--json=ip`) shows it, reduced to
/// what identifies one in this namespace: every route is in table main,
/// none is multipath or source-specific.
#[derive(Debug, Deserialize, PartialEq, Eq, Hash)]
struct RouteId {
    #[serde(rename = "type")]
    kind: Option<String>,
    dst: String,
    metric: Option<u32>,
    dev: Option<String>,
    gateway: Option<String>,
}

/// A JSON route listing, parsed into identities.
fn route_ids(json: &[u8], who: &str) -> Vec<RouteId> {
    serde_json::from_slice(json).unwrap_or_else(|e| panic!("{who}: invalid JSON: {e}"))
}

/// The routes listed more than once.
fn repeats_in(routes: &[RouteId]) -> Vec<&RouteId> {
    let mut seen = HashSet::new();
    routes.iter().filter(|r| !seen.insert(*r)).collect()
}

/// How many of the stable routes a listing holds.
fn stable_count(routes: &[RouteId]) -> usize {
    let stable = routes.iter().filter(|r| r.dst.starts_with("2001:db8:"));
    stable.collect::<HashSet<_>>().len()
}

/// In-process IPv6 route dumps, through nlq's own dump loop.
struct RouteProbe {
    /// Dumps without the repeat check that held a repeated route.
    raw_repeated: u32,
    /// Dumps without the check the kernel flagged NLM_F_DUMP_INTR (that
    /// took more than one try).
    raw_flagged: u32,
    /// Tries each checked dump took (0: gave up).
    tries: Vec<u32>,
    /// Repeats the check caught, over all checked dumps.
    caught: u32,
}

/// Up to `n` dumps without the repeat check and `n` with it, alternating,
/// for at most [`PROBE_TIME`].
fn probe_routes(n: u32) -> RouteProbe {
    let mut live = Live::new(Socket::open(NETLINK_ROUTE).unwrap());
    let sel = Selection {
        family: Some(libc::AF_INET6 as u8),
        table: Some(254),
        ..Selection::default()
    };
    let req = sel.request(live.socket().strict()).unwrap();
    let mut dumper = Dumper::default();
    let mut p = RouteProbe {
        raw_repeated: 0,
        raw_flagged: 0,
        tries: Vec::new(),
        caught: 0,
    };
    let started = Instant::now();
    for _ in 0..n {
        if started.elapsed() > PROBE_TIME {
            break;
        }
        let state = RandomState::new();
        let mut keys = HashSet::new();
        let mut repeated = false;
        let raw = dumper.dump(&mut live, &req, |m| {
            repeated |= route_key(m, &state).is_some_and(|k| !keys.insert(k));
            Ok(())
        });
        p.raw_repeated += u32::from(repeated);
        p.raw_flagged += u32::from(match raw {
            Ok(stats) => stats.tries > 1,
            Err(DumpError::Interrupted { .. }) => true,
            Err(e) => panic!("route dump: {e}"),
        });

        let mut check = RouteRepeats::new();
        let got = dumper.dump_checked(&mut live, &req, &mut check, |_| Ok(()));
        p.tries.push(match got {
            Ok(stats) => stats.tries,
            Err(DumpError::Interrupted { .. }) => 0,
            Err(e) => panic!("route dump: {e}"),
        });
        p.caught += check.repeats();
    }
    p
}
