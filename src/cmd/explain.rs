//! `nlq routes get ADDRESS --explain`: the whole decision. nlq asks, in
//! this order and all through the Env transport (so `--capture` records
//! it and `--replay` answers it):
//!
//! 1. a link dump without statistics (names, groups, masters, MTU, state);
//! 2. the kernel's own answer, `route get` as `nlq routes get` sends it;
//! 3. the FIB entry behind it, the same request with RTM_F_FIB_MATCH
//!    (skipped when the first answer is an error);
//! 4. for an output lookup without `--uid` whose answer does not report
//!    the uid (IPv6, or an error), `route get 0.0.0.0`, which the kernel
//!    answers from lo whatever the tables hold, with the caller's uid in
//!    RTA_UID: so a replay models the recording user's uid, not its own;
//! 5. the family's rules (RTM_GETRULE dump);
//! 6. the family's routes, every table (one RTM_GETROUTE dump, of which
//!    only the routes whose prefix holds the destination are kept);
//! 7. the route's nexthop object and its group's members (RTM_GETNEXTHOP),
//!    when the route has one;
//! 8. the neighbours of the egress device (RTM_GETNEIGH dump).
//!
//! nlq then reads the rules and tables itself ([`crate::model::explain`])
//! and compares its reading with the kernel's answer, which stays the
//! authority. The flow nlq models is the kernel's for `route get`
//! (inet_rtm_getroute, inet6_rtm_getroute): an output lookup comes from
//! `lo` (LOOPBACK_IFINDEX) with the caller's uid (current_uid(), as the
//! kernel reports it) unless `--uid` names one;
//! an IPv4 input lookup (`--iif`) has no output device and uid 0
//! (ip_route_input_slow's sock_net_uid), an IPv6 one the invalid uid
//! (4294967295) unless `--uid` names one; IPv4 rules see the TOS masked
//! with IPTOS_RT_MASK (0x1c). An l3mdev rule looks up the table of the VRF
//! the packet's device (`--oif`, else `--iif`) is, or is enslaved to
//! (l3mdev_update_flow); a VRF as `--oif` does not restrict the nexthops.

use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::MetadataExt;

use super::route_get::{Devices, Lookup, Settings};
use super::rules::Selection as RuleSelection;
use super::{Env, links::dump_links_without_stats};
use crate::Error;
use crate::dump::DumpError;
use crate::model::explain::{Answer, Kernel, Packet, Report, disagreements, explain, in_prefix};
use crate::model::link::Links;
use crate::model::neigh::Neigh;
use crate::model::nexthop::Nexthop;
use crate::model::route::{Family, Route, RouteType};
use crate::model::rule::{IpProtos, Rule};
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::nhmsg::{NhMsg, RTM_NEWNEXTHOP};
use crate::wire::nlmsg::NlMsg;
use crate::wire::rtmsg::{RTM_NEWROUTE, RtMsg};

/// The uid of a lookup the kernel makes without one (INVALID_UID).
const INVALID_UID: u32 = u32::MAX;

/// IPTOS_RT_MASK (linux/ip.h): the TOS bits an IPv4 route lookup keeps.
const IPTOS_RT_MASK: u8 = 0x1c;

/// The group members nlq looks up at most, so a hostile answer cannot make
/// it ask forever.
const MAX_MEMBERS: usize = 256;

/// Run `nlq routes get --explain`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let report = gather(env, args)?;
    let protos = IpProtos::for_names(&env.names);
    let ctx = crate::render::explain::Ctx {
        names: &env.names,
        protos: &protos,
    };
    crate::render::explain::write(out, env.format, &ctx, &report)?;
    Ok(())
}

/// A device given by name, with its index; no such device is an error.
type Dev = Option<(u32, String)>;

/// Ask everything, read the rules, compare.
fn gather(env: &mut Env<'_>, args: &Settings) -> Result<Report, Error> {
    let lookup = args.lookup;
    let links = dump_links_without_stats(env)?;
    let (iif, oif) = (find(&links, &args.iif)?, find(&links, &args.oif)?);
    let dev = Devices {
        iif: iif.as_ref().map(|d| d.0),
        oif: oif.as_ref().map(|d| d.0),
    };
    let (answer, fib) = answers(env, &lookup, dev)?;
    let input = iif.is_some();
    let caller = match (lookup.uid, input, answered_uid(&answer)) {
        (None, false, None) => caller_uid(env)?,
        (_, _, answered) => answered,
    };
    let packet = packet(&lookup, iif, oif, caller, &links);
    let family = if lookup.dst.is_ipv4() {
        AF_INET
    } else {
        AF_INET6
    };
    let rules = dump_rules(env, family)?;
    let routes = dump_routes(env, family, lookup.dst)?;
    let explanation = explain(&rules, &routes, &links, &packet);
    let kernel = match &answer {
        Answer::Route(r) => Kernel::Route {
            answer: r,
            fib: fib.as_ref(),
        },
        Answer::Error(e) => Kernel::Error(*e),
    };
    let disagreements = disagreements(explanation.decision, &routes, kernel);
    let mut report = Report {
        packet,
        input,
        rules,
        routes,
        explanation,
        answer,
        fib,
        disagreements,
        nexthops: Vec::new(),
        neighbour_of: None,
        neighbour: None,
        link: None,
        master: None,
        links,
    };
    onward(env, family, &mut report)?;
    Ok(report)
}

