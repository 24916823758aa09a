//! `nlq ntables` against `ip ntable` (iproute2 6.1), in a namespace with
//! devices whose neighbour parameters were changed: `--json=ip` must be a
//! superset of `ip -j [-s] [-4|-6] ntable [dev D] [name N]`, `--json` must
//! match docs/json.md and the values set, and `-n` and
//! `--capture`/`--replay` must agree with the rest.
//!
//! The tables themselves are global to the kernel: their counters and
//! ages move with every other namespace's traffic, and each device's
//! randomized reachable time is redrawn now and then, so each comparison
//! runs between two equal reads of `ip` (and leaves out the counters and
//! ages that `-s` adds).

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, nlq, on_stable};

/// A namespace with a veth pair and changed ARP and NDP parameters.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
ntable change name arp_cache dev v0 retrans 2000 ucast_probes 5 queue 50
ntable change name ndisc_cache dev v1 base_reachable 45000 mcast_probes 6
",
    );
    ns
}

/// The keys `ip -s ntable` adds whose values move between two reads.
const MOVING: [&str; 13] = [
    "last_flush",
    "last_rand",
    "entries",
    "allocs",
    "destroys",
    "hash_grows",
    "res_failed",
    "lookups",
    "hits",
    "rcv_probes_mcast",
    "rcv_probes_ucast",
    "periodic_gc_runs",
    "forced_gc_runs",
];

/// `v` without the moving keys, nlq's `config` and `stats` objects
/// included.
fn steady(mut v: Value) -> Value {
    for o in v.as_array_mut().unwrap() {
        let o = o.as_object_mut().unwrap();
        o.retain(|k, _| {
            !MOVING.contains(&k.as_str())
                && !["table_fulls", "config", "stats"].contains(&k.as_str())
        });
    }
    v
}

/// `ip -j ARGS` and `nlq NLQ_ARGS`, taken between two equal reads of ip.
fn both(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) -> (Value, Value) {
    on_stable(
        &format!("ip {ip_args:?}"),
        || steady(ns.ip_json(ip_args)),
        || steady(ns.nlq_json(nlq_args)),
    )
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_ntable() {
    let ns = fixture("ntable-ip");
    let pairs: [(&[&str], &[&str]); 7] = [
        (&["ntable"], &["ntables", "--json=ip"]),
        (&["-4", "ntable"], &["ntables", "-4", "--json=ip"]),
        (&["-6", "ntable", "show"], &["ntable", "-6", "--json=ip"]),
        (
            &["ntable", "show", "dev", "v0"],
            &["ntables", "--dev", "v0", "--json=ip"],
        ),
        (
            &["ntable", "show", "dev", "none"],
            &["ntables", "--dev", "none", "--json=ip"],
        ),
        (
            &["ntable", "show", "name", "ndisc_cache"],
            &["ntables", "--name", "ndisc_cache", "--json=ip"],
        ),
        (&["-s", "ntable"], &["ntables", "--stats", "--json=ip"]),
    ];
    for (ip_args, nlq_args) in pairs {
        let (ip, ours) = both(&ns, ip_args, nlq_args);
        assert!(!ip.as_array().unwrap().is_empty(), "{ip_args:?}");
        assert_superset(&ip, &ours, &format!("ip {}", ip_args.join(" ")));
    }
    // `-s` adds the config and counters (checked above without the ones
    // that move); the ages are local times as ip writes them.
    let s = ns.nlq_json(&["ntables", "--stats", "--dev", "none", "--json=ip"]);
    for t in s.as_array().unwrap() {
        assert!(t["allocs"].is_u64() && t["hash_mask"].is_string(), "{t}");
        let when = t["last_flush"].as_str().unwrap();
        assert!(when == "(error)" || when.len() == 19, "{when}");
    }
    let plain = ns.nlq_json(&["ntables", "--json=ip"]);
    assert!(
        plain[0].get("allocs").is_none(),
        "no counters without --stats"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation_and_the_parameters() {
    let ns = fixture("ntable-doc");
    let all = ns.nlq_json(&["ntables", "--json"]);
    assert_documented("ntables", &all);
    let find = |name: &str, dev: Value| -> Value {
        all.as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name && o["dev"] == dev)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} {dev}: {all}"))
    };
    let v0 = find("arp_cache", "v0".into());
    assert_eq!(
        (&v0["retrans"], &v0["ucast_probes"], &v0["queue"]),
        (&2000.into(), &5.into(), &50.into())
    );
    assert_eq!(
        (&v0["config"], &v0["thresh1"]),
        (&Value::Null, &Value::Null)
    );
    let v1 = find("ndisc_cache", "v1".into());
    assert_eq!(
        (&v1["base_reachable"], &v1["mcast_probes"]),
        (&45000.into(), &6.into())
    );
    let arp = find("arp_cache", Value::Null);
    assert_eq!(arp["config"]["key_len"], 4);
    assert!(arp["stats"]["allocs"].is_u64() && arp["thresh3"].is_u64());
    let out = ns.nlq(&["ntables", "--dev", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    let out = ns.nlq(&["ntables", "--family", "mpls"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn named_namespace_and_replay_agree() {
    let ns = fixture("ntable-ns");
    let (inside, named) = on_stable(
        "ntables",
        || steady(ns.nlq_json(&["ntables", "--json"])),
        || {
            let out = nlq(&["-n", &ns.name, "ntables", "--json"]);
            assert!(out.status.success());
            steady(serde_json::from_slice(&out.stdout).unwrap())
        },
    );
    assert_eq!(
        named.as_array().unwrap().len(),
        inside.as_array().unwrap().len()
    );
    let devs = |v: &Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|o| o["dev"].clone())
            .collect()
    };
    assert_eq!(devs(&named), devs(&inside));
    let pcap = std::env::temp_dir().join(format!("nlq-ntable-{}.pcap", std::process::id()));
    let pcap = pcap.to_str().unwrap();
    let live = ns.nlq_text(&["--capture", pcap, "ntables", "--dev", "v0"]);
    let out = nlq(&["--replay", pcap, "ntables", "--dev", "v0"]);
    std::fs::remove_file(pcap).unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
}
