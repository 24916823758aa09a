//! `nlq ports`: a namespace with two bridges, a veth port with options
//! changed (cost, priority, hairpin, learning off, a backup port), a
//! VXLAN port, a port of the other bridge, and a veth outside any bridge.
//! `--json=ip` is compared with `bridge -j link show` and `bridge -j -d
//! link show` under the superset rule, `--json` with docs/json.md and by
//! value, and the selectors with the unfiltered output.

use std::process::Command;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset};
use crate::links::by;

/// Build the namespace.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add br0 type bridge
link add br1 type bridge
link add v0 type veth peer name v1
link add v2 type veth peer name v3
link add v4 type veth peer name v5
link set v0 master br0
link set v2 master br1
link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1
link set vx0 master br0
link set br0 up
link set v0 up
link set v1 up
link set vx0 up
",
    );
    for args in [
        "link set dev v0 cost 7 priority 9 hairpin on learning off",
        "link set dev vx0 backup_port v0",
    ] {
        let args: Vec<&str> = args.split(' ').collect();
        bridge(&ns, &args);
    }
    ns
}

/// `bridge ARGS` in the namespace; panics on failure.
fn bridge(ns: &NetNs, args: &[&str]) -> String {
    let out = Command::new("bridge")
        .args(["-n", &ns.name])
        .args(args)
        .output()
        .expect("run bridge");
    assert!(
        out.status.success(),
        "bridge {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `bridge -j ARGS` parsed.
fn bridge_json(ns: &NetNs, args: &[&str]) -> Value {
    let text = bridge(ns, &[&["-j"], args].concat());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bridge {args:?}: {e}: {text}"))
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn ip_dialect_is_a_superset_of_bridge() {
    let ns = fixture("ports-ip");
    for (br_args, nlq_args) in [
        (&["link", "show"][..], &[][..]),
        (&["-d", "link", "show"], &[]),
        (&["-d", "link", "show", "dev", "v0"], &["--dev", "v0"]),
    ] {
        let theirs = bridge_json(&ns, br_args);
        let ours = ns.nlq_json(&[&["ports"], nlq_args, &["--json=ip"]].concat());
        assert_superset(&theirs, &ours, &format!("bridge {}", br_args.join(" ")));
    }
    let all = bridge_json(&ns, &["-d", "link", "show"]);
    assert_eq!(all.as_array().unwrap().len(), 3, "v0, vx0, v2: {all}");
    let v0 = by(&all, "ifname", "v0");
    assert_eq!(
        (v0["cost"].as_u64(), v0["hairpin"].as_bool()),
        (Some(7), Some(true))
    );
    assert_eq!(by(&all, "ifname", "vx0")["backup_port"], "v0");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn nlq_json_is_documented_and_right() {
    let ns = fixture("ports-nlq");
    let all = ns.nlq_json(&["ports", "--json"]);
    assert_documented("ports", &all);
    let v0 = by(&all, "ifname", "v0");
    assert_eq!(v0["master"], "br0");
    assert_eq!(v0["state"], "forwarding");
    assert_eq!(v0["state_id"], 3);
    assert_eq!(
        (v0["priority"].as_u64(), v0["cost"].as_u64()),
        (Some(9), Some(7))
    );
    assert_eq!(v0["options"]["hairpin"], true);
    assert_eq!(v0["options"]["learning"], false);
    assert_eq!(v0["options"]["backup_port"], Value::Null);
    let vx0 = by(&all, "ifname", "vx0");
    assert_eq!(vx0["options"]["backup_port"], "v0");
    // br1 is down: its port is disabled.
    assert_eq!(by(&all, "ifname", "v2")["state"], "disabled");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_and_errors() {
    let ns = fixture("ports-sel");
    let names = |args: &[&str]| -> Vec<String> {
        let v = ns.nlq_json(&[&["ports", "--json"], args].concat());
        let mut n: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["ifname"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&[]), ["v0", "v2", "vx0"]);
    assert_eq!(names(&["--br", "br0"]), ["v0", "vx0"]);
    assert_eq!(names(&["--br", "br1"]), ["v2"]);
    assert_eq!(names(&["--dev", "vx0"]), ["vx0"]);
    assert!(names(&["--dev", "v4"]).is_empty(), "v4 is no port");
    let out = ns.nlq(&["ports", "--dev", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such device: nosuch0"));
    let table = ns.nlq_text(&["ports", "--br", "br0"]);
    assert!(
        table.contains("hairpin") && table.contains("backup_port=v0"),
        "{table}"
    );
}
