//! `nlq routes` against `ip route` (iproute2 6.1), in namespaces full of
//! routes of every kind: `--json=ip` must be a superset of `ip -j` for the
//! four pairs of issue 2, `--json` must match docs/json.md, and the filters
//! and error paths must behave.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::harness::{NetNs, assert_documented, assert_superset};

mod get;
mod select;

/// Links and addresses: veth pairs, a bridge, a veth whose peer is down
/// (for `linkdown`).
const LINKS: &str = "\
link add va type veth peer name vb
link add vc type veth peer name vd
link add vx type veth peer name vy
link add br0 type bridge
link set vy master br0
link add ve type veth peer name vf
link set va up
link set vb up
link set vc up
link set vd up
link set vx up
link set vy up
link set br0 up
link set ve up
address add 10.1.0.1/24 dev va
address add 10.2.0.1/24 dev vc
address add 10.3.0.1/24 dev br0
address add 10.4.0.1/24 dev ve
address add 2001:db8:1::1/64 dev va nodad
address add 2001:db8:2::1/64 dev vc nodad
address add 2001:db8:4::1/64 dev ve nodad
";

/// Routes every kernel nlq supports accepts: all types, multipath with
/// weights, custom tables and protocols, metrics, onlink, realms, RTA_VIA,
/// IPv6 preference and expiry.
const ROUTES: &str = "\
route add default via 10.1.0.254 dev va
route add 192.0.2.0/24 via 10.1.0.2 dev va proto static metric 50
route add 192.0.2.77 via 10.1.0.3 dev va
route add 198.51.100.0/24 dev vc scope link src 10.2.0.1 proto bird
route add 198.51.101.0/24 via 10.2.0.2 proto 99
route add 198.51.102.0/24 via 10.2.0.2 proto 77
route add blackhole 203.0.113.1
route add unreachable 203.0.113.2
route add prohibit 203.0.113.3
route add throw 203.0.113.4
route add 203.0.113.5 dev va tos 0x10
route add 203.0.113.6 dev va tos 0x28
route add 203.0.113.7 via 10.9.9.9 dev va onlink
route add 203.0.113.8 via 10.4.0.2 dev ve
route add 203.0.113.9 via 10.1.0.2 dev va mtu lock 1400 advmss 1300 initcwnd 10 initrwnd 20 window 65535 rtt 100ms rttvar 50ms rto_min 300ms ssthresh 30 cwnd 5 reordering 4 hoplimit 64 features ecn quickack 1 fastopen_no_cookie 1
route add 203.0.113.10 via 10.1.0.2 dev va congctl lock cubic
route add 203.0.113.13 via 10.1.0.2 dev va realms 3/4
route add 203.0.113.14 via 10.1.0.2 dev va realm 7
route add 203.0.113.0/28 nexthop via 10.1.0.2 dev va weight 1 nexthop via 10.2.0.2 dev vc weight 3
route add 203.0.113.16/28 nexthop via 10.1.0.2 dev va nexthop via 10.4.0.2 dev ve onlink
route add 203.0.113.192/28 nexthop via 10.1.0.2 dev va realms 6 nexthop via 10.2.0.2 dev vc onlink
route add 203.0.113.32/28 via inet6 fe80::1 dev va
route add 203.0.113.48/28 dev va scope host
route add 203.0.113.80/28 via 10.1.0.2 dev va metric 4294967295
route add 203.0.113.208/28 dev va mtu lock 0
route add 172.16.0.0/16 via 10.1.0.2 dev va table 100
route add default via 10.2.0.2 dev vc table 100 metric 10
route add 172.17.0.0/16 dev vc table 4000000
route add local 10.50.0.1 dev va table 100
route add broadcast 10.50.0.255 dev va table 100
route add unreachable default table 101
route add 10.60.0.0/24 via 10.1.0.2 proto bird table main
route add default via 2001:db8:1::fe dev va
route add 2001:db8:10::/48 via 2001:db8:1::2 dev va metric 10 pref high
route add 2001:db8:11::/48 via fe80::2 dev va pref low
route add 2001:db8:12::/48 dev vc expires 300
route add 2001:db8:13::1 via 2001:db8:2::2 dev vc
route add 2001:db8:14::/48 nexthop via 2001:db8:1::2 dev va weight 2 nexthop via 2001:db8:2::2 dev vc
route add blackhole 2001:db8:15::/48
route add unreachable 2001:db8:16::/48
route add prohibit 2001:db8:17::/48
route add 2001:db8:18::/48 via 2001:db8:1::2 dev va mtu 1300 hoplimit 32 proto static
route add 2001:db8:19::/48 from 2001:db8:aa::/48 via 2001:db8:1::2 dev va
route add 2001:db8:1b::/48 via 2001:db8:1::2 dev va table 100
route add throw 2001:db8:1c::/48 table 100
route add local 2001:db8:1e::1 dev va table 100
route add 2001:db8:90::/48 via 2001:db8:1::77 dev va onlink
route add local 2001:db8:91::1 dev va table main
";

