//! `nlq links --rate`: rates from stats64 deltas while traffic flows
//! between two namespaces, as NDJSON (checked against docs/json.md) and as
//! lines under one header in a pipe; misuse is a usage error.

use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::harness::schema::{schema_file, validate};
use crate::harness::{NetNs, assert_documented, enter, nlq, nlq_until_signal};

/// Sends UDP datagrams from `a` to `b` 50 times a second until dropped.
struct Traffic {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Traffic {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `a` (v0, 10.0.0.1) — veth — `b` (v1, 10.0.0.2), and traffic from `a`
/// to `b` (there is no ping on every machine: a UDP socket in `a`).
fn traffic() -> (NetNs, NetNs, Traffic) {
    let (a, b) = (NetNs::new("rate-a"), NetNs::new("rate-b"));
    a.ip(&[
        "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", &b.name,
    ]);
    a.ip_batch("link set v0 up\naddr add 10.0.0.1/24 dev v0\n");
    b.ip_batch("link set v1 up\naddr add 10.0.0.2/24 dev v1\n");
    let stop = Arc::new(AtomicBool::new(false));
    let (name, flag) = (a.name.clone(), Arc::clone(&stop));
    let thread = std::thread::spawn(move || {
        enter(&name);
        let sock = UdpSocket::bind("10.0.0.1:0").expect("bind in a");
        while !flag.load(Ordering::Relaxed) {
            let _ = sock.send_to(&[0u8; 100], "10.0.0.2:9");
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let t = Traffic {
        stop,
        thread: Some(thread),
    };
    (a, b, t)
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn rates_follow_the_traffic() {
    let (a, _b, traffic) = traffic();
    std::thread::sleep(Duration::from_millis(300));
    let out = a.nlq(&[
        "links",
        "v0",
        "--rate",
        "--interval",
        "0.5",
        "--count",
        "3",
        "--json",
    ]);
    drop(traffic);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = std::str::from_utf8(&out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per sample for one link");
    let array = Value::Array(lines.clone());
    assert_documented("links --rate", &array);
    if let Err(errors) = validate(&schema_file("links --rate"), &array) {
        panic!("docs/schema/links-rate.json: {errors:?}");
    }
    for l in &lines {
        assert_eq!(l["name"], "v0");
        for key in [
            "rx_bytes_per_sec",
            "tx_packets_per_sec",
            "rx_errors_per_sec",
        ] {
            assert!(l[key].as_f64().is_some_and(|v| v >= 0.0), "{key}: {l}");
        }
    }
    // 50 datagrams a second go out: allow for scheduling, not for silence.
    let tx: f64 = lines
        .iter()
        .map(|l| l["tx_packets_per_sec"].as_f64().unwrap())
        .sum();
    assert!(tx / 3.0 > 20.0, "{lines:?}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_pipe_gets_one_header_then_lines() {
    let (a, _b, _traffic) = traffic();
    let text = a.nlq_text(&["links", "--rate", "--interval", "0.2", "--count", "2"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("TIME") && lines[0].contains("RX B/s"),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 2 * 2, "lo and v0, two samples: {text}");
    assert!(!text.contains('\x1b'), "no colour or redraw into a pipe");
}

#[test]
fn rate_options_need_rate() {
    for args in [
        vec!["links", "--interval", "2"],
        vec!["links", "--count", "2"],
        vec!["links", "--rate", "--interval", "0"],
        vec!["links", "--rate", "--count", "0"],
    ] {
        let out = nlq(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
}

/// Ctrl-C between two samples ends the view at once, with exit 130 and
/// nothing half-written (SIGTERM: 143).
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_signal_ends_the_view_at_once() {
    let ns = NetNs::new("rate-sig");
    for (signo, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let args = [
            "-n",
            &ns.name,
            "links",
            "--rate",
            "--interval",
            "30",
            "--json",
        ];
        let (out, took) = nlq_until_signal(&args, Duration::from_millis(400), signo);
        assert!(took < Duration::from_secs(5), "it woke at once");
        assert_eq!(out.status.code(), Some(code));
        assert!(out.stdout.is_empty(), "no sample was due yet");
    }
}
