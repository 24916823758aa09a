//! `nlq vlans` against `bridge vlan show` (iproute2 6.1). This machine's
//! kernel may lack VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): then the
//! live tests compare two empty answers and check the rest (`--dev`, `-n`,
//! `--capture`/`--replay`), and the VLANs themselves are checked on the
//! capture made on Debian's kernel (fixtures/distro/bridge/, whose
//! `--json=ip` tests/distro.rs also checks against `bridge -j`).

use std::process::Command;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, nlq};

/// The capture of `nlq vlans` on the distro kernel (tests/vm/scenarios/bridge.sh).
fn distro_pcap(name: &str) -> String {
    format!(
        "{}/fixtures/distro/bridge/{name}.pcap",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Replay `name` with `args`, expect success, return stdout.
fn replay(name: &str, args: &[&str]) -> String {
    let pcap = distro_pcap(name);
    let mut full = vec!["--replay", &pcap];
    full.extend_from_slice(args);
    let out = nlq(&full);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn port<'a>(all: &'a Value, dev: &str) -> &'a Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|p| p["dev"] == dev)
        .unwrap_or_else(|| panic!("no port {dev}: {all}"))
}

#[test]
fn json_on_the_distro_capture_is_documented_and_right() {
    let all: Value = serde_json::from_str(&replay("vlans", &["vlans", "--json"])).unwrap();
    assert_documented("vlans", &all);
    let br = port(&all, "br0");
    assert_eq!(br["master"], Value::Null);
    assert_eq!(br["vlans"][1]["vid"], 10);
    let v0 = port(&all, "v0");
    assert_eq!(v0["master"], "br0");
    let pvid: Vec<&Value> = v0["vlans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["pvid"] == true)
        .collect();
    assert_eq!(pvid.len(), 1, "{v0}");
    assert_eq!(
        (&pvid[0]["vid"], &pvid[0]["untagged"]),
        (&20.into(), &true.into())
    );
    assert_eq!(port(&all, "v1")["vlans"][0]["vid"], 4094);
    let t = &port(&all, "vx0")["tunnels"];
    assert_eq!(
        (
            &t[0]["vid"],
            &t[0]["vid_end"],
            &t[0]["tunnel_id"],
            &t[0]["tunnel_id_end"]
        ),
        (&100.into(), &102.into(), &1000.into(), &1002.into())
    );
    assert_eq!(
        (&t[1]["vid"], &t[1]["tunnel_id"]),
        (&200.into(), &5000.into())
    );
}

#[test]
fn table_and_dev_on_the_distro_capture() {
    let table = replay("vlans", &["vlans"]);
    let line = table
        .lines()
        .find(|l| l.contains(" 101 "))
        .unwrap_or_else(|| panic!("no VLAN 101: {table}"));
    assert!(line.contains("vx0") && line.contains("1001"), "{line}");
    let one: Value =
        serde_json::from_str(&replay("vlans-vx0", &["vlans", "--dev", "vx0", "-j"])).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one[0]["dev"], "vx0");
}

/// `bridge -n NS -j ARGS` parsed as JSON.
fn bridge_json(ns: &NetNs, args: &[&str]) -> Value {
    let out = Command::new("bridge")
        .args(["-n", &ns.name, "-j"])
        .args(args)
        .output()
        .expect("run bridge");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap()
}

/// A bridge with two veth ports; VLANs on them where the kernel filters
/// VLANs (whether it does is what `bridge` then shows).
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add br0 type bridge
link add v0 type veth peer name v0p
link add v1 type veth peer name v1p
link set v0 master br0
link set v1 master br0
",
    );
    let filtering = ns.ip_try(&[
        "link",
        "set",
        "br0",
        "type",
        "bridge",
        "vlan_filtering",
        "1",
    ]);
    if filtering.status.success() {
        for args in [["vid", "10", "pvid"], ["vid", "20", "untagged"]] {
            let mut cmd = Command::new("bridge");
            cmd.args(["-n", &ns.name, "vlan", "add", "dev", "v0"])
                .args(args);
            assert!(cmd.status().unwrap().success());
        }
    }
    ns
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_bridge_vlan_show() {
    let ns = fixture("vlans-ip");
    let bridge = bridge_json(&ns, &["vlan", "show"]);
    let ours = ns.nlq_json(&["vlans", "--json=ip"]);
    assert_eq!(
        ours.as_array().unwrap().len(),
        bridge.as_array().unwrap().len(),
        "{ours}"
    );
    assert_superset(&bridge, &ours, "bridge vlan show");
    let bridge = bridge_json(&ns, &["vlan", "show", "dev", "v0"]);
    assert_superset(
        &bridge,
        &ns.nlq_json(&["vlan", "--dev", "v0", "--json=ip"]),
        "dev v0",
    );
    assert_documented("vlans", &ns.nlq_json(&["vlans", "-j"]));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn an_unknown_device_fails_and_namespace_and_replay_agree() {
    let ns = fixture("vlans-ns");
    let out = ns.nlq(&["vlans", "--dev", "nope0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such device: nope0"));
    let inside = ns.nlq_text(&["vlans", "--json=ip"]);
    let out = nlq(&["-n", &ns.name, "vlans", "--json=ip"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), inside);
    let pcap = std::env::temp_dir().join(format!("nlq-vlans-{}.pcap", std::process::id()));
    let pcap = pcap.to_str().unwrap();
    let live = ns.nlq_text(&["--capture", pcap, "vlans", "-j"]);
    let out = nlq(&["--replay", pcap, "vlans", "-j"]);
    std::fs::remove_file(pcap).unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
}

/// `--vid`, `--details`, `-s`, `--details -s` and `global` against
/// `bridge ... vid`, `bridge -d`, `bridge -s`, `bridge -d -s` and `bridge
/// vlan global show`. Where the kernel has no VLAN database (no VLAN
/// filtering) `bridge` fails on the VLAN database's views, and nlq must
/// fail too, saying why once, with status 1.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn vid_details_stats_and_global_match_bridge_or_fail_as_it_does() {
    let ns = fixture("vlans-db");
    let pairs: [(&[&str], &[&str]); 5] = [
        (&["vlans", "--vid", "10"], &["vlan", "show", "vid", "10"]),
        (&["vlans", "--details"], &["-d", "vlan", "show"]),
        (&["vlans", "-s"], &["-s", "vlan", "show"]),
        (
            &["vlans", "--details", "-s", "--dev", "v0"],
            &["-d", "-s", "vlan", "show", "dev", "v0"],
        ),
        (&["vlans", "global"], &["vlan", "global", "show"]),
    ];
    for (ours, theirs) in pairs {
        let mut ours = ours.to_vec();
        ours.push("--json=ip");
        let b = Command::new("bridge")
            .args(["-n", &ns.name, "-j"])
            .args(theirs)
            .output()
            .expect("run bridge");
        if b.status.success() {
            let bridge: Value = serde_json::from_slice(&b.stdout).unwrap();
            assert_superset(&bridge, &ns.nlq_json(&ours), &theirs.join(" "));
            continue;
        }
        let out = ns.nlq(&ours);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "nlq {ours:?}: {err}");
        assert_eq!(err.trim(), "nlq: Operation not supported", "nlq {ours:?}");
    }
}

