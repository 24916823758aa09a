//! The lookup walk on model objects: each selector, `not`, goto, the
//! suppressors, throw, the actions, longest-prefix match, and the
//! comparison with the kernel's answer (a forced disagreement included).

use super::*;
use crate::model::link::Link;
use crate::model::route::Family;
use crate::wire::attr::AF_INET;
use crate::wire::fib_rule::{FIB_RULE_INVERT, FIB_RULE_UNRESOLVED};

fn v4(a: &str) -> IpAddr {
    a.parse().unwrap()
}

/// A packet to `dst` from nowhere, as an output lookup makes it.
fn packet(dst: &str) -> Packet {
    Packet {
        dst: v4(dst),
        src: None,
        iif: Some("lo".into()),
        oif: None,
        mark: 0,
        uid: 0,
        ipproto: 0,
        sport: 0,
        dport: 0,
        tos: 0,
        l3mdev_table: None,
        skip_nh_oif: false,
    }
}

/// `prio P lookup TABLE` for IPv4.
fn lookup(priority: u32, table: u32) -> Rule {
    Rule {
        family: Family(AF_INET),
        priority,
        action: Action::ToTable,
        table,
        ..Rule::default()
    }
}

/// The kernel's three default IPv4 rules.
fn defaults() -> Vec<Rule> {
    vec![lookup(0, 255), lookup(32766, 254), lookup(32767, 253)]
}

/// A unicast route `dst/len` in `table`, through interface 2.
fn route(dst: &str, len: u8, table: u32) -> Route {
    Route {
        family: Family(AF_INET),
        dst: (len != 0).then(|| v4(dst)),
        dst_len: len,
        table,
        oif: Some(2),
        ..Route::default()
    }
}

fn explain_v4(rules: &[Rule], routes: &[Route], pkt: &Packet) -> Explanation {
    explain(rules, routes, &Links::new(), pkt)
}

#[test]
fn default_rules_find_the_main_route() {
    let routes = [route("0.0.0.0", 0, 254), route("10.0.0.0", 8, 254)];
    let e = explain_v4(&defaults(), &routes, &packet("10.1.2.3"));
    assert_eq!(
        e.decision,
        Decision::Route {
            route: 1,
            table: 254
        }
    );
    assert_eq!(e.steps.len(), 2, "local, then main decides");
    assert_eq!(
        e.steps[0].outcome,
        Some(Outcome::Lookup {
            table: 255,
            found: None
        }),
        "local has nothing: falls through"
    );
}

#[test]
fn every_selector_fails_with_its_reason() {
    let pkt = packet("192.0.2.1");
    let cases: Vec<(Rule, Selector)> = vec![
        (
            Rule {
                iif: Some("eth0".into()),
                ..lookup(1, 9)
            },
            Selector::Iif {
                name: "eth0".into(),
                detached: false,
            },
        ),
        (
            Rule {
                oif: Some("eth0".into()),
                ..lookup(1, 9)
            },
            Selector::Oif {
                name: "eth0".into(),
                detached: false,
            },
        ),
        (
            Rule {
                fwmark: Some(0x10),
                fwmask: Some(0xff),
                ..lookup(1, 9)
            },
            Selector::Fwmark {
                mark: 0x10,
                mask: 0xff,
            },
        ),
        (
            Rule {
                uid_range: Some(UidRange {
                    start: 1000,
                    end: 2000,
                }),
                ..lookup(1, 9)
            },
            Selector::UidRange(UidRange {
                start: 1000,
                end: 2000,
            }),
        ),
        (
            Rule {
                src: Some(v4("10.0.0.0")),
                src_len: 8,
                ..lookup(1, 9)
            },
            Selector::From(Some(v4("10.0.0.0")), 8),
        ),
        (
            Rule {
                dst: Some(v4("198.51.100.0")),
                dst_len: 24,
                ..lookup(1, 9)
            },
            Selector::To(Some(v4("198.51.100.0")), 24),
        ),
        (
            Rule {
                tos: 0x10,
                ..lookup(1, 9)
            },
            Selector::Tos(0x10),
        ),
        (
            Rule {
                ip_proto: Some(6),
                ..lookup(1, 9)
            },
            Selector::IpProto(6),
        ),
        (
            Rule {
                sport: Some(PortRange { start: 1, end: 99 }),
                ..lookup(1, 9)
            },
            Selector::Sport(PortRange { start: 1, end: 99 }),
        ),
        (
            Rule {
                dport: Some(PortRange {
                    start: 443,
                    end: 443,
                }),
                ..lookup(1, 9)
            },
            Selector::Dport(PortRange {
                start: 443,
                end: 443,
            }),
        ),
        (
            Rule {
                l3mdev: Some(1),
                ..lookup(1, 0)
            },
            Selector::L3mdev,
        ),
        (
            Rule {
                tun_id: Some(7),
                ..lookup(1, 9)
            },
            Selector::TunId(7),
        ),
    ];
    for (rule, want) in cases {
        let c = check(&rule, &pkt);
        assert_eq!(
            c,
            Check {
                matched: false,
                failed: Some(want.clone())
            },
            "{want:?}"
        );
    }
}

