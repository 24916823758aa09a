//! `nlq mdb`: the bridges' multicast databases, as `bridge mdb show`
//! shows them: a link dump for names, then one RTM_GETMDB dump for
//! AF_BRIDGE, whose replies carry both the groups (MDBA_MDB) and the
//! multicast router ports (MDBA_ROUTER); `bridge` sends the same dump twice,
//! once for each.
//!
//! Filtering: the kernel offers none. Under strict checking it rejects an
//! MDB dump request with a bridge index in its header or any attribute
//! (`br_mdb_valid_dump_req`), so `--dev` (a bridge) and `--vid` are nlq's
//! filters, as they are `bridge`'s.

use std::io::Write;

use super::{Env, device_index};
use crate::Error;
use crate::dump::DumpError;
use crate::model::mdb::Mdb;
use crate::render::mdb::Ctx;
use crate::wire::bridge::{RTM_GETMDB, br_port_msg_dump_header};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq mdb` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Only this bridge's database (`--dev`), by name.
    pub dev: Option<String>,
    /// Only groups in this VLAN (`--vid`); router ports are kept.
    pub vid: Option<u16>,
    /// Show timers (`-s`, as `bridge -s`).
    pub stats: bool,
}

/// The RTM_GETMDB dump request: an AF_BRIDGE `br_port_msg` and nothing else.
pub fn dump_request() -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 32];
    let req = RequestBuilder::new(&mut buf, RTM_GETMDB, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&br_port_msg_dump_header())
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// Run `nlq mdb`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let only = args
        .dev
        .as_deref()
        .map(|n| device_index(&links, n))
        .transpose()?;
    let req = dump_request()?;
    let mut mdbs = Vec::new();
    env.dump(&req, |msg| {
        let mdb = Mdb::try_from_msg(msg).ok().flatten();
        mdbs.extend(mdb.filter(|m| only.is_none_or(|i| i == m.bridge)));
        Ok(())
    })?;
    if let Some(vid) = args.vid {
        for m in &mut mdbs {
            m.entries.retain(|e| e.vid == vid);
        }
    }
    let ctx = Ctx {
        links: &links,
        names: &env.names,
        stats: args.stats,
    };
    crate::render::mdb::write(out, env.format, ctx, &mdbs)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nlmsg::NlMsg;

    #[test]
    fn request_is_a_bridge_mdb_dump_with_nothing_else() {
        let r = dump_request().unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETMDB, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            7, 0, 0, 0, // AF_BRIDGE, pad
            0, 0, 0, 0, // ifindex: every bridge
        ]);
    }
}