/// Routes that need optional kernel features (nexthop objects,
/// lightweight tunnels); each is tried on its own and may be refused.
const OPTIONAL: &[&str] = &[
    "nexthop add id 1 via 10.1.0.2 dev va",
    "nexthop add id 2 via 10.2.0.2 dev vc",
    "nexthop add id 3 group 1/2,5",
    "nexthop add id 4 blackhole",
    "route add 192.0.2.128/25 nhid 1",
    "route add 192.0.2.64/26 nhid 3",
    "route add 192.0.2.32/27 nhid 4",
    "route add 203.0.113.112/28 encap ip id 42 dst 10.7.7.7 ttl 10 dev va",
    "route add 203.0.113.144/28 encap ip id 1 dst 10.1.1.1 key csum dev va",
    "route add 203.0.113.128/28 encap ip6 dst 2001:db8::9 dev va",
    "route add 203.0.113.160/28 nexthop encap ip dst 10.1.1.2 via 10.1.0.2 dev va nexthop via 10.2.0.2 dev vc",
    "route add 2001:db8:80::/48 encap seg6 mode encap segs 2001:db8::1,2001:db8::2 dev va",
    "route add 2001:db8:81::/48 encap seg6local action End dev va",
    "route add 2001:db8:82::/48 encap ip6 id 7 dst 2001:db8::9 hoplimit 5 tc 1 dev va",
];

/// Build the namespace; returns it with the optional commands that worked.
fn routed_ns(tag: &str) -> (NetNs, Vec<&'static str>) {
    let ns = NetNs::new(tag);
    // Forwarding makes the kernel add IPv6 anycast routes; no DAD keeps
    // addresses (and their routes) from changing while we compare.
    sysctl(
        &ns,
        &[
            "net.ipv6.conf.all.forwarding=1",
            "net.ipv6.conf.default.accept_dad=0",
            "net.ipv6.conf.all.accept_dad=0",
        ],
    );
    ns.ip_batch(LINKS);
    ns.ip_batch(ROUTES);
    let ok = OPTIONAL
        .iter()
        .copied()
        .filter(|cmd| {
            let args: Vec<&str> = cmd.split_whitespace().collect();
            let ok = ns.ip_try(&args).status.success();
            if !ok {
                eprintln!("note: this kernel refuses `ip {cmd}`; not covered");
            }
            ok
        })
        .collect();
    (ns, ok)
}

fn sysctl(ns: &NetNs, settings: &[&str]) {
    let st = Command::new("ip")
        .args(["netns", "exec", &ns.name, "sysctl", "-qw"])
        .args(settings)
        .status()
        .expect("run sysctl");
    assert!(st.success(), "sysctl {settings:?} failed");
}

/// Take every `"expires"` out of the top-level objects of `v` (it counts
/// down between two commands), returning the values.
fn take_expires(v: &mut Value) -> Vec<i64> {
    let objects = v.as_array_mut().into_iter().flatten();
    objects
        .filter_map(|o| o.as_object_mut()?.remove("expires")?.as_i64())
        .collect()
}

