//! `nlq addrlabels` against `ip addrlabel` (iproute2 6.1), in a namespace
//! with labels added to the kernel's defaults, bound to an interface and
//! not: `--json=ip` must be a superset of `ip -j addrlabel`, `--json` must
//! match docs/json.md and the labels added, and `-n` and
//! `--capture`/`--replay` must agree with the rest.

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, nlq};

/// A namespace with a veth pair and three labels of its own.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
addrlabel add prefix 2001:db8:1::/48 label 100
addrlabel add prefix 2001:db8:2::/64 dev v0 label 200
addrlabel add prefix 2001:db8:2::/64 dev v1 label 201
",
    );
    ns
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_addrlabel() {
    let ns = fixture("addrlabel-ip");
    let ip = ns.ip_json(&["addrlabel"]);
    assert!(ip.as_array().unwrap().len() >= 13, "{ip}");
    for args in [
        &["addrlabels", "--json=ip"][..],
        &["addrlabel", "--json=ip"],
    ] {
        assert_superset(&ip, &ns.nlq_json(args), "ip addrlabel");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation_and_the_labels() {
    let ns = fixture("addrlabel-doc");
    let all = ns.nlq_json(&["addrlabels", "--json"]);
    assert_documented("addrlabels", &all);
    let find = |prefix: &str, dev: Value| -> Value {
        all.as_array()
            .unwrap()
            .iter()
            .find(|o| o["prefix"] == prefix && o["dev"] == dev)
            .cloned()
            .unwrap_or_else(|| panic!("no {prefix} {dev}: {all}"))
    };
    let l = find("2001:db8:1::/48", Value::Null);
    assert_eq!((&l["label"], &l["ifindex"]), (&100.into(), &Value::Null));
    assert_eq!(find("2001:db8:2::/64", "v0".into())["label"], 200);
    assert_eq!(find("2001:db8:2::/64", "v1".into())["label"], 201);
    assert_eq!(find("::ffff:0.0.0.0/96", Value::Null)["label"], 4);
    let table = ns.nlq_text(&["addrlabels"]);
    assert!(
        table.contains("2001:db8:1::/48") && table.contains("v1"),
        "{table}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn named_namespace_and_replay_agree() {
    let ns = fixture("addrlabel-ns");
    let inside = ns.nlq_text(&["addrlabels", "--json=ip"]);
    let out = nlq(&["-n", &ns.name, "addrlabels", "--json=ip"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), inside);
    let pcap = std::env::temp_dir().join(format!("nlq-addrlabel-{}.pcap", std::process::id()));
    let pcap = pcap.to_str().unwrap();
    let live = ns.nlq_text(&["--capture", pcap, "addrlabels"]);
    let out = nlq(&["--replay", pcap, "addrlabels"]);
    std::fs::remove_file(pcap).unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
}
