//! Real kernel captures in fixtures/, replayed without root: each renders
//! exactly what the live command printed when it was recorded, in every
//! format, and the ip dialect is a superset of what `ip -j` printed for the
//! same namespace at the same time. fixtures/record.sh makes them.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{assert_documented, assert_superset, nlq, strip_volatile};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The nlq arguments a fixture was recorded with (`NAME.cmd`: "nlq ARGS").
fn args(name: &str) -> Vec<String> {
    let cmd = std::fs::read_to_string(dir().join(format!("{name}.cmd"))).unwrap();
    cmd.split_whitespace().skip(1).map(str::to_string).collect()
}

/// Replay fixture `name` with `extra` output flags.
fn replay(name: &str, extra: &[&str]) -> String {
    let pcap = dir().join(format!("{name}.pcap"));
    let mut full = vec!["--replay".to_string(), pcap.to_str().unwrap().to_string()];
    full.extend(args(name));
    full.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = full.iter().map(String::as_str).collect();
    let out = nlq(&refs);
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn expected(file: &str) -> String {
    std::fs::read_to_string(dir().join(file)).unwrap()
}

const FIXTURES: [&str; 5] = ["routes", "routes-all", "routes-100", "links", "addrs"];

#[test]
fn replays_render_what_the_live_command_printed() {
    for name in FIXTURES {
        assert_eq!(
            replay(name, &[]),
            expected(&format!("{name}.table")),
            "{name} table"
        );
        assert_eq!(
            replay(name, &["--json"]),
            expected(&format!("{name}.json")),
            "{name} --json"
        );
        assert_eq!(
            replay(name, &["--json=ip"]),
            expected(&format!("{name}.ip.json")),
            "{name} --json=ip"
        );
    }
}

#[test]
fn replayed_json_is_documented() {
    for name in FIXTURES {
        let section = name.split('-').next().unwrap();
        let v: Value = serde_json::from_str(&replay(name, &["--json"])).unwrap();
        assert_documented(section, &v);
    }
}

#[test]
fn replayed_ip_dialect_is_a_superset_of_ip() {
    for (name, oracle) in [
        ("routes-all", "routes-all.oracle.json"),
        ("routes-100", "routes-100.oracle.json"),
        ("links", "links.oracle-s.json"),
        ("links", "links.oracle-d.json"),
        ("addrs", "addrs.oracle.json"),
    ] {
        let mut ip: Value = serde_json::from_str(&expected(oracle)).unwrap();
        let mut ours: Value = serde_json::from_str(&replay(name, &["--json=ip"])).unwrap();
        strip_volatile(&mut ip);
        strip_volatile(&mut ours);
        assert_superset(&ip, &ours, oracle);
    }
}

/// A key and value that pick an oracle's objects.
type Only = Option<(&'static str, &'static str)>;

/// The fixtures of fixtures/record-ipconf.sh: (name, docs/json.md section,
/// the oracle's objects that are this command's, by key and value, when
/// `ip` could not be asked for them alone).
const IPCONF: [(&str, &str, Only); 5] = [
    ("netconf", "netconf", None),
    ("netconf-v0", "netconf", Some(("interface", "v0"))),
    ("addrlabels", "addrlabels", None),
    ("ntables", "ntables", None),
    ("ntables-v0", "ntables", None),
];

#[test]
fn ipconf_replays_render_what_was_recorded_and_are_supersets_of_ip() {
    for (name, section, only) in IPCONF {
        assert_eq!(
            replay(name, &[]),
            expected(&format!("{name}.table")),
            "{name}"
        );
        let json = replay(name, &["--json"]);
        assert_eq!(json, expected(&format!("{name}.json")), "{name} --json");
        assert_documented(section, &serde_json::from_str(&json).unwrap());
        let ours = replay(name, &["--json=ip"]);
        assert_eq!(
            ours,
            expected(&format!("{name}.ip.json")),
            "{name} --json=ip"
        );
        let mut ip: Value =
            serde_json::from_str(&expected(&format!("{name}.oracle.json"))).unwrap();
        if let (Some((key, value)), Value::Array(a)) = (only, &mut ip) {
            a.retain(|o| o[key] == value);
        }
        assert!(!ip.as_array().unwrap().is_empty(), "{name}: empty oracle");
        assert_superset(&ip, &serde_json::from_str(&ours).unwrap(), name);
    }
}

/// The fixtures of fixtures/record-select.sh: (name, docs/json.md section).
const SELECT: [(&str, &str); 4] = [
    ("rules-from", "rules"),
    ("rules-table", "rules"),
    ("nh-buckets", "nexthops buckets"),
    ("neigh-get", "neigh"),
];

/// A bucket's idle time grows between nlq's read and ip's.
fn strip_idle_time(v: &mut Value) {
    for o in v.as_array_mut().into_iter().flatten() {
        if let Some(b) = o.get_mut("bucket").and_then(Value::as_object_mut) {
            b.remove("idle_time");
        }
    }
}

#[test]
fn select_replays_render_what_was_recorded_and_are_supersets_of_ip() {
    for (name, section) in SELECT {
        let table = replay(name, &[]);
        assert_eq!(table, expected(&format!("{name}.table")), "{name}");
        let json = replay(name, &["--json"]);
        assert_eq!(json, expected(&format!("{name}.json")), "{name} --json");
        assert_documented(section, &serde_json::from_str(&json).unwrap());
        let ours = replay(name, &["--json=ip"]);
        assert_eq!(ours, expected(&format!("{name}.ip.json")), "{name}");
        let mut ours: Value = serde_json::from_str(&ours).unwrap();
        let mut ip: Value =
            serde_json::from_str(&expected(&format!("{name}.oracle.json"))).unwrap();
        strip_idle_time(&mut ip);
        strip_idle_time(&mut ours);
        assert!(!ip.as_array().unwrap().is_empty(), "{name}: empty oracle");
        assert_superset(&ip, &ours, name);
    }
}

/// The fixtures of fixtures/record-bridge.sh: `nlq fdb` with `bridge fdb
/// show`'s selectors and `nlq ports`, each with the `bridge -j` oracle,
/// and the docs/json.md section of its `--json`.
const BRIDGE: [(&str, &str); 3] = [("fdb-br", "fdb"), ("fdb-vxlan", "fdb"), ("ports", "ports")];

#[test]
fn bridge_replays_render_what_was_recorded_and_are_supersets_of_bridge() {
    for (name, section) in BRIDGE {
        let table = replay(name, &[]);
        assert_eq!(table, expected(&format!("{name}.table")), "{name}");
        let json = replay(name, &["--json"]);
        assert_eq!(json, expected(&format!("{name}.json")), "{name} --json");
        assert_documented(section, &serde_json::from_str(&json).unwrap());
        let ours = replay(name, &["--json=ip"]);
        assert_eq!(ours, expected(&format!("{name}.ip.json")), "{name}");
        let ours: Value = serde_json::from_str(&ours).unwrap();
        let bridge: Value =
            serde_json::from_str(&expected(&format!("{name}.oracle.json"))).unwrap();
        assert!(
            !bridge.as_array().unwrap().is_empty(),
            "{name}: empty oracle"
        );
        assert_superset(&bridge, &ours, name);
    }
}

/// The fixtures of fixtures/record-stats.sh: `nlq stats` with `ip stats
/// show`'s `dev` and `group`/`subgroup` selections, each with the
/// `ip -j stats show` oracle recorded right after, and the docs/json.md
/// section of its `--json`.
const STATS: [&str; 5] = [
    "stats",
    "stats-link",
    "stats-dev",
    "stats-l3",
    "stats-xstats",
];

#[test]
fn stats_replays_render_what_was_recorded_and_are_supersets_of_ip() {
    for name in STATS {
        let table = replay(name, &[]);
        assert_eq!(table, expected(&format!("{name}.table")), "{name}");
        let json = replay(name, &["--json"]);
        assert_eq!(json, expected(&format!("{name}.json")), "{name} --json");
        assert_documented("stats", &serde_json::from_str(&json).unwrap());
        let ours = replay(name, &["--json=ip"]);
        assert_eq!(ours, expected(&format!("{name}.ip.json")), "{name}");
        let ours: Value = serde_json::from_str(&ours).unwrap();
        let ip: Value = serde_json::from_str(&expected(&format!("{name}.oracle.json"))).unwrap();
        assert!(!ip.as_array().unwrap().is_empty(), "{name}: empty oracle");
        assert_superset(&ip, &ours, name);
    }
}
