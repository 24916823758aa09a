//! `-n/--netns` and `--all-netns`: three namespaces at once, veth peers
//! split across them; every command run from outside with `-n NAME`
//! against `ip -n NAME -j` under the superset rule, `--all-netns` against
//! the per-namespace answers, and the errors a bad namespace gives.

use std::process::Command;

use serde_json::Value;

use crate::harness::{NetNs, assert_superset, clean_env, nlq, nlq_path, on_stable};
use crate::links::strip_timers;

/// Three namespaces: `a` — veth `ab` — `b` — veth `bc` — `c`, with
/// addresses, routes, neighbours, a rule and nexthops in each.
struct Three {
    a: NetNs,
    b: NetNs,
    c: NetNs,
}

fn three() -> Three {
    let (a, b, c) = (NetNs::new("nsa"), NetNs::new("nsb"), NetNs::new("nsc"));
    a.ip(&[
        "link", "add", "ab", "type", "veth", "peer", "name", "ba", "netns", &b.name,
    ]);
    b.ip(&[
        "link", "add", "bc", "type", "veth", "peer", "name", "cb", "netns", &c.name,
    ]);
    for (ns, dev, mine, peer, net) in [
        (&a, "ab", "10.1.0.1/24", "10.1.0.2", "10.1"),
        (&b, "ba", "10.1.0.2/24", "10.1.0.1", "10.2"),
        (&b, "bc", "10.2.0.2/24", "10.2.0.3", "10.3"),
        (&c, "cb", "10.2.0.3/24", "10.2.0.2", "10.4"),
    ] {
        ns.ip_batch(&format!(
            "link set {dev} up
addr add {mine} dev {dev}
neigh replace {peer} lladdr 02:00:00:00:00:01 dev {dev} nud permanent
"
        ));
        ns.ip(&[
            "route",
            "add",
            &format!("{net}.{}.0/24", dev.len()),
            "via",
            peer,
        ]);
    }
    for ns in [&a, &b, &c] {
        ns.ip_batch(
            "rule add from 192.0.2.0/24 lookup 100 pref 100
nexthop add id 7 blackhole
route add 198.51.100.0/24 nhid 7
",
        );
    }
    Three { a, b, c }
}

