//! The three renderers on hand-made rules: `ip`'s keys, order and quirks;
//! nlq's total schema; the table's words.

use serde_json::{Value, json};

use super::*;
use crate::model::route::{Family, Realms};
use crate::model::rule::{Action, PortRange, SUPPRESS_NONE, UidRange};
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::fib_rule::*;

fn ctx_parts() -> (Names, IpProtos) {
    (Names::builtin(), IpProtos::parse("tcp 6 TCP\nudp 17 UDP\n"))
}

fn ip(r: &Rule) -> Value {
    let (names, protos) = ctx_parts();
    let c = RuleCtx {
        names: &names,
        protos: &protos,
    };
    serde_json::to_value(IpRule { rule: r, ctx: &c }).unwrap()
}

fn nlq(r: &Rule) -> Value {
    let (names, protos) = ctx_parts();
    let c = RuleCtx {
        names: &names,
        protos: &protos,
    };
    serde_json::to_value(NlqRule { rule: r, ctx: &c }).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The kernel's `0: from all lookup local`.
fn local() -> Rule {
    Rule {
        family: Family(AF_INET),
        action: Action::ToTable,
        table: 255,
        protocol: Some(2),
        suppress_prefixlen: Some(SUPPRESS_NONE),
        ..Rule::default()
    }
}

#[test]
fn ip_default_rule() {
    assert_eq!(
        ip(&local()),
        json!({"family": "inet", "priority": 0, "src": "all", "table": "local",
               "protocol": "kernel"})
    );
}

#[test]
fn ip_every_selector_in_print_rule_order() {
    let r = Rule {
        priority: 100,
        flags: FIB_RULE_INVERT | FIB_RULE_IIF_DETACHED,
        src: Some("10.0.0.0".parse().unwrap()),
        src_len: 8,
        dst: Some("192.0.2.1".parse().unwrap()),
        dst_len: 32,
        tos: 0x10,
        fwmark: Some(0x10),
        fwmask: Some(0xff),
        iif: Some("nosuch".into()),
        oif: Some("vb".into()),
        l3mdev: Some(1),
        uid_range: Some(UidRange {
            start: 1000,
            end: 2000,
        }),
        ip_proto: Some(200),
        sport: Some(PortRange { start: 80, end: 80 }),
        dport: Some(PortRange {
            start: 1000,
            end: 2000,
        }),
        tun_id: Some(77),
        table: 4000,
        suppress_prefixlen: Some(0),
        suppress_ifgroup: Some(0),
        flow: Some(Realms { from: 0, to: 5 }),
        protocol: Some(0),
        ..local()
    };
    let v = ip(&r);
    assert_eq!(
        keys(&v),
        [
            "family",
            "priority",
            "not",
            "src",
            "srclen",
            "dst",
            "tos",
            "fwmark",
            "fwmask",
            "iif",
            "iif_detached",
            "oif",
            "l3mdev",
            "uid_start",
            "uid_end",
            "ipproto",
            "sport",
            "dport_start",
            "dport_end",
            "tun_id",
            "table",
            "suppress_prefixlen",
            "suppress_ifgroup",
            "flow_to",
            "protocol"
        ]
    );
    assert_eq!(v["not"], Value::Null);
    assert_eq!((&v["src"], &v["srclen"]), (&json!("10.0.0.0"), &json!(8)));
    assert_eq!(v["dst"], "192.0.2.1", "a host: no dstlen");
    assert_eq!(
        (&v["tos"], &v["fwmark"], &v["fwmask"]),
        (&json!("0x10"), &json!("0x10"), &json!("0xff"))
    );
    assert_eq!(v["ipproto"], "ipproto-200");
    assert_eq!(v["table"], "4000");
    assert_eq!(v["suppress_ifgroup"], "default");
    assert_eq!(v["flow_to"], "5");
    assert_eq!(v["protocol"], "unspec");
}

#[test]
fn ip_fwmark_quirks() {
    let with = |fwmark, fwmask| {
        ip(&Rule {
            fwmark,
            fwmask,
            ..local()
        })
    };
    let v = with(None, Some(0xff));
    assert_eq!(
        (&v["fwmark"], &v["fwmask"]),
        (&json!("0"), &json!("0xff")),
        "%#llx of 0"
    );
    let v = with(Some(0x10), Some(u32::MAX));
    assert_eq!(v["fwmark"], "0x10");
    assert!(v.get("fwmask").is_none(), "an all-ones mask is not printed");
    assert!(with(None, None).get("fwmark").is_none());
}

#[test]
fn ip_prefix_without_address_and_ipv6_hosts() {
    let r = Rule {
        src_len: 16,
        dst_len: 24,
        ..local()
    };
    let v = ip(&r);
    assert_eq!(
        (&v["src"], &v["srclen"], &v["dst"], &v["dstlen"]),
        (&json!("0"), &json!(16), &json!("0"), &json!(24))
    );
    let r6 = Rule {
        family: Family(AF_INET6),
        dst: Some("2001:db8::1".parse().unwrap()),
        dst_len: 128,
        src: Some("2001:db8::".parse().unwrap()),
        src_len: 32,
        ..local()
    };
    let v = ip(&r6);
    assert_eq!(v["family"], "inet6");
    assert_eq!(v["dst"], "2001:db8::1");
    assert!(v.get("dstlen").is_none());
    assert_eq!(v["srclen"], 32);
}

#[test]
fn ip_actions() {
    let act = |action, goto, flags| {
        ip(&Rule {
            action,
            goto,
            flags,
            table: 0,
            protocol: None,
            ..local()
        })
    };
    let v = act(Action::Goto, Some(120), 0);
    assert_eq!(keys(&v), ["family", "priority", "src", "goto"]);
    let v = act(Action::Goto, None, FIB_RULE_UNRESOLVED);
    assert_eq!(
        (&v["goto"], &v["unresolved"]),
        (&json!("none"), &Value::Null)
    );
    assert_eq!(act(Action::Nop, None, 0)["nop"], Value::Null);
    assert_eq!(act(Action::Blackhole, None, 0)["action"], "blackhole");
    assert_eq!(act(Action::Unreachable, None, 0)["action"], "unreachable");
    assert_eq!(act(Action::Prohibit, None, 0)["action"], "prohibit");
    assert_eq!(act(Action::Unspec, None, 0)["action"], "none");
    assert_eq!(act(Action::Unknown(42), None, 0)["action"], "42");
    assert_eq!(act(Action::Unknown(10), None, 0)["masquerade"], Value::Null);
    let nat = Rule {
        action: Action::Unknown(10),
        nat_gateway: Some("192.0.2.9".parse().unwrap()),
        ..local()
    };
    assert_eq!(ip(&nat)["nat_gateway"], "192.0.2.9");
}

#[test]
fn ip_suppressors_need_a_table() {
    let r = Rule {
        table: 0,
        action: Action::Blackhole,
        suppress_prefixlen: Some(0),
        suppress_ifgroup: Some(7),
        ..local()
    };
    let v = ip(&r);
    assert!(v.get("suppress_prefixlen").is_none() && v.get("suppress_ifgroup").is_none());
    let r = Rule {
        suppress_ifgroup: Some(0x8000_0000),
        ..local()
    };
    assert_eq!(ip(&r)["suppress_ifgroup"], "-2147483648", "C's %d");
}

#[test]
fn nlq_is_total_and_typed() {
    let bare = nlq(&Rule::default());
    let full = nlq(&Rule {
        src: Some("10.0.0.0".parse().unwrap()),
        src_len: 8,
        fwmark: Some(0x10),
        ip_proto: Some(6),
        uid_range: Some(UidRange { start: 1, end: 2 }),
        sport: Some(PortRange { start: 1, end: 2 }),
        flow: Some(Realms { from: 3, to: 0 }),
        suppress_prefixlen: Some(0),
        suppress_ifgroup: Some(5),
        goto: Some(9),
        tos: 0x10,
        ..local()
    });
    assert_eq!(keys(&bare), keys(&full), "every key always present");
    assert_eq!(keys(&full).len(), 32);
    assert_eq!(full["from"], "10.0.0.0/8");
    assert_eq!(full["to"], Value::Null);
    assert_eq!(
        (&full["fwmark"], &full["fwmask"]),
        (&json!(16), &json!(u32::MAX))
    );
    assert_eq!(
        (&full["ipproto"], &full["ipproto_id"]),
        (&json!("tcp"), &json!(6))
    );
    assert_eq!(full["uid_range"], json!({"start": 1, "end": 2}));
    assert_eq!(full["sport"], json!({"start": 1, "end": 2}));
    assert_eq!(
        full["realms"],
        json!({"from": null, "from_id": 3, "to": "unknown", "to_id": 0})
    );
    assert_eq!(
        (&full["table"], &full["table_id"]),
        (&json!("local"), &json!(255))
    );
    assert_eq!(
        (&full["protocol"], &full["protocol_id"]),
        (&json!("kernel"), &json!(2))
    );
    assert_eq!(full["suppress_prefixlen"], 0);
    assert_eq!(full["suppress_ifgroup_id"], 5);
    assert_eq!(full["tos"], 16);
    assert_eq!(full["dsfield"], Value::Null, "no built-in DS field names");
    assert_eq!(full["action"], "lookup");
    assert_eq!(bare["action"], "unspec");
    assert_eq!(bare["table_id"], Value::Null);
    assert_eq!(bare["flags"], json!([]));
}

#[test]
fn nlq_prefix_length_without_address() {
    let v = nlq(&Rule {
        family: Family(AF_INET6),
        dst_len: 16,
        ..Rule::default()
    });
    assert_eq!(v["to"], "::/16");
    let v = nlq(&Rule {
        family: Family(200),
        src_len: 16,
        ..Rule::default()
    });
    assert_eq!((&v["family"], &v["from"]), (&json!("200"), &Value::Null));
}

#[test]
fn table_rows() {
    let (names, protos) = ctx_parts();
    let c = RuleCtx {
        names: &names,
        protos: &protos,
    };
    let r = Rule {
        priority: 114,
        action: Action::Goto,
        goto: Some(999),
        flags: FIB_RULE_UNRESOLVED | FIB_RULE_INVERT,
        table: 0,
        iif: Some("x".into()),
        ..local()
    };
    let cells = row(&r, &c);
    assert_eq!(cells[0], "114");
    assert_eq!(cells[1], "inet");
    assert_eq!(cells[2], "not");
    assert_eq!(cells[3], "all");
    assert_eq!(cells[4], "");
    assert_eq!(cells[5], "iif x");
    assert_eq!(cells[6], "goto 999 [unresolved]");
    assert_eq!(cells[7], "");
    assert_eq!(cells[8], "kernel");
    let r = Rule {
        src: Some("10.0.0.0".parse().unwrap()),
        src_len: 8,
        fwmark: Some(0),
        fwmask: Some(0xff),
        oif: Some("vb".into()),
        flags: FIB_RULE_OIF_DETACHED,
        ip_proto: Some(17),
        dport: Some(PortRange { start: 53, end: 53 }),
        sport: Some(PortRange { start: 1, end: 9 }),
        table: 254,
        suppress_prefixlen: Some(0),
        flow: Some(Realms { from: 3, to: 4 }),
        l3mdev: Some(1),
        ..local()
    };
    let cells = row(&r, &c);
    assert_eq!(cells[3], "10.0.0.0/8");
    assert_eq!(
        cells[5],
        "fwmark 0/0xff oif vb [detached] ipproto udp sport 1-9 dport 53"
    );
    assert_eq!(cells[6], "lookup [l3mdev-table] lookup main");
    assert_eq!(cells[7], "suppress_prefixlength 0 realms 3/4");
    let r = Rule {
        action: Action::Prohibit,
        table: 0,
        protocol: None,
        ..local()
    };
    let cells = row(&r, &c);
    assert_eq!((cells[6].as_str(), cells[8].as_str()), ("prohibit", ""));
}

#[test]
fn ipv4_compatible_addresses_are_dotted_in_both_dialects() {
    let r = Rule {
        family: Family(AF_INET6),
        src: Some("::10.0.0.1".parse().unwrap()),
        src_len: 128,
        ..local()
    };
    assert_eq!(ip(&r)["src"], "::10.0.0.1", "as ip's inet_ntop writes it");
    assert_eq!(
        nlq(&r)["from"],
        "::10.0.0.1/128",
        "one spelling in every dialect"
    );
}
