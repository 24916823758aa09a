//! The monitor loop driven by the scripted transport: events from the
//! kernel only, with any sequence number; an overrun (ENOBUFS, MSG_TRUNC)
//! gives exactly one overrun event and one resync whose events turn the
//! old state into the dumped one.

use super::*;
use crate::dump::script::{PORT, Scripted, Step};
use crate::model::AF_INET6;
use crate::model::route::AF_MPLS;
use crate::wire::ifaddrmsg::{RTM_DELADDR, RTM_NEWADDR};
use crate::wire::ifinfomsg::{RTM_DELLINK, RTM_NEWLINK};
use crate::wire::nlmsg::NLM_F_MULTI;
use crate::wire::rtmsg::{RTM_DELROUTE, RTM_NEWROUTE};

impl Source for Scripted {
    fn wait(&mut self) -> io::Result<Wake> {
        Ok(Wake::Ready)
    }
}

/// A netlink message with the given header fields, padded.
fn msg(kind: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
    let len = 16 + payload.len();
    let mut m = Vec::new();
    m.extend_from_slice(&(len as u32).to_ne_bytes()); // nlmsg_len
    m.extend_from_slice(&kind.to_ne_bytes()); // nlmsg_type
    m.extend_from_slice(&flags.to_ne_bytes()); // nlmsg_flags
    m.extend_from_slice(&seq.to_ne_bytes()); // nlmsg_seq
    m.extend_from_slice(&pid.to_ne_bytes()); // nlmsg_pid
    m.extend_from_slice(payload);
    m.resize(align4(len), 0);
    m
}

/// An rtattr of `kind` around `payload`, padded.
fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let len = 4 + payload.len();
    let mut a = Vec::new();
    a.extend_from_slice(&(len as u16).to_ne_bytes()); // rta_len
    a.extend_from_slice(&kind.to_ne_bytes()); // rta_type
    a.extend_from_slice(payload);
    a.resize(align4(len), 0);
    a
}

/// `struct ifinfomsg` + IFLA_IFNAME.
fn link(index: i32, name: &str, flags: u32) -> Vec<u8> {
    let mut p = vec![0u8, 0]; // ifi_family = AF_UNSPEC, pad
    p.extend_from_slice(&1u16.to_ne_bytes()); // ifi_type = ARPHRD_ETHER
    p.extend_from_slice(&index.to_ne_bytes()); // ifi_index
    p.extend_from_slice(&flags.to_ne_bytes()); // ifi_flags
    p.extend_from_slice(&0u32.to_ne_bytes()); // ifi_change
    let mut name = name.as_bytes().to_vec();
    name.push(0);
    p.extend(attr(3, &name)); // IFLA_IFNAME
    p
}

/// `struct rtmsg` for 10.0.<n>.0/24 in table main + RTA_DST, RTA_OIF.
fn route(n: u8, oif: u32) -> Vec<u8> {
    let p = [
        2,   // rtm_family = AF_INET
        24,  // rtm_dst_len
        0,   // rtm_src_len
        0,   // rtm_tos
        254, // rtm_table = RT_TABLE_MAIN
        4,   // rtm_protocol = RTPROT_STATIC
        0,   // rtm_scope = RT_SCOPE_UNIVERSE
        1,   // rtm_type = RTN_UNICAST
        0, 0, 0, 0, // rtm_flags
    ];
    let mut p = p.to_vec();
    p.extend(attr(1, &[10, 0, n, 0])); // RTA_DST
    p.extend(attr(4, &oif.to_ne_bytes())); // RTA_OIF
    p
}

/// An MPLS route for `label` (as net/mpls/af_mpls.c sends it) out of
/// device 2 via 192.0.2.1.
fn mpls_route(label: u32) -> Vec<u8> {
    let p = [
        28,  // rtm_family = AF_MPLS
        20,  // rtm_dst_len: one label
        0,   // rtm_src_len
        0,   // rtm_tos
        254, // rtm_table = RT_TABLE_MAIN
        3,   // rtm_protocol = RTPROT_BOOT
        0,   // rtm_scope = RT_SCOPE_UNIVERSE
        1,   // rtm_type = RTN_UNICAST
        0, 0, 0, 0, // rtm_flags
    ];
    let mut p = p.to_vec();
    p.extend(attr(1, &(label << 12 | 0x100).to_be_bytes())); // RTA_DST, bottom of stack
    p.extend(attr(18, &[2, 0, 192, 0, 2, 1])); // RTA_VIA inet 192.0.2.1
    p.extend(attr(4, &2u32.to_ne_bytes())); // RTA_OIF
    p
}

