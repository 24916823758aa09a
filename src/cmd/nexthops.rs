//! `nlq nexthops [--id N] [--dev NAME] [--master NAME] [--groups] [--fdb]
//! [-4|-6|--family F]`: interface names from a link dump, then either one
//! RTM_GETNEXTHOP lookup (`--id`) or one RTM_GETNEXTHOP dump.
//!
//! The dump request carries the family in `struct nhmsg`, and under strict
//! checking the selectors as iproute2's `nh_dump_filter` sends them
//! (NHA_OIF, NHA_GROUPS, NHA_MASTER, NHA_FDB). The replies are filtered
//! again here in every case, whatever NLM_F_DUMP_FILTERED says: the
//! kernel does not set that flag for nexthop dumps, parses NHA_FDB without
//! applying it, and a non-strict socket filters nothing.

use std::collections::HashMap;
use std::io::Write;

use super::links::dump_links;
use super::{Env, device_index};
use crate::Error;
use crate::dump::{DumpError, DumpStats};
use crate::model::LinkNames;
use crate::model::nexthop::{Nexthop, Selection};
use crate::render::nexthop::{NhCtx, write};
use crate::wire::nhmsg::{
    NHA_FDB, NHA_GROUPS, NHA_ID, NHA_MASTER, NHA_OIF, NhMsg, NhMsgRepr, RTM_GETNEXTHOP,
    RTM_NEWNEXTHOP,
};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// "No such file or directory": the kernel's answer for an unknown id.
const ENOENT: i32 = 2;

/// Interface index → its master's index.
type Masters = HashMap<u32, u32>;

/// What `nlq nexthops` shows: the validated command line, devices still
/// by name (resolved from the link dump).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// AF_INET or AF_INET6 (nh_family); `None` for every family.
    pub family: Option<u8>,
    /// Only the nexthop with this id (NHA_ID): one lookup, not a dump.
    pub id: Option<u32>,
    /// Only nexthops through this device (NHA_OIF).
    pub dev: Option<String>,
    /// Only nexthops whose device is enslaved to this master (NHA_MASTER).
    pub master: Option<String>,
    /// Only groups (NHA_GROUPS).
    pub groups: bool,
    /// Only FDB nexthops and groups (NHA_FDB).
    pub fdb: bool,
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let (links, masters) = interfaces(env, args.master.is_some())?;
    let nexthops = match args.id {
        Some(id) => vec![get(env, id)?],
        None => {
            let sel = selection(args, &links)?;
            dump(env, &sel, &masters)?.0
        }
    };
    let ctx = NhCtx {
        names: &env.names,
        links: &links,
    };
    write(out, env.format, &ctx, &nexthops)?;
    Ok(())
}

/// Interface names, and the masters when `--master` needs them (from a
/// full link dump, which carries IFLA_MASTER).
fn interfaces(env: &mut Env<'_>, masters: bool) -> Result<(LinkNames, Masters), Error> {
    if !masters {
        return Ok((env.link_names()?, Masters::new()));
    }
    let (mut names, mut map) = (LinkNames::new(), Masters::new());
    for link in dump_links(env)?.iter() {
        names.insert(link.index, &link.name);
        if let Some(m) = link.master.filter(|&m| m != 0) {
            map.insert(link.index, m);
        }
    }
    Ok((names, map))
}

/// The selectors of `args`, devices resolved against `links`.
fn selection(args: &Settings, links: &LinkNames) -> Result<Selection, Error> {
    let index = |name: &Option<String>| name.as_deref().map(|n| device_index(links, n));
    Ok(Selection {
        family: args.family,
        oif: index(&args.dev).transpose()?,
        master: index(&args.master).transpose()?,
        groups: args.groups,
        fdb: args.fdb,
    })
}

/// The RTM_GETNEXTHOP dump request: the family always, the selectors
/// only under strict checking.
pub fn dump_request(sel: &Selection, strict: bool) -> Result<Vec<u8>, Error> {
    let hdr = NhMsgRepr {
        family: sel.family.unwrap_or(0),
        ..NhMsgRepr::default()
    };
    let mut buf = [0u8; 64];
    let mut req = RequestBuilder::new(&mut buf, RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit());
    if strict {
        if let Some(i) = sel.oif {
            req = req.attr_u32(NHA_OIF, i);
        }
        if sel.groups {
            req = req.attr(NHA_GROUPS, &[]);
        }
        if let Some(m) = sel.master {
            req = req.attr_u32(NHA_MASTER, m);
        }
        if sel.fdb {
            req = req.attr(NHA_FDB, &[]);
        }
    }
    Ok(req.finish().map_err(DumpError::from)?.to_vec())
}

/// Dump the nexthops `sel` keeps, in kernel order (by id).
fn dump(
    env: &mut Env<'_>,
    sel: &Selection,
    masters: &Masters,
) -> Result<(Vec<Nexthop>, DumpStats), Error> {
    let req = dump_request(sel, env.transport.strict())?;
    let mut nexthops = Vec::new();
    let stats = env.dump_kind::<Nexthop, _>(&req, |msg| {
        let master_of = |i: u32| masters.get(&i).copied();
        if let Some(nh) = Nexthop::from_msg(msg).filter(|nh| sel.keeps(nh, master_of)) {
            nexthops.push(nh);
        }
        Ok(())
    })?;
    Ok((nexthops, stats))
}