#[test]
fn every_selector_matches_the_right_packet() {
    let rule = Rule {
        iif: Some("lo".into()),
        oif: Some("va".into()),
        fwmark: Some(0x10),
        fwmask: Some(0xf0),
        uid_range: Some(UidRange { start: 5, end: 9 }),
        src: Some(v4("10.0.0.0")),
        src_len: 8,
        dst: Some(v4("192.0.2.0")),
        dst_len: 24,
        tos: 0x10,
        ip_proto: Some(17),
        sport: Some(PortRange { start: 1, end: 99 }),
        dport: Some(PortRange { start: 53, end: 53 }),
        ..lookup(1, 9)
    };
    let pkt = Packet {
        src: Some(v4("10.9.9.9")),
        oif: Some((3, "va".into())),
        mark: 0x1f, // 0x1f & 0xf0 == 0x10
        uid: 7,
        ipproto: 17,
        sport: 99,
        dport: 53,
        tos: 0x10,
        ..packet("192.0.2.200")
    };
    assert_eq!(
        check(&rule, &pkt),
        Check {
            matched: true,
            failed: None
        }
    );
}

#[test]
fn fwmark_without_mask_is_all_ones_and_mark_zero_matches_all() {
    let exact = Rule {
        fwmark: Some(0x10),
        ..lookup(1, 9)
    };
    let pkt = Packet {
        mark: 0x110,
        ..packet("192.0.2.1")
    };
    assert!(!check(&exact, &pkt).matched, "the whole mark is compared");
    let none = Rule {
        fwmark: Some(0),
        ..lookup(1, 9)
    };
    assert!(selectors(&none).is_empty(), "mark 0 without a mask");
}

#[test]
fn not_inverts_and_names_the_selector_that_made_it_match() {
    let rule = Rule {
        flags: FIB_RULE_INVERT,
        fwmark: Some(1),
        ..lookup(1, 9)
    };
    let c = check(&rule, &packet("192.0.2.1"));
    assert!(c.matched);
    assert_eq!(
        c.failed,
        Some(Selector::Fwmark {
            mark: 1,
            mask: u32::MAX
        })
    );
    let marked = Packet {
        mark: 1,
        ..packet("192.0.2.1")
    };
    assert_eq!(
        check(&rule, &marked),
        Check {
            matched: false,
            failed: None
        }
    );
}

#[test]
fn detached_devices_never_match() {
    let rule = Rule {
        iif: Some("lo".into()),
        flags: crate::wire::fib_rule::FIB_RULE_IIF_DETACHED,
        ..lookup(1, 9)
    };
    assert!(!check(&rule, &packet("192.0.2.1")).matched);
}

#[test]
fn ipv6_source_rule_needs_a_source() {
    let rule = Rule {
        family: Family(AF_INET6),
        src: Some("2001:db8::".parse().unwrap()),
        src_len: 32,
        ..lookup(1, 9)
    };
    let pkt = packet("2001:db8::1");
    assert!(!check(&rule, &pkt).matched, "no source: no match");
    let found = Rule {
        flags: crate::wire::fib_rule::FIB_RULE_FIND_SADDR,
        ..rule.clone()
    };
    assert!(check(&found, &pkt).matched, "find_saddr skips the check");
}

#[test]
fn goto_jumps_over_rules_and_unresolved_goes_on() {
    let mut rules = vec![
        Rule {
            action: Action::Goto,
            goto: Some(300),
            ..lookup(100, 0)
        },
        Rule {
            action: Action::Blackhole,
            ..lookup(200, 0)
        },
        lookup(300, 10),
    ];
    rules.extend(defaults());
    let routes = [route("0.0.0.0", 0, 254)];
    let e = explain_v4(&rules, &routes, &packet("192.0.2.1"));
    let visited: Vec<usize> = e.steps.iter().map(|s| s.rule).collect();
    assert_eq!(visited, [0, 2, 3, 4], "the blackhole at 200 is skipped");
    assert!(e.steps[1].jumped);
    assert_eq!(
        e.decision,
        Decision::Route {
            route: 0,
            table: 254
        }
    );
    rules[0].flags = FIB_RULE_UNRESOLVED;
    let e = explain_v4(&rules, &routes, &packet("192.0.2.1"));
    assert_eq!(e.decision, Decision::Refused(Refusal::RuleBlackhole));
}

