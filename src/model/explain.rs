//! `nlq routes get --explain`: nlq's reading of the kernel's route lookup,
//! from the policy rules and routes of one family, for one packet. Pure:
//! no kernel here, so every step is testable on model objects.
//!
//! The walk follows the kernel's `fib_rules_lookup` (net/core/fib_rules.c):
//! each rule in list order (the dump's order, by priority) is matched
//! (`fib_rule_match`: iif, oif, fwmark/mask, tun_id, l3mdev, uid range,
//! then the family's `fib4_rule_match` / `fib6_rule_match`: from, to, tos,
//! ipproto, sport, dport; FIB_RULE_INVERT negates the whole result); a
//! matching `goto` continues at its target, `nop` goes on, `blackhole`,
//! `unreachable` and `prohibit` decide with an error, and `lookup` looks
//! up a table: a route found there decides, unless it is a `throw` route
//! or a `suppress_prefixlength` / `suppress_ifgroup` rule refuses it,
//! and no route falls through to the next rule.
//!
//! Within a table ([`lookup_table`]) the longest prefix wins, then (IPv6)
//! the longest source prefix, then (IPv4) a route with the packet's TOS
//! over one with TOS 0, then the lowest metric. This is an approximation
//! of fib_trie and fib6's tree and it is said so: IPv6 round-robin and
//! neighbour scoring among equal routes, the nexthop picked by a multipath
//! hash, and the output path's own rules (an `--oif` lookup that finds no
//! route is sent on link anyway) are the kernel's alone. The kernel's
//! answer stays the authority: [`disagreements`] lists where nlq's reading
//! and the kernel's answer differ.

use std::net::IpAddr;

use super::link::Links;
use super::route::{RTNH_F_DEAD, Route, RouteType};
use super::rule::{Action, PortRange, Rule, UidRange};
use crate::wire::attr::AF_INET6;

/// The packet a lookup is for, as the rules and routes see it (`struct
/// flowi4` / `flowi6` in the kernel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Destination address (daddr).
    pub dst: IpAddr,
    /// Source address (saddr); `None` for none (0.0.0.0 / ::).
    pub src: Option<IpAddr>,
    /// The input device's name (flowi_iif): `--iif`, or `lo` for an output
    /// lookup, which the kernel makes with LOOPBACK_IFINDEX.
    pub iif: Option<String>,
    /// Output device (flowi_oif), index and name; output lookups only.
    pub oif: Option<(u32, String)>,
    /// Firewall mark (flowi_mark).
    pub mark: u32,
    /// User id (flowi_uid).
    pub uid: u32,
    /// IP protocol number (flowi_proto); 0 for none.
    pub ipproto: u8,
    /// Source port, host order (fl4_sport); 0 for none.
    pub sport: u16,
    /// Destination port, host order (fl4_dport); 0 for none.
    pub dport: u16,
    /// TOS / DS field as rules and routes compare it (IPv4: rtm_tos &
    /// IPTOS_RT_MASK, what inet_rtm_getroute puts in flowi4_tos).
    pub tos: u8,
    /// The table of the VRF (l3mdev) the packet's device is enslaved to.
    pub l3mdev_table: Option<u32>,
    /// The output device is a VRF itself: routes need not go through it
    /// (the kernel's FLOWI_FLAG_SKIP_NH_OIF).
    pub skip_nh_oif: bool,
}

/// A rule selector, with the rule's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// `iif NAME` (FRA_IIFNAME).
    Iif {
        /// The device name.
        name: String,
        /// No such device exists (FIB_RULE_IIF_DETACHED): never matches.
        detached: bool,
    },
    /// `oif NAME` (FRA_OIFNAME).
    Oif {
        /// The device name.
        name: String,
        /// No such device exists (FIB_RULE_OIF_DETACHED): never matches.
        detached: bool,
    },
    /// `fwmark MARK/MASK` (FRA_FWMARK, FRA_FWMASK).
    Fwmark {
        /// The mark, compared under `mask`.
        mark: u32,
        /// The mask: all ones when the rule gave a mark alone.
        mask: u32,
    },
    /// `tun_id N` (FRA_TUN_ID): a route lookup carries no tunnel key.
    TunId(u64),
    /// `l3mdev` (FRA_L3MDEV).
    L3mdev,
    /// `uidrange A-B` (FRA_UID_RANGE).
    UidRange(UidRange),
    /// `from PREFIX` (FRA_SRC, src_len).
    From(Option<IpAddr>, u8),
    /// `to PREFIX` (FRA_DST, dst_len).
    To(Option<IpAddr>, u8),
    /// `tos T` (fib_rule_hdr.tos).
    Tos(u8),
    /// `ipproto P` (FRA_IP_PROTO).
    IpProto(u8),
    /// `sport A-B` (FRA_SPORT_RANGE).
    Sport(PortRange),
    /// `dport A-B` (FRA_DPORT_RANGE).
    Dport(PortRange),
}