/// The link called `name` (or an altname), as index and name.
fn find(links: &Links, name: &Option<String>) -> Result<Dev, Error> {
    let Some(name) = name else {
        return Ok(None);
    };
    match links.find(name) {
        Some(l) => Ok(Some((l.index, l.name.clone()))),
        None => Err(Error::NoSuchDevice(name.clone())),
    }
}

/// The kernel's answer, and the FIB entry behind it when there is one.
fn answers(
    env: &mut Env<'_>,
    lookup: &Lookup,
    dev: Devices,
) -> Result<(Answer, Option<Route>), Error> {
    let answer = ask(env, lookup, dev, false)?;
    if let Answer::Error(_) = answer {
        return Ok((answer, None));
    }
    let fib = match ask(env, lookup, dev, true)? {
        Answer::Route(r) => Some(*r),
        Answer::Error(_) => None,
    };
    Ok((answer, fib))
}

/// What lies beyond the kernel's route: its nexthop objects, the
/// neighbour it sends to, the egress link and that link's master.
fn onward(env: &mut Env<'_>, family: u8, r: &mut Report) -> Result<(), Error> {
    let Answer::Route(answer) = &r.answer else {
        return Ok(());
    };
    let chosen = r.fib.as_ref().unwrap_or(answer);
    r.nexthops = nexthops(env, chosen.nhid)?;
    r.neighbour_of = next_hop(answer);
    if let Some((addr, dev)) = r.neighbour_of {
        r.neighbour = neighbour(env, family, addr, dev)?;
    }
    r.link = answer.oif.and_then(|d| r.links.get(d)).cloned();
    r.master = r
        .link
        .as_ref()
        .and_then(|l| l.master)
        .and_then(|m| r.links.get(m))
        .cloned();
    Ok(())
}

/// The kernel's answer to `route get` (with RTM_F_FIB_MATCH when `fib`):
/// a route, or the errno it refused with.
fn ask(env: &mut Env<'_>, lookup: &Lookup, dev: Devices, fib: bool) -> Result<Answer, Error> {
    let req = Lookup {
        fibmatch: fib,
        ..*lookup
    }
    .request(dev)?;
    let failed = |error| Error::Request {
        what: lookup.dst.to_string(),
        error,
    };
    match env.dumper.request(&mut *env.transport, &req) {
        Ok(bytes) => Ok(Answer::Route(Box::new(
            decode_route(&bytes).map_err(failed)?,
        ))),
        Err(DumpError::Kernel { errno, .. }) => Ok(Answer::Error(errno)),
        Err(e) => Err(failed(e)),
    }
}

/// The route in an answer; any other message is an error.
fn decode_route(answer: &[u8]) -> Result<Route, DumpError> {
    let msg = NlMsg::new_checked(answer)?;
    if msg.kind() != RTM_NEWROUTE {
        return Err(DumpError::sink(format!(
            "the kernel answered with message type {}, not a route",
            msg.kind()
        )));
    }
    Ok(Route::decode(&RtMsg::new_checked(msg.payload())?))
}

/// The packet the kernel looks up (see the module documentation for the
/// uid and the TOS).
fn packet(lookup: &Lookup, iif: Dev, oif: Dev, caller: Option<u32>, links: &Links) -> Packet {
    let v4 = lookup.dst.is_ipv4();
    let input = iif.is_some();
    let uid = match (lookup.uid, input, v4) {
        (_, true, true) => 0,
        (Some(u), _, _) => u,
        (None, true, false) => INVALID_UID,
        (None, false, _) => caller.unwrap_or_else(own_uid),
    };
    // The device whose VRF an l3mdev rule looks up (l3mdev_update_flow).
    let dev = if input { iif.as_ref() } else { oif.as_ref() };
    let link = dev.and_then(|(i, _)| links.get(*i));
    let own_table = link.and_then(|l| l.vrf_table());
    let master = link.and_then(|l| l.master).and_then(|m| links.get(m));
    let l3mdev_table = own_table.or_else(|| master.and_then(|m| m.vrf_table()));
    Packet {
        dst: lookup.dst,
        src: lookup.src.filter(|s| !s.is_unspecified()),
        iif: Some(iif.map_or_else(|| "lo".to_string(), |(_, n)| n)),
        oif: if input { None } else { oif },
        mark: lookup.mark.unwrap_or(0),
        uid,
        ipproto: lookup.ipproto.unwrap_or(0),
        sport: lookup.sport.unwrap_or(0),
        dport: lookup.dport.unwrap_or(0),
        tos: if v4 {
            lookup.tos & IPTOS_RT_MASK
        } else {
            lookup.tos
        },
        l3mdev_table,
        skip_nh_oif: !input && own_table.is_some(),
    }
}

