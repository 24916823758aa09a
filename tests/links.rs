//! `nlq links`: a namespace with veth pairs (one peer in a second
//! namespace), a bridge with a port, macvlan, vxlan, tun and ifb, an alias
//! and altnames; `--json=ip` compared with `ip -j -s link` and
//! `ip -j -d link` under the superset rule, `--json` against docs/json.md
//! and by value, and the error for an unknown name.
//!
//! The fixture is shared with tests/addrs.rs.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset, on_stable};

/// A namespace with one link of every kind nlq decodes, and the second
/// namespace holding the far end of `va`.
pub struct Fixture {
    /// The namespace under test.
    pub ns: NetNs,
    /// Where `vb`, the peer of `va`, lives; held so it outlives the test.
    pub _other: NetNs,
    /// Kinds this kernel could not create (their checks are skipped).
    pub missing: Vec<&'static str>,
}

impl Fixture {
    /// Whether links of `kind` could be created.
    pub fn has(&self, kind: &str) -> bool {
        !self.missing.contains(&kind)
    }
}

/// Links whose kind may be missing from the kernel: (kind, ip commands).
const OPTIONAL: &[(&str, &[&[&str]])] = &[
    (
        "macvlan",
        &[&[
            "link", "add", "link", "v0", "name", "mv0", "type", "macvlan", "mode", "bridge",
        ]],
    ),
    (
        "vxlan",
        &[
            &[
                "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local",
                "10.9.9.1", "remote", "10.9.9.2",
            ],
            &[
                "link",
                "add",
                "vx1",
                "type",
                "vxlan",
                "id",
                "43",
                "dstport",
                "4789",
                "group",
                "239.1.1.1",
                "dev",
                "v1",
            ],
            &["link", "set", "vx0", "addrgenmode", "none"],
        ],
    ),
    ("ifb", &[&["link", "add", "ifb0", "type", "ifb"]]),
    ("tun", &[&["tuntap", "add", "mode", "tun", "name", "t0"]]),
];

/// Build the fixture's links and addresses (tag names the namespaces).
pub fn fixture(tag: &str) -> Fixture {
    let other = NetNs::new(&format!("{tag}-far"));
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
link add br0 type bridge
link add vs0 type veth peer name vs1
link set vs0 master br0
link property add dev v0 altname veth-zero-alt
link property add dev v0 altname vz2
link set v1 group 7 txqlen 500 mtu 1400
",
    );
    ns.ip(&["link", "set", "v0", "alias", "veth zero \"quoted\""]);
    ns.ip(&[
        "link",
        "add",
        "va",
        "type",
        "veth",
        "peer",
        "name",
        "vb",
        "netns",
        &other.name,
    ]);
    let mut missing = Vec::new();
    for &(kind, cmds) in OPTIONAL {
        for cmd in cmds {
            let out = ns.ip_try(cmd);
            if !out.status.success() {
                let why = String::from_utf8_lossy(&out.stderr);
                eprintln!("skipped: cannot create a {kind} link here: {}", why.trim());
                missing.push(kind);
                break;
            }
        }
    }
    for dev in ["v0", "va", "br0", "vs0", "vs1", "mv0", "t0", "ifb0"] {
        // Links of missing kinds are simply not there.
        let _ = ns.ip_try(&["link", "set", dev, "up"]);
    }
    addresses(&ns);
    Fixture {
        ns,
        _other: other,
        missing,
    }
}

