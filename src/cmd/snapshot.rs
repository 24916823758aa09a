//! `nlq snapshot`: every object kind (links, addresses, routes of every
//! table and family, neighbours, rules, nexthops) in one JSON document,
//! with a header saying when, where and on which kernel. Each kind is
//! dumped with [`Env::dump_kind`] (consistent under churn), links first:
//! the others' renderers name devices from them.

use std::io::Write;
use std::time::SystemTime;

use super::Env;
use super::links::LinkSelection;
use crate::Error;
use crate::model::LinkNames;
use crate::model::addr::Addr;
use crate::model::link::{Link, Links};
use crate::model::neigh::Neigh;
use crate::model::nexthop::Nexthop;
use crate::model::object::{Action, ObjectKind};
use crate::model::route::Route;
use crate::model::rule::{IpProtos, Rule};
use crate::netns::{NsidNames, Place};
use crate::render::event::{Shown, View};
use crate::render::snapshot::{Header, Section};
use crate::render::{Dialect, Format};

/// `nlq snapshot` takes no options of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings;

/// Refuse `--json=ip`: ip has no snapshot to be a superset of.
pub fn validate_format(format: Format) -> Result<(), Error> {
    match format {
        Format::Json(Dialect::Ip) => Err(Error::Usage(
            "snapshot writes nlq's own JSON only (ip has no snapshot); drop --json=ip".into(),
        )),
        _ => Ok(()),
    }
}

/// Write the snapshot, an array of one object (as every nlq command's
/// JSON is an array), whatever the output format.
pub fn run(env: &mut Env<'_>, _: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let doc = take(env)?;
    // One object per line, as every JSON array nlq prints (`--all-netns`
    // tags each line's object with its namespace).
    out.write_all(b"[\n")?;
    out.write_all(&doc)?;
    out.write_all(b"\n]\n")?;
    Ok(())
}

/// Every kind's objects, as dumped.
#[derive(Default)]
struct Objects {
    links: Vec<Link>,
    addrs: Vec<Addr>,
    routes: Vec<Route>,
    neigh: Vec<Neigh>,
    rules: Vec<Rule>,
    nexthops: Vec<Nexthop>,
}

/// Take a snapshot: the snapshot object's JSON (braces included).
pub fn take(env: &mut Env<'_>) -> Result<Vec<u8>, Error> {
    // Links with their statistics (counters are in the snapshot; diff
    // leaves them out unless asked).
    let link_req = LinkSelection::default().request(false, 0)?;
    let objects = Objects {
        links: collect::<Link>(env, &link_req)?,
        addrs: collect::<Addr>(env, &request::<Addr>()?)?,
        routes: collect::<Route>(env, &request::<Route>()?)?,
        neigh: collect::<Neigh>(env, &request::<Neigh>()?)?,
        rules: collect::<Rule>(env, &request::<Rule>()?)?,
        nexthops: collect::<Nexthop>(env, &request::<Nexthop>()?)?,
    };
    render(env, &objects)
}

/// A dump request for every object of kind `T`.
fn request<T: ObjectKind>() -> Result<Vec<u8>, Error> {
    Ok(T::dump_request(None, 0).map_err(crate::dump::DumpError::from)?)
}

/// Dump kind `T` with `request`: the objects listings show (not the
/// route cache, not bridge FDB entries among neighbours). A malformed
/// reply is skipped, as the monitor does.
fn collect<T: ObjectKind>(env: &mut Env<'_>, request: &[u8]) -> Result<Vec<T>, Error> {
    let mut objects = Vec::new();
    env.dump_kind::<T, _>(request, |msg| {
        if let Ok(Some((Action::New | Action::Replace, obj))) = T::read(msg) {
            if obj.listed() && obj.in_family(None) {
                objects.push(obj);
            }
        }
        Ok(())
    })?;
    Ok(objects)
}

/// The snapshot's JSON from the dumped objects.
fn render(env: &Env<'_>, objects: &Objects) -> Result<Vec<u8>, Error> {
    let (mut links, mut link_names) = (Links::new(), LinkNames::new());
    for l in &objects.links {
        link_names.insert(l.index, &l.name);
        links.push(l.clone());
    }
    let protos = IpProtos::system();
    let nsids = NsidNames::lookup(&env.place);
    let view = View {
        names: &env.names,
        protos: &protos,
        links: &links,
        link_names: &link_names,
        nsids: &nsids,
    };
    let time = crate::monitor::event::stamp(SystemTime::now());
    let (live, netns) = match &env.place {
        Place::Own => (true, None),
        Place::Netns(ns) => (true, Some(ns.name.as_str())),
        Place::Replay => (false, None),
    };
    // A replay's kernel and host are not this machine's: unknown.
    let uname = crate::sys::uname().filter(|_| live);
    let header = Header {
        time: &time,
        kernel: uname.as_ref().map(|u| u.release.as_str()),
        hostname: uname.as_ref().map(|u| u.nodename.as_str()),
        netns,
        source: if live { "live" } else { "replay" },
    };
    let sections = [
        section("links", &objects.links),
        section("addrs", &objects.addrs),
        section("routes", &objects.routes),
        section("neigh", &objects.neigh),
        section("rules", &objects.rules),
        section("nexthops", &objects.nexthops),
    ];
    let mut out = Vec::with_capacity(64 << 10);
    crate::render::snapshot::json(&mut out, &header, &sections, &view)?;
    Ok(out)
}

/// One kind's objects as the renderer takes them.
fn section<'s, T: Shown>(name: &'static str, objects: &'s [T]) -> Section<'s> {
    Section {
        name,
        objects: objects.iter().map(|o| o as &dyn Shown).collect(),
    }
}
