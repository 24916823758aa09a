//! `nlq fdb`: a namespace with a bridge (br0), a veth port (v0) and a
//! VXLAN port (vx0), a second bridge (br1, whose entries `--br br0` must
//! leave out), static, permanent and learned (dynamic) entries, and
//! VXLAN remotes with dst, port, vni and via. This kernel has no VLAN
//! filtering (CONFIG_BRIDGE_VLAN_FILTERING), so no entry has a VLAN here:
//! `--vlan` is checked for what it leaves (all for 0, none for 10), and
//! by unit tests in src/cmd/fdb.rs. `--json=ip` is compared with `bridge -j -s fdb show` under the
//! superset rule (ages within the `bridge` runs before and after), for
//! every selector; `--json` with docs/json.md and by value.

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset};

/// The ages, which grow between any two runs.
const AGES: [&str; 2] = ["used", "updated"];

/// Build the namespace.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add br0 type bridge
link add br1 type bridge
link set br1 up
link add v0 type veth peer name v1
link add v2 type veth peer name v3
link set v0 master br0
link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 nolearning
link set vx0 master br0
link set br0 up
link set v0 up
link set v1 up
link set v2 up
link set vx0 up
",
    );
    for entry in [
        "add 02:00:00:00:00:01 dev v0 master static",
        "add 02:00:00:00:00:02 dev v0 master static",
        "add 02:00:00:00:00:03 dev v0 master permanent",
        "add 02:00:00:00:00:04 dev v0 master dynamic",
        "append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent",
        "append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 port 4790 vni 100 via v2 self permanent",
        "add 02:00:00:00:00:05 dev vx0 dst 10.0.0.4 self permanent",
    ] {
        let mut args = vec!["fdb"];
        args.extend(entry.split(' '));
        ns.bridge(&args);
    }
    ns
}

/// `bridge` in a namespace.
trait Bridge {
    /// Run `bridge ARGS` in the namespace; panics on failure.
    fn bridge(&self, args: &[&str]) -> String;
    /// `bridge -j ARGS` parsed.
    fn bridge_json(&self, args: &[&str]) -> Value;
}

impl Bridge for NetNs {
    fn bridge(&self, args: &[&str]) -> String {
        let out = Command::new("bridge")
            .args(["-n", &self.name])
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

    fn bridge_json(&self, args: &[&str]) -> Value {
        let mut full = vec!["-j"];
        full.extend_from_slice(args);
        let text = self.bridge(&full);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("bridge {args:?}: {e}: {text}"))
    }
}

/// Drop the ages of every object (`retain` keeps the key order).
fn strip_ages(v: &mut Value) {
    for o in v.as_array_mut().into_iter().flatten() {
        if let Value::Object(m) = o {
            m.retain(|k, _| !AGES.contains(&k.as_str()));
        }
    }
}