#[test]
fn actions_refuse_with_the_kernels_errno() {
    for (action, errno) in [
        (Action::Blackhole, libc::EINVAL),
        (Action::Unreachable, libc::ENETUNREACH),
        (Action::Prohibit, libc::EACCES),
    ] {
        let mut rules = vec![Rule {
            action,
            ..lookup(5, 0)
        }];
        rules.extend(defaults());
        let e = explain_v4(&rules, &[route("0.0.0.0", 0, 254)], &packet("192.0.2.1"));
        assert_eq!(e.decision.errno(), Some(errno), "{action:?}");
        assert_eq!(e.steps.len(), 1);
    }
    let nop = vec![Rule {
        action: Action::Nop,
        ..lookup(5, 0)
    }];
    let e = explain_v4(&nop, &[], &packet("192.0.2.1"));
    assert_eq!(e.decision, Decision::Refused(Refusal::NoRoute));
    assert_eq!(e.decision.errno(), Some(libc::ENETUNREACH));
}

#[test]
fn suppress_prefixlength_and_throw_fall_through() {
    let mut rules = vec![Rule {
        suppress_prefixlen: Some(0),
        ..lookup(10, 254)
    }];
    rules.extend(defaults());
    let routes = [route("0.0.0.0", 0, 254), route("192.0.2.0", 24, 254)];
    let e = explain_v4(&rules, &routes, &packet("198.51.100.1"));
    assert_eq!(
        e.steps[0].outcome,
        Some(Outcome::Lookup {
            table: 254,
            found: Some((0, Fate::SuppressedPrefix(0)))
        })
    );
    assert_eq!(
        e.decision,
        Decision::Route {
            route: 0,
            table: 254
        }
    );
    let e = explain_v4(&rules, &routes, &packet("192.0.2.9"));
    assert_eq!(e.steps.len(), 1, "a /24 is longer than 0 bits: accepted");
    let throw = [
        Route {
            kind: RouteType::Throw,
            ..route("192.0.2.0", 24, 10)
        },
        route("0.0.0.0", 0, 254),
    ];
    let mut rules = vec![lookup(10, 10)];
    rules.extend(defaults());
    let e = explain_v4(&rules, &throw, &packet("192.0.2.9"));
    assert_eq!(
        e.steps[0].outcome,
        Some(Outcome::Lookup {
            table: 10,
            found: Some((0, Fate::Throw))
        })
    );
    assert_eq!(
        e.decision,
        Decision::Route {
            route: 1,
            table: 254
        }
    );
}

#[test]
fn suppress_ifgroup_compares_the_devices_group() {
    let mut links = Links::new();
    let mut l = Link::bare(2, 0, 1);
    l.group = Some(7);
    links.push(l);
    let rules = vec![
        Rule {
            suppress_ifgroup: Some(7),
            ..lookup(10, 254)
        },
        lookup(20, 253),
    ];
    let routes = [route("0.0.0.0", 0, 254)];
    let e = explain(&rules, &routes, &links, &packet("192.0.2.1"));
    assert_eq!(
        e.steps[0].outcome,
        Some(Outcome::Lookup {
            table: 254,
            found: Some((0, Fate::SuppressedGroup(7)))
        })
    );
    assert_eq!(e.decision, Decision::Refused(Refusal::NoRoute));
}

#[test]
fn routes_that_drop_decide_with_an_error() {
    for (kind, errno) in [
        (RouteType::Unreachable, libc::EHOSTUNREACH),
        (RouteType::Prohibit, libc::EACCES),
        (RouteType::Blackhole, libc::EINVAL),
    ] {
        let routes = [Route {
            kind,
            oif: None,
            ..route("192.0.2.0", 24, 254)
        }];
        let e = explain_v4(&defaults(), &routes, &packet("192.0.2.1"));
        assert_eq!(e.decision.errno(), Some(errno), "{kind:?}");
    }
}

#[test]
fn longest_prefix_then_tos_then_metric() {
    let routes = [
        route("10.0.0.0", 8, 254),
        Route {
            priority: Some(20),
            ..route("10.1.0.0", 16, 254)
        },
        Route {
            priority: Some(10),
            ..route("10.1.0.0", 16, 254)
        },
        Route {
            tos: 0x10,
            priority: Some(99),
            ..route("10.1.0.0", 16, 254)
        },
        route("10.1.0.0", 16, 100),
    ];
    let pkt = packet("10.1.2.3");
    assert_eq!(lookup_table(&routes, 254, &pkt), Some(2), "lowest metric");
    let tos = Packet { tos: 0x10, ..pkt };
    assert_eq!(lookup_table(&routes, 254, &tos), Some(3), "tos first");
    assert_eq!(lookup_table(&routes, 254, &packet("10.9.9.9")), Some(0));
    assert_eq!(lookup_table(&routes, 254, &packet("11.0.0.1")), None);
}