/// The RTM_GETNEXTHOP lookup of one id (`ip nexthop get id N`).
pub fn get_request(id: u32) -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETNEXTHOP, NLM_F_REQUEST, 0)
        .fixed(&NhMsgRepr::default().emit())
        .attr_u32(NHA_ID, id)
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// Look up nexthop `id`; an unknown id is [`Error::NoSuchNexthop`].
fn get(env: &mut Env<'_>, id: u32) -> Result<Nexthop, Error> {
    let req = get_request(id)?;
    let answer = match env.dumper.request(&mut *env.transport, &req) {
        Err(DumpError::Kernel { errno: ENOENT, .. }) => return Err(Error::NoSuchNexthop(id)),
        answer => answer?,
    };
    let msg = NlMsg::new_checked(&answer[..]).map_err(DumpError::from)?;
    let hdr = NhMsg::new_checked(msg.payload()).map_err(DumpError::from)?;
    if msg.kind() != RTM_NEWNEXTHOP {
        let what = format!("the kernel answered with message type {}", msg.kind());
        return Err(
            DumpError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, what)).into(),
        );
    }
    Ok(Nexthop::decode(&hdr))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::Dumper;
    use crate::dump::script::{Scripted, Step, message};
    use crate::names::Names;
    use crate::render::Format;
    use crate::wire::attr::AF_INET6;
    use crate::wire::nlmsg::{NLM_F_DUMP_FILTERED, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR};

    fn env(t: &mut Scripted) -> Env<'_> {
        Env {
            transport: t,
            dumper: Dumper::default(),
            place: crate::netns::Place::Replay,
            names: Names::builtin(),
            format: Format::Json(crate::render::Dialect::Nlq),
            brief: false,
        }
    }

    #[test]
    fn dump_request_carries_selectors_only_when_strict() {
        let sel = Selection {
            family: Some(AF_INET6),
            oif: Some(3),
            master: Some(9),
            groups: true,
            fdb: true,
        };
        let strict = dump_request(&sel, true).unwrap();
        let msg = NlMsg::new_checked(&strict[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETNEXTHOP, 0x301));
        let nh = NhMsg::new_checked(msg.payload()).unwrap();
        assert_eq!(
            (nh.family(), nh.scope(), nh.protocol(), nh.flags()),
            (10, 0, 0, 0)
        );
        #[rustfmt::skip]
        let attrs = [
            8, 0, 5, 0, 3, 0, 0, 0,     // NHA_OIF = 3
            4, 0, 9, 0,                 // NHA_GROUPS
            8, 0, 10, 0, 9, 0, 0, 0,    // NHA_MASTER = 9
            4, 0, 11, 0,                // NHA_FDB
        ];
        assert_eq!(nh.attr_bytes(), &attrs);
        let loose = dump_request(&sel, false).unwrap();
        assert_eq!(loose.len(), 16 + 8, "only the family");
    }

    #[test]
    fn get_request_is_not_a_dump() {
        let req = get_request(42).unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETNEXTHOP, NLM_F_REQUEST));
        assert_eq!(&msg.payload()[8..], &[8, 0, 1, 0, 42, 0, 0, 0]); // NHA_ID = 42
    }

    /// An RTM_NEWNEXTHOP reply with `flags`, sequence 1: an IPv4 nexthop
    /// `id` through interface `oif`.
    fn reply(flags: u16, id: u8, oif: u8) -> Vec<u8> {
        #[rustfmt::skip]
        let payload = [
            2, 0, 0, 0, 0, 0, 0, 0,     // nhmsg: AF_INET
            8, 0, 1, 0, id, 0, 0, 0,    // NHA_ID
            8, 0, 5, 0, oif, 0, 0, 0,   // NHA_OIF
        ];
        message(RTM_NEWNEXTHOP, flags, 1, &payload)
    }

    #[test]
    fn filters_in_user_space_whatever_the_kernel_says() {
        let sel = Selection {
            oif: Some(3),
            ..Selection::default()
        };
        for flags in [NLM_F_MULTI, NLM_F_MULTI | NLM_F_DUMP_FILTERED] {
            let done = message(NLMSG_DONE, flags, 1, &0i32.to_ne_bytes());
            let bytes = [reply(flags, 1, 3), reply(flags, 2, 4), done].concat();
            let mut t = Scripted::new([Step::Datagram { sender: 0, bytes }]);
            let (got, stats) = dump(&mut env(&mut t), &sel, &Masters::new()).unwrap();
            assert_eq!(stats.filtered, flags & NLM_F_DUMP_FILTERED != 0);
            let ids: Vec<_> = got.iter().map(|n| n.id).collect();
            assert_eq!(ids, [Some(1)], "the nexthop on interface 4 is dropped");
        }
    }

    #[test]
    fn get_decodes_the_answer_and_names_an_unknown_id() {
        let mut t = Scripted::new([Step::Datagram {
            sender: 0,
            bytes: reply(0, 7, 3),
        }]);
        let nh = get(&mut env(&mut t), 7).unwrap();
        assert_eq!((nh.id, nh.oif), (Some(7), Some(3)));

        let mut err = (-ENOENT).to_ne_bytes().to_vec();
        err.extend_from_slice(&get_request(9).unwrap()[..16]);
        let mut t = Scripted::new([Step::Datagram {
            sender: 0,
            bytes: message(NLMSG_ERROR, 0, 1, &err),
        }]);
        let e = get(&mut env(&mut t), 9).unwrap_err();
        assert_eq!(e.to_string(), "no such nexthop: 9");
        assert_eq!(e.exit_code(), crate::error::EXIT_RUNTIME);
    }
}