/// `nlq ARGS` run from this process's namespace, parsed as JSON.
fn nlq_json(args: &[&str]) -> Value {
    let out = nlq(args);
    assert!(
        out.status.success(),
        "nlq {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `nlq -n NS nlq_args` ⊇ `ip -n NS -j ip_args`, on a snapshot ip gives
/// twice in a row (counters move).
fn assert_netns_superset(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) {
    let mut args = vec!["-n", ns.name.as_str()];
    args.extend_from_slice(nlq_args);
    let what = format!("ip -n {} {ip_args:?}", ns.name);
    let probe = || {
        let mut v = ns.ip_json(ip_args);
        strip_timers(&mut v);
        v
    };
    let (ip, got) = on_stable(&what, probe, || nlq_json(&args));
    assert_superset(&ip, &got, &what);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn every_command_in_a_named_namespace_matches_ip_n() {
    let t = three();
    for ns in [&t.a, &t.b, &t.c] {
        assert_netns_superset(ns, &["-s", "link", "show"], &["links", "--json=ip"]);
        assert_netns_superset(ns, &["addr", "show"], &["addrs", "--json=ip"]);
        assert_netns_superset(ns, &["route", "show"], &["routes", "-4", "--json=ip"]);
        assert_netns_superset(ns, &["-6", "route", "show"], &["routes", "-6", "--json=ip"]);
        assert_netns_superset(ns, &["neigh", "show"], &["neigh", "--json=ip"]);
        assert_netns_superset(ns, &["rule", "show"], &["rules", "-4", "--json=ip"]);
        assert_netns_superset(ns, &["nexthop", "show"], &["nexthops", "--json=ip"]);
    }
    for (ns, peer) in [(&t.a, "10.1.0.2"), (&t.b, "10.2.0.3"), (&t.c, "10.2.0.2")] {
        assert_netns_superset(
            ns,
            &["route", "get", peer],
            &["routes", "get", peer, "--json=ip"],
        );
    }
    // A path works as well as a name, and `--netns` as well as `-n`.
    let path = format!("/run/netns/{}", t.b.name);
    let by_path = nlq_json(&["--netns", &path, "addrs", "-4", "--json"]);
    let by_name = nlq_json(&["-n", &t.b.name, "addrs", "-4", "--json"]);
    assert_eq!(by_path, by_name);
    let local: Vec<&str> = by_name
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["local"].as_str().unwrap())
        .collect();
    assert_eq!(local, ["127.0.0.1", "10.1.0.2", "10.2.0.2"]);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn a_peer_in_another_namespace_is_named() {
    let t = three();
    for dialect in ["--json", "--json=ip"] {
        let links = nlq_json(&["-n", &t.a.name, "links", "ab", dialect]);
        assert_eq!(links[0]["link_netns"], t.b.name.as_str(), "{dialect}");
        assert!(links[0]["link_netnsid"].is_number(), "{dialect}");
    }
    // Both ends of `bc` from b: the peer is in c.
    let links = nlq_json(&["-n", &t.b.name, "links", "--json"]);
    let bc = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "bc")
        .unwrap();
    assert_eq!(bc["link_netns"], t.c.name.as_str());
    let table = nlq(&["-n", &t.c.name, "links", "cb"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains(&format!("(netns {})", t.b.name)), "{text}");
    // A replay has no namespaces to ask: the id alone, as ip prints it.
    let dir = std::env::temp_dir().join(format!("nlq-netns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pcap = dir.join("links.pcap");
    let pcap = pcap.to_str().unwrap();
    nlq_json(&["-n", &t.a.name, "--capture", pcap, "links", "ab", "--json"]);
    let replayed = nlq_json(&["--replay", pcap, "links", "ab", "--json"]);
    assert!(replayed[0]["link_netns"].is_null());
    assert!(replayed[0]["link_netnsid"].is_number());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn all_netns_is_every_namespace_tagged() {
    let t = three();
    // Other tests add and delete namespaces meanwhile: only ours are
    // compared, each with its own `-n` answer.
    let all = all_netns(&["--all-netns", "addrs", "-4", "--json"], &t);
    for ns in [&t.a, &t.b, &t.c] {
        let mine: Vec<Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["netns"] == ns.name.as_str())
            .map(|o| {
                let mut o = o.clone();
                let keys = o.as_object_mut().unwrap();
                assert_eq!(keys.keys().next().map(String::as_str), Some("netns"));
                keys.shift_remove("netns");
                o
            })
            .collect();
        let alone = nlq_json(&["-n", &ns.name, "addrs", "-4", "--json"]);
        assert_eq!(Value::Array(mine), alone, "{}", ns.name);
    }
    // The ip dialect is tagged too; tables get one section per namespace.
    let ip = all_netns(&["--all-netns", "routes", "-4", "--json=ip"], &t);
    assert!(
        ip.as_array()
            .unwrap()
            .iter()
            .all(|o| o["netns"].is_string())
    );
    let out = nlq(&["--all-netns", "rules", "-4"]);
    assert_only_others_failed(&out, &t);
    let text = String::from_utf8(out.stdout).unwrap();
    for ns in [&t.a, &t.b, &t.c] {
        assert!(text.contains(&format!("netns {}:\n", ns.name)), "{text}");
    }
}

/// `nlq --all-netns ...` as JSON. Namespaces of other tests may be
/// changing under it (a dump interrupted on every try): a failure there
/// is allowed, in ours it is not.
fn all_netns(args: &[&str], t: &Three) -> Value {
    let out = nlq(args);
    assert_only_others_failed(&out, t);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_only_others_failed(out: &std::process::Output, t: &Three) {
    if out.status.success() {
        return;
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("nlq: netns "), "{err}");
    for ns in [&t.a, &t.b, &t.c] {
        assert!(!err.contains(&format!("netns {}:", ns.name)), "{err}");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn bad_namespaces_are_one_clear_line() {
    let missing = nlq(&["-n", "nlq-no-such-ns", "links"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(missing.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "nlq: no such network namespace: nlq-no-such-ns\n"
    );
    let not_ns = nlq(&["-n", "/etc/hostname", "links"]);
    assert_eq!(not_ns.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&not_ns.stderr),
        "nlq: /etc/hostname: not a network namespace\n"
    );
    // Conflicting options are usage errors.
    let both = nlq(&["-n", "x", "--all-netns", "links"]);
    assert_eq!(both.status.code(), Some(2));

    // An unprivileged user may not enter a namespace.
    let ns = NetNs::new("eperm");
    let mut cmd = Command::new("setpriv");
    cmd.args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        nlq_path(),
    ])
    .args(["-n", &ns.name, "links"]);
    let out = clean_env(&mut cmd).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "nlq: {}: cannot enter network namespace: Operation not permitted\n",
            ns.name
        )
    );
}
