//! docs/schema/<command>.json: each one agrees with docs/json.md key for
//! key and type for type, and real `--json` output of every command, in a
//! namespace built here, validates against it.

use serde_json::Value;

use crate::harness::schema::{
    KIND_DATA, doc_section, monitor_schema, schema_file, schema_from_doc, schema_path, schema_rows,
    snapshot_schema, validate,
};
use crate::harness::{NetNs, nlq_until_signal};

/// The commands with a `--json` schema (`links --rate` prints NDJSON:
/// its schema describes the lines gathered into an array).
const COMMANDS: [&str; 22] = [
    "routes",
    "links",
    "addrs",
    "neigh",
    "rules",
    "nexthops",
    "genl",
    "links --rate",
    "netconf",
    "addrlabels",
    "ntables",
    "explain",
    "diff",
    "nexthops buckets",
    "vlans",
    "vlans global",
    "mdb",
    "fdb",
    "ports",
    "maddrs",
    "mroutes",
    "stats",
];

/// Each schema file is what docs/json.md says; `NLQ_BLESS=1` rewrites
/// them from it.
#[test]
fn schema_files_are_generated_from_the_docs() {
    let bless = std::env::var_os("NLQ_BLESS").is_some();
    for c in COMMANDS {
        let want = schema_from_doc(c);
        if bless {
            let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), schema_path(c));
            let text = serde_json::to_string_pretty(&want).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
        }
        assert!(
            schema_file(c) == want,
            "docs/schema/{c}.json differs from docs/json.md: \
             run NLQ_BLESS=1 cargo test --test cli schema::"
        );
    }
}

/// docs/schema/monitor.json is what docs/json.md says of the monitor's
/// envelope and of each object (`NLQ_BLESS=1` rewrites it); an overrun
/// and a resync validate against it.
#[test]
fn monitor_schema_is_generated_and_holds() {
    let want = monitor_schema();
    if std::env::var_os("NLQ_BLESS").is_some() {
        let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), schema_path("monitor"));
        std::fs::write(&path, serde_json::to_string_pretty(&want).unwrap() + "\n").unwrap();
    }
    let schema = schema_file("monitor");
    assert!(
        schema == want,
        "docs/schema/monitor.json differs from docs/json.md: \
         run NLQ_BLESS=1 cargo test --test cli schema::"
    );
    let marks = serde_json::json!([
        {"timestamp": "2026-11-28T10:33:02.304+00:00", "event": "overrun", "object": null, "netns": "demo"},
        {"timestamp": "2026-11-28T10:33:02.533+00:00", "event": "resync", "object": null, "netns": null, "new": 5008, "del": 0},
    ]);
    validate(&schema, &marks).unwrap_or_else(|e| panic!("{e:?}"));
    let wrong =
        serde_json::json!([{"timestamp": "x", "event": "new", "object": "route", "netns": null}]);
    assert!(
        validate(&schema, &wrong).is_err(),
        "a route event carries the route's keys"
    );
}

/// docs/schema/snapshot.json is what docs/json.md says of the header
/// and of each kind's objects (`NLQ_BLESS=1` rewrites it); the real
/// document is validated in tests/snapshot.rs.
#[test]
fn snapshot_schema_is_generated_from_the_docs() {
    let want = snapshot_schema();
    if std::env::var_os("NLQ_BLESS").is_some() {
        let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), schema_path("snapshot"));
        std::fs::write(&path, serde_json::to_string_pretty(&want).unwrap() + "\n").unwrap();
    }
    assert!(
        schema_file("snapshot") == want,
        "docs/schema/snapshot.json differs from docs/json.md: \
         run NLQ_BLESS=1 cargo test --test cli schema::"
    );
    let (_, rows) = doc_section("snapshot");
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys[0], "header");
    assert_eq!(
        want["items"]["properties"]["routes"]["items"],
        schema_from_doc("routes")["items"]
    );
}

