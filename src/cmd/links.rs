//! `nlq links [NAME]`: one RTM_GETLINK dump, every link decoded and kept
//! (master and peer names need the whole index map), then rendered.
//!
//! With a NAME the whole dump is still read and the link is picked out of
//! it by name or alternative name, so its master and peer are named from
//! the same snapshot; an unknown name is [`Error::NoSuchDevice`].

use std::io::Write;

use super::Env;
use crate::Error;
use crate::cli::LinksArgs;
use crate::dump::DumpError;
use crate::model::link::{Link, Links};
use crate::render::link::{LinkCtx, write};
use crate::wire::ifinfomsg::{IFLA_EXT_MASK, IfInfoMsgRepr, RTEXT_FILTER_VF, RTM_GETLINK};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &LinksArgs, out: &mut dyn Write) -> Result<(), Error> {
    let links = dump_links(env)?;
    let selected: Vec<&Link> = match &args.name {
        Some(name) => {
            let link = links
                .find(name)
                .ok_or_else(|| Error::NoSuchDevice(name.clone()))?;
            vec![link]
        }
        None => links.iter().collect(),
    };
    let ctx = LinkCtx {
        links: &links,
        names: &env.names,
    };
    write(out, env.format, &ctx, &selected)?;
    Ok(())
}

/// Dump every link with statistics, as `ip -s link` asks for them
/// (ifinfomsg all zero, IFLA_EXT_MASK = RTEXT_FILTER_VF).
pub fn dump_links(env: &mut Env<'_>) -> Result<Links, Error> {
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&IfInfoMsgRepr::default().emit())
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF)
        .finish()
        .map_err(DumpError::from)?
        .to_vec();
    let mut links = Links::new();
    env.dump(&req, |msg| {
        links.add(msg);
        Ok(())
    })?;
    Ok(links)
}
