//! `nlq netconf` against `ip netconf` (iproute2 6.1), in a namespace whose
//! devices have settings changed through /proc/sys: `--json=ip` must be a
//! superset of `ip -j [-4|-6] netconf`, `--dev` must be the dump's objects
//! of that device, `--json` must match docs/json.md and the values set, and
//! `-n`, `--all-netns` and `--capture`/`--replay` must agree with the rest.

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, nlq};

/// A namespace with a veth pair and a bridge, and settings that differ
/// from the defaults.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
link add br0 type bridge
link set v0 up
",
    );
    for (path, value) in [
        ("ipv4/conf/v0/forwarding", "1"),
        ("ipv4/conf/v0/rp_filter", "2"),
        ("ipv4/conf/v1/rp_filter", "1"),
        ("ipv4/conf/v1/proxy_arp", "1"),
        ("ipv4/conf/br0/ignore_routes_with_linkdown", "1"),
        ("ipv4/conf/v0/bc_forwarding", "1"),
        ("ipv6/conf/v1/forwarding", "1"),
        ("ipv6/conf/br0/proxy_ndp", "1"),
        ("ipv6/conf/default/ignore_routes_with_linkdown", "1"),
    ] {
        sysctl(&ns, path, value);
    }
    ns
}

/// Write `value` to /proc/sys/net/`path` inside the namespace.
fn sysctl(ns: &NetNs, path: &str, value: &str) {
    let st = std::process::Command::new("ip")
        .args(["netns", "exec", &ns.name, "sh", "-c"])
        .arg(format!("echo {value} > /proc/sys/net/{path}"))
        .status()
        .unwrap();
    assert!(st.success(), "sysctl {path}={value}");
}

/// The objects of `array` whose `key` is `value`.
fn only(array: &Value, key: &str, value: &str) -> Value {
    let kept = array.as_array().unwrap().iter();
    Value::Array(kept.filter(|o| o[key] == value).cloned().collect())
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_netconf() {
    let ns = fixture("netconf-ip");
    let pairs: [(&[&str], &[&str]); 4] = [
        (&["netconf"], &["netconf", "--json=ip"]),
        (&["-4", "netconf"], &["netconf", "-4", "--json=ip"]),
        (&["-6", "netconf", "show"], &["netconf", "-6", "--json=ip"]),
        (&["netconf"], &["netconf", "--family", "all", "--json=ip"]),
    ];
    for (ip_args, nlq_args) in pairs {
        let ip = ns.ip_json(ip_args);
        assert!(ip.as_array().unwrap().len() >= 5, "{ip}");
        let ours = ns.nlq_json(nlq_args);
        assert_superset(&ip, &ours, &format!("ip {}", ip_args.join(" ")));
    }
}

/// `ip -j netconf show dev X` prints text in iproute2 6.1, so `--dev` is
/// compared with that device's objects of the whole dump, which it must
/// get from the kernel by its own requests.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn dev_is_the_devices_part_of_the_dump() {
    let ns = fixture("netconf-dev");
    let ip = ns.ip_json(&["netconf"]);
    for dev in ["v0", "v1", "br0", "lo", "all", "default"] {
        let want = only(&ip, "interface", dev);
        assert_eq!(want.as_array().unwrap().len(), 2, "{dev}: inet and inet6");
        let ours = ns.nlq_json(&["netconf", "--dev", dev, "--json=ip"]);
        assert_superset(&want, &ours, &format!("--dev {dev}"));
        let v4 = ns.nlq_json(&["netconf", "-4", "-d", dev, "--json=ip"]);
        assert_superset(
            &only(&want, "family", "inet"),
            &v4,
            &format!("-4 --dev {dev}"),
        );
    }
    // A device without IPv6 (an MTU below 1280): left out unless asked.
    ns.ip(&["link", "set", "v1", "mtu", "1000"]);
    let v1 = ns.nlq_json(&["netconf", "--dev", "v1", "--json"]);
    assert_eq!(only(&v1, "family", "inet6"), Value::Array(vec![]), "{v1}");
    assert_eq!(v1.as_array().unwrap().len(), 1, "{v1}");
    let out = ns.nlq(&["netconf", "-6", "--dev", "v1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("nlq: v1 inet6: "), "{err}");
    let out = ns.nlq(&["netconf", "--dev", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuch0\n"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation_and_the_settings() {
    let ns = fixture("netconf-doc");
    let all = ns.nlq_json(&["netconf", "--json"]);
    assert_documented("netconf", &all);
    let find = |family: &str, dev: &str| -> Value {
        let o = only(&only(&all, "family", family), "dev", dev);
        o.as_array()
            .unwrap()
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("no {family} {dev}: {all}"))
    };
    let v0 = find("inet", "v0");
    assert_eq!(v0["forwarding"], true);
    assert_eq!(v0["rp_filter"], "loose");
    assert_eq!(v0["bc_forwarding"], true);
    assert_eq!(v0["input"], Value::Null);
    let v1 = find("inet", "v1");
    assert_eq!(
        (&v1["rp_filter"], &v1["proxy_neigh"]),
        (&"strict".into(), &true.into())
    );
    assert_eq!(find("inet", "br0")["ignore_routes_with_linkdown"], true);
    assert_eq!(find("inet6", "v1")["forwarding"], true);
    let br0 = find("inet6", "br0");
    assert_eq!(
        (&br0["proxy_neigh"], &br0["rp_filter"]),
        (&true.into(), &Value::Null)
    );
    let default = find("inet6", "default");
    assert_eq!(default["ifindex"], -2);
    assert_eq!(default["ignore_routes_with_linkdown"], true);
    assert_eq!(find("inet", "all")["ifindex"], -1);
    let table = ns.nlq_text(&["netconf", "-4", "--dev", "v0"]);
    assert!(table.contains("loose"), "{table}");
}

/// `-n NS` asks the namespace the same as running inside it, and
/// `--all-netns` tags the same objects with its name.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn namespaces_by_name() {
    let ns = fixture("netconf-ns");
    let inside = ns.nlq_json(&["netconf", "--json"]);
    let out = nlq(&["-n", &ns.name, "netconf", "--json"]);
    assert!(out.status.success());
    let named: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(named, inside);
    // Other tests' namespaces may come and go meanwhile: only ours counts.
    let out = nlq(&["--all-netns", "netconf", "-4", "--json"]);
    let every: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine = only(&every, "netns", &ns.name);
    assert_eq!(
        mine.as_array().unwrap().len(),
        6,
        "lo v0 v1 br0 all default: {mine}"
    );
}

/// A capture replays to what the live command printed, in every format.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn capture_replays() {
    let ns = fixture("netconf-cap");
    let dir = std::env::temp_dir().join(format!("nlq-netconf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for args in [&["netconf"][..], &["netconf", "--dev", "v0"]] {
        let pcap = dir.join("c.pcap");
        let pcap = pcap.to_str().unwrap();
        let live = ns.nlq_text(&[&["--capture", pcap], args, &["--json=ip"]].concat());
        let out = nlq(&[&["--replay", pcap], args, &["--json=ip"]].concat());
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), live, "{args:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