/// A kernel datagram of messages.
fn kernel(msgs: &[Vec<u8>]) -> Step {
    Step::Datagram {
        sender: 0,
        bytes: msgs.concat(),
    }
}

/// A dump answer for request `seq`: the messages, then DONE.
fn dump(seq: u32, msgs: &[(u16, Vec<u8>)]) -> Step {
    let mut all: Vec<Vec<u8>> = msgs
        .iter()
        .map(|(k, p)| msg(*k, NLM_F_MULTI, seq, PORT, p))
        .collect();
    all.push(msg(NLMSG_DONE, NLM_F_MULTI, seq, PORT, &0i32.to_ne_bytes()));
    kernel(&all)
}

/// Run a JSON monitor of routes over `steps`; the NDJSON lines and the
/// stderr text.
fn run_routes(steps: Vec<Step>) -> (Vec<serde_json::Value>, String, Scripted) {
    let names = Names::builtin();
    let protos = IpProtos::default();
    let sel = Selection::new(&["route"], None, None);
    let opts = Options {
        json: true,
        ..Options::default()
    };
    let mut m = Monitor::new(sel, opts, &names, &protos);
    let mut src = Scripted::new(steps);
    let (mut out, mut diag) = (Vec::new(), Vec::new());
    let end = m.run(&mut src, &mut out, &mut diag).unwrap();
    assert_eq!(end, End::Eof);
    let lines = String::from_utf8(out).unwrap();
    let events = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (events, String::from_utf8(diag).unwrap(), src)
}

fn summary(events: &[serde_json::Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e["dst"].as_str() {
            Some(dst) => format!("{} {dst}", e["event"].as_str().unwrap()),
            None => e["event"].as_str().unwrap().to_string(),
        })
        .collect()
}

fn links_dump(seq: u32) -> Step {
    dump(seq, &[(RTM_NEWLINK, link(2, "v0", 0x41))])
}

#[test]
fn kernel_events_with_any_seq_are_shown_and_forged_ones_never() {
    let forged = msg(RTM_NEWROUTE, 0, 0, 0, &route(9, 2));
    let steps = vec![
        links_dump(1),
        // `ip route add` by port 777 with its own sequence number.
        kernel(&[msg(RTM_NEWROUTE, 0x600, 12345, 777, &route(1, 2))]),
        Step::Datagram {
            sender: 4321,
            bytes: forged.clone(),
        },
        kernel(&[msg(RTM_DELROUTE, 0, 0, 0, &route(1, 2))]),
        Step::Datagram {
            sender: 1,
            bytes: msg(RTM_NEWLINK, 0, 0, 0, &link(7, "evil", 1)),
        },
    ];
    let (events, diag, _) = run_routes(steps);
    assert_eq!(summary(&events), ["new 10.0.1.0/24", "del 10.0.1.0/24"]);
    assert_eq!(diag, "");
    let e = &events[0];
    let keys: Vec<_> = e.as_object().unwrap().keys().take(4).cloned().collect();
    assert_eq!(keys, ["timestamp", "event", "object", "netns"]);
    assert_eq!(e["object"], "route");
    assert_eq!(e["dev"], "v0", "the device named from the link dump");
}