#[test]
fn dead_routes_and_other_devices_are_skipped() {
    let routes = [
        Route {
            flags: RTNH_F_DEAD,
            ..route("10.1.0.0", 16, 254)
        },
        Route {
            oif: Some(3),
            ..route("10.0.0.0", 8, 254)
        },
        route("0.0.0.0", 0, 254),
    ];
    assert_eq!(lookup_table(&routes, 254, &packet("10.1.0.1")), Some(1));
    let via2 = Packet {
        oif: Some((2, "va".into())),
        ..packet("10.1.0.1")
    };
    assert_eq!(lookup_table(&routes, 254, &via2), Some(2));
}

#[test]
fn prefixes_of_either_family() {
    assert!(in_prefix(v4("10.1.2.3"), Some(v4("10.0.0.0")), 8));
    assert!(!in_prefix(v4("11.1.2.3"), Some(v4("10.0.0.0")), 8));
    assert!(in_prefix(v4("11.1.2.3"), None, 0));
    assert!(
        in_prefix(v4("10.1.2.3"), Some(v4("10.1.2.3")), 40),
        "clamped"
    );
    let a: IpAddr = "2001:db8::1".parse().unwrap();
    assert!(in_prefix(a, Some("2001:db8::".parse().unwrap()), 32));
    assert!(!in_prefix(a, Some("2001:db9::".parse().unwrap()), 32));
    assert!(!in_prefix(a, Some(v4("10.0.0.0")), 0), "families differ");
}

#[test]
fn agreement_and_a_forced_disagreement() {
    let routes = [route("10.0.0.0", 8, 254), route("10.1.0.0", 16, 100)];
    let d = Decision::Route {
        route: 0,
        table: 254,
    };
    let fib = route("10.0.0.0", 8, 254);
    let answer = Route {
        dst: Some(v4("10.1.2.3")),
        dst_len: 32,
        ..route("10.1.2.3", 32, 254)
    };
    let agree = Kernel::Route {
        answer: &answer,
        fib: Some(&fib),
    };
    assert!(disagreements(d, &routes, agree).is_empty());
    // The kernel found the /16 of table 100: nlq's reading is wrong.
    let other = route("10.1.0.0", 16, 100);
    let k = Kernel::Route {
        answer: &answer,
        fib: Some(&other),
    };
    let whats: Vec<&str> = disagreements(d, &routes, k)
        .iter()
        .map(|d| d.what)
        .collect();
    assert_eq!(whats, ["table", "prefix"]);
    let refused = Decision::Refused(Refusal::RuleProhibit);
    assert!(disagreements(refused, &routes, Kernel::Error(libc::EACCES)).is_empty());
    let out = disagreements(refused, &routes, agree);
    assert_eq!(
        out,
        [Disagreement {
            what: "outcome",
            nlq: format!("errno {}", libc::EACCES),
            kernel: "a route".into()
        }]
    );
}

#[test]
fn l3mdev_rules_look_up_the_vrfs_table() {
    let mut rules = defaults();
    rules.insert(
        1,
        Rule {
            l3mdev: Some(1),
            ..lookup(1000, 0)
        },
    );
    let routes = [route("0.0.0.0", 0, 10), route("0.0.0.0", 0, 254)];
    let in_vrf = Packet {
        l3mdev_table: Some(10),
        ..packet("192.0.2.1")
    };
    let e = explain_v4(&rules, &routes, &in_vrf);
    assert_eq!(e.steps[1].rule, 1, "local first, then the l3mdev rule");
    assert_eq!(
        e.decision,
        Decision::Route {
            route: 0,
            table: 10
        }
    );
    let e = explain_v4(&rules, &routes, &packet("192.0.2.1"));
    assert_eq!(e.steps[1].check.failed, Some(Selector::L3mdev));
    assert_eq!(
        e.decision,
        Decision::Route {
            route: 1,
            table: 254
        }
    );
}

#[test]
fn a_vrf_as_output_device_does_not_filter_nexthops() {
    let routes = [route("0.0.0.0", 0, 10)];
    let vrf = Packet {
        oif: Some((9, "vrf-blue".into())),
        l3mdev_table: Some(10),
        skip_nh_oif: true,
        ..packet("192.0.2.1")
    };
    assert_eq!(
        lookup_table(&routes, 10, &vrf),
        Some(0),
        "through dev 2, not 9"
    );
    let plain = Packet {
        skip_nh_oif: false,
        ..vrf
    };
    assert_eq!(lookup_table(&routes, 10, &plain), None);
}