/// Compare `bridge -j -s fdb show ARGS` with `nlq fdb NLQ_ARGS --json=ip`
/// on a stable table: `bridge` runs before and after nlq, and the
/// comparison counts when both agree but for the ages, which must hold
/// nlq's between them.
fn assert_superset_stable(ns: &NetNs, args: &[&str], nlq_args: &[&str]) {
    let mut br_args = vec!["-s", "fdb", "show"];
    br_args.extend_from_slice(args);
    let mut nlq_args = [&["fdb"], nlq_args, &["--json=ip"]].concat();
    nlq_args.retain(|a| !a.is_empty());
    for _ in 0..20 {
        let before = ns.bridge_json(&br_args);
        let nlq = ns.nlq_json(&nlq_args);
        let after = ns.bridge_json(&br_args);
        let (mut b, mut a) = (before.clone(), after.clone());
        strip_ages(&mut b);
        strip_ages(&mut a);
        if b == a {
            assert_superset(&b, &nlq, &format!("bridge fdb show {}", args.join(" ")));
            ages_between(&before, &nlq, &after);
            return;
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    panic!("bridge {br_args:?} never gave the same answer twice in a row");
}

/// Every age nlq printed lies between what `bridge` printed before and
/// after.
fn ages_between(before: &Value, nlq: &Value, after: &Value) {
    let rows = |v: &Value| v.as_array().cloned().unwrap_or_default();
    for ((b, n), a) in rows(before).iter().zip(rows(nlq)).zip(rows(after)) {
        for key in AGES {
            let (Some(lo), Some(hi)) = (b[key].as_u64(), a[key].as_u64()) else {
                continue;
            };
            let got = n[key].as_u64().unwrap_or_else(|| panic!("no {key}: {n}"));
            assert!((lo..=hi).contains(&got), "{key}: {lo}..={hi}, nlq {got}");
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn ip_dialect_is_a_superset_of_bridge() {
    let ns = fixture("fdb-ip");
    let cases: [(&[&str], &[&str]); 9] = [
        (&[], &[]),
        (&["br", "br0"], &["--br", "br0"]),
        (&["dev", "v0"], &["--dev", "v0"]),
        (&["dev", "vx0"], &["--dev", "vx0"]),
        (&["vlan", "10"], &["--vlan", "10"]),
        (&["vlan", "0"], &["--vlan", "0"]),
        (&["state", "static"], &["--state", "static"]),
        (&["state", "permanent"], &["--state", "permanent"]),
        (
            &["br", "br0", "state", "reachable"],
            &["--br", "br0", "--state", "reachable"],
        ),
    ];
    for (br_args, nlq_args) in cases {
        assert_superset_stable(&ns, br_args, nlq_args);
    }
    // The selections select something: the cases above are not all empty.
    // (v1's own address may be learned on v0 too.)
    let learned = ns.nlq_json(&["fdb", "--state", "reachable", "--json=ip"]);
    let dynamic = crate::links::by(&learned, "mac", "02:00:00:00:00:04");
    assert_eq!(dynamic["state"], "", "bridge prints nothing for reachable");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn nlq_json_is_documented_and_right() {
    let ns = fixture("fdb-nlq");
    let all = ns.nlq_json(&["fdb", "--json"]);
    assert_documented("fdb", &all);
    let find = |mac: &str, dst: Option<&str>| -> Value {
        all.as_array()
            .unwrap()
            .iter()
            .find(|o| o["mac"] == mac && dst.is_none_or(|d| o["dst"] == d))
            .cloned()
            .unwrap_or_else(|| panic!("no {mac} {dst:?}: {all}"))
    };
    let remote = find("00:00:00:00:00:00", Some("10.0.0.3"));
    assert_eq!(remote["dev"], "vx0");
    assert_eq!(remote["port"], 4790);
    assert_eq!(remote["vni"], 100);
    assert_eq!(remote["via"], "v2");
    assert!(remote["via_ifindex"].is_u64());
    assert_eq!(remote["flags"], serde_json::json!(["self"]));
    assert_eq!(remote["state"], "permanent");
    // The device's own VNI is not sent again.
    assert_eq!(
        find("00:00:00:00:00:00", Some("10.0.0.2"))["vni"],
        Value::Null
    );
    let tagged = find("02:00:00:00:00:02", None);
    assert_eq!(tagged["vlan"], Value::Null);
    assert_eq!(tagged["master"], "br0");
    assert_eq!(tagged["state"], "static");
    assert!(tagged["used"].is_f64() || tagged["used"].is_u64());
    assert_eq!(find("02:00:00:00:00:04", None)["state"], "reachable");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_and_errors() {
    let ns = fixture("fdb-sel");
    let macs = |args: &[&str]| -> Vec<String> {
        let v = ns.nlq_json(&[&["fdb", "--json"], args].concat());
        let mut m: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|o| format!("{} {}", o["mac"].as_str().unwrap(), o["dev"]))
            .collect();
        m.sort();
        m
    };
    let v1 = macs(&["--dev", "v1"]);
    assert!(!v1.is_empty() && v1.iter().all(|m| m.ends_with("\"v1\"")));
    let br = macs(&["--br", "br0"]);
    assert!(
        br.iter().all(|m| !m.ends_with("\"v1\"")),
        "v1 is no port: {br:?}"
    );
    assert!(br.iter().all(|m| !m.ends_with("\"br1\"")), "br1's: {br:?}");
    assert!(macs(&[]).iter().any(|m| m.ends_with("\"br1\"")));
    assert!(macs(&["--vlan", "10"]).is_empty());
    assert_eq!(macs(&["--vlan", "0"]), macs(&[]));
    let statics = macs(&["--state", "static", "--dev", "v0"]);
    assert_eq!(
        statics,
        ["02:00:00:00:00:01 \"v0\"", "02:00:00:00:00:02 \"v0\""]
    );
    let both = macs(&["--state", "static,permanent", "--dev", "vx0"]);
    assert_eq!(both, macs(&["--dev", "vx0"]));
    let out = ns.nlq(&["fdb", "--br", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such device: nosuch0"));
    let table = ns.nlq_text(&["fdb", "--dev", "vx0"]);
    assert!(table.contains("10.0.0.3") && table.contains("4790") && table.contains("v2"));
}
