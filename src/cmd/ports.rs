//! `nlq ports [--dev NAME] [--br NAME]`: bridge ports (`bridge link
//! show`): a link dump (names, peers, masters), then one RTM_GETLINK dump
//! of family AF_BRIDGE, whose answers carry each port's IFLA_PROTINFO.
//!
//! The kernel filters this dump by nothing (`rtnl_bridge_getlink` reads
//! only IFLA_EXT_MASK), so `--dev` and `--br` are nlq's own, as `dev` is
//! `bridge`'s.

use std::io::Write;

use super::links::dump_links_without_stats;
use super::{Env, output};
use crate::Error;
use crate::dump::DumpError;
use crate::model::link::Links;
use crate::model::neigh::AF_BRIDGE;
use crate::model::port::Port;
use crate::render::Listing;
use crate::render::port::{self, PortCtx};
use crate::wire::ifinfomsg::{IfInfoMsgRepr, RTM_GETLINK};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq ports` shows: the validated command line, devices still by
/// name (resolved from the link dump).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Only this port.
    pub dev: Option<String>,
    /// Only the ports of this bridge.
    pub br: Option<String>,
}

/// Which ports to show, devices resolved to indexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only the port of this index.
    pub dev: Option<u32>,
    /// Only ports whose master has this index.
    pub br: Option<u32>,
}

impl Selection {
    /// The selection `args` ask for, device names resolved in `links`.
    pub fn new(args: &Settings, links: &Links) -> Result<Selection, Error> {
        let index = |name: &Option<String>| super::link_index(links, name.as_deref());
        Ok(Selection {
            dev: index(&args.dev)?,
            br: index(&args.br)?,
        })
    }

    /// Whether `p` is shown.
    pub fn keeps(&self, p: &Port) -> bool {
        self.dev.is_none_or(|d| p.link.index == d)
            && self.br.is_none_or(|b| p.link.master == Some(b))
    }
}

/// The RTM_GETLINK dump request of family AF_BRIDGE, as `bridge link
/// show` sends it (`__rtnl_linkdump_req`: the header alone).
pub fn request() -> Result<Vec<u8>, Error> {
    let hdr = IfInfoMsgRepr {
        family: AF_BRIDGE,
        ..IfInfoMsgRepr::default()
    };
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit());
    Ok(req.finish().map_err(DumpError::from)?.to_vec())
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = dump_links_without_stats(env)?;
    let sel = Selection::new(args, &links)?;
    let req = request()?;
    let ctx = PortCtx { links: &links };
    let mut writer = Listing::new(out, env.format, &port::COLUMNS);
    let result = env.dump(&req, |msg| match Port::try_from_msg(msg) {
        Ok(Some(p)) if [AF_BRIDGE, 0].contains(&p.family) && sel.keeps(&p) => {
            port::push(&mut writer, &p, &ctx).map_err(output)
        }
        _ => Ok(()),
    });
    match result {
        Ok(_) => Ok(writer.finish()?),
        Err(e) => {
            let _ = writer.close(); // the dump's error is the one to report
            Err(e)
        }
    }
}
