//! MPLS labels in every form: `ip -j -f mpls route`, `ip -j route` with
//! `encap mpls`, nlq's schema, the table and brief lines.

use std::net::IpAddr;

use serde_json::{Value, json};

use super::*;
use crate::model::route::{
    AF_MPLS, EncapDetail, EncapKind, Family, Hop, LWTUNNEL_ENCAP_MPLS, MplsTunnel, Protocol,
};
use crate::render::json::JsonObject;

fn labels(l: &[u32]) -> Option<Labels> {
    Some(Labels::from_slice(l))
}

fn names() -> (Names, LinkNames) {
    let mut links = LinkNames::new();
    links.insert(3, "d0");
    links.insert(4, "d1");
    (Names::builtin(), links)
}

fn ctx<'a>(names: &'a Names, links: &'a LinkNames) -> Ctx<'a> {
    Ctx {
        names,
        links,
        pinned: Pinned::default(),
    }
}

/// `100 as to 200 via inet 192.0.2.1 dev d0`, as the kernel reports it.
fn swap() -> Route {
    Route {
        family: Family(AF_MPLS),
        dst_len: 20,
        table: 254,
        protocol: Protocol(3),
        dst_labels: labels(&[100]),
        newdst: labels(&[200]),
        via: Some(IpAddr::from([192, 0, 2, 1])),
        oif: Some(3),
        ..Route::default()
    }
}

/// `102 nexthop as to 300/301 via inet6 2001:db8::1 dev d0 nexthop via
/// inet 192.0.2.2 dev d1`.
fn multipath() -> Route {
    let hop = |newdst, via: &str, ifindex| Hop {
        newdst,
        via: Some(via.parse().unwrap()),
        ifindex,
        ..Hop::default()
    };
    Route {
        dst_labels: labels(&[102]),
        newdst: None,
        via: None,
        oif: None,
        multipath: true,
        nexthops: vec![
            hop(labels(&[300, 301]), "2001:db8::1", 3),
            hop(None, "192.0.2.2", 4),
        ],
        ..swap()
    }
}

fn mpls_encap(l: &[u32], ttl: Option<u8>) -> Option<Encap> {
    Some(Encap {
        kind: EncapKind(LWTUNNEL_ENCAP_MPLS),
        detail: EncapDetail::Mpls(MplsTunnel {
            dst: labels(l),
            ttl,
        }),
    })
}

/// `10.1.0.0/16 encap mpls 200/300 ttl 10 via 192.0.2.1 dev d0`.
fn encap4() -> Route {
    Route {
        family: Family(crate::wire::attr::AF_INET),
        dst_len: 16,
        table: 254,
        protocol: Protocol(3),
        dst: Some(IpAddr::from([10, 1, 0, 0])),
        gateway: Some(IpAddr::from([192, 0, 2, 1])),
        oif: Some(3),
        encap: mpls_encap(&[200, 300], Some(10)),
        ..Route::default()
    }
}

fn ip(r: &Route) -> String {
    let (n, l) = names();
    IpRoute {
        route: r,
        ctx: &ctx(&n, &l),
    }
    .to_json()
}

fn nlq(r: &Route) -> Value {
    let (n, l) = names();
    let text = NlqRoute {
        route: r,
        ctx: &ctx(&n, &l),
    }
    .to_json();
    serde_json::from_str(&text).unwrap()
}

fn cells(r: &Route) -> Row {
    let (n, l) = names();
    row(r, &ctx(&n, &l))
}

fn brief(r: &Route) -> String {
    let (n, l) = names();
    brief_line(r, &ctx(&n, &l))
}

