//! `nlq neigh`: a namespace with permanent, stale, reachable, noarp, none,
//! incomplete and failed neighbours on IPv4 and IPv6, a router-flagged
//! IPv6 entry, an externally learned one, one with a protocol, and proxy
//! entries, spread over a plain veth (v0), a bridge port (v1) and its
//! bridge (br0). `--json=ip` is compared with `ip -j [-s] neigh show`
//! under the superset rule (ages within the `ip` runs before and after),
//! `--json` with docs/json.md and by value, and every selector with the
//! unfiltered output filtered by hand.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset};
use crate::links::by;

/// The ages, which grow between any two runs.
const AGES: [&str; 3] = ["used", "confirmed", "updated"];

/// Build the namespace. Reachable entries would turn stale after 15 to 45
/// seconds; a base reachable time of an hour keeps them still.
fn fixture(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip_batch(
        "link add v0 type veth peer name v1
link add br0 type bridge
link set v1 master br0
link set v0 up
link set v1 up
link set br0 up
",
    );
    wait_for_carrier(&ns, &["v0", "v1", "br0"]);
    ns.ip_batch(
        "ntable change name arp_cache dev v0 base_reachable 3600000
ntable change name ndisc_cache dev v0 base_reachable 3600000
ntable change name arp_cache dev br0 base_reachable 3600000
addr add 10.0.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0 nodad
addr add 10.1.0.1/24 dev br0
neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent
neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale
neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud reachable
neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud noarp
neigh add 10.0.0.6 dev v0 nud none
neigh add 10.0.0.7 dev v0 nud incomplete
neigh add 10.0.0.8 dev v0 nud failed
neigh add 2001:db8::2 lladdr 02:00:00:00:00:12 dev v0 nud permanent router
neigh add 2001:db8::3 lladdr 02:00:00:00:00:13 dev v0 nud stale
neigh add 2001:db8::4 lladdr 02:00:00:00:00:14 dev v0 nud reachable
neigh add 2001:db8::5 lladdr 02:00:00:00:00:15 dev v0 nud noarp
neigh add 10.1.0.2 lladdr 02:00:00:00:01:02 dev br0 nud permanent
neigh add 10.1.0.5 lladdr 02:00:00:00:01:05 dev br0 nud reachable
neigh add 10.1.0.3 lladdr 02:00:00:00:01:03 dev v1 nud permanent
neigh add 10.1.0.4 lladdr 02:00:00:00:01:04 dev v1 nud stale protocol static
neigh add 10.1.0.9 lladdr 02:00:00:00:01:09 dev v1 nud noarp extern_learn
neigh add 2001:db8:1::3 lladdr 02:00:00:00:01:13 dev v1 nud permanent
neigh add proxy 10.0.0.100 dev v0
neigh add proxy 2001:db8::100 dev v0
neigh add proxy 10.1.0.100 dev br0
",
    );
    ns
}

