//! `nlq addrs`: the links fixture's addresses (labels, secondaries,
//! lifetimes, noprefixroute, a peer, a metric, IPv6 nodad and tentative)
//! compared with `ip -j addr show` (also with -4, -6 and dev) under the
//! superset rule, `--json` against docs/json.md and by value, and `--dev`
//! against the unfiltered output filtered by hand.

use std::time::Duration;

use serde_json::Value;

use crate::harness::assert_documented;
use crate::links::{assert_superset_stable, by, fixture, strip_timers};

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_addr() {
    let f = fixture("addrs-ip");
    let ns = &f.ns;
    assert_superset_stable(ns, &["addr", "show"], &["addrs", "--json=ip"]);
    assert_superset_stable(ns, &["-4", "addr", "show"], &["addrs", "-4", "--json=ip"]);
    assert_superset_stable(ns, &["-6", "addr", "show"], &["addrs", "-6", "--json=ip"]);
    assert_superset_stable(
        ns,
        &["-4", "addr", "show"],
        &["addrs", "--family", "inet", "--json=ip"],
    );
    assert_superset_stable(
        ns,
        &["addr", "show", "dev", "br0"],
        &["addrs", "--dev", "br0", "--json=ip"],
    );
    assert_superset_stable(
        ns,
        &["addr", "show", "dev", "v0"],
        &["addrs", "--dev", "v0", "--json=ip"],
    );
    assert_superset_stable(
        ns,
        &["-6", "addr", "show", "dev", "v0"],
        &["addrs", "-6", "--dev", "v0", "--json=ip"],
    );
    assert_superset_stable(
        ns,
        &["addr", "show", "dev", "va"],
        &["addrs", "--dev", "va", "--json=ip"],
    );
    // A link without IPv4 addresses: ip prints [], and so does nlq.
    assert_superset_stable(
        ns,
        &["-4", "addr", "show", "dev", "vs0"],
        &["addrs", "-4", "--dev", "vs0", "--json=ip"],
    );
    assert_eq!(
        ns.nlq_json(&["addrs", "-4", "--dev", "vs0", "--json=ip"]),
        serde_json::json!([])
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation() {
    let f = fixture("addrs-doc");
    let addrs = f.ns.nlq_json(&["addrs", "--json"]);
    assert!(addrs.as_array().unwrap().len() >= 15);
    assert_documented("addrs", &addrs);
}

/// The address object whose `local` is `local`.
fn local<'a>(addrs: &'a Value, local: &str) -> &'a Value {
    by(addrs, "local", local)
}