/// The uid the kernel used, as its IPv4 answer reports it (RTA_UID).
fn answered_uid(answer: &Answer) -> Option<u32> {
    match answer {
        Answer::Route(r) => r.uid,
        Answer::Error(_) => None,
    }
}

/// The caller's uid as the kernel sees it: RTA_UID of its answer to an
/// IPv4 `route get 0.0.0.0`, which it routes to lo without looking at any
/// table; `None` if it answers otherwise.
fn caller_uid(env: &mut Env<'_>) -> Result<Option<u32>, Error> {
    let probe = Lookup {
        dst: IpAddr::from([0, 0, 0, 0]),
        src: None,
        mark: None,
        uid: None,
        ipproto: None,
        sport: None,
        dport: None,
        tos: 0,
        fibmatch: false,
    };
    Ok(match ask(env, &probe, Devices::default(), false)? {
        Answer::Route(r) => r.uid,
        Answer::Error(_) => None,
    })
}

/// This process's uid (the owner of /proc/self): the caller's uid when the
/// kernel did not say; 0 when unreadable.
fn own_uid() -> u32 {
    std::fs::metadata("/proc/self").map_or(0, |m| m.uid())
}

/// The family's rules, in kernel order.
fn dump_rules(env: &mut Env<'_>, family: u8) -> Result<Vec<Rule>, Error> {
    let sel = RuleSelection::new(Some(family))?;
    let req = sel.request()?;
    let mut rules = Vec::new();
    env.dump(&req, |msg| {
        rules.extend(Rule::from_msg(msg).filter(|r| sel.keeps(r)));
        Ok(())
    })?;
    Ok(rules)
}

/// The family's routes of every table whose prefix holds `dst` (no other
/// route can match), cloned ones left out.
fn dump_routes(env: &mut Env<'_>, family: u8, dst: IpAddr) -> Result<Vec<Route>, Error> {
    let sel = super::routes::Selection {
        family: Some(family),
        ..Default::default()
    };
    let req = sel.request(env.transport.strict())?;
    let mut routes = Vec::new();
    // One route decoded into again and again: a full table is a million
    // routes, of which a handful hold the destination.
    let mut r = Route::default();
    env.dump(&req, |msg| {
        if msg.kind() != RTM_NEWROUTE {
            return Ok(());
        }
        let Ok(rt) = RtMsg::new_checked(msg.payload()) else {
            return Ok(());
        };
        r.decode_into(&rt);
        if r.family == Family(family) && !r.is_cloned() && in_prefix(dst, r.dst, r.dst_len) {
            routes.push(r.clone());
        }
        Ok(())
    })?;
    Ok(routes)
}

/// Nexthop object `id` and, for a group, its members, in group order.
fn nexthops(env: &mut Env<'_>, id: Option<u32>) -> Result<Vec<Nexthop>, Error> {
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    let Some(top) = get_nexthop(env, id)? else {
        return Ok(Vec::new());
    };
    let members: Vec<u32> = top.members.iter().map(|m| m.id).take(MAX_MEMBERS).collect();
    let mut out = vec![top];
    for m in members {
        out.extend(get_nexthop(env, m)?);
    }
    Ok(out)
}

/// One nexthop object (`ip nexthop get id N`); `None` when it is gone.
fn get_nexthop(env: &mut Env<'_>, id: u32) -> Result<Option<Nexthop>, Error> {
    let req = super::nexthops::get_request(id)?;
    let bytes = match env.dumper.request(&mut *env.transport, &req) {
        Err(DumpError::Kernel { .. }) => return Ok(None),
        answer => answer?,
    };
    let msg = NlMsg::new_checked(&bytes[..]).map_err(DumpError::from)?;
    if msg.kind() != RTM_NEWNEXTHOP {
        return Ok(None);
    }
    let hdr = NhMsg::new_checked(msg.payload()).map_err(DumpError::from)?;
    Ok(Some(Nexthop::decode(&hdr)))
}

/// Where the kernel's route sends the packet next: its gateway, else the
/// destination itself (on link), with the device; `None` for routes that
/// deliver locally or have no device.
fn next_hop(r: &Route) -> Option<(IpAddr, u32)> {
    let dev = r.oif?;
    if !matches!(r.kind, RouteType::Unicast) {
        return None;
    }
    Some((r.gateway.or(r.via).or(r.dst)?, dev))
}

/// The neighbour entry for `addr` on `dev`, in any state.
fn neighbour(
    env: &mut Env<'_>,
    family: u8,
    addr: IpAddr,
    dev: u32,
) -> Result<Option<Neigh>, Error> {
    let sel = super::neigh::Selection {
        family: Some(family),
        dev: Some(dev),
        ..Default::default()
    };
    let req = sel.request(env.transport.strict())?;
    let mut found = None;
    env.dump(&req, |msg| {
        if let Some(n) = Neigh::from_msg(msg) {
            if found.is_none() && n.ifindex == dev && n.dst == Some(addr) {
                found = Some(n);
            }
        }
        Ok(())
    })?;
    Ok(found)
}
