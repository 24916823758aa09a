//! `nlq genl`: the generic netlink families, checked inside a fresh
//! namespace (the families are global, but a namespace is where nlq and
//! the oracles run) against `genl ctrl list` (iproute2, which has no JSON:
//! its text is parsed) and, where libnl-utils is installed, against
//! `genl-ctrl-list --details`. `nlq genl NAME` must equal the listing
//! filtered by hand; `--json` is checked against docs/json.md; capture and
//! replay, `-n`, and the usage and runtime errors are covered.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, nlq};

/// A family as `genl ctrl list` prints it.
#[derive(Debug, Default)]
struct GenlText {
    id: u64,
    version: u64,
    hdrsize: u64,
    maxattr: u64,
    /// (op id, capability bits when genl printed them).
    ops: Vec<(u64, Option<u64>)>,
    /// (group id, name).
    groups: Vec<(u64, String)>,
}

fn hex(s: &str) -> u64 {
    let s = s.trim().trim_end_matches(':');
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("hex {s:?}"))
}

/// The word after `label` in `line`.
fn after<'a>(line: &'a str, label: &str) -> &'a str {
    let at = line
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} in {line:?}"))
        + label.len();
    line[at..].split_whitespace().next().unwrap_or("")
}

/// Parse `genl ctrl list` / `genl ctrl get` text (genl/ctrl.c print_ctrl).
fn parse_genl(text: &str) -> BTreeMap<String, GenlText> {
    let mut out = BTreeMap::new();
    let (mut name, mut section) = (String::new(), "");
    for line in text.lines() {
        let t = line.trim();
        if let Some(n) = t.strip_prefix("Name: ") {
            name = n.to_string();
            section = "";
            out.insert(name.clone(), GenlText::default());
            continue;
        }
        let Some(f) = out.get_mut(&name) else {
            continue;
        };
        if t.starts_with("ID: ") {
            f.id = hex(after(t, "ID:"));
            f.version = hex(after(t, "Version:"));
            f.hdrsize = after(t, "header size:").parse().unwrap();
            f.maxattr = after(t, "max attribs:").parse().unwrap();
        } else if t.starts_with("commands supported") {
            section = "ops";
        } else if t.starts_with("multicast groups") {
            section = "groups";
        } else if t.starts_with('#') && section == "ops" {
            f.ops.push((hex(after(t, "ID-")), None));
        } else if t.starts_with('#') && section == "groups" {
            f.groups
                .push((hex(after(t, "ID-")), after(t, "name:").to_string()));
        } else if let Some(rest) = t.strip_prefix("Capabilities (") {
            let caps = hex(rest.trim_end_matches("):"));
            f.ops.last_mut().expect("caps after an op").1 = Some(caps);
        }
    }
    out
}