/// Real events of a `--snapshot` validate against docs/schema/monitor.json.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn monitor_events_validate_against_the_schema() {
    let schema = schema_file("monitor");
    let f = fixture();
    // The whole snapshot, then Ctrl-C (a --count past it would wait for
    // changes that never come).
    let args = ["-n", &f.ns.name, "monitor", "--snapshot", "--json"];
    let (out, _) = nlq_until_signal(&args, std::time::Duration::from_millis(1500), libc::SIGINT);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = std::str::from_utf8(&out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: std::collections::BTreeSet<&str> =
        lines.iter().filter_map(|l| l["object"].as_str()).collect();
    assert!(
        kinds.len() >= 4,
        "links, addresses, routes, rules at least: {kinds:?}"
    );
    if let Err(errors) = validate(&schema, &Value::Array(lines)) {
        panic!(
            "nlq monitor --snapshot does not match docs/schema/monitor.json:\n{}",
            errors.join("\n")
        );
    }
}

/// The schema files and docs/json.md list the same keys, in the same
/// order, with the same types.
#[test]
fn schema_files_and_docs_list_the_same_keys() {
    for c in COMMANDS {
        let schema = schema_file(c);
        let from_schema = schema_rows(&schema);
        let (_, rows) = doc_section(c);
        let from_doc: Vec<(String, String)> = rows.into_iter().map(|r| (r.key, r.kind)).collect();
        let keys = |v: &[(String, String)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&from_schema), keys(&from_doc), "{c}: keys differ");
        assert_eq!(from_schema, from_doc, "{c}: types differ");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        // Total: every key of every object is required, none other allowed.
        assert_total(&schema["items"], c);
    }
}

fn assert_total(object: &Value, path: &str) {
    let props = object["properties"].as_object().expect("properties");
    let required: Vec<&str> = object["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        required,
        props.keys().map(String::as_str).collect::<Vec<_>>(),
        "{path}"
    );
    assert_eq!(object["additionalProperties"], false, "{path}");
    // Kind data's members depend on the kind: none is required there.
    for (k, p) in props
        .iter()
        .filter(|(k, _)| !KIND_DATA.contains(&k.as_str()))
    {
        if p["properties"].is_object() {
            assert_total(p, &format!("{path}.{k}"));
        }
        if p["items"]["properties"].is_object() {
            assert_total(&p["items"], &format!("{path}.{k}[]"));
        }
    }
}

/// Run `ip ARGS` and report, rather than fail, when this kernel refuses
/// it: these objects only widen what the schema sees.
fn try_ip(ns: &NetNs, line: &str) {
    let args: Vec<&str> = line.split_whitespace().collect();
    let out = ns.ip_try(&args);
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        eprintln!("note: schema fixture without `ip {line}`: {}", why.trim());
    }
}