/// The VLAN database views on the distro capture (tests/vm/scenarios/
/// bridge.sh): br1's VLAN 21 blocks on v2, its VLAN 10 has v2 as a
/// permanent router port and its own query interval; each is documented.
#[test]
fn vlan_database_on_the_distro_capture() {
    let all: Value =
        serde_json::from_str(&replay("vlans-details", &["vlans", "--details", "-j"])).unwrap();
    assert_documented("vlans", &all);
    let v2 = port(&all, "v2");
    assert_eq!(v2["master"], "br1");
    let states: Vec<(u64, &str)> = v2["vlans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["vid"].as_u64().unwrap(), v["state"].as_str().unwrap()))
        .collect();
    assert!(states.contains(&(21, "blocking")), "{v2}");
    assert!(states.contains(&(10, "forwarding")), "{v2}");
    let v10 = v2["vlans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["vid"] == 10)
        .unwrap();
    assert_eq!(v10["mcast_router"], 2, "{v2}");
    let table = replay("vlans-details", &["vlans", "--details"]);
    assert!(
        table.contains("blocking") && table.contains("STATE"),
        "{table}"
    );
    for (name, args) in [
        ("vlans-stats", &["vlans", "-s", "-j"][..]),
        ("vlans-details-stats", &["vlans", "--details", "-s", "-j"]),
    ] {
        let stats: Value = serde_json::from_str(&replay(name, args)).unwrap();
        assert_documented("vlans", &stats);
        let v0 = port(&stats, "v0");
        assert_eq!(v0["vlans"][0]["rx_bytes"], 0, "{name}: {stats}");
        let pvid: Vec<&Value> = v0["vlans"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["pvid"] == true)
            .collect();
        assert_eq!(pvid.len(), 1, "{name}: {v0}");
        assert_eq!(pvid[0]["vid"], 20, "{name}: {v0}");
    }
    let global: Value =
        serde_json::from_str(&replay("vlans-global", &["vlans", "global", "-j"])).unwrap();
    assert_documented("vlans global", &global);
    let br1 = port(&global, "br1");
    let g10 = br1["vlans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["vid"] == 10)
        .unwrap();
    assert_eq!(
        (&g10["mcast_igmp_version"], &g10["mcast_query_interval"]),
        (&3.into(), &50.0.into()),
        "{g10}"
    );
    assert_eq!(g10["router_ports"][0]["port"], "v2", "{g10}");
    let one = replay(
        "vlans-global",
        &["vlans", "global", "--dev", "br1", "--vid", "21", "-j"],
    );
    let one: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1, "{one}");
    assert_eq!(
        (&one[0]["vlans"][0]["vid"], &one[0]["vlans"][0]["vid_end"]),
        (&20.into(), &22.into())
    );
}
