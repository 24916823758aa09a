//! `nlq mdb` against `bridge mdb show` (iproute2 6.1), in a namespace with
//! a snooping bridge, permanent IPv4, IPv6 and MAC groups on a veth port
//! and that port a permanent multicast router port: `--json=ip` must be a
//! superset of `bridge -j mdb show` and `bridge -d -j mdb show`, `--json`
//! must match docs/json.md and the groups added, and `--dev`, `--vid`, `-n`
//! and `--capture`/`--replay` must do what they say. IPv6 is off in the
//! namespace so that no host joins a group while the tests read.

use std::process::Command;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, nlq};

/// Run `bridge -n NS ARGS`; panics with bridge's stderr on failure.
fn bridge(ns: &NetNs, args: &[&str]) -> String {
    let out = Command::new("bridge")
        .args(["-n", &ns.name])
        .args(args)
        .output()
        .expect("run bridge");
    assert!(
        out.status.success(),
        "bridge {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A bridge br0 with ports v0 and v1; three permanent groups on v0, v0 a
/// permanent router port.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    let off = Command::new("ip")
        .args(["netns", "exec", &ns.name, "sysctl", "-qw"])
        .arg("net.ipv6.conf.default.disable_ipv6=1")
        .status()
        .unwrap();
    assert!(off.success());
    ns.ip_batch(
        "link add br0 type bridge mcast_snooping 1
link add v0 type veth peer name v0p
link add v1 type veth peer name v1p
link set v0 master br0
link set v1 master br0
link set br0 up
link set v0 up
link set v0p up
link set v1 up
link set v1p up
",
    );
    for grp in ["239.1.1.1", "ff0e::1", "01:00:5e:01:02:03"] {
        bridge(
            &ns,
            &[
                "mdb",
                "add",
                "dev",
                "br0",
                "port",
                "v0",
                "grp",
                grp,
                "permanent",
            ],
        );
    }
    bridge(&ns, &["link", "set", "dev", "v0", "mcast_router", "2"]);
    ns
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_bridge_mdb_show() {
    let ns = fixture("mdb-ip");
    let ours = ns.nlq_json(&["mdb", "--json=ip"]);
    for details in [&["-j"][..], &["-d", "-j"]] {
        let mut args = details.to_vec();
        args.extend(["mdb", "show"]);
        let theirs = parse(&bridge(&ns, &args));
        assert_eq!(theirs[0]["mdb"].as_array().unwrap().len(), 3, "{theirs}");
        assert_superset(&theirs, &ours, "bridge mdb show");
    }
    assert_eq!(ours[0]["router"]["br0"][0]["port"], "v0", "{ours}");
}

/// `-s`: every entry here is permanent and the router port too, so each
/// timer is `"   0.00"` in both answers and they compare exactly.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn stats_add_the_timers_of_bridge_s_mdb_show() {
    let ns = fixture("mdb-stats");
    let ours = ns.nlq_json(&["mdb", "-s", "--json=ip"]);
    let theirs = parse(&bridge(&ns, &["-d", "-s", "-j", "mdb", "show"]));
    assert_eq!(theirs[0]["mdb"][0]["timer"], "   0.00", "{theirs}");
    assert_superset(&theirs, &ours, "bridge -d -s mdb show");
    assert_eq!(ours[0]["router"]["br0"][0]["type"], "permanent", "{ours}");
    let plain = ns.nlq_json(&["mdb", "--json=ip"]);
    assert_eq!(plain[0]["mdb"][0].get("timer"), None, "{plain}");
    let table = ns.nlq_text(&["mdb", "-s"]);
    assert!(table.contains("TIMER") && table.contains("0.00"), "{table}");
    assert!(!ns.nlq_text(&["mdb"]).contains("TIMER"));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation_and_the_groups() {
    let ns = fixture("mdb-doc");
    let all = ns.nlq_json(&["mdb", "-j"]);
    assert_documented("mdb", &all);
    let rows = all.as_array().unwrap();
    let groups: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "group").collect();
    let mut names: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["01:00:5e:01:02:03", "239.1.1.1", "ff0e::1"]);
    for g in &groups {
        assert_eq!(
            (&g["dev"], &g["port"]),
            (&"br0".into(), &"v0".into()),
            "{g}"
        );
        assert_eq!(
            (&g["state"], &g["protocol"]),
            (&"permanent".into(), &"static".into())
        );
    }
    let router: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "router").collect();
    assert_eq!(router.len(), 1, "{all}");
    assert_eq!(
        (&router[0]["port"], &router[0]["router_type"]),
        (&"v0".into(), &"permanent".into())
    );
    let table = ns.nlq_text(&["mdb"]);
    assert!(
        table.contains("239.1.1.1") && table.contains("router"),
        "{table}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn dev_and_vid_filter() {
    let ns = fixture("mdb-filter");
    ns.ip(&["link", "add", "br1", "type", "bridge"]);
    let v0 = ns.nlq_json(&["mdb", "--dev", "br0", "-j"]);
    assert_eq!(v0.as_array().unwrap().len(), 4, "{v0}");
    let none = ns.nlq_json(&["mdb", "--dev", "br1", "-j"]);
    assert_eq!(none, Value::Array(vec![]));
    let vid = ns.nlq_json(&["mdb", "--vid", "10", "-j"]);
    assert!(
        vid.as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] == "router"),
        "{vid}"
    );
    let out = ns.nlq(&["mdb", "--dev", "nope0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such device: nope0"));
    let out = ns.nlq(&["mdb", "--vid", "4095"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn named_namespace_and_replay_agree() {
    let ns = fixture("mdb-ns");
    let inside = ns.nlq_text(&["mdb", "--json=ip"]);
    let out = nlq(&["-n", &ns.name, "mdb", "--json=ip"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), inside);
    let pcap = std::env::temp_dir().join(format!("nlq-mdb-{}.pcap", std::process::id()));
    let pcap = pcap.to_str().unwrap();
    let live = ns.nlq_text(&["--capture", pcap, "mdb"]);
    let out = nlq(&["--replay", pcap, "mdb"]);
    std::fs::remove_file(pcap).unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
}

/// The capture made on Debian's kernel (tests/vm/scenarios/bridge.sh), with
/// VLANs and an (S, G) entry this machine's kernel may not allow; its
/// `--json=ip` is checked against `bridge -d -j` by tests/distro.rs.
#[test]
fn json_on_the_distro_capture_has_vlans_and_sources() {
    let pcap = format!(
        "{}/fixtures/distro/bridge/mdb.pcap",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = nlq(&["--replay", &pcap, "mdb", "-j"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = parse(&String::from_utf8(out.stdout).unwrap());
    assert_documented("mdb", &all);
    let sg = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "232.1.1.1")
        .unwrap_or_else(|| panic!("no (S, G) entry: {all}"));
    assert_eq!(
        (&sg["source"], &sg["vid"]),
        (&"192.0.2.1".into(), &10.into())
    );
    let out = nlq(&["--replay", &pcap, "mdb", "--vid", "4094", "-j"]);
    let v = parse(&String::from_utf8(out.stdout).unwrap());
    let groups: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "group")
        .collect();
    assert_eq!(groups.len(), 1, "{v}");
    assert_eq!(groups[0]["group"], "01:00:5e:01:02:03");
}