/// Whether a rule matched, and the first selector that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The rule matched (after `not`).
    pub matched: bool,
    /// The first selector the packet failed; with `not` that is why the
    /// rule matched, and `None` with `matched == false` says every
    /// selector matched a `not` rule.
    pub failed: Option<Selector>,
}

/// Why a lookup ends without a route, with the kernel's errno.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A `blackhole` rule (or an action the kernel does not know): EINVAL.
    RuleBlackhole,
    /// An `unreachable` rule: ENETUNREACH.
    RuleUnreachable,
    /// A `prohibit` rule: EACCES.
    RuleProhibit,
    /// A `blackhole` route: EINVAL.
    RouteBlackhole,
    /// An `unreachable` route: EHOSTUNREACH.
    RouteUnreachable,
    /// A `prohibit` route: EACCES.
    RouteProhibit,
    /// Every rule passed on: ENETUNREACH.
    NoRoute,
}

impl Refusal {
    /// The errno the kernel answers `route get` with.
    pub fn errno(self) -> i32 {
        match self {
            Refusal::RuleBlackhole | Refusal::RouteBlackhole => libc::EINVAL,
            Refusal::RuleUnreachable | Refusal::NoRoute => libc::ENETUNREACH,
            Refusal::RuleProhibit | Refusal::RouteProhibit => libc::EACCES,
            Refusal::RouteUnreachable => libc::EHOSTUNREACH,
        }
    }

    /// A short name: `blackhole`, `unreachable`, `prohibit`, `no_route`.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::RuleBlackhole | Refusal::RouteBlackhole => "blackhole",
            Refusal::RuleUnreachable | Refusal::RouteUnreachable => "unreachable",
            Refusal::RuleProhibit | Refusal::RouteProhibit => "prohibit",
            Refusal::NoRoute => "no_route",
        }
    }
}

/// What became of the route a table lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It decides the lookup.
    Accepted,
    /// A `throw` route: the lookup goes on with the next rule.
    Throw,
    /// Refused by `suppress_prefixlength N`: its prefix is N bits or
    /// shorter; the lookup goes on.
    SuppressedPrefix(u32),
    /// Refused by `suppress_ifgroup G`: its device is in group G.
    SuppressedGroup(u32),
    /// A route that drops the packet decides with an error.
    Refused(Refusal),
}

/// What a matching rule did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `goto`: continue at another rule.
    Goto {
        /// The target priority (FRA_GOTO).
        target: u32,
        /// Index of the first rule of that priority; `None`: unresolved,
        /// go on with the next rule.
        to: Option<usize>,
    },
    /// `nop`: go on.
    Nop,
    /// `lookup`: a table lookup.
    Lookup {
        /// The table looked up (the VRF's for an l3mdev rule).
        table: u32,
        /// The route found (index into the routes given) and its fate;
        /// `None` falls through.
        found: Option<(usize, Fate)>,
    },
    /// `blackhole`, `unreachable`, `prohibit`.
    Refuse(Refusal),
}

/// One rule looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Index into the rules given.
    pub rule: usize,
    /// Reached by a `goto`.
    pub jumped: bool,
    /// Matched or not, and why.
    pub check: Check,
    /// What the rule did; `None` when it did not match.
    pub outcome: Option<Outcome>,
}

/// How the lookup ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A route.
    Route {
        /// Index into the routes given.
        route: usize,
        /// Its table.
        table: u32,
    },
    /// No route, and why.
    Refused(Refusal),
}