#[test]
fn a_forged_link_never_appears() {
    let names = Names::builtin();
    let protos = IpProtos::default();
    let sel = Selection::new(&["link"], None, None);
    let mut m = Monitor::new(sel, Options::default(), &names, &protos);
    let mut src = Scripted::new([
        links_dump(1),
        Step::Datagram {
            sender: 999,
            bytes: msg(RTM_NEWLINK, 0, 0, 0, &link(7, "forged", 0x41)),
        },
        kernel(&[msg(RTM_NEWLINK, 0, 0, 0, &link(8, "real", 0x41))]),
    ]);
    let mut out = Vec::new();
    m.run(&mut src, &mut out, &mut io::sink()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("forged"), "{text}");
    assert!(text.contains("NEW    link  real index 8"), "{text}");
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn enobufs_gives_one_overrun_and_one_resync_with_the_difference() {
    let steps = vec![
        links_dump(1),
        kernel(&[msg(RTM_NEWROUTE, 0, 5, 700, &route(1, 2))]),
        kernel(&[msg(RTM_NEWROUTE, 0, 6, 700, &route(2, 2))]),
        Step::Errno(ENOBUFS),
        links_dump(2),
        // While dumping: an event about route 4 (held back, applied after).
        kernel(&[msg(RTM_NEWROUTE, 0, 9, 700, &route(4, 2))]),
        // Route 1 went, 3 came, 2 stayed.
        dump(
            3,
            &[(RTM_NEWROUTE, route(2, 2)), (RTM_NEWROUTE, route(3, 2))],
        ),
        kernel(&[msg(RTM_DELROUTE, 0, 10, 700, &route(2, 2))]),
    ];
    let (events, diag, src) = run_routes(steps);
    assert_eq!(
        summary(&events),
        [
            "new 10.0.1.0/24",
            "new 10.0.2.0/24",
            "overrun",
            "del 10.0.1.0/24",
            "new 10.0.3.0/24",
            "resync",
            "new 10.0.4.0/24",
            "del 10.0.2.0/24",
        ]
    );
    let resync = events.iter().find(|e| e["event"] == "resync").unwrap();
    assert_eq!(
        (resync["new"].as_u64(), resync["del"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(diag.matches("overrun").count(), 1, "{diag}");
    assert_eq!(
        src.sent.len(),
        3,
        "one link dump, then links and routes once"
    );
}

/// MPLS routes are told apart by their label: a resync after an overrun
/// finds the one that went and the one that came.
#[test]
fn mpls_routes_are_keyed_by_label() {
    let steps = vec![
        links_dump(1),
        kernel(&[msg(RTM_NEWROUTE, 0, 5, 700, &mpls_route(100))]),
        kernel(&[msg(RTM_NEWROUTE, 0, 6, 700, &mpls_route(101))]),
        Step::Errno(ENOBUFS),
        links_dump(2),
        dump(
            3,
            &[
                (RTM_NEWROUTE, mpls_route(101)),
                (RTM_NEWROUTE, mpls_route(102)),
            ],
        ),
    ];
    let (events, _, _) = run_routes(steps);
    assert_eq!(
        summary(&events),
        [
            "new 100", "new 101", "overrun", "del 100", "new 102", "resync"
        ]
    );
    assert_eq!(events[0]["family"], "mpls");
    assert_eq!(events[0]["dst_labels"], serde_json::json!([100]));
}

#[test]
fn a_cut_datagram_is_an_overrun() {
    let steps = vec![
        links_dump(1),
        Step::Cut(100_000),
        links_dump(2),
        dump(3, &[(RTM_NEWROUTE, route(5, 2))]),
    ];
    let (events, diag, _) = run_routes(steps);
    assert_eq!(summary(&events), ["overrun", "new 10.0.5.0/24", "resync"]);
    assert!(diag.contains("overrun"), "{diag}");
}

#[test]
fn count_stops_after_n_events() {
    let names = Names::builtin();
    let protos = IpProtos::default();
    let sel = Selection::new(&[], None, None);
    let opts = Options {
        count: Some(2),
        ..Options::default()
    };
    let mut m = Monitor::new(sel, opts, &names, &protos);
    let ev = |n| kernel(&[msg(RTM_NEWROUTE, 0, 0, 0, &route(n, 2))]);
    // Every kind: links, then netconf (its events are partial: the
    // monitor knows its state first), an empty table here.
    let mut src = Scripted::new([links_dump(1), dump(2, &[]), ev(1), ev(2), ev(3)]);
    let mut out = Vec::new();
    assert_eq!(
        m.run(&mut src, &mut out, &mut io::sink()).unwrap(),
        End::Count
    );
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
}

#[test]
fn groups_follow_objects_and_family() {
    let sel = Selection::new(&["route", "addr"], Some(AF_INET6), None);
    assert_eq!(
        sel.groups(),
        [group::LINK, group::IPV6_IFADDR, group::IPV6_ROUTE]
    );
    let mpls = Selection::new(&["route", "addr"], Some(AF_MPLS), None);
    assert_eq!(mpls.groups(), [group::LINK, group::MPLS_ROUTE]);
    let all = Selection::new(&[], None, None);
    assert_eq!(
        all.groups(),
        [
            group::LINK,
            group::NEIGH,
            group::IPV4_IFADDR,
            group::IPV4_ROUTE,
            group::IPV4_RULE,
            group::IPV6_IFADDR,
            group::IPV6_ROUTE,
            group::IPV6_RULE,
            group::IPV4_NETCONF,
            group::IPV6_NETCONF,
            group::MDB,
            group::MPLS_ROUTE,
            group::MPLS_NETCONF,
            group::NEXTHOP,
        ]
    );
}

/// A kernel bucket event: group 10's bucket 3 now holds nexthop 2
/// (RTM_NEWNEXTHOPBUCKET with NLM_F_REPLACE, as nexthop_bucket_notify
/// sends it).
fn bucket_event() -> Vec<u8> {
    let mut p = vec![0u8, 0, 0, 0]; // nh_family AF_UNSPEC, scope, protocol, resvd
    p.extend_from_slice(&0u32.to_ne_bytes()); // nh_flags
    p.extend(attr(1, &10u32.to_ne_bytes())); // NHA_ID 10
    let mut nest = attr(1, &3u16.to_ne_bytes()); // NHA_RES_BUCKET_INDEX 3
    nest.extend(attr(2, &250u64.to_ne_bytes())); // NHA_RES_BUCKET_IDLE_TIME 2.5 s
    nest.extend(attr(3, &2u32.to_ne_bytes())); // NHA_RES_BUCKET_NH_ID 2
    p.extend(attr(13 | 0x8000, &nest)); // NHA_RES_BUCKET, nested
    msg(116, 0x100, 0, 0, &p)
}

/// An AF_BRIDGE RTM_NEWNEIGH: 02:00:00:00:00:aa on device 2, static.
fn fdb_event() -> Vec<u8> {
    let mut p = vec![7u8, 0, 0, 0]; // ndm_family AF_BRIDGE, pads
    p.extend_from_slice(&2i32.to_ne_bytes()); // ndm_ifindex 2
    p.extend_from_slice(&0x40u16.to_ne_bytes()); // ndm_state NUD_NOARP
    p.extend_from_slice(&[4, 0]); // ndm_flags NTF_MASTER, ndm_type
    p.extend(attr(2, &[2, 0, 0, 0, 0, 0xaa])); // NDA_LLADDR
    msg(28, 0, 0, 0, &p)
}

#[test]
fn fdb_entries_and_buckets_are_kinds_of_their_own() {
    let names = Names::builtin();
    let protos = IpProtos::default();
    // `nlq monitor nexthop neigh fdb` (settings add `bucket` to `nexthop`).
    let sel = Selection::new(&["nexthop", "bucket", "neigh", "fdb"], None, None);
    let opts = Options {
        json: true,
        ..Options::default()
    };
    let mut m = Monitor::new(sel, opts, &names, &protos);
    let mut src = Scripted::new([links_dump(1), kernel(&[fdb_event(), bucket_event()])]);
    let mut out = Vec::new();
    m.run(&mut src, &mut out, &mut io::sink()).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let (fdb, bucket) = (&lines[0], &lines[1]);
    assert_eq!(
        (&fdb["object"], &fdb["event"]),
        (&"fdb".into(), &"new".into())
    );
    assert_eq!(
        (&fdb["mac"], &fdb["dev"]),
        (&"02:00:00:00:00:aa".into(), &"v0".into())
    );
    assert_eq!(
        (&fdb["state"], &fdb["flags"]),
        (&"static".into(), &serde_json::json!(["master"]))
    );
    assert_eq!(bucket["object"], "bucket");
    assert_eq!(
        (&bucket["id"], &bucket["index"], &bucket["nhid"]),
        (&10.into(), &3.into(), &2.into())
    );
    assert_eq!(bucket["idle_time"], 2.5);
    // Neither is a neighbour or a nexthop, and neither shows when only
    // those are chosen.
    let sel = Selection::new(&["neigh"], None, None);
    let mut m = Monitor::new(sel, Options::default(), &names, &protos);
    let mut src = Scripted::new([links_dump(1), kernel(&[fdb_event(), bucket_event()])]);
    let mut out = Vec::new();
    m.run(&mut src, &mut out, &mut io::sink()).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "");
    // The text line: the listing's words.
    let sel = Selection::new(&["bucket", "fdb"], None, None);
    let mut m = Monitor::new(sel, Options::default(), &names, &protos);
    let mut src = Scripted::new([links_dump(1), kernel(&[fdb_event(), bucket_event()])]);
    let mut out = Vec::new();
    m.run(&mut src, &mut out, &mut io::sink()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("NEW    fdb   02:00:00:00:00:aa dev v0 flags master state static\n"),
        "{text}"
    );
    assert!(
        text.contains("NEW    bucket 10 index 3 nhid 2 idle 2.5\n"),
        "{text}"
    );
}

mod props {
    //! Any datagram from the kernel (messages of every monitored type
    //! with arbitrary headers and attributes, any seq and port), any
    //! overrun, any forged sender: the monitor never panics, and every
    //! JSON line parses.

    use proptest::prelude::*;

    use super::*;
    use crate::wire::fib_rule::{RTM_DELRULE, RTM_NEWRULE};
    use crate::wire::ndmsg::{RTM_DELNEIGH, RTM_NEWNEIGH};
    use crate::wire::nhmsg::{RTM_DELNEXTHOP, RTM_NEWNEXTHOP};

    fn config() -> ProptestConfig {
        crate::test_support::proptest_config(2_000, 0x6d6f6e69)
    }

    const KINDS: [u16; 16] = [
        crate::wire::nhmsg::RTM_NEWNEXTHOPBUCKET,
        crate::wire::bridge::RTM_NEWMDB,
        crate::model::mdb::RTM_DELMDB,
        RTM_NEWLINK,
        RTM_DELLINK,
        RTM_NEWADDR,
        RTM_DELADDR,
        RTM_NEWROUTE,
        RTM_DELROUTE,
        RTM_NEWNEIGH,
        RTM_DELNEIGH,
        RTM_NEWRULE,
        RTM_DELRULE,
        RTM_NEWNEXTHOP,
        RTM_DELNEXTHOP,
        NLMSG_DONE,
    ];

    /// A message of a monitored type: a fixed header of random bytes and
    /// random attributes.
    fn message() -> impl Strategy<Value = Vec<u8>> {
        let attrs =
            prop::collection::vec((0u16..40, prop::collection::vec(any::<u8>(), 0..20)), 0..8);
        (
            prop::sample::select(KINDS.to_vec()),
            prop::collection::vec(any::<u8>(), 0..20),
            attrs,
            any::<u32>(),
            any::<u32>(),
        )
            .prop_map(|(kind, hdr, attrs, seq, pid)| {
                let mut p = hdr;
                for (k, a) in attrs {
                    p.extend(attr(k, &a));
                }
                msg(kind, 0, seq, pid, &p)
            })
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            6 => prop::collection::vec(message(), 1..4).prop_map(|m| kernel(&m)),
            1 => message().prop_map(|bytes| Step::Datagram { sender: 77, bytes }),
            1 => Just(Step::Errno(ENOBUFS)),
            1 => Just(Step::Cut(100_000)),
            1 => prop::collection::vec(any::<u8>(), 0..64)
                .prop_map(|bytes| Step::Datagram { sender: 0, bytes }),
        ]
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_stream_never_panics(steps in prop::collection::vec(step(), 0..12), json: bool) {
            let names = Names::builtin();
            let protos = IpProtos::default();
            let opts = Options { json, ..Options::default() };
            let mut m = Monitor::new(Selection::new(&[], None, None), opts, &names, &protos);
            // The link dump answered, so the events reach the loop.
            let mut src = Scripted::new(std::iter::once(links_dump(1)).chain(steps));
            let mut out = Vec::new();
            // Errors (a malformed reply during a dump) are fine; panics are not.
            let _ = m.run(&mut src, &mut out, &mut io::sink());
            if json {
                for line in String::from_utf8(out).unwrap().lines() {
                    let v: serde_json::Value = serde_json::from_str(line).unwrap();
                    prop_assert!(v.get("event").is_some());
                }
            }
        }
    }
}
