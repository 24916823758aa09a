//! `nlq mroutes` against `ip mroute show` (iproute2 6.1) on this
//! machine's kernel, whatever it has: where ip answers, `--json=ip` must
//! be a superset of its answer; where ip fails (a kernel without multicast
//! routing answers a family-128/129 dump with its other routes, "Non
//! multicast route received"), nlq must fail too, with exit code 1.
//! Entries themselves are checked on the distro kernel
//! (tests/vm/scenarios/mroute.sh, fixtures/distro/mroute/, tests/distro.rs).

use crate::harness::{NetNs, assert_superset, nlq};

/// A namespace with a veth pair and an IPv4 and an IPv6 route, so that a
/// kernel falling back to its other routes has some to send.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
link set v0 up
addr add 10.7.0.1/24 dev v0
addr add 2001:db8:7::1/64 dev v0 nodad
",
    );
    ns
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn same_outcome_as_ip_mroute() {
    let ns = fixture("mroute-ip");
    let cases: [(&[&str], &[&str]); 5] = [
        (&["mroute", "show"], &["mroutes"]),
        (&["-s", "mroute", "show"], &["mroute", "-s"]),
        (&["-6", "mroute", "show"], &["mroutes", "-6"]),
        (
            &["mroute", "show", "table", "all"],
            &["mroutes", "--table", "all"],
        ),
        (
            &["mroute", "show", "table", "main"],
            &["mroutes", "-t", "main"],
        ),
    ];
    for (ip_args, nlq_args) in cases {
        let mut full = vec!["-j"];
        full.extend_from_slice(ip_args);
        let ip = ns.ip_try(&full);
        let mut ours_args = nlq_args.to_vec();
        ours_args.push("--json=ip");
        let ours = ns.nlq(&ours_args);
        if ip.status.success() {
            let ip: serde_json::Value = serde_json::from_slice(&ip.stdout).unwrap();
            let ours: serde_json::Value = serde_json::from_slice(&ours.stdout)
                .unwrap_or_else(|e| panic!("nlq {nlq_args:?}: {e}"));
            assert_superset(&ip, &ours, &format!("ip {ip_args:?}"));
            assert_eq!(ip.as_array().map(Vec::len), ours.as_array().map(Vec::len));
        } else {
            let err = String::from_utf8_lossy(&ours.stderr);
            assert_eq!(ours.status.code(), Some(1), "nlq {nlq_args:?}: {err}");
            assert!(err.contains("multicast routes"), "{err}");
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_fail_as_ip_does() {
    let ns = fixture("mroute-sel");
    let ip = ns.ip_try(&["mroute", "show", "iif", "nope"]);
    assert!(!ip.status.success());
    let out = ns.nlq(&["mroutes", "--iif", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such device: nope"));
    let out = ns.nlq(&["mroutes", "--table", "no-such-table"]);
    assert_eq!(out.status.code(), Some(2));
    let out = ns.nlq(&["mroutes", "--to", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn named_namespace_and_replay_agree() {
    let ns = fixture("mroute-ns");
    let inside = ns.nlq(&["mroutes", "--json=ip"]);
    let named = nlq(&["-n", &ns.name, "mroutes", "--json=ip"]);
    assert_eq!(named.status.code(), inside.status.code());
    assert_eq!(named.stdout, inside.stdout);
    let pcap = std::env::temp_dir().join(format!("nlq-mroute-{}.pcap", std::process::id()));
    let pcap = pcap.to_str().unwrap();
    let live = ns.nlq_text(&["--capture", pcap, "mroutes", "-s"]);
    let out = nlq(&["--replay", pcap, "mroutes", "-s"]);
    std::fs::remove_file(pcap).unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
}