impl Decision {
    /// The errno of a refusal, `None` for a route.
    pub fn errno(self) -> Option<i32> {
        match self {
            Decision::Route { .. } => None,
            Decision::Refused(r) => Some(r.errno()),
        }
    }
}

/// nlq's reading of a lookup: the rules looked at, in order, and the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The rules looked at, in the order the kernel looks at them.
    pub steps: Vec<Step>,
    /// The end of the walk.
    pub decision: Decision,
}

/// Walk `rules` (one family's, in kernel order) for `pkt`, looking up
/// tables in `routes` (that family's, every table); `links` gives the
/// interface groups `suppress_ifgroup` compares.
pub fn explain(rules: &[Rule], routes: &[Route], links: &Links, pkt: &Packet) -> Explanation {
    let mut steps = Vec::new();
    let (mut i, mut jumped) = (0, false);
    while let Some(rule) = rules.get(i) {
        let check = check(rule, pkt);
        if !check.matched {
            steps.push(Step {
                rule: i,
                jumped,
                check,
                outcome: None,
            });
            (i, jumped) = (i + 1, false);
            continue;
        }
        let outcome = act(rule, rules, routes, links, pkt);
        let next = match &outcome {
            // Only forward jumps: the kernel refuses a goto to a lower or
            // equal priority, and a forward-only walk always ends.
            Outcome::Goto { to: Some(t), .. } if *t > i => Some((*t, true)),
            Outcome::Goto { .. } | Outcome::Nop => Some((i + 1, false)),
            Outcome::Lookup { found: None, .. } => Some((i + 1, false)),
            Outcome::Lookup {
                found: Some((_, fate)),
                ..
            } if !matches!(fate, Fate::Accepted | Fate::Refused(_)) => Some((i + 1, false)),
            _ => None,
        };
        let end = decision(&outcome);
        steps.push(Step {
            rule: i,
            jumped,
            check,
            outcome: Some(outcome),
        });
        match (next, end) {
            (Some(n), _) => (i, jumped) = n,
            (None, Some(decision)) => return Explanation { steps, decision },
            (None, None) => break,
        }
    }
    Explanation {
        steps,
        decision: Decision::Refused(Refusal::NoRoute),
    }
}

/// The decision a final outcome makes.
fn decision(outcome: &Outcome) -> Option<Decision> {
    match *outcome {
        Outcome::Refuse(r) => Some(Decision::Refused(r)),
        Outcome::Lookup {
            table,
            found: Some((route, Fate::Accepted)),
        } => Some(Decision::Route { route, table }),
        Outcome::Lookup {
            found: Some((_, Fate::Refused(r))),
            ..
        } => Some(Decision::Refused(r)),
        _ => None,
    }
}

/// What `rule` (one of `rules`), which matched, does (fib4_rule_action /
/// fib6_rule_action, then the suppressors).
fn act(rule: &Rule, rules: &[Rule], routes: &[Route], links: &Links, pkt: &Packet) -> Outcome {
    match rule.action {
        Action::Goto => {
            let target = rule.goto.unwrap_or(0);
            let to = if rule.unresolved() {
                None
            } else {
                rules.iter().position(|r| r.priority == target)
            };
            Outcome::Goto { target, to }
        }
        Action::Nop => Outcome::Nop,
        Action::ToTable => {
            let table = match (rule.is_l3mdev(), pkt.l3mdev_table) {
                (true, Some(t)) => t,
                _ => rule.table,
            };
            let found = lookup_table(routes, table, pkt)
                .and_then(|r| Some((r, fate(rule, routes.get(r)?, links))));
            Outcome::Lookup { table, found }
        }
        Action::Unreachable => Outcome::Refuse(Refusal::RuleUnreachable),
        Action::Prohibit => Outcome::Refuse(Refusal::RuleProhibit),
        // The kernel's `default:` case is the blackhole's.
        Action::Blackhole | Action::Unspec | Action::Unknown(_) => {
            Outcome::Refuse(Refusal::RuleBlackhole)
        }
    }
}