fn flags(a: &Value) -> Vec<&str> {
    a["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_values() {
    let f = fixture("addrs-val");
    let addrs = f.ns.nlq_json(&["addrs", "--json"]);

    let a = local(&addrs, "10.1.0.1");
    assert_eq!(a["dev"], "br0");
    assert_eq!(a["family"], "inet");
    assert_eq!(a["cidr"], "10.1.0.1/24");
    assert_eq!(a["scope"], "global");
    assert_eq!(a["scope_id"], 0);
    assert_eq!(a["label"], "br0");
    assert_eq!(a["valid_lft"], Value::Null, "forever");
    assert_eq!(a["preferred_lft"], Value::Null, "forever");
    assert_eq!(flags(a), ["permanent"]);
    assert!(a["index"].is_u64());

    assert_eq!(flags(local(&addrs, "10.1.0.2")), ["secondary", "permanent"]);
    let x = local(&addrs, "10.1.0.3");
    assert_eq!(x["label"], "br0:x");
    assert_eq!(local(&addrs, "10.2.0.1")["broadcast"], "10.2.255.255");

    let timed = local(&addrs, "10.3.0.1");
    let valid = timed["valid_lft"].as_u64().unwrap();
    let preferred = timed["preferred_lft"].as_u64().unwrap();
    assert!(
        (80..=100).contains(&valid) && (30..=50).contains(&preferred),
        "{timed}"
    );
    assert_eq!(
        flags(timed),
        Vec::<&str>::new(),
        "not permanent: ip's dynamic"
    );

    assert!(flags(local(&addrs, "10.4.0.1")).contains(&"noprefixroute"));
    let p2p = local(&addrs, "10.5.0.1");
    assert_eq!(p2p["peer"], "10.5.0.2");
    assert_eq!(p2p["prefix_len"], 32);
    assert_eq!(local(&addrs, "10.7.0.1")["metric"], 55);
    assert_eq!(local(&addrs, "10.8.0.1")["scope"], "link");
    assert_eq!(local(&addrs, "127.0.0.1")["scope"], "host");
    assert_eq!(local(&addrs, "192.0.2.1")["label"], "lo:1");

    let v6 = local(&addrs, "2001:db8::1");
    assert_eq!(v6["family"], "inet6");
    assert_eq!(v6["label"], Value::Null);
    assert_eq!(flags(v6), ["nodad", "permanent"]);
    assert_eq!(
        flags(local(&addrs, "2001:db8::4")),
        ["nodad", "permanent", "noprefixroute"]
    );
    assert_eq!(local(&addrs, "2001:db8:3::1")["peer"], "2001:db8:3::2");
    let waiting = local(&addrs, "2001:db8:5::1");
    assert_eq!(waiting["dev"], "v0");
    assert!(
        flags(waiting).contains(&"tentative"),
        "no carrier: DAD waits"
    );

    let lo6 = local(&addrs, "::1");
    assert_eq!(lo6["cidr"], "::1/128");
    assert_eq!(lo6["dev"], "lo");
}

/// Lifetimes count down and DAD finishes: compare the parts that hold
/// still, and retry a few times for the rest.
fn eventually_equal(mut f: impl FnMut() -> (Value, Value)) {
    let mut last = None;
    for _ in 0..10 {
        let (a, b) = f();
        if a == b {
            return;
        }
        last = Some((a, b));
        std::thread::sleep(Duration::from_millis(150));
    }
    let (a, b) = last.unwrap();
    panic!("never equal:\n{a}\n{b}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn dev_filter_equals_filtering_by_hand() {
    let f = fixture("addrs-dev");
    for dev in ["br0", "lo", "va", "v0", "veth-zero-alt"] {
        let name = if dev == "veth-zero-alt" { "v0" } else { dev };
        eventually_equal(|| {
            let all = f.ns.nlq_json(&["addrs", "--json"]);
            let picked: Vec<Value> = all
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["dev"] == name)
                .cloned()
                .collect();
            (
                Value::Array(picked),
                f.ns.nlq_json(&["addrs", "--dev", dev, "--json"]),
            )
        });
        eventually_equal(|| {
            let mut all = f.ns.nlq_json(&["addrs", "-6", "--json=ip"]);
            let mut one = f.ns.nlq_json(&["addrs", "-6", "--dev", dev, "--json=ip"]);
            strip_timers(&mut all);
            strip_timers(&mut one);
            let picked: Vec<Value> = all
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["ifname"] == name)
                .cloned()
                .collect();
            (Value::Array(picked), one)
        });
    }
    let out = f.ns.nlq(&["addrs", "--dev", "nosuchdev", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuchdev\n"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn table_one_row_per_address() {
    let f = fixture("addrs-tbl");
    let text = f.ns.nlq_text(&["addrs", "-4", "--dev", "br0"]);
    let lines: Vec<&str> = text.lines().collect();
    for col in [
        "DEV",
        "FAMILY",
        "ADDRESS",
        "BROADCAST",
        "SCOPE",
        "FLAGS",
        "LABEL",
        "VALID",
        "PREFERRED",
    ] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    let json = f.ns.nlq_json(&["addrs", "-4", "--dev", "br0", "--json"]);
    assert_eq!(lines.len() - 2, json.as_array().unwrap().len(), "{text}");
    assert!(text.contains("10.5.0.1 peer 10.5.0.2/32"), "{text}");
    assert!(text.contains("forever"), "{text}");
    let timed = lines.iter().find(|l| l.contains("10.3.0.1/24")).unwrap();
    assert!(
        timed.trim_end().ends_with('s') && !timed.contains("forever"),
        "{timed}"
    );
}