/// Wait until `devs` are operationally up. Carrier changes reach the
/// neighbour tables late (linkwatch), and a carrier-down event that lands
/// after an entry was added flushes it unless it is permanent; operstate
/// is set by the same linkwatch run, so once it says UP the events are in.
fn wait_for_carrier(ns: &NetNs, devs: &[&str]) {
    for _ in 0..100 {
        let links = ns.ip_json(&["link", "show"]);
        let up = |d: &&str| {
            let l = links.as_array().unwrap().iter().find(|l| l["ifname"] == *d);
            l.is_some_and(|l| l["operstate"] == "UP")
        };
        if devs.iter().all(up) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{devs:?} never came up");
}

/// Drop the ages of every object (`retain` keeps the key order).
fn strip_ages(v: &mut Value) {
    for o in v.as_array_mut().into_iter().flatten() {
        if let Value::Object(m) = o {
            m.retain(|k, _| !AGES.contains(&k.as_str()));
        }
    }
}

/// Every age `nlq` printed lies between what `ip` printed before and after.
fn ages_between(before: &Value, nlq: &Value, after: &Value) {
    let (b, n, a) = (before.as_array(), nlq.as_array(), after.as_array());
    for ((b, n), a) in b
        .into_iter()
        .flatten()
        .zip(n.into_iter().flatten())
        .zip(a.into_iter().flatten())
    {
        for key in AGES {
            let Some(lo) = b.get(key).and_then(Value::as_u64) else {
                continue;
            };
            let hi = a[key].as_u64().unwrap();
            let got = n[key]
                .as_u64()
                .unwrap_or_else(|| panic!("nlq lacks {key}: {n}"));
            assert!(
                (lo..=hi).contains(&got),
                "{key}: ip {lo} then {hi}, nlq {got}: {n}"
            );
        }
    }
}

/// Compare `ip -j ip_args` with `nlq nlq_args --json=ip` on a stable
/// snapshot: `ip` runs before and after nlq and the comparison counts when
/// both agree but for the ages, which must hold nlq's between them.
fn assert_superset_stable(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) {
    let mut nlq_args = nlq_args.to_vec();
    nlq_args.push("--json=ip");
    for _ in 0..20 {
        let before = ns.ip_json(ip_args);
        let nlq = ns.nlq_json(&nlq_args);
        let after = ns.ip_json(ip_args);
        let (mut b, mut a) = (before.clone(), after.clone());
        strip_ages(&mut b);
        strip_ages(&mut a);
        if b == a {
            assert_superset(&b, &nlq, &format!("ip {}", ip_args.join(" ")));
            ages_between(&before, &nlq, &after);
            return;
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    panic!("ip {ip_args:?} never gave the same answer twice in a row");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_ip_is_a_superset_of_ip_neigh() {
    let ns = fixture("neigh-ip");
    let cases: &[(&[&str], &[&str])] = &[
        (&["neigh", "show"], &["neigh"]),
        (&["-s", "neigh", "show"], &["neigh"]),
        (&["-4", "neigh", "show"], &["neigh", "-4"]),
        (&["-6", "neigh", "show"], &["neigh", "-6"]),
        (
            &["-6", "-s", "neigh", "show"],
            &["neigh", "--family", "inet6"],
        ),
        (
            &["neigh", "show", "nud", "all"],
            &["neigh", "--state", "all"],
        ),
        (
            &["-s", "neigh", "show", "nud", "all"],
            &["neigh", "--state", "all"],
        ),
        (
            &["-4", "-s", "neigh", "show", "nud", "all"],
            &["neigh", "-4", "--state", "all"],
        ),
        (&["neigh", "show", "dev", "v0"], &["neigh", "--dev", "v0"]),
        (
            &["-s", "neigh", "show", "dev", "v1", "nud", "all"],
            &["neigh", "-d", "v1", "--state", "all"],
        ),
        (&["neigh", "show", "dev", "br0"], &["neigh", "--dev", "br0"]),
        (
            &["neigh", "show", "master", "br0"],
            &["neigh", "--master", "br0"],
        ),
        (
            &["neigh", "show", "master", "br0", "nud", "all"],
            &["neigh", "--master", "br0", "--state", "all"],
        ),
        (
            &["neigh", "show", "nud", "none"],
            &["neigh", "--state", "none"],
        ),
        (
            &["neigh", "show", "nud", "noarp", "nud", "stale"],
            &["neigh", "--state", "noarp,stale"],
        ),
        (
            &["neigh", "show", "nud", "permanent", "nud", "failed"],
            &["neigh", "--state", "permanent", "--state", "failed"],
        ),
        (
            &["neigh", "show", "nud", "reachable"],
            &["neigh", "--state", "reachable"],
        ),
        (&["neigh", "show", "proxy"], &["neigh", "--proxy"]),
        (&["-s", "neigh", "show", "proxy"], &["neigh", "--proxy"]),
        (
            &["-6", "neigh", "show", "proxy"],
            &["neigh", "--proxy", "-6"],
        ),
        (
            &["neigh", "show", "proxy", "dev", "br0"],
            &["neigh", "--proxy", "--dev", "br0"],
        ),
        (
            &["neigh", "show", "proxy", "nud", "all"],
            &["neigh", "--proxy", "--state", "all"],
        ),
    ];
    for (ip, nlq) in cases {
        assert_superset_stable(&ns, ip, nlq);
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_matches_the_documentation() {
    let ns = fixture("neigh-doc");
    let all = ns.nlq_json(&["neigh", "--json", "--state", "all"]);
    assert!(all.as_array().unwrap().len() >= 17, "{all}");
    assert_documented("neigh", &all);
    let proxies = ns.nlq_json(&["neigh", "--json", "--proxy"]);
    assert_eq!(proxies.as_array().unwrap().len(), 3);
    assert_documented("neigh", &proxies);
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn json_values() {
    let ns = fixture("neigh-val");
    let all = ns.nlq_json(&["neigh", "--json", "--state", "all"]);
    let dst = |d: &str| by(&all, "dst", d).clone();

    let p = dst("10.0.0.2");
    assert_eq!(
        (&p["family"], &p["dev"], &p["type"]),
        (&"inet".into(), &"v0".into(), &"unicast".into())
    );
    assert_eq!(p["lladdr"], "02:00:00:00:00:02");
    assert_eq!(strings(&p["state"]), ["permanent"]);
    assert_eq!(strings(&p["flags"]), Vec::<&str>::new());
    assert_eq!(
        (&p["router"], &p["master"], &p["protocol"]),
        (&false.into(), &Value::Null, &Value::Null)
    );
    assert!(p["ifindex"].is_u64() && p["probes"] == 0);
    for key in ["used", "confirmed", "updated"] {
        let age = p[key].as_f64().unwrap();
        assert!((0.0..120.0).contains(&age), "{key} = {age}");
    }

    assert_eq!(strings(&dst("10.0.0.3")["state"]), ["stale"]);
    assert_eq!(strings(&dst("10.0.0.4")["state"]), ["reachable"]);
    assert_eq!(strings(&dst("10.0.0.5")["state"]), ["noarp"]);
    let none = dst("10.0.0.6");
    assert_eq!(
        (strings(&none["state"]).len(), &none["lladdr"]),
        (0, &Value::Null)
    );
    assert_eq!(strings(&dst("10.0.0.7")["state"]), ["incomplete"]);
    assert_eq!(strings(&dst("10.0.0.8")["state"]), ["failed"]);

    let router = dst("2001:db8::2");
    assert_eq!(
        (&router["family"], &router["router"]),
        (&"inet6".into(), &true.into())
    );
    assert_eq!(strings(&router["flags"]), ["router"]);
    assert_eq!(dst("2001:db8::3")["router"], false);

    let port = dst("10.1.0.4");
    assert_eq!(
        (&port["dev"], &port["master"]),
        (&"v1".into(), &"br0".into())
    );
    assert!(port["master_index"].is_u64());
    assert_eq!(
        (&port["protocol"], &port["protocol_id"]),
        (&"static".into(), &4.into())
    );
    assert_eq!(strings(&dst("10.1.0.9")["flags"]), ["extern_learn"]);
    let bridge = dst("10.1.0.2");
    assert_eq!(
        (&bridge["dev"], &bridge["master"]),
        (&"br0".into(), &Value::Null)
    );

    let proxies = ns.nlq_json(&["neigh", "--json", "--proxy"]);
    let p = by(&proxies, "dst", "10.1.0.100");
    assert_eq!(p["dev"], "br0");
    assert_eq!(strings(&p["flags"]), ["proxy"]);
    assert_eq!(strings(&p["state"]).len(), 0);
    assert_eq!(
        (&p["used"], &p["probes"], &p["lladdr"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
}

/// Run `f` until both values agree once the ages are dropped (states and
/// kernel-made multicast entries may change between two runs).
fn eventually_equal(mut f: impl FnMut() -> (Value, Value)) {
    let mut last = None;
    for _ in 0..10 {
        let (mut a, mut b) = f();
        strip_ages(&mut a);
        strip_ages(&mut b);
        if a == b {
            return;
        }
        last = Some((a, b));
        std::thread::sleep(Duration::from_millis(150));
    }
    let (a, b) = last.unwrap();
    panic!("never equal:\nby hand: {a}\nnlq:     {b}");
}

/// `ip`'s state rule over nlq's JSON: some state of `states`, or
/// extern_learn or proxy, or no state when `none` is asked for.
fn shown(n: &Value, states: &[&str]) -> bool {
    let st = strings(&n["state"]);
    let flags = strings(&n["flags"]);
    st.iter().any(|s| states.contains(s))
        || flags.contains(&"extern_learn")
        || flags.contains(&"proxy")
        || (st.is_empty() && states.contains(&"none"))
}

/// `nlq neigh ARGS --json` equals `nlq neigh FROM --json` filtered by `keep`.
fn selector(ns: &NetNs, from: &[&str], args: &[&str], keep: impl Fn(&Value) -> bool) {
    let run = |extra: &[&str]| {
        let mut a = vec!["neigh", "--json"];
        a.extend_from_slice(extra);
        ns.nlq_json(&a)
    };
    eventually_equal(|| {
        let all = run(from);
        let picked = all.as_array().unwrap().iter().filter(|n| keep(n)).cloned();
        (Value::Array(picked.collect()), run(args))
    });
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn selectors_equal_filtering_by_hand() {
    let ns = fixture("neigh-sel");
    let all = ["--state", "all"];
    let with_all = |extra: &[&'static str]| [&all[..], extra].concat();
    for dev in ["v0", "v1", "br0"] {
        selector(&ns, &all, &with_all(&["--dev", dev]), |n| n["dev"] == dev);
    }
    selector(&ns, &all, &with_all(&["--master", "br0"]), |n| {
        n["master"] == "br0"
    });
    selector(&ns, &all, &with_all(&["--master", "v0"]), |_| false);
    let both = with_all(&["--dev", "v1", "--master", "br0"]);
    selector(&ns, &all, &both, |n| n["dev"] == "v1");
    selector(&ns, &all, &with_all(&["-4"]), |n| n["family"] == "inet");
    selector(&ns, &all, &with_all(&["-6"]), |n| n["family"] == "inet6");
    let v6_v0 = with_all(&["--family", "inet6", "--dev", "v0"]);
    selector(&ns, &all, &v6_v0, |n| {
        n["family"] == "inet6" && n["dev"] == "v0"
    });
    let names = [
        "permanent",
        "noarp",
        "reachable",
        "stale",
        "none",
        "incomplete",
        "delay",
        "probe",
        "failed",
    ];
    for state in names {
        selector(&ns, &all, &["--state", state], |n| shown(n, &[state]));
    }
    let two = ["--state", "stale,noarp"];
    selector(&ns, &all, &two, |n| shown(n, &["stale", "noarp"]));
    let repeated = ["--state", "none", "--state", "permanent"];
    selector(&ns, &all, &repeated, |n| shown(n, &["none", "permanent"]));
    let default: Vec<&str> = names
        .into_iter()
        .filter(|s| !["noarp", "none"].contains(s))
        .collect();
    selector(&ns, &all, &[], |n| shown(n, &default));
    let proxy = ["--proxy"];
    selector(&ns, &proxy, &["--proxy", "--dev", "br0"], |n| {
        n["dev"] == "br0"
    });
    selector(&ns, &proxy, &["--proxy", "-6"], |n| n["family"] == "inet6");
    selector(&ns, &proxy, &["--proxy", "--state", "stale"], |_| true);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn aliases_and_table() {
    let ns = fixture("neigh-tbl");
    for alias in ["neighbour", "neighbor", "n"] {
        eventually_equal(|| {
            (
                ns.nlq_json(&["neigh", "--json", "--state", "all"]),
                ns.nlq_json(&[alias, "--json", "--state", "all"]),
            )
        });
    }
    // Not noarp: the kernel adds multicast entries of its own while the
    // links come up, and the table and the JSON are two runs.
    let sel = ["neigh", "--dev", "v0", "--state", "permanent,none,stale"];
    let text = ns.nlq_text(&sel);
    let lines: Vec<&str> = text.lines().collect();
    for col in [
        "DST",
        "DEV",
        "LLADDR",
        "STATE",
        "FLAGS",
        "PROBES",
        "USED",
        "CONFIRMED",
        "UPDATED",
    ] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    let json = ns.nlq_json(&[&sel[..], &["--json"]].concat());
    assert_eq!(lines.len() - 2, json.as_array().unwrap().len(), "{text}");
    let router = lines.iter().find(|l| l.contains("2001:db8::2 ")).unwrap();
    assert!(
        router.contains("02:00:00:00:00:12")
            && router.contains("permanent")
            && router.contains("router"),
        "{router}"
    );
    let none = lines.iter().find(|l| l.contains("10.0.0.6 ")).unwrap();
    assert!(none.contains(" none"), "{none}");

    let out = ns.nlq(&["neigh", "--proxy"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.lines().next().unwrap().contains("USED"),
        "proxies have no ages: {text}"
    );
    assert_eq!(text.lines().count(), 2 + 3, "{text}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn bad_input() {
    let ns = fixture("neigh-err");
    for args in [
        ["neigh", "--dev", "nosuchdev"],
        ["neigh", "--master", "nosuchdev"],
    ] {
        let out = ns.nlq(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "nlq: no such device: nosuchdev\n"
        );
    }
    let out = ns.nlq(&["neigh", "--family", "mpls", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: --family mpls: neighbour tables are inet or inet6 only\n"
    );
    let out = ns.nlq(&["neigh", "--state", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bogus"), "{err}");
}

/// On a device without link-layer addresses (tun) the kernel sends an
/// empty NDA_LLADDR; `ip` reads the byte after it (the next attribute's
/// length, 8) and prints `"08"`. nlq prints `""`; everything else agrees.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn empty_lladdr_is_empty_not_the_next_byte() {
    let ns = NetNs::new("neigh-tun");
    let made = ns.ip_try(&["tuntap", "add", "dev", "tn0", "mode", "tun"]);
    if !made.status.success() {
        eprintln!(
            "skipped: no tun device: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        return;
    }
    ns.ip_batch(
        "link set tn0 up
addr add 10.5.0.1/24 dev tn0
neigh add 10.5.0.2 dev tn0 nud permanent
",
    );
    let mut ip = ns.ip_json(&["neigh", "show", "dev", "tn0"]);
    let nlq = ns.nlq_json(&["neigh", "--dev", "tn0", "--json=ip"]);
    assert_eq!(ip[0]["lladdr"], "08", "ip's over-read: {ip}");
    assert_eq!(nlq[0]["lladdr"], "", "{nlq}");
    // The kernel keys entries on point-to-point devices by 0.0.0.0.
    assert_eq!(
        (&ip[0]["dst"], &nlq[0]["dst"]),
        (&"0.0.0.0".into(), &"0.0.0.0".into())
    );
    ip[0].as_object_mut().unwrap().remove("lladdr");
    assert_superset(&ip, &nlq, "ip neigh show dev tn0");
    let own = ns.nlq_json(&["neigh", "--dev", "tn0", "--json"]);
    assert_eq!(own[0]["lladdr"], "");
}

/// Entries `nlq neigh get` finds, one per state and kind: (address, device).
const GETS: [(&str, &str); 9] = [
    ("10.0.0.2", "v0"),
    ("10.0.0.3", "v0"),
    ("10.0.0.5", "v0"),
    ("10.0.0.6", "v0"),
    ("10.0.0.8", "v0"),
    ("2001:db8::2", "v0"),
    ("10.1.0.2", "br0"),
    ("10.1.0.4", "v1"),
    ("10.1.0.9", "v1"),
];

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn get_is_a_superset_of_ip_neigh_show_of_that_entry() {
    let ns = fixture("neigh-get");
    for (addr, dev) in GETS {
        // `ip -j neigh get` prints text (iproute2 6.1 opens no JSON
        // context there): compare with the same entry from `show`.
        let ip = ["-s", "neigh", "show", "to", addr, "dev", dev, "nud", "all"];
        assert_eq!(ns.ip_json(&ip).as_array().unwrap().len(), 1, "{addr}");
        assert_superset_stable(&ns, &ip, &["neigh", "get", addr, "--dev", dev]);
        let ours = ns.nlq_json(&["neigh", "get", addr, "-d", dev, "--json"]);
        assert_documented("neigh", &ours);
        assert_eq!(
            (&ours[0]["dst"], &ours[0]["dev"]),
            (&addr.into(), &dev.into())
        );
        let text = ns.ip(&["neigh", "get", addr, "dev", dev]);
        let state = text.split_whitespace().last().unwrap().to_lowercase();
        let row = ns.nlq_text(&["neigh", "get", addr, "--dev", dev]);
        assert!(row.contains(&state), "ip: {text} nlq: {row}");
    }
    let proxy = [
        "-s",
        "neigh",
        "show",
        "proxy",
        "to",
        "10.0.0.100",
        "dev",
        "v0",
    ];
    assert_superset_stable(
        &ns,
        &proxy,
        &["neigh", "get", "10.0.0.100", "-d", "v0", "--proxy"],
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn get_of_no_entry_is_ips_error() {
    let ns = fixture("neigh-get-err");
    for (args, ip_args, ip_says) in [
        (
            &["neigh", "get", "10.0.0.99", "--dev", "v0"][..],
            &["neigh", "get", "10.0.0.99", "dev", "v0"][..],
            "Neighbour entry not found",
        ),
        (
            &["neigh", "get", "10.0.0.2", "--dev", "v1"],
            &["neigh", "get", "10.0.0.2", "dev", "v1"],
            "Neighbour entry not found",
        ),
        (
            &["neigh", "get", "10.0.0.99", "--dev", "v0", "--proxy"],
            &["neigh", "get", "proxy", "10.0.0.99", "dev", "v0"],
            "Proxy neighbour entry not found",
        ),
    ] {
        let ip = ns.ip_try(ip_args);
        assert!(String::from_utf8_lossy(&ip.stderr).contains(ip_says));
        let out = ns.nlq(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(ip_says) && err.contains(args[2]), "{err}");
    }
    let out = ns.nlq(&["neigh", "get", "10.0.0.2", "--dev", "nosuch0"]);
    assert_eq!(out.status.code(), Some(1));
    for args in [
        &["neigh", "get", "10.0.0.2"][..],
        &["neigh", "--dev", "v0", "get", "10.0.0.2"],
        &["neigh", "get", "not-an-address", "--dev", "v0"],
    ] {
        assert_eq!(ns.nlq(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn get_capture_replays_to_the_same_output() {
    let ns = fixture("neigh-get-cap");
    let path = std::env::temp_dir().join(format!("nlq-ngget-{}.pcap", std::process::id()));
    let p = path.to_str().unwrap();
    let args = ["neigh", "get", "2001:db8::2", "--dev", "v0", "--json"];
    let live = ns.nlq_json(&[&args[..], &["--capture", p]].concat());
    let replayed = crate::harness::nlq(&[&args[..], &["--replay", p]].concat());
    let _ = std::fs::remove_file(&path);
    let replayed: Value = serde_json::from_slice(&replayed.stdout).unwrap();
    assert_eq!(live, replayed);
}