/// What becomes of `route`, found by `rule`: the route type's error
/// (fib_props / ip6_rt_type_to_error), else the rule's suppressors.
fn fate(rule: &Rule, route: &Route, links: &Links) -> Fate {
    match route.kind {
        RouteType::Throw => return Fate::Throw,
        RouteType::Blackhole => return Fate::Refused(Refusal::RouteBlackhole),
        RouteType::Unreachable => return Fate::Refused(Refusal::RouteUnreachable),
        RouteType::Prohibit => return Fate::Refused(Refusal::RouteProhibit),
        _ => {}
    }
    if let Some(limit) = rule.suppress_prefixlen() {
        if u32::from(route.dst_len) <= limit {
            return Fate::SuppressedPrefix(limit);
        }
    }
    if let Some(group) = rule.suppress_ifgroup() {
        let dev = route.oif.or(route.nexthops.first().map(|h| h.ifindex));
        if dev.and_then(|d| links.get(d)).and_then(|l| l.group) == Some(group) {
            return Fate::SuppressedGroup(group);
        }
    }
    Fate::Accepted
}

/// Whether `rule` matches `pkt` (fib_rule_match), and the first selector
/// that failed.
pub fn check(rule: &Rule, pkt: &Packet) -> Check {
    let failed = selectors(rule)
        .into_iter()
        .find(|s| !selector_matches(s, rule, pkt));
    let raw = failed.is_none();
    Check {
        matched: raw != rule.invert(),
        failed,
    }
}

/// The rule's selectors, in the order the kernel tests them.
pub fn selectors(rule: &Rule) -> Vec<Selector> {
    let mut out = Vec::new();
    if let Some(name) = &rule.iif {
        out.push(Selector::Iif {
            name: name.clone(),
            detached: rule.iif_detached(),
        });
    }
    if let Some(name) = &rule.oif {
        out.push(Selector::Oif {
            name: name.clone(),
            detached: rule.oif_detached(),
        });
    }
    let mark = rule.fwmark.unwrap_or(0);
    let mask = rule.fwmask.unwrap_or(if mark != 0 { u32::MAX } else { 0 });
    if mask != 0 {
        out.push(Selector::Fwmark { mark, mask });
    }
    out.extend(rule.tun_id.filter(|&t| t != 0).map(Selector::TunId));
    if rule.is_l3mdev() {
        out.push(Selector::L3mdev);
    }
    out.extend(rule.uid_range.map(Selector::UidRange));
    out.extend(family_selectors(rule));
    out
}

/// The family's own selectors (fib4_rule_match / fib6_rule_match).
fn family_selectors(rule: &Rule) -> Vec<Selector> {
    let mut out = Vec::new();
    if rule.src_len != 0 {
        out.push(Selector::From(rule.src, rule.src_len));
    }
    if rule.dst_len != 0 {
        out.push(Selector::To(rule.dst, rule.dst_len));
    }
    if rule.tos != 0 {
        out.push(Selector::Tos(rule.tos));
    }
    out.extend(rule.ip_proto.filter(|&p| p != 0).map(Selector::IpProto));
    let set = |p: &PortRange| p.start != 0 || p.end != 0;
    out.extend(rule.sport.filter(set).map(Selector::Sport));
    out.extend(rule.dport.filter(set).map(Selector::Dport));
    out
}

/// Whether `pkt` passes selector `s` of `rule`.
pub fn selector_matches(s: &Selector, rule: &Rule, pkt: &Packet) -> bool {
    let dev = |name: &str, detached: bool, have: Option<&str>| !detached && have == Some(name);
    let ports = |r: &PortRange, p: u16| (r.start..=r.end).contains(&p);
    match s {
        Selector::Iif { name, detached } => dev(name, *detached, pkt.iif.as_deref()),
        Selector::Oif { name, detached } => {
            dev(name, *detached, pkt.oif.as_ref().map(|(_, n)| n.as_str()))
        }
        Selector::Fwmark { mark, mask } => (mark ^ pkt.mark) & mask == 0,
        Selector::TunId(_) => false,
        Selector::L3mdev => pkt.l3mdev_table.is_some(),
        Selector::UidRange(u) => (u.start..=u.end).contains(&pkt.uid),
        Selector::From(addr, len) => match pkt.src {
            Some(src) => in_prefix(src, *addr, *len),
            // IPv6 skips the check only for FIB_RULE_FIND_SADDR rules;
            // IPv4 compares 0.0.0.0.
            None if is_v6(rule) => rule.flags & crate::wire::fib_rule::FIB_RULE_FIND_SADDR != 0,
            None => *len == 0,
        },
        Selector::To(addr, len) => in_prefix(pkt.dst, *addr, *len),
        Selector::Tos(t) => *t == pkt.tos,
        Selector::IpProto(p) => *p == pkt.ipproto,
        Selector::Sport(r) => ports(r, pkt.sport),
        Selector::Dport(r) => ports(r, pkt.dport),
    }
}