/// Run `PROGRAM ARGS` inside `ns`.
fn run_in(ns: &NetNs, program: &str, args: &[&str]) -> Output {
    Command::new("ip")
        .args(["netns", "exec", &ns.name, program])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn text(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// nlq's families by name.
fn by_name(v: &Value) -> BTreeMap<String, &Value> {
    let array = v.as_array().expect("an array");
    array
        .iter()
        .map(|f| (f["name"].as_str().expect("a name").to_string(), f))
        .collect()
}

fn compare_with_genl(genl: &GenlText, f: &Value, name: &str) {
    assert_eq!(f["id"], genl.id, "{name}: id");
    assert_eq!(f["version"], genl.version, "{name}: version");
    assert_eq!(f["hdrsize"], genl.hdrsize, "{name}: hdrsize");
    assert_eq!(f["maxattr"], genl.maxattr, "{name}: maxattr");
    let ops = f["ops"].as_array().unwrap();
    assert_eq!(ops.len(), genl.ops.len(), "{name}: ops {ops:?}");
    for (op, (id, caps)) in ops.iter().zip(&genl.ops) {
        assert_eq!(op["id"], *id, "{name}: op");
        // genl prints capabilities only for families of version >= 2.
        if let Some(caps) = caps {
            assert_eq!(op["flags_raw"], *caps, "{name}: op {id} flags");
        }
    }
    let groups: Vec<(u64, String)> = f["mcast_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let name = g["name"].as_str().unwrap().to_string();
            (g["id"].as_u64().unwrap(), name)
        })
        .collect();
    assert_eq!(groups, genl.groups, "{name}: groups");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn every_family_matches_genl_ctrl_list() {
    let ns = NetNs::new("genl");
    let genl = parse_genl(&text(&run_in(&ns, "genl", &["ctrl", "list"])));
    assert!(genl.contains_key("nlctrl"), "{genl:?}");
    let v = ns.nlq_json(&["genl", "--json"]);
    assert_documented("genl", &v);
    let nlq = by_name(&v);
    assert_eq!(
        nlq.keys().collect::<Vec<_>>(),
        genl.keys().collect::<Vec<_>>(),
        "the same families"
    );
    for (name, g) in &genl {
        compare_with_genl(g, nlq[name], name);
    }
    // The controller by value, with the command names nlq gives it.
    let ctrl = nlq["nlctrl"];
    assert_eq!(ctrl["id"], 16);
    let getfamily = &ctrl["ops"].as_array().unwrap()[0];
    assert_eq!(getfamily["id"], 3);
    assert_eq!(getfamily["name"], "getfamily");
    assert_eq!(
        getfamily["flags"],
        serde_json::json!(["doit", "dumpit", "has-policy"])
    );
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"].as_u64() >= Some(16))
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn table_has_a_row_for_every_family() {
    let ns = NetNs::new("genltab");
    let v = ns.nlq_json(&["genl", "--json"]);
    let out = ns.nlq(&["genl"]);
    let table = text(&out);
    let mut lines = table.lines();
    let header: Vec<_> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "ID", "NAME", "VERSION", "HDRSIZE", "MAXATTR", "OPS", "GROUPS"
        ]
    );
    lines.next(); // the rule
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    let families = v.as_array().unwrap();
    assert_eq!(rows.len(), families.len(), "{table}");
    for (row, f) in rows.iter().zip(families) {
        assert_eq!(row[0], f["id"].to_string());
        assert_eq!(row[1], f["name"].as_str().unwrap());
        assert_eq!(row[5], f["ops"].as_array().unwrap().len().to_string());
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn one_family_equals_the_listing_filtered_by_hand() {
    let ns = NetNs::new("genlone");
    let all = ns.nlq_json(&["genl", "--json"]);
    for (name, f) in by_name(&all) {
        let one = ns.nlq_json(&["genl", &name, "--json"]);
        assert_eq!(one, Value::Array(vec![f.clone()]), "nlq genl {name}");
    }
    // And `genl ctrl get name nlctrl` agrees.
    let genl = parse_genl(&text(&run_in(
        &ns,
        "genl",
        &["ctrl", "get", "name", "nlctrl"],
    )));
    let one = ns.nlq_json(&["genl", "nlctrl", "--json"]);
    compare_with_genl(&genl["nlctrl"], &one[0], "nlctrl");
    let detail = text(&ns.nlq(&["genl", "nlctrl"]));
    assert!(detail.starts_with("nlctrl: id 16, version "), "{detail}");
    assert!(detail.contains("getfamily"), "{detail}");
    assert!(detail.contains("notify"), "{detail}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn matches_libnl_genl_ctrl_list() {
    let ns = NetNs::new("genlnl");
    let out = match Command::new("ip")
        .args(["netns", "exec", &ns.name, "genl-ctrl-list", "--details"])
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            eprintln!("skipped: genl-ctrl-list (libnl-utils) is not installed");
            return;
        }
    };
    let v = ns.nlq_json(&["genl", "--json"]);
    let nlq = by_name(&v);
    let libnl = parse_libnl(&out);
    assert_eq!(
        nlq.keys().collect::<Vec<_>>(),
        libnl.keys().collect::<Vec<_>>()
    );
    for (name, (id, version, ops, groups)) in &libnl {
        let f = nlq[name];
        assert_eq!(
            (&f["id"], &f["version"]),
            (&(*id).into(), &(*version).into()),
            "{name}"
        );
        let nlq_ops: Vec<(u64, Vec<String>)> = f["ops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|op| (op["id"].as_u64().unwrap(), libnl_flags(&op["flags"])))
            .collect();
        assert_eq!(&nlq_ops, ops, "{name}: ops");
        let nlq_groups: Vec<(String, u64)> = f["mcast_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["name"].as_str().unwrap().into(),
                    g["id"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(&nlq_groups, groups, "{name}: groups");
    }
}

/// id, version, ops (id, flags), groups (name, id) by family name.
type Libnl = BTreeMap<String, (u64, u64, Vec<(u64, Vec<String>)>, Vec<(String, u64)>)>;

/// Parse `genl-ctrl-list --details` (libnl's genl_family_dump).
fn parse_libnl(text: &str) -> Libnl {
    let mut out = Libnl::new();
    let mut name = String::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [id, n, "version", v] if id.starts_with("0x") => {
                name = n.to_string();
                out.insert(name.clone(), (hex(id), v.parse().unwrap(), vec![], vec![]));
            }
            ["op", _, id, rest @ ..] => {
                let flags = rest
                    .join(" ")
                    .trim_matches(['<', '>'])
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect();
                let id = hex(id.trim_matches(['(', ')']));
                out.get_mut(&name).unwrap().2.push((id, flags));
            }
            ["grp", g, id] => {
                let id = hex(id.trim_matches(['(', ')']));
                out.get_mut(&name).unwrap().3.push((g.to_string(), id));
            }
            _ => {}
        }
    }
    out
}

/// nlq's flag names as libnl spells the ones it knows.
fn libnl_flags(flags: &Value) -> Vec<String> {
    let names = [
        ("admin-perm", "admin_perm"),
        ("doit", "has_doit"),
        ("dumpit", "has_dump"),
        ("has-policy", "has_policy"),
    ];
    let flags = flags.as_array().unwrap();
    names
        .iter()
        .filter(|(ours, _)| flags.iter().any(|f| f == ours))
        .map(|(_, theirs)| theirs.to_string())
        .collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn bad_names_and_dialects() {
    let ns = NetNs::new("genlerr");
    let out = ns.nlq(&["genl", "nosuchfamily"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such generic netlink family: nosuchfamily\n"
    );
    let out = ns.nlq(&["genl", "nosuchfamily", "--json"]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(1), 0));
    // No socket needed to know these are wrong: exit 2.
    for args in [
        &["genl", "a_name_far_too_long"][..],
        &["genl", "--json=ip"],
        &["genl", "nlctrl", "--json=ip"],
    ] {
        let out = nlq(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("nlq: ") && err.lines().count() == 1,
            "{err}"
        );
    }
    let err = String::from_utf8_lossy(&nlq(&["genl", "--json=ip"]).stderr).into_owned();
    assert!(err.contains("--json=ip is not available for genl"), "{err}");
}

fn temp_file(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("nlq-test-{}-{tag}", std::process::id()))
}

/// Capture `args` in `ns`, replay the file outside it: the same output.
fn capture_and_replay(ns: &NetNs, tag: &str, args: &[&str]) -> PathBuf {
    let path = temp_file(tag);
    let p = path.to_str().unwrap();
    let live = ns.nlq(&[&["--capture", p][..], args].concat());
    let replay = nlq(&[&["--replay", p][..], args].concat());
    assert_eq!(text(&live), text(&replay), "replaying {args:?}");
    path
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn capture_replay_and_netns() {
    let ns = NetNs::new("genlcap");
    let list = capture_and_replay(&ns, "genl-list.pcap", &["genl", "--json"]);
    let one = capture_and_replay(&ns, "genl-one.pcap", &["genl", "nlctrl"]);
    // A route command finds no request of its own in a genl capture.
    let out = nlq(&["--replay", list.to_str().unwrap(), "links"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds NETLINK_GENERIC datagrams"), "{err}");
    // Nor does `genl NAME` in a listing's capture (same type, no dump).
    let out = nlq(&["--replay", list.to_str().unwrap(), "genl", "nlctrl"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("made by another command"), "{err}");
    // Replayed errors too: the unknown family's ENOENT.
    let missing = temp_file("genl-missing.pcap");
    let m = missing.to_str().unwrap();
    let live = ns.nlq(&["--capture", m, "genl", "nosuchfamily"]);
    let replay = nlq(&["--replay", m, "genl", "nosuchfamily"]);
    assert_eq!(
        (live.status.code(), replay.status.code()),
        (Some(1), Some(1))
    );
    assert_eq!(live.stderr, replay.stderr);
    tshark_sees_generic_netlink(&one);
    for p in [list, one, missing] {
        std::fs::remove_file(p).unwrap();
    }
    // `-n NAME` asks the namespace as running inside it does.
    let inside = ns.nlq_json(&["genl", "--json"]);
    let out = nlq(&["-n", &ns.name, "genl", "--json"]);
    let outside: Value = serde_json::from_str(&text(&out)).unwrap();
    assert_eq!(inside, outside);
}

/// tshark decodes nlq's capture as generic netlink (the controller).
fn tshark_sees_generic_netlink(path: &std::path::Path) {
    let Ok(out) = Command::new("tshark")
        .args(["-r", path.to_str().unwrap(), "-T", "fields"])
        .args(["-e", "frame.protocols", "-e", "netlink.hdr_type"])
        .output()
    else {
        eprintln!("skipped: tshark is not installed (.ci/run installs it)");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 2, "one request, one answer: {text}");
    for r in rows {
        assert!(
            r.starts_with("sll:netlink:genl"),
            "not generic netlink: {r}"
        );
    }
}

/// fixtures/genl*: real captures (fixtures/record-genl.sh), replayed
/// without root: the table and `--json` the live command printed, and the
/// families `genl` printed at the same time.
#[test]
fn fixtures_replay_what_was_printed_and_match_genl() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    for name in ["genl", "genl-nlctrl"] {
        let pcap = dir.join(format!("{name}.pcap"));
        let cmd = read(&format!("{name}.cmd"));
        let mut args = vec!["--replay", pcap.to_str().unwrap()];
        args.extend(cmd.split_whitespace().skip(1));
        assert_eq!(text(&nlq(&args)), read(&format!("{name}.table")), "{name}");
        args.push("--json");
        let json = text(&nlq(&args));
        assert_eq!(json, read(&format!("{name}.json")), "{name} --json");
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_documented("genl", &v);
        let genl = parse_genl(&read(&format!("{name}.oracle.txt")));
        let nlq = by_name(&v);
        assert_eq!(
            nlq.keys().collect::<Vec<_>>(),
            genl.keys().collect::<Vec<_>>()
        );
        for (family, g) in &genl {
            compare_with_genl(g, nlq[family], family);
        }
    }
}