#[test]
fn ip_dialect_single_label() {
    assert_eq!(
        ip(&swap()),
        r#"{"dst":"100","to":"200","via":{"family":"inet","host":"192.0.2.1"},"dev":"d0","flags":[]}"#
    );
    let r = Route {
        dst_len: 40,
        dst_labels: labels(&[100, 101]),
        ttl_propagate: Some(false),
        ..swap()
    };
    let text = ip(&r);
    assert!(
        text.starts_with(r#"{"dst":"100/101/40","to":"200","#),
        "{text}"
    );
    assert!(
        text.ends_with(r#""flags":[],"ttl-propogate":false}"#),
        "{text}"
    );
}

#[test]
fn ip_dialect_multipath_hops_keep_their_labels() {
    assert_eq!(
        ip(&multipath()),
        concat!(
            r#"{"dst":"102","flags":[],"nexthops":["#,
            r#"{"to":"300/301","via":{"family":"inet6","host":"2001:db8::1"},"dev":"d0","flags":[]},"#,
            r#"{"via":{"family":"inet","host":"192.0.2.2"},"dev":"d1","flags":[]}]}"#
        )
    );
}

#[test]
fn ip_dialect_encap_mpls() {
    assert_eq!(
        ip(&encap4()),
        r#"{"dst":"10.1.0.0/16","encap":"mpls","dst":"200/300","ttl":10,"gateway":"192.0.2.1","dev":"d0","flags":[]}"#
    );
    let hop = Hop {
        encap: mpls_encap(&[400], None),
        gateway: Some("2001:db8::1".parse().unwrap()),
        ifindex: 3,
        ..Hop::default()
    };
    let r = Route {
        family: Family(crate::wire::attr::AF_INET6),
        dst_len: 64,
        dst: Some("2001:db8:1::".parse().unwrap()),
        priority: Some(1024),
        multipath: true,
        nexthops: vec![hop],
        ..encap4()
    };
    let text = ip(&r);
    assert!(
        text.contains(r#""nexthops":[{"encap":"mpls","dst":"400","gateway":"2001:db8::1","dev":"d0","weight":1,"flags":[]}]"#),
        "{text}"
    );
}

#[test]
fn nlq_dialect_typed_labels() {
    let v = nlq(&swap());
    assert_eq!(v["family"], "mpls");
    assert_eq!(v["dst"], "100");
    assert_eq!(v["dst_labels"], json!([100]));
    assert_eq!(v["as_labels"], json!([200]));
    assert_eq!(v["via"], json!({"family": "inet", "address": "192.0.2.1"}));
    assert_eq!(v["ttl_propagate"], Value::Null);
    assert_eq!(v["metric"], Value::Null);
    assert_eq!(v["nexthops"][0]["as_labels"], json!([200]));
    assert_eq!(v.as_object().unwrap().len(), 33);

    let v = nlq(&multipath());
    assert_eq!(v["as_labels"], Value::Null);
    assert_eq!(v["nexthops"][0]["as_labels"], json!([300, 301]));
    assert_eq!(v["nexthops"][1]["as_labels"], Value::Null);
    assert_eq!(v["nexthops"][1]["dev"], "d1");

    let v = nlq(&encap4());
    assert_eq!(
        (&v["dst_labels"], &v["as_labels"]),
        (&Value::Null, &Value::Null)
    );
    let e = &v["encap"];
    assert_eq!(e["type"], "mpls");
    assert_eq!(e["dst"], "200/300");
    assert_eq!(e["labels"], json!([200, 300]));
    assert_eq!(e["ttl"], 10);
    assert_eq!(v["nexthops"][0]["encap"], *e);
    let ip_encap = Route {
        encap: Some(Encap {
            kind: EncapKind(2),
            detail: EncapDetail::Ip(Default::default()),
        }),
        ..encap4()
    };
    assert_eq!(nlq(&ip_encap)["encap"]["labels"], Value::Null);
}

#[test]
fn table_shows_labels() {
    let c = cells(&swap());
    let col = |name: &str| COLUMNS.iter().position(|k| k.header == name).unwrap();
    assert_eq!(c[col("DST")], "100");
    assert_eq!(c[col("LABELS")], "200");
    assert_eq!(c[col("GATEWAY")], "192.0.2.1");
    let c = cells(&multipath());
    assert_eq!(c[col("LABELS")], "300/301\n");
    assert_eq!(c[col("GATEWAY")], "2001:db8::1\n192.0.2.2");
    let plain = Route {
        nexthops: multipath()
            .nexthops
            .into_iter()
            .map(|h| Hop { newdst: None, ..h })
            .collect(),
        ..multipath()
    };
    assert_eq!(cells(&plain)[col("LABELS")], "", "no labels: an empty cell");
    let c = cells(&encap4());
    assert_eq!(c[col("LABELS")], "200/300");
    assert_eq!(c[col("INFO")], "encap mpls 200/300 ttl 10");
    let quiet = Route {
        ttl_propagate: Some(true),
        ..swap()
    };
    assert_eq!(cells(&quiet)[col("INFO")], "ttl-propagate enabled");
}

#[test]
fn brief_lines_show_labels() {
    assert_eq!(brief(&swap()), "100 as 200 via 192.0.2.1 dev d0");
    assert_eq!(
        brief(&multipath()),
        "102 as 300/301 via 2001:db8::1 dev d0 via 192.0.2.2 dev d1"
    );
    assert_eq!(
        brief(&encap4()),
        "10.1.0.0/16 encap mpls 200/300 via 192.0.2.1 dev d0"
    );
}