fn is_v6(rule: &Rule) -> bool {
    rule.family.addr_family() == AF_INET6
}

/// Whether `addr` lies in `prefix/len` (a missing prefix address is the
/// family's zero address); addresses of different families never do.
pub fn in_prefix(addr: IpAddr, prefix: Option<IpAddr>, len: u8) -> bool {
    let (a, p, bits) = match (addr, prefix) {
        (IpAddr::V4(a), Some(IpAddr::V4(p))) => (a.to_bits() as u128, p.to_bits() as u128, 32),
        (IpAddr::V4(a), None) => (a.to_bits() as u128, 0, 32),
        (IpAddr::V6(a), Some(IpAddr::V6(p))) => (a.to_bits(), p.to_bits(), 128),
        (IpAddr::V6(a), None) => (a.to_bits(), 0, 128),
        _ => return false,
    };
    let len = u32::from(len).min(bits);
    if len == 0 {
        return true;
    }
    let shift = bits - len;
    (a >> shift) == (p >> shift)
}

/// The route table `table` of `routes` gives `pkt` (index into `routes`),
/// `None` for none: the longest prefix, then the longest source prefix,
/// then a route with the packet's TOS before one with TOS 0, then the
/// lowest metric, then dump order. Routes whose nexthops are all dead are
/// skipped, and with an output device only routes through it are kept
/// (routes that drop the packet have no device and stay).
pub fn lookup_table(routes: &[Route], table: u32, pkt: &Packet) -> Option<usize> {
    let dst = pkt.dst;
    routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.table == table && !r.is_cloned())
        .filter(|(_, r)| in_prefix(dst, r.dst, r.dst_len))
        .filter(|(_, r)| r.src_len == 0 || pkt.src.is_some_and(|s| in_prefix(s, r.src, r.src_len)))
        .filter(|(_, r)| r.tos == 0 || r.tos == pkt.tos)
        .filter(|(_, r)| usable(r, pkt))
        .min_by_key(|(i, r)| {
            let tos_first = u8::from(r.tos == 0);
            (
                std::cmp::Reverse(r.dst_len),
                std::cmp::Reverse(r.src_len),
                tos_first,
                r.metric().unwrap_or(0),
                *i,
            )
        })
        .map(|(i, _)| i)
}

/// Whether `r` can carry `pkt`: a nexthop not dead, through `--oif` when
/// one is given. Types that drop or pass on return before the kernel
/// looks at nexthops.
fn usable(r: &Route, pkt: &Packet) -> bool {
    if matches!(
        r.kind,
        RouteType::Throw | RouteType::Blackhole | RouteType::Unreachable | RouteType::Prohibit
    ) {
        return true;
    }
    let alive = if r.nexthops.is_empty() {
        r.flags & RTNH_F_DEAD == 0
    } else {
        r.nexthops
            .iter()
            .any(|h| u32::from(h.flags) & RTNH_F_DEAD == 0)
    };
    alive && (pkt.skip_nh_oif || pkt.oif.as_ref().is_none_or(|(i, _)| r.uses_dev(*i)))
}

/// One difference between nlq's reading and the kernel's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// What differs: `outcome`, `table`, `prefix`, `metric`, `type`.
    pub what: &'static str,
    /// nlq's value.
    pub nlq: String,
    /// The kernel's value.
    pub kernel: String,
}

/// The kernel's answer to the same lookup.
#[derive(Debug, Clone, Copy)]
pub enum Kernel<'a> {
    /// A route (`route get`), and the FIB entry it came from (`route get
    /// fibmatch`) when the kernel gave one.
    Route {
        /// The plain answer.
        answer: &'a Route,
        /// The RTM_F_FIB_MATCH answer.
        fib: Option<&'a Route>,
    },
    /// An error, as a positive errno.
    Error(i32),
}