/// `ip -j IP_ARGS` and `nlq NLQ_ARGS` read from the same, settled state:
/// `ip` runs before and after nlq and the two must agree (the kernel may
/// still be adding link-local routes just after the links came up).
/// Returns ip's output, without `expires`, and nlq's.
fn same_moment(ns: &NetNs, ip_args: &[&str], nlq_args: &[&str]) -> (Value, Value) {
    for _ in 0..20 {
        let mut before = ns.ip_json(ip_args);
        let mut now = ns.nlq_json(nlq_args);
        let mut after = ns.ip_json(ip_args);
        let (b, a) = (take_expires(&mut before), take_expires(&mut after));
        if before != after {
            std::thread::sleep(std::time::Duration::from_millis(50));
            continue;
        }
        let n = take_expires(&mut now);
        assert_eq!(
            n.len(),
            b.len(),
            "nlq and ip disagree on which routes expire"
        );
        for ((x, y), z) in b.iter().zip(&n).zip(&a) {
            assert!(
                x - y <= 1 && y - z <= 1 && x >= y && y >= z,
                "expires: ip {x}, nlq {y}, ip {z}"
            );
        }
        return (before, now);
    }
    panic!("the routes of {} never settled", ns.name);
}

/// A multicast forwarding cache entry (RTNL_FAMILY_IPMR) lives only while
/// the socket that made it is open: this runs a small Python program that
/// holds one, and kills it when dropped.
struct Mroute(Child);

impl Mroute {
    /// Start it in `ns`; `None` (with a printed reason) when this system
    /// cannot (no python3, no CONFIG_IP_MROUTE).
    fn start(ns: &NetNs) -> Option<Mroute> {
        const PY: &str = r#"
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
s.setsockopt(socket.IPPROTO_IP, 200, struct.pack("i", 1))            # MRT_INIT
for vifi, dev in ((0, "va"), (1, "vc"), (2, "br0")):                  # MRT_ADD_VIF
    s.setsockopt(socket.IPPROTO_IP, 202, struct.pack("=HBBIi4s", vifi, 8, 1, 0,
                 socket.if_nametoindex(dev), b"\0" * 4))
ttls = bytearray(32); ttls[1] = 1; ttls[2] = 3
s.setsockopt(socket.IPPROTO_IP, 204, struct.pack("4s4sH32sIIIi",     # MRT_ADD_MFC
             socket.inet_aton("10.1.0.9"), socket.inet_aton("239.1.2.3"), 0,
             bytes(ttls), 0, 0, 0, 0))
print("ready", flush=True)
sys.stdin.read()
"#;
        let child = Command::new("ip")
            .args(["netns", "exec", &ns.name, "python3", "-c", PY])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("note: no python3; skipping the multicast cache entry");
            return None;
        };
        let mut line = String::new();
        let out = child.stdout.take().expect("piped stdout");
        let _ = BufReader::new(out).read_line(&mut line);
        let guard = Mroute(child);
        if line.trim() != "ready" {
            eprintln!("note: cannot add a multicast cache entry here; skipping it");
            return None;
        }
        Some(guard)
    }
}

impl Drop for Mroute {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The route to `dst` of `family` in the main table.
fn find<'a>(routes: &'a Value, dst: &str, family: &str) -> &'a Value {
    find_in(routes, dst, family, 254)
}