/// IPv4 with labels, secondaries, lifetimes, noprefixroute, a peer, a
/// metric; IPv6 with nodad, a peer, and one that stays tentative (on `v0`,
/// up without a carrier: DAD never starts).
///
/// `va` gets no IPv6 address on purpose: `ip -6 addr` reads links from the
/// IPv6 link dump, which lacks IFLA_LINK_NETNSID, and names va's peer
/// after whatever local interface has the peer's index. nlq does not copy
/// that bug, so va must stay out of `ip -6` output for the comparison.
fn addresses(ns: &NetNs) {
    ns.ip_batch(
        "addr add 10.1.0.1/24 dev br0
addr add 10.1.0.2/24 dev br0
addr add 10.1.0.3/24 dev br0 label br0:x
addr add 10.2.0.1/16 brd + dev br0 label br0:a0
addr add 10.3.0.1/24 dev br0 valid_lft 100 preferred_lft 50
addr add 10.4.0.1/24 dev br0 noprefixroute
addr add 10.5.0.1 peer 10.5.0.2/32 dev br0
addr add 10.7.0.1/24 dev br0 metric 55
addr add 10.8.0.1/24 dev br0 scope link
addr add 2001:db8::1/64 dev br0 nodad
addr add 2001:db8::4/64 dev br0 noprefixroute nodad
addr add 2001:db8:3::1 peer 2001:db8:3::2/128 dev br0 nodad
addr add 2001:db8:5::1/64 dev v0
addr add 10.30.0.1/24 dev v1
addr add 192.0.2.1/24 dev lo label lo:1
",
    );
}

/// Keys whose values run on a clock (bridge and port timers): dropped
/// from `ip`'s side, so the comparison is about everything else.
const TIMERS: [&str; 7] = [
    "hello_timer",
    "tcn_timer",
    "topology_change_timer",
    "gc_timer",
    "hold_timer",
    "message_age_timer",
    "forward_delay_timer",
];

/// Remove the timer keys from every `linkinfo` of `v`.
pub fn strip_timers(v: &mut Value) {
    for link in v.as_array_mut().into_iter().flatten() {
        let Some(info) = link.get_mut("linkinfo") else {
            continue;
        };
        for data in ["info_data", "info_slave_data"] {
            if let Some(Value::Object(d)) = info.get_mut(data) {
                // retain keeps the order (remove would swap the last key in).
                d.retain(|k, _| !TIMERS.contains(&k.as_str()));
            }
        }
    }
}

/// Compare `ip ip_args` with `nlq nlq_args` under the superset rule, on a
/// stable snapshot: counters, lifetimes and DAD states move, so `ip` runs
/// before and after nlq and the comparison counts only when both agree.
pub fn assert_superset_stable(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) {
    let what = format!("ip {}", ip_args.join(" "));
    let probe = || {
        let mut v = ns.ip_json(ip_args);
        strip_timers(&mut v);
        v
    };
    let (ip, nlq) = on_stable(&what, probe, || ns.nlq_json(nlq_args));
    assert_superset(&ip, &nlq, &what);
}

