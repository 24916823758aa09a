//! `nlq maddrs` against `ip maddr show` (iproute2 6.1), in a namespace
//! where a veth pair has joined IPv4 groups (`autojoin`), IPv6 groups (its
//! link-local addresses' solicited-node groups) and link-layer addresses
//! added by hand (static, one of them held twice): `--json=ip` must be a
//! superset of `ip -j maddr` for every family and device selection,
//! `--json` must match docs/json.md and the kernel's files, `-n` and
//! `--all-netns` must read the namespace asked about, and `--capture` /
//! `--replay` must be refused.

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, nlq, on_stable};

/// A namespace with a veth pair up, two IPv4 groups and two static
/// link-layer addresses on v0.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
link set v0 up
link set v1 up
addr add 224.1.2.3/32 dev v0 autojoin
addr add 239.9.9.9/32 dev v1 autojoin
",
    );
    // Not in the batch: `ip maddr add` exits when done, ending a batch.
    ns.ip(&["maddr", "add", "33:33:00:00:00:42", "dev", "v0"]);
    ns.ip(&["maddr", "add", "33:33:00:00:00:01", "dev", "v0"]);
    ns
}

/// `ip -j ARGS maddr show MORE` and nlq's `--json=ip` taken while the
/// namespace's groups stand still (IPv6 joins follow address setup).
fn both(ns: &NetNs, ip: &[&str], nlq: &[&str]) -> (Value, Value) {
    on_stable("ip maddr", || ns.ip_json(ip), || ns.nlq_json(nlq))
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_maddr() {
    let ns = fixture("maddr-ip");
    let cases: [(&[&str], &[&str]); 6] = [
        (&["maddr", "show"], &["maddrs", "--json=ip"]),
        (&["-4", "maddr"], &["maddr", "-4", "--json=ip"]),
        (
            &["-6", "maddr"],
            &["maddrs", "--family", "inet6", "--json=ip"],
        ),
        (&["-0", "maddr"], &["maddrs", "-0", "--json=ip"]),
        (
            &["maddr", "show", "dev", "v0"],
            &["maddrs", "--dev", "v0", "--json=ip"],
        ),
        (
            &["maddr", "show", "dev", "nope"],
            &["maddrs", "-d", "nope", "--json=ip"],
        ),
    ];
    for (ip_args, nlq_args) in cases {
        let (ip, ours) = both(&ns, ip_args, nlq_args);
        assert_superset(&ip, &ours, &format!("ip {ip_args:?}"));
        // A superset of the array, and no more interfaces than ip shows.
        assert_eq!(ip.as_array().unwrap().len(), ours.as_array().unwrap().len());
    }
    let (ip, _) = both(&ns, &["maddr", "show", "dev", "v0"], &["maddrs", "-j"]);
    let v0 = ip[0]["maddr"].to_string();
    for want in [
        r#"{"link":"33:33:00:00:00:01","users":2,"features":"static"}"#,
        r#"{"family":"inet","address":"224.1.2.3"}"#,
    ] {
        assert!(v0.contains(want), "ip shows {v0}");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation_and_the_joins() {
    let ns = fixture("maddr-doc");
    let all = ns.nlq_json(&["maddrs", "--json"]);
    assert_documented("maddrs", &all);
    let find = |dev: &str, address: &str| -> Value {
        all.as_array()
            .unwrap()
            .iter()
            .find(|o| o["dev"] == dev && o["address"] == address)
            .cloned()
            .unwrap_or_else(|| panic!("no {address} on {dev}: {all}"))
    };
    let held = find("v0", "33:33:00:00:00:01");
    assert_eq!((&held["users"], &held["static"]), (&2.into(), &true.into()));
    assert_eq!(find("v0", "33:33:00:00:00:42")["family"], "link");
    assert_eq!(find("v0", "224.1.2.3")["family"], "inet");
    assert_eq!(find("v1", "239.9.9.9")["static"], false);
    assert_eq!(find("v1", "ff02::1")["family"], "inet6");
    let v4 = ns.nlq_json(&["maddrs", "-4", "-j", "--dev", "v1"]);
    assert!(
        v4.as_array()
            .unwrap()
            .iter()
            .all(|o| o["family"] == "inet" && o["dev"] == "v1")
    );
    let table = ns.nlq_text(&["maddrs"]);
    assert!(
        table.contains("239.9.9.9") && table.contains("static"),
        "{table}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn named_namespaces_are_read_from_inside() {
    let ns = fixture("maddr-ns");
    let (inside, named) = on_stable(
        "nlq maddrs",
        || ns.nlq_text(&["maddrs", "--json=ip"]),
        || nlq(&["-n", &ns.name, "maddrs", "--json=ip"]),
    );
    assert!(named.status.success());
    assert_eq!(String::from_utf8(named.stdout).unwrap(), inside);
    assert!(inside.contains("224.1.2.3"), "{inside}");
    let out = nlq(&["--all-netns", "maddrs", "-4", "-j"]);
    assert!(out.status.success());
    let every: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = every
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["netns"] == ns.name.as_str());
    let addresses: Vec<&Value> = ours.map(|o| &o["address"]).collect();
    assert!(addresses.contains(&&Value::from("239.9.9.9")), "{every}");
}

#[test]
fn capture_and_replay_are_refused() {
    for flag in ["--capture", "--replay"] {
        let out = nlq(&[flag, "/nonexistent/nlq-maddrs.pcap", "maddrs"]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("not netlink") && out.stdout.is_empty(),
            "{err}"
        );
    }
}
