//! `--brief`: `nlq links|addrs|neigh -b` print `ip -br`'s lines, and with
//! `--json=ip` a superset of `ip -br -j`; `nlq routes -b` prints a line
//! per route; nlq's own `--json` is never cut down.

use crate::harness::{NetNs, assert_superset, on_stable};

/// veth `v0`—`v1` (v1 in a bridge), a peer address, IPv4 and IPv6
/// addresses, neighbours in several states, a multipath route.
fn fixture() -> NetNs {
    let ns = NetNs::new("brief");
    ns.ip_batch(
        "link add v0 type veth peer name v1
link add br0 type bridge
link set v1 master br0
link set v0 up
link set v1 up
addr add 10.0.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0 nodad
addr add 10.9.9.1 peer 10.9.9.2 dev br0
neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent
neigh add 10.0.0.3 dev v0 nud failed
neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev v0 router nud stale
route add 203.0.113.0/24 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2
route add blackhole 198.51.100.0/24
",
    );
    ns
}

/// `ip -br ip_args` (trailing blanks trimmed, as nlq writes none) against
/// `nlq -b nlq_args`, and the `-j` forms under the superset rule, on a
/// snapshot `ip` gives twice in a row.
/// `first`, then `rest`.
fn with<'a>(first: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![first];
    v.extend_from_slice(rest);
    v
}

fn assert_brief(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) {
    let (ip, nlq) = (with("-br", ip_args), with("-b", nlq_args));
    let ip_text = || {
        let text = ns.ip(&ip);
        text.lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect::<String>()
    };
    let what = format!("ip {ip:?}");
    let (want, text) = on_stable(&what, ip_text, || ns.nlq_text(&nlq));
    assert_eq!(text, want, "nlq {nlq:?}");
    let ip_json = || ns.ip_json(&ip);
    let nlq_json = with("--json=ip", &nlq);
    let (want, got) = on_stable(&what, ip_json, || ns.nlq_json(&nlq_json));
    assert_superset(&want, &got, "brief");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn links_addrs_and_neighbours_as_ip_br_prints_them() {
    let ns = fixture();
    assert_brief(&ns, &["link", "show"], &["links"]);
    assert_brief(&ns, &["link", "show", "dev", "v1"], &["links", "v1"]);
    assert_brief(&ns, &["addr", "show"], &["addrs"]);
    assert_brief(&ns, &["-4", "addr", "show"], &["addrs", "-4"]);
    assert_brief(
        &ns,
        &["-6", "addr", "show", "dev", "v0"],
        &["addrs", "-6", "--dev", "v0"],
    );
    assert_brief(&ns, &["neigh", "show"], &["neigh"]);
    assert_brief(
        &ns,
        &["neigh", "show", "nud", "all"],
        &["neigh", "--state", "all"],
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn routes_one_line_each_and_nlq_json_whole() {
    let ns = fixture();
    let text = ns.nlq_text(&["routes", "-4", "-b"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"10.0.0.0/24 dev v0"), "{text}");
    assert!(lines.contains(&"blackhole 198.51.100.0/24"), "{text}");
    assert!(
        lines.contains(&"203.0.113.0/24 via 10.0.0.2 dev v0 via 10.0.0.3 dev v0"),
        "{text}"
    );
    // ip has no brief routes: the ip dialect stays whole, and so does
    // nlq's own schema for every command.
    for args in [
        ["routes", "-4", "--json=ip"],
        ["routes", "-4", "--json"],
        ["links", "br0", "--json"], // down: its counters stand still
        ["addrs", "-4", "--json"],
    ] {
        let mut brief = args.to_vec();
        brief.push("-b");
        assert_eq!(ns.nlq_json(&brief), ns.nlq_json(&args), "{args:?}");
    }
}
