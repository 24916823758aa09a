//! `nlq addrs [--dev NAME] [-4|-6|--family F]`: a link dump (names, and
//! the link objects of the `ip` dialect), then one RTM_GETADDR dump.
//!
//! The request carries the family, and under strict checking the device
//! index, so the kernel can filter; the replies are filtered again here in
//! every case, because an older kernel, or one that did not set
//! NLM_F_DUMP_FILTERED, may have sent everything.

use std::io::Write;

use super::Env;
use super::links::{dump_links, peer_namespaces};
use crate::Error;
use crate::dump::DumpError;
use crate::model::addr::{Addr, Grouped};
use crate::render::link::LinkCtx;
use crate::wire::ifaddrmsg::{IfAddrMsgRepr, RTM_GETADDR};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq addrs` shows: the validated command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// AF_INET or AF_INET6 (ifa_family); `None` for every family.
    pub family: Option<u8>,
    /// Only addresses on this device, by name (resolved from the link dump).
    pub dev: Option<String>,
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = dump_links(env)?;
    let dev = super::link_index(&links, args.dev.as_deref())?;
    let family = args.family;
    let addrs = dump_addrs(env, family, dev)?;
    // `ip -4/-6 addr` leaves out links without an address of that family.
    let grouped = Grouped::new(&links, &addrs, dev, family.is_some());
    let nsids = peer_namespaces(env, links.iter());
    let ctx = LinkCtx {
        links: &links,
        names: &env.names,
        nsids: &nsids,
    };
    if env.brief() {
        crate::render::link::brief::addrs(out, env.format, &ctx, &grouped)?;
    } else {
        crate::render::addr::write(out, env.format, &ctx, &grouped)?;
    }
    Ok(())
}

/// Dump the addresses of `family` (all when `None`) on interface `dev`
/// (all when `None`), in kernel order.
fn dump_addrs(env: &mut Env<'_>, family: Option<u8>, dev: Option<u32>) -> Result<Vec<Addr>, Error> {
    let hdr = IfAddrMsgRepr {
        family: family.unwrap_or(0),
        // Without strict checking the kernel would ignore the index at
        // best; with it, the index asks the kernel to filter.
        index: if env.transport.strict() {
            dev.unwrap_or(0)
        } else {
            0
        },
        ..IfAddrMsgRepr::default()
    };
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit())
        .finish()
        .map_err(DumpError::from)?
        .to_vec();
    let wanted =
        |a: &Addr| family.is_none_or(|f| f == a.family) && dev.is_none_or(|d| d == a.index);
    env.collect::<Addr, Vec<Addr>>(&req, |addrs, msg| {
        addrs.extend(Addr::from_msg(msg).filter(wanted));
    })
}