/// Objects of every command, with as many keys non-null as this kernel
/// allows: the links fixture (links, addresses), then routes, rules,
/// neighbours and nexthops on top.
fn fixture() -> crate::links::Fixture {
    let f = crate::links::fixture("schema");
    let ns = &f.ns;
    ns.ip(&["link", "set", "v1", "up"]);
    ns.ip_batch(
        "route add 10.9.0.0/24 via 10.30.0.2 dev v1 metric 10 mtu lock 1400 advmss 1300 rtt 10ms
route add 10.10.0.0/24 nexthop via 10.30.0.2 dev v1 weight 2 nexthop via 10.30.0.3 dev v1
route add table 100 default via 10.30.0.2 dev v1 realm 5
route add blackhole 10.11.0.0/24 proto static
route add unreachable 2001:db8:99::/64
rule add from 10.0.0.0/8 to 192.0.2.0/24 table 100 pref 100
rule add fwmark 0x10/0xff iif v0 oif v1 lookup main pref 200
rule add ipproto tcp sport 1000-2000 dport 80 uidrange 1000-2000 table 100 pref 300
rule add pref 400 from 198.51.100.0/24 goto 500
rule add pref 500 from 198.51.100.0/24 blackhole
rule add pref 600 tos 0x10 table main suppress_prefixlength 0
rule add pref 700 not from 10.0.0.0/8 realms 3/4 table 100
neigh add 10.30.0.2 lladdr 02:00:00:00:00:02 dev v1 nud permanent
neigh add 10.30.0.3 lladdr 02:00:00:00:00:03 dev v1 nud stale protocol static
neigh add proxy 10.30.0.100 dev v1
",
    );
    for line in [
        "-6 rule add from 2001:db8::/32 table 100 pref 100",
        "-6 neigh add 2001:db8:5::2 lladdr 02:00:00:00:00:12 dev v0 nud permanent router",
        "route add 10.12.0.0/24 encap ip id 7 dst 10.30.0.9 via 10.30.0.2 dev v1",
        "route add 10.13.0.0/24 via inet6 fe80::1 dev v1",
        "-6 route add 2001:db8:77::/64 dev v0 expires 300 pref high",
        "nexthop add id 1 via 10.30.0.2 dev v1",
        "nexthop add id 2 via 10.30.0.3 dev v1",
        "nexthop add id 3 blackhole",
        "nexthop add id 4 encap ip id 3 dst 10.30.0.9 via 10.30.0.2 dev v1",
        "nexthop add id 10 group 1,3/2",
        "nexthop add id 11 group 1/2 type resilient buckets 8 idle_timer 60",
        "nexthop add id 20 via 10.30.0.7 fdb",
        "nexthop add id 21 group 20 fdb",
        "route add 10.14.0.0/24 nhid 10",
    ] {
        try_ip(ns, line);
    }
    f
}

/// Real output of every command (with the selectors that change what is
/// shown) validates against its schema.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn real_output_validates_against_the_schemas() {
    let f = fixture();
    let runs: [(&str, &[&str]); 24] = [
        ("routes", &["routes", "--json"]),
        ("routes", &["routes", "--table", "all", "-j"]),
        ("routes", &["routes", "get", "10.9.0.1", "-j"]),
        (
            "routes",
            &["routes", "get", "10.10.0.1", "--fibmatch", "-j"],
        ),
        ("links", &["links", "--json"]),
        ("addrs", &["addrs", "--json"]),
        ("neigh", &["neigh", "--state", "all", "--json"]),
        ("neigh", &["neigh", "--proxy", "--json"]),
        ("rules", &["rules", "--json"]),
        ("nexthops", &["nexthops", "--json"]),
        ("nexthops", &["nexthops", "--id", "1", "--json"]),
        ("nexthops", &["nexthops", "--groups", "--json"]),
        ("genl", &["genl", "--json"]),
        ("genl", &["genl", "nlctrl", "--json"]),
        ("netconf", &["netconf", "--json"]),
        ("netconf", &["netconf", "--dev", "v0", "--json"]),
        ("addrlabels", &["addrlabels", "--json"]),
        ("ntables", &["ntables", "--json"]),
        ("fdb", &["fdb", "--json"]),
        ("ports", &["ports", "--json"]),
        ("maddrs", &["maddrs", "--json"]),
        ("stats", &["stats", "--json"]),
        ("explain", &["routes", "get", "10.9.0.1", "--explain", "-j"]),
        (
            "explain",
            &["routes", "get", "192.0.2.1", "--explain", "-j"],
        ),
    ];
    for (command, args) in runs {
        if command == "nexthops"
            && f.ns
                .ip_try(&["nexthop", "show", "id", "1"])
                .stdout
                .is_empty()
        {
            eprintln!("skipped: nlq {args:?}: this kernel has no nexthop objects");
            continue;
        }
        let schema = schema_file(command);
        let output = f.ns.nlq_json(args);
        let n = output.as_array().map_or(0, Vec::len);
        assert!(n > 0, "nlq {args:?} printed no objects to check");
        if let Err(errors) = validate(&schema, &output) {
            panic!(
                "nlq {args:?} does not match docs/schema/{command}.json:\n{}",
                errors.join("\n")
            );
        }
    }
}