/// The object of `array` whose `key` is `name`.
pub fn by<'a>(array: &'a Value, key: &str, name: &str) -> &'a Value {
    array
        .as_array()
        .and_then(|a| a.iter().find(|o| o[key] == name))
        .unwrap_or_else(|| panic!("no object with {key} = {name}: {array}"))
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_link() {
    let f = fixture("links-ip");
    assert_superset_stable(&f.ns, &["-s", "link", "show"], &["links", "--json=ip"]);
    assert_superset_stable(&f.ns, &["-d", "link", "show"], &["links", "--json=ip"]);
    assert_superset_stable(
        &f.ns,
        &["-s", "-s", "link", "show"],
        &["links", "--json=ip"],
    );
    // One link, by name and by altname (ip accepts both too).
    assert_superset_stable(
        &f.ns,
        &["-s", "link", "show", "dev", "v0"],
        &["links", "v0", "--json=ip"],
    );
    assert_superset_stable(
        &f.ns,
        &["-d", "link", "show", "dev", "vs0"],
        &["links", "vs0", "--json=ip"],
    );
    assert_superset_stable(
        &f.ns,
        &["-s", "link", "show", "dev", "veth-zero-alt"],
        &["links", "veth-zero-alt", "--json=ip"],
    );
    // The bridge's timers were left out of the comparison: present, numbers.
    let nlq = f.ns.nlq_json(&["links", "br0", "--json=ip"]);
    assert!(
        nlq[0]["linkinfo"]["info_data"]["gc_timer"].is_number(),
        "{nlq}"
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation() {
    let f = fixture("links-doc");
    let links = f.ns.nlq_json(&["links", "--json"]);
    assert!(links.as_array().unwrap().len() >= 7);
    assert_documented("links", &links);
    // `-j` is `--json`.
    let short = f.ns.nlq_json(&["links", "-j", "br0"]);
    assert_eq!(short.as_array().unwrap().len(), 1);
    assert_documented("links", &short);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_values() {
    let f = fixture("links-val");
    let links = f.ns.nlq_json(&["links", "--json"]);

    let v0 = by(&links, "name", "v0");
    assert_eq!(v0["alias"], "veth zero \"quoted\"");
    assert_eq!(v0["altnames"], serde_json::json!(["veth-zero-alt", "vz2"]));
    assert_eq!(v0["kind"], "veth");
    assert_eq!(v0["link"], "v1");
    assert_eq!(v0["operstate"], "lowerlayerdown", "its peer v1 is down");
    assert!(v0["flags"].as_array().unwrap().contains(&"up".into()));
    assert_eq!(v0["link_type"], "ether");
    assert!(v0["address"].as_str().unwrap().len() == 17);

    let v1 = by(&links, "name", "v1");
    assert_eq!(
        (v1["mtu"].as_u64(), v1["txqlen"].as_u64()),
        (Some(1400), Some(500))
    );
    assert_eq!(v1["group_id"], 7);
    assert_eq!(v1["group"], Value::Null, "group 7 has no name");
    assert_eq!(v1["operstate"], "down");

    let va = by(&links, "name", "va");
    assert_eq!(va["link"], Value::Null, "the peer is in another namespace");
    assert!(va["link_index"].is_number());
    assert_eq!(va["link_netnsid"], 0);

    let vs0 = by(&links, "name", "vs0");
    assert_eq!(vs0["master"], "br0");
    assert_eq!(vs0["master_index"], by(&links, "name", "br0")["index"]);
    assert_eq!(vs0["slave_kind"], "bridge");

    let lo = by(&links, "name", "lo");
    assert_eq!(lo["link_type"], "loopback");
    assert_eq!(lo["group"], "default");
    assert_eq!(lo["group_id"], 0);
    let stats = lo["stats64"].as_object().unwrap();
    assert_eq!(stats.len(), 25);
    assert!(stats.values().all(Value::is_u64), "{stats:?}");

    if f.has("tun") {
        let t0 = by(&links, "name", "t0");
        assert_eq!(t0["link_type"], "none");
        assert_eq!(t0["address"], Value::Null);
        assert_eq!(t0["kind"], "tun");
    }
    if f.has("vxlan") {
        assert_eq!(by(&links, "name", "vx0")["inet6_addr_gen_mode"], "none");
        let ip = f.ns.nlq_json(&["links", "vx0", "--json=ip"]);
        let data = &ip[0]["linkinfo"]["info_data"];
        assert_eq!(
            (data["id"].as_u64(), data["port"].as_u64()),
            (Some(42), Some(4789))
        );
        assert_eq!(data["remote"], "10.9.9.2");
    }
    if f.has("macvlan") {
        assert_eq!(by(&links, "name", "mv0")["link"], "v0");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn unknown_name_is_an_error_and_no_output() {
    let ns = NetNs::new("links-err");
    for json in [None, Some("--json"), Some("--json=ip")] {
        let mut args = vec!["links", "nosuchdev"];
        args.extend(json);
        let out = ns.nlq(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "nlq: no such device: nosuchdev\n"
        );
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn table_names_every_link() {
    let f = fixture("links-tbl");
    let text = f.ns.nlq_text(&["links"]);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for col in [
        "INDEX", "NAME", "STATE", "FLAGS", "MTU", "MASTER", "LINK", "TYPE", "ADDRESS",
    ] {
        assert!(header.contains(col), "{header}");
    }
    let rows: Vec<&str> = lines.skip(1).collect();
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.split_whitespace().nth(1))
        .collect();
    for name in ["lo", "v0", "v1", "va", "br0", "vs0", "vs1"] {
        assert!(names.contains(&name), "{text}");
    }
    let vs0 = rows
        .iter()
        .find(|r| r.split_whitespace().nth(1) == Some("vs0"))
        .unwrap();
    assert!(
        vs0.contains("br0") && vs0.contains("vs1"),
        "master and peer by name: {vs0}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

/// Where a dump's answer carried NLM_F_DUMP_FILTERED: on its data
/// messages, on its NLMSG_DONE.
///
/// The two differ by family. A route dump's DONE carries the flag when the
/// kernel applied the request's filter (`cb->answer_flags`), while its
/// routes carry it on every strict dump (a dump without exceptions counts
/// as filtered). A link dump flags its links when it filtered by master or
/// kind, and never its DONE.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flagged {
    /// Some data message carried the flag.
    pub data: bool,
    /// The NLMSG_DONE carried the flag.
    pub done: bool,
}

/// Run `nlq --capture FILE ARGS` in `ns` and say, for each dump in the
/// capture, where the kernel flagged its answer NLM_F_DUMP_FILTERED.
pub fn dumps_filtered(ns: &NetNs, args: &[&str]) -> Vec<Flagged> {
    use nlq::pcap::{Direction, PcapReader};
    use nlq::wire::nlmsg::{Messages, NLM_F_DUMP_FILTERED, NLMSG_DONE};
    let file = std::env::temp_dir().join(format!(
        "nlq-filtered-{}-{}.pcap",
        std::process::id(),
        ns.name
    ));
    let path = file.to_str().unwrap();
    let out = ns.nlq(&[&["--capture", path][..], args].concat());
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = PcapReader::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut dumps: Vec<Flagged> = Vec::new();
    while let Some(rec) = reader.next_record().unwrap() {
        if rec.dir == Direction::ToKernel {
            dumps.push(Flagged::default());
            continue;
        }
        let last = dumps.last_mut().expect("a request first");
        for msg in Messages::new(rec.data) {
            let msg = msg.unwrap();
            let flagged = msg.flags() & NLM_F_DUMP_FILTERED != 0;
            match msg.kind() {
                NLMSG_DONE => last.done |= flagged,
                _ => last.data |= flagged,
            }
        }
    }
    let _ = std::fs::remove_file(&file);
    dumps
}

/// `ip -d -j link show SELECTOR` with the empty objects ip prints for
/// links its own filter drops (with `type KIND_slave`, and with a kind
/// the kernel does not filter on, ip opens an object per link before it
/// filters) taken out.
fn ip_links_without_empties(ns: &NetNs, selector: &[&str]) -> Value {
    let args = [&["-d", "link", "show"][..], selector].concat();
    let mut v = ns.ip_json(&args);
    v.as_array_mut()
        .unwrap()
        .retain(|o| o.as_object().is_some_and(|m| !m.is_empty()));
    strip_timers(&mut v);
    v
}

/// A link object without what moves on its own (counters).
fn settled(mut v: Value) -> Value {
    for l in v.as_array_mut().into_iter().flatten() {
        l.as_object_mut().unwrap().remove("stats64");
        // Bridge and bridge port timers tick between two reads.
        for data in ["kind_data", "slave_data"] {
            if let Some(d) = l[data].as_object_mut() {
                d.retain(|k, _| !k.ends_with("_timer"));
            }
        }
    }
    v
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn link_selectors_equal_filtering_by_hand_and_ip() {
    let f = fixture("links-sel");
    type Keep = fn(&Value) -> bool;
    let mut cases: Vec<(Vec<&str>, Vec<&str>, Keep)> = vec![
        (vec!["--master", "br0"], vec!["master", "br0"], |l| {
            l["master"] == "br0"
        }),
        (vec!["--kind", "veth"], vec!["type", "veth"], |l| {
            l["kind"] == "veth"
        }),
        (vec!["--type", "bridge"], vec!["type", "bridge"], |l| {
            l["kind"] == "bridge"
        }),
        (
            vec!["--kind", "bridge_slave"],
            vec!["type", "bridge_slave"],
            |l| l["slave_kind"] == "bridge",
        ),
        (
            vec!["--master", "br0", "--kind", "veth"],
            vec!["master", "br0", "type", "veth"],
            |l| l["master"] == "br0" && l["kind"] == "veth",
        ),
        (
            vec!["--kind", "nosuchkind"],
            vec!["type", "nosuchkind"],
            |_| false,
        ),
    ];
    if f.has("macvlan") {
        cases.push((vec!["--kind", "macvlan"], vec!["type", "macvlan"], |l| {
            l["kind"] == "macvlan"
        }));
    }
    if f.has("vxlan") {
        cases.push((vec!["--kind", "vxlan"], vec!["type", "vxlan"], |l| {
            l["kind"] == "vxlan"
        }));
    }
    for (nlq_sel, ip_sel, keep) in cases {
        let all_args = ["links", "--json"];
        let args = [&["links"][..], &nlq_sel, &["--json"]].concat();
        let (picked, all) = (0..20)
            .find_map(|_| {
                let before = settled(f.ns.nlq_json(&all_args));
                let picked = settled(f.ns.nlq_json(&args));
                let after = settled(f.ns.nlq_json(&all_args));
                (before == after).then_some((picked, before))
            })
            .expect("the links settled");
        let by_hand: Vec<Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| keep(l))
            .cloned()
            .collect();
        let empty_ok = nlq_sel.contains(&"nosuchkind");
        assert!(by_hand.is_empty() == empty_ok, "{nlq_sel:?}: {all}");
        assert_eq!(picked, Value::Array(by_hand), "nlq links {nlq_sel:?}");
        crate::harness::assert_documented("links", &f.ns.nlq_json(&args));

        let ip_args = [&nlq_sel[..], &["--json=ip"]].concat();
        let nlq_ip = [&["links"][..], &ip_args].concat();
        let compared = (0..20).any(|_| {
            let before = ip_links_without_empties(&f.ns, &ip_sel);
            let nlq = f.ns.nlq_json(&nlq_ip);
            let stable = before == ip_links_without_empties(&f.ns, &ip_sel);
            if stable {
                assert_superset(&before, &nlq, &format!("nlq {nlq_ip:?}"));
            } else {
                std::thread::sleep(Duration::from_millis(150));
            }
            stable
        });
        assert!(compared, "ip link show {ip_sel:?} never settled");
    }
}

/// The kernel filters by master and by a kind it knows, and says so;
/// slave kinds and kinds it does not know are filtered here only.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn link_selectors_reach_the_kernel() {
    let f = fixture("links-kern");
    // A context dump (names, no filter), then the filtered dump.
    let (plain, filtered) = (
        Flagged::default(),
        Flagged {
            data: true,
            done: false,
        },
    );
    let cases: [(&[&str], [Flagged; 2]); 4] = [
        (&["links", "--master", "br0"], [plain, filtered]),
        (&["links", "--kind", "veth"], [plain, filtered]),
        (&["links", "--kind", "bridge_slave"], [plain, plain]),
        (&["links", "--kind", "nosuchkind"], [plain, plain]),
    ];
    for (args, want) in cases {
        assert_eq!(dumps_filtered(&f.ns, args), want, "{args:?}");
    }
    assert_eq!(
        dumps_filtered(&f.ns, &["links"]),
        [plain],
        "one dump without a filter"
    );

    // A name and a selector: both must hold.
    let one =
        f.ns.nlq_json(&["links", "vs0", "--master", "br0", "--json"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["name"], "vs0");
    let none = f.ns.nlq_json(&["links", "v0", "--master", "br0", "--json"]);
    assert_eq!(none, serde_json::json!([]));
    let out = f.ns.nlq(&["links", "--master", "nosuch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuch\n"
    );
    // The table names masters and peers although the filtered dump lacks them.
    let out = f.ns.nlq(&["links", "--master", "br0"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let vs0 = text.lines().find(|l| l.contains(" vs0 ")).unwrap();
    assert!(vs0.contains("br0") && vs0.contains("vs1"), "{text}");
}
