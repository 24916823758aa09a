//! `nlq stats` against `ip stats show` (iproute2 6.1), in two namespaces
//! joined by a veth pair, with a bridge and a port in the first, the
//! hardware L3 counters requested on v0 and UDP datagrams sent from v0 to
//! v1 so the counters are not zero: `--json=ip` must be a superset of
//! `ip -j [-s] stats show [dev D] [group G [subgroup S]]...`, `--json`
//! must match docs/json.md and the traffic sent, and `-n` and
//! `--capture`/`--replay` must agree with the rest.

use std::net::UdpSocket;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, in_ns, nlq, on_stable};

/// Two namespaces, `a` (v0 10.9.0.1, br0 with multicast counters and port
/// v2, v3) and `b` (v1
/// 10.9.0.2), and five datagrams sent from v0 to v1.
fn fixture(tag: &str) -> (NetNs, NetNs) {
    let (a, b) = (
        NetNs::new(&format!("{tag}-a")),
        NetNs::new(&format!("{tag}-b")),
    );
    a.ip(&[
        "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", &b.name,
    ]);
    a.ip_batch(
        "link add br0 type bridge mcast_stats_enabled 1
link add v2 type veth peer name v3
link set v2 master br0
addr add 10.9.0.1/24 dev v0
link set v0 up
link set br0 up
link set v2 up
link set v3 up
stats set dev v0 l3_stats on
",
    );
    b.ip_batch("addr add 10.9.0.2/24 dev v1\nlink set v1 up\n");
    in_ns(&a.name, || {
        let sock = UdpSocket::bind("10.9.0.1:0").expect("bind in a");
        for _ in 0..5 {
            sock.send_to(&[0u8; 100], "10.9.0.2:9").expect("send");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    });
    (a, b)
}

/// `ip -j IP_ARGS` and `nlq NLQ_ARGS`, taken between two equal reads of ip.
fn both(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) -> (Value, Value) {
    on_stable(
        &format!("ip {ip_args:?}"),
        || ns.ip_json(ip_args),
        || ns.nlq_json(nlq_args),
    )
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_stats_show() {
    let (a, _b) = fixture("stats-ip");
    let pairs: [(&[&str], &[&str]); 17] = [
        (&["stats", "show"], &["stats"]),
        (&["-s", "stats", "show"], &["stats"]),
        (&["stats", "show", "dev", "v0"], &["stats", "--dev", "v0"]),
        (&["stats", "show", "dev", "v2"], &["stats", "--dev", "v2"]),
        (
            &["stats", "show", "group", "xstats"],
            &["stats", "-g", "xstats"],
        ),
        (
            &[
                "stats",
                "show",
                "group",
                "xstats_slave",
                "subgroup",
                "bridge",
            ],
            &["stats", "-g", "xstats_slave/bridge"],
        ),
        (
            &[
                "stats", "show", "group", "xstats", "subgroup", "bridge", "suite", "mcast",
            ],
            &["stats", "-g", "xstats/bridge/mcast"],
        ),
        (
            &["stats", "show", "group", "xstats_slave", "subgroup", "bond"],
            &["stats", "-g", "xstats_slave/bond"],
        ),
        (
            &["stats", "show", "group", "link"],
            &["stats", "-g", "link"],
        ),
        (
            &["stats", "show", "dev", "br0", "group", "link"],
            &["stats", "--dev", "br0", "--group", "link"],
        ),
        (
            &["stats", "show", "group", "offload"],
            &["stats", "-g", "offload"],
        ),
        (
            &["stats", "show", "group", "offload", "subgroup", "cpu_hit"],
            &["stats", "-g", "offload/cpu_hit"],
        ),
        (
            &[
                "stats",
                "show",
                "group",
                "offload",
                "subgroup",
                "hw_stats_info",
            ],
            &["stats", "-g", "offload/hw_stats_info"],
        ),
        (
            &["stats", "show", "group", "offload", "subgroup", "l3_stats"],
            &["stats", "-g", "offload/l3_stats"],
        ),
        (
            &["stats", "show", "group", "afstats"],
            &["stats", "-g", "afstats"],
        ),
        (
            &["stats", "show", "group", "afstats", "subgroup", "mpls"],
            &["stats", "-g", "afstats/mpls"],
        ),
        (
            &[
                "stats", "show", "group", "link", "group", "offload", "subgroup", "l3_stats",
            ],
            &["stats", "-g", "offload/l3_stats", "-g", "link"],
        ),
    ];
    for (ip_args, nlq_args) in pairs {
        let nlq_args = [nlq_args, &["--json=ip"]].concat();
        let (ip, ours) = both(&a, ip_args, &nlq_args);
        assert!(!ip.as_array().unwrap().is_empty(), "{ip_args:?}");
        assert_superset(&ip, &ours, &format!("ip {}", ip_args.join(" ")));
    }
    // The traffic is there: v0 sent the five datagrams (and ARP).
    let v0 = a.ip_json(&["stats", "show", "dev", "v0", "group", "link"]);
    assert!(
        v0[0]["stats64"]["tx"]["packets"].as_u64().unwrap() >= 5,
        "{v0}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation_and_the_traffic() {
    let (a, b) = fixture("stats-doc");
    let all = a.nlq_json(&["stats", "--json"]);
    assert_documented("stats", &all);
    let find = |v: &Value, dev: &str, sub: &str| -> Value {
        v.as_array()
            .unwrap()
            .iter()
            .find(|o| o["dev"] == dev && (o["subgroup"] == sub || o["group"] == sub))
            .cloned()
            .unwrap_or_else(|| panic!("no {dev} {sub}: {v}"))
    };
    let link = find(&all, "v0", "link");
    assert!(link["stats"]["tx_packets"].as_u64().unwrap() >= 5, "{link}");
    assert!(
        link["stats"]["tx_bytes"].as_u64().unwrap() >= 5 * 128,
        "{link}"
    );
    assert_eq!(link["stats"]["rx_noroute"], Value::Null);
    let l3 = find(&all, "v0", "l3_stats");
    assert_eq!((&l3["request"], &l3["used"]), (&true.into(), &false.into()));
    assert_eq!(l3["stats"]["collisions"], Value::Null, "rtnl_hw_stats64");
    let stp = all
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["dev"] == "v2" && o["group"] == "xstats_slave" && o["suite"] == "stp");
    assert!(stp.unwrap()["stp"]["rx_bpdu"].is_u64(), "{stp:?}");
    let mcast = all
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["dev"] == "br0" && o["group"] == "xstats" && o["suite"] == "mcast");
    assert!(
        mcast.unwrap()["multicast"]["igmp_v2reports_rx"].is_u64(),
        "{mcast:?}"
    );
    let info = find(&all, "br0", "hw_stats_info");
    assert_eq!(
        (&info["request"], &info["stats"]),
        (&false.into(), &Value::Null)
    );
    let peer = b.nlq_json(&["stats", "--json", "--dev", "v1", "-g", "link"]);
    assert_eq!(peer.as_array().unwrap().len(), 1);
    assert!(
        peer[0]["stats"]["rx_packets"].as_u64().unwrap() >= 5,
        "{peer}"
    );
    // Only what was asked for: one link, one group.
    let one = a.nlq_json(&["stats", "-j", "--dev", "br0", "-g", "offload/cpu_hit"]);
    assert_eq!(one.as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one[0]["subgroup"], "cpu_hit");
    let out = a.nlq(&["stats", "--dev", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    let out = a.nlq(&["stats", "--group", "xstats/vlan"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn named_namespace_and_replay_agree() {
    let (a, _b) = fixture("stats-ns");
    let (inside, named) = on_stable(
        "stats",
        || a.nlq_json(&["stats", "--json"]),
        || {
            let out = nlq(&["-n", &a.name, "stats", "--json"]);
            assert!(out.status.success());
            serde_json::from_slice::<Value>(&out.stdout).unwrap()
        },
    );
    assert_eq!(named, inside);
    let pcap = std::env::temp_dir().join(format!("nlq-stats-{}.pcap", std::process::id()));
    let pcap = pcap.to_str().unwrap();
    let live = a.nlq_text(&["--capture", pcap, "stats", "--dev", "v0"]);
    let out = nlq(&["--replay", pcap, "stats", "--dev", "v0"]);
    std::fs::remove_file(pcap).unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), live);
    assert!(live.contains("v0") && live.contains("l3_stats"), "{live}");
}
