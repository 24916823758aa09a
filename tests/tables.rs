//! Tables people shape: `--columns` chooses and orders columns by their
//! `--json` keys, `--sort` orders rows, `--color` paints them (never the
//! JSON), and each misuse is a usage error before any socket opens.

use crate::harness::{NetNs, clean_env, nlq, nlq_path};

fn fixture() -> NetNs {
    let ns = NetNs::new("tables");
    ns.ip_batch(
        "link add v0 type veth peer name v1
link set v0 up
link set v1 up
addr add 10.0.0.1/24 dev v0
route add 10.5.0.0/16 via 10.0.0.9
route add 10.2.0.0/16 via 10.0.0.3
route add 9.0.0.0/8 via 10.0.0.20
neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent
",
    );
    ns
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn columns_in_the_order_asked_and_rows_sorted() {
    let ns = fixture();
    let text = ns.nlq_text(&["routes", "-4", "-o", "gateway,dst", "--sort", "dst"]);
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], ["GATEWAY", "DST"]);
    let rows: Vec<Vec<&str>> = lines[2..].to_vec();
    assert_eq!(
        rows,
        [
            vec!["10.0.0.20", "9.0.0.0/8"],
            vec!["10.0.0.0/24"], // no gateway: an empty cell
            vec!["10.0.0.3", "10.2.0.0/16"],
            vec!["10.0.0.9", "10.5.0.0/16"],
        ]
    );
    // Sorted by gateway: addresses in order, the empty cell last.
    let text = ns.nlq_text(&["routes", "-4", "--columns", "gateway", "--sort", "gateway"]);
    let gws: Vec<&str> = text.lines().skip(2).map(str::trim).collect();
    assert_eq!(gws, ["10.0.0.3", "10.0.0.9", "10.0.0.20", ""]);
    // Every table command knows its keys.
    for (cmd, keys) in [
        ("links", "name,operstate,mtu"),
        ("addrs", "dev,cidr"),
        ("neigh", "dst,dev,state"),
        ("rules", "priority,action"),
    ] {
        let text = ns.nlq_text(&[cmd, "-o", keys, "--sort", keys.split(',').next().unwrap()]);
        let header: Vec<&str> = text
            .lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        assert_eq!(header.len(), keys.split(',').count(), "{cmd}: {text}");
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn colour_only_when_asked_and_never_in_json() {
    let ns = fixture();
    let colored = ns.nlq_text(&["links", "--color=always"]);
    assert!(colored.contains("\x1b["), "{colored}");
    // Not a terminal: auto is off, and so is never.
    for args in [["links", "--color=auto"], ["links", "--color=never"]] {
        assert!(!ns.nlq_text(&args).contains('\x1b'));
    }
    let json = ns.nlq_text(&["links", "--color=always", "--json"]);
    assert!(!json.contains('\x1b'));
    // NO_COLOR turns auto off; always still wins (a flag beats the
    // environment).
    let mut cmd = std::process::Command::new("ip");
    cmd.args([
        "netns",
        "exec",
        &ns.name,
        nlq_path(),
        "links",
        "--color=always",
    ]);
    let out = clean_env(&mut cmd).env("NO_COLOR", "1").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
}

#[test]
fn misuse_is_a_usage_error() {
    for (args, text) in [
        (
            vec!["routes", "-o", "dst,bogus"],
            "no such column: bogus (columns: type, dst,",
        ),
        (
            vec!["routes", "--json", "-o", "dst"],
            "--columns and --sort shape tables",
        ),
        (vec!["links", "--sort", "nope"], "no such column: nope"),
        (vec!["genl", "-o", "id"], "has none here"),
        (vec!["links", "-b", "-o", "name"], "has none here"),
        (
            vec!["links", "--color=sometimes"],
            "invalid value 'sometimes'",
        ),
    ] {
        let out = nlq(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("nlq: ") && err.contains(text),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