/// Where `decision` (a route index into `routes`) and the kernel's answer
/// differ; empty when they agree.
pub fn disagreements(
    decision: Decision,
    routes: &[Route],
    kernel: Kernel<'_>,
) -> Vec<Disagreement> {
    let errno = |e: Option<i32>| e.map_or("a route".to_string(), |e| format!("errno {e}"));
    let (nlq, answer, fib) = match (decision, kernel) {
        (Decision::Refused(r), Kernel::Error(e)) if r.errno() == e => return Vec::new(),
        (Decision::Route { route, .. }, Kernel::Route { answer, fib }) => match routes.get(route) {
            Some(r) => (r, answer, fib),
            None => {
                return vec![Disagreement {
                    what: "outcome",
                    nlq: format!("route {route}, not among the routes given"),
                    kernel: "a route".into(),
                }];
            }
        },
        (d, k) => {
            let theirs = match k {
                Kernel::Error(e) => Some(e),
                Kernel::Route { .. } => None,
            };
            return vec![Disagreement {
                what: "outcome",
                nlq: errno(d.errno()),
                kernel: errno(theirs),
            }];
        }
    };
    compare_routes(nlq, fib.unwrap_or(answer), fib.is_some())
}

/// The fields of nlq's route and the kernel's that can be compared: the
/// table always; prefix and metric only with the FIB entry (the plain
/// answer names the destination host); the type.
fn compare_routes(nlq: &Route, kernel: &Route, fib: bool) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut differ = |what, a: String, b: String| {
        if a != b {
            out.push(Disagreement {
                what,
                nlq: a,
                kernel: b,
            });
        }
    };
    differ("table", nlq.table.to_string(), kernel.table.to_string());
    if fib {
        let prefix = |r: &Route| match r.dst {
            Some(a) => format!("{a}/{}", r.dst_len),
            None => format!("default/{}", r.dst_len),
        };
        differ("prefix", prefix(nlq), prefix(kernel));
        let metric = |r: &Route| r.metric().unwrap_or(0).to_string();
        differ("metric", metric(nlq), metric(kernel));
    }
    // The output path types a multicast or broadcast destination by its
    // address, whatever route it found (__mkroute_output).
    let by_address = matches!(kernel.kind, RouteType::Multicast | RouteType::Broadcast)
        && nlq.kind == RouteType::Unicast;
    if !by_address {
        let kind = |r: &Route| r.kind.name().unwrap_or("unknown").to_string();
        differ("type", kind(nlq), kind(kernel));
    }
    out
}

#[cfg(test)]
mod tests;

/// The kernel's plain answer to the lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The route the kernel chose (RTM_NEWROUTE); boxed, as a route is
    /// large beside an errno.
    Route(Box<Route>),
    /// Its error, a positive errno.
    Error(i32),
}

/// Everything `routes get --explain` shows, gathered by the command.
#[derive(Debug, Clone)]
pub struct Report {
    /// The packet, as nlq models it.
    pub packet: Packet,
    /// An input lookup (`--iif`), not an output one.
    pub input: bool,
    /// The family's rules, in kernel order.
    pub rules: Vec<Rule>,
    /// The family's routes whose prefix holds the destination, every table.
    pub routes: Vec<Route>,
    /// nlq's reading.
    pub explanation: Explanation,
    /// The kernel's answer (`route get`): the authority.
    pub answer: Answer,
    /// The FIB entry the kernel's answer came from (`route get fibmatch`).
    pub fib: Option<Route>,
    /// Where nlq's reading and the kernel's answer differ.
    pub disagreements: Vec<Disagreement>,
    /// The route's nexthop object and, for a group, its members.
    pub nexthops: Vec<super::nexthop::Nexthop>,
    /// The neighbour the packet goes to (gateway, else the destination
    /// itself) and its device; `None` when the answer has no device.
    pub neighbour_of: Option<(IpAddr, u32)>,
    /// That neighbour's entry, if the kernel has one.
    pub neighbour: Option<super::neigh::Neigh>,
    /// The egress link, and its master.
    pub link: Option<super::link::Link>,
    /// The egress link's master (VRF, bridge, bond).
    pub master: Option<super::link::Link>,
    /// Every link: names, groups, masters.
    pub links: Links,
}