/// The route to `dst` of `family` in table `table`.
fn find_in<'a>(routes: &'a Value, dst: &str, family: &str, table: u32) -> &'a Value {
    let all = routes.as_array().expect("an array");
    all.iter()
        .find(|r| r["dst"] == dst && r["family"] == family && r["table_id"] == table)
        .unwrap_or_else(|| panic!("no {family} route to {dst} in table {table}: {routes}"))
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn routes_json_ip_is_a_superset_of_ip() {
    let (ns, optional) = routed_ns("routes");
    let mroute = Mroute::start(&ns);

    let pairs: [(&[&str], &[&str]); 6] = [
        (
            &["-4", "route", "show"],
            &["routes", "--family", "inet", "--json=ip"],
        ),
        (
            &["-6", "route", "show"],
            &["routes", "--family", "inet6", "--json=ip"],
        ),
        (
            &["route", "show", "table", "all"],
            &["routes", "--table", "all", "--family", "all", "--json=ip"],
        ),
        (
            &["-4", "route", "show", "table", "100"],
            &["routes", "--table", "100", "--family", "inet", "--json=ip"],
        ),
        (
            &["-4", "route", "show", "proto", "static"],
            &["routes", "-4", "--proto", "static", "--json=ip"],
        ),
        (
            &["-4", "route", "show", "type", "blackhole"],
            &["routes", "-4", "--type", "blackhole", "--json=ip"],
        ),
    ];
    for (ip_args, nlq_args) in pairs {
        let (ip, nlq) = same_moment(&ns, ip_args, nlq_args);
        assert!(
            !ip.as_array().unwrap().is_empty(),
            "ip {ip_args:?} shows nothing"
        );
        assert_superset(&ip, &nlq, &format!("nlq {}", nlq_args.join(" ")));
    }

    let all = ns.nlq_json(&["routes", "--table", "all", "--json"]);
    if mroute.is_some() {
        let mfc = find_in(&all, "239.1.2.3/32", "ipmr", 253);
        assert_eq!(mfc["from"], "10.1.0.9/32");
        assert_eq!(mfc["iif"], "va");
        assert_eq!(mfc["table_id"], 253);
        let weights: Vec<&Value> = mfc["nexthops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| &h["weight"])
            .collect();
        assert_eq!(weights, [2, 4]);
    }
    drop(mroute);
    assert_documented("routes", &all);
    check_nlq_values(&all, &optional);
}

/// Targeted values of nlq's own schema.
fn check_nlq_values(all: &Value, optional: &[&str]) {
    let default = find(all, "0.0.0.0/0", "inet");
    assert_eq!(default["gateway"], "10.1.0.254");
    assert_eq!(default["dev"], "va");
    assert_eq!(
        (&default["table"], &default["table_id"]),
        (&Value::from("main"), &Value::from(254))
    );
    assert_eq!(
        (&default["protocol"], &default["protocol_id"]),
        (&Value::from("boot"), &Value::from(3))
    );
    assert_eq!(default["metric"], 0);
    assert_eq!(default["nexthops"][0]["gateway"], "10.1.0.254");
    assert_eq!(default["multipath"], false);

    assert_eq!(find(all, "192.0.2.77/32", "inet")["gateway"], "10.1.0.3");
    assert_eq!(
        find(all, "2001:db8:13::1/128", "inet6")["gateway"],
        "2001:db8:2::2"
    );
    let t100 = find_in(all, "172.16.0.0/16", "inet", 100);
    assert_eq!(
        (&t100["table"], &t100["table_id"]),
        (&Value::Null, &Value::from(100))
    );
    assert_eq!(
        find_in(all, "172.17.0.0/16", "inet", 4_000_000)["table_id"],
        4_000_000
    );
    let openr = find(all, "198.51.101.0/24", "inet");
    assert_eq!(
        (&openr["protocol"], &openr["protocol_id"]),
        (&Value::from("openr"), &Value::from(99))
    );
    assert_eq!(
        find(all, "198.51.102.0/24", "inet")["protocol"],
        Value::Null
    );
    assert_eq!(
        find(all, "203.0.113.7/32", "inet")["flags"],
        serde_json::json!(["onlink"])
    );
    assert_eq!(
        find(all, "203.0.113.8/32", "inet")["flags"],
        serde_json::json!(["linkdown"])
    );
    assert_eq!(find(all, "203.0.113.5/32", "inet")["tos"], 16);
    let bh = find(all, "203.0.113.1/32", "inet");
    assert_eq!(
        (&bh["type"], &bh["nexthops"]),
        (&Value::from("blackhole"), &serde_json::json!([]))
    );

    let mp = find(all, "203.0.113.0/28", "inet");
    assert_eq!(mp["multipath"], true);
    assert_eq!(mp["gateway"], Value::Null);
    let hops = mp["nexthops"].as_array().unwrap();
    let view: Vec<(&Value, &Value)> = hops.iter().map(|h| (&h["dev"], &h["weight"])).collect();
    assert_eq!(
        view,
        [
            (&Value::from("va"), &Value::from(1)),
            (&Value::from("vc"), &Value::from(3))
        ]
    );
    let mp6 = find(all, "2001:db8:14::/48", "inet6");
    assert_eq!(mp6["nexthops"][0]["weight"], 2);
    let mpr = find(all, "203.0.113.192/28", "inet");
    assert_eq!(mpr["nexthops"][0]["realms"]["to_id"], 6);
    assert_eq!(mpr["nexthops"][1]["flags"], serde_json::json!(["onlink"]));

    let mx = &find(all, "203.0.113.9/32", "inet")["metrics"];
    assert_eq!(
        (&mx["mtu"], &mx["advmss"], &mx["initcwnd"]),
        (&Value::from(1400), &Value::from(1300), &Value::from(10))
    );
    assert_eq!(
        (&mx["rtt"], &mx["rttvar"], &mx["rto_min"]),
        (&Value::from(100), &Value::from(50), &Value::from(300))
    );
    assert_eq!(mx["features"], serde_json::json!(["ecn"]));
    assert_eq!(mx["locked"], serde_json::json!(["mtu", "rto_min"]));
    assert_eq!(mx["hoplimit"], 64);
    assert_eq!(
        find(all, "203.0.113.10/32", "inet")["metrics"]["congestion"],
        "cubic"
    );
    let lock0 = &find(all, "203.0.113.208/28", "inet")["metrics"];
    assert_eq!(
        (&lock0["mtu"], &lock0["locked"]),
        (&Value::Null, &serde_json::json!(["mtu"]))
    );
    let realms = &find(all, "203.0.113.13/32", "inet")["realms"];
    assert_eq!(
        (&realms["from_id"], &realms["to_id"]),
        (&Value::from(3), &Value::from(4))
    );
    let via = &find(all, "203.0.113.32/28", "inet")["via"];
    assert_eq!(
        (&via["family"], &via["address"]),
        (&Value::from("inet6"), &Value::from("fe80::1"))
    );

    assert_eq!(find(all, "2001:db8:10::/48", "inet6")["pref"], "high");
    assert_eq!(find(all, "2001:db8:11::/48", "inet6")["pref"], "low");
    let exp = find(all, "2001:db8:12::/48", "inet6")["expires"]
        .as_i64()
        .unwrap();
    assert!((250..=300).contains(&exp), "expires {exp}");
    assert_eq!(
        find_in(all, "2001:db8:1b::/48", "inet6", 100)["expires"],
        Value::Null
    );
    assert_eq!(
        find(all, "2001:db8:19::/48", "inet6")["from"],
        "2001:db8:aa::/48"
    );
    assert_eq!(find(all, "::/0", "inet6")["metric"], 1024);
    // ip -6 hides this one from the main table (see docs); nlq does not.
    assert_eq!(find(all, "2001:db8:91::1/128", "inet6")["type"], "local");

    if optional.contains(&"route add 192.0.2.64/26 nhid 3") {
        let nh = find(all, "192.0.2.64/26", "inet");
        assert_eq!(nh["nhid"], 3);
        assert_eq!(nh["nexthops"][1]["weight"], 5);
    }
    if optional
        .iter()
        .any(|c| c.starts_with("route add 203.0.113.112/28"))
    {
        let e = &find(all, "203.0.113.112/28", "inet")["encap"];
        assert_eq!(
            (&e["type"], &e["dst"], &e["id"], &e["ttl"]),
            (
                &Value::from("ip"),
                &Value::from("10.7.7.7"),
                &Value::from(42),
                &Value::from(10)
            )
        );
    }
    if optional.iter().any(|c| c.contains("seg6 mode")) {
        let e = &find(all, "2001:db8:80::/48", "inet6")["encap"];
        assert_eq!(e["segs"], serde_json::json!(["2001:db8::1", "2001:db8::2"]));
    }
}

/// `--dev` keeps exactly the routes whose device (or one of whose
/// nexthops' devices) is the one named, and the table names devices.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn routes_dev_filter_and_table() {
    let (ns, _) = routed_ns("rdev");
    let (_, mut all) = same_moment(
        &ns,
        &["route", "show", "table", "all"],
        &["routes", "--table", "all", "--json"],
    );
    let mut va = ns.nlq_json(&["routes", "--table", "all", "--dev", "va", "--json"]);
    take_expires(&mut va);
    let by_hand: Vec<Value> = all
        .as_array_mut()
        .unwrap()
        .drain(..)
        .filter(|r| {
            r["dev"] == "va"
                || r["nexthops"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|h| h["dev"] == "va")
        })
        .collect();
    assert!(by_hand.len() > 10);
    assert_eq!(va, Value::Array(by_hand));
    let ip_dialect = ns.nlq_json(&["routes", "--dev", "va", "--json=ip"]);
    let objects = ip_dialect.as_array().unwrap();
    assert!(
        objects.iter().all(|r| r.get("dev").is_none()),
        "ip leaves out the pinned dev"
    );

    let out = ns.nlq(&["routes"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap();
    for col in [
        "DST", "GATEWAY", "DEV", "PROTO", "SCOPE", "SRC", "METRIC", "TYPE", "FLAGS", "WEIGHT",
    ] {
        assert!(header.contains(col), "no {col} in {header:?}");
    }
    let default = text.lines().find(|l| l.contains("0.0.0.0/0")).unwrap();
    assert!(
        default.contains("10.1.0.254") && default.contains(" va "),
        "{default}"
    );
    let mp = text
        .lines()
        .position(|l| l.contains("203.0.113.0/28"))
        .unwrap();
    let second = text.lines().nth(mp + 1).unwrap();
    assert!(
        second.contains("10.2.0.2") && second.contains("vc"),
        "one line per nexthop: {second}"
    );
}

/// A table number with no routes is an empty result; a table name that
/// names nothing is a usage error; an unknown device is an error.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn routes_missing_tables_and_devices() {
    let ns = NetNs::new("rerr");
    for fam in [&["--family", "all"][..], &["--family", "inet"], &["-6"]] {
        let mut args = vec!["routes", "--table", "4242", "--json"];
        args.extend_from_slice(fam);
        let out = ns.nlq(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, b"[]\n", "{args:?}");
    }
    let out = ns.nlq(&["routes", "--table", "4242", "-4"]);
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(0), true));

    let out = ns.nlq(&["routes", "--table", "nosuchtable", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("nlq: ") && err.contains("nosuchtable"),
        "{err}"
    );

    let out = ns.nlq(&["routes", "--dev", "nosuch"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nlq: no such device: nosuch\n"
    );
    assert!(out.stdout.is_empty());
}

/// A capture of `nlq routes` replays to the same output, without root
/// for the replay.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn routes_capture_replays() {
    let (ns, _) = routed_ns("rcap");
    let file = std::env::temp_dir().join(format!("nlq-routes-{}.pcap", std::process::id()));
    let path = file.to_str().unwrap();
    let live = ns.nlq(&["--capture", path, "routes", "--table", "all", "--json=ip"]);
    assert!(
        live.status.success(),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    let replayed =
        crate::harness::nlq(&["--replay", path, "routes", "--table", "all", "--json=ip"]);
    let _ = std::fs::remove_file(&file);
    assert!(
        replayed.status.success(),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    assert_eq!(live.stdout, replayed.stdout);
}
