//! `nlq vlans`: each bridge port's VLANs and VLAN-to-tunnel mappings, as
//! `bridge vlan show` (and `bridge vlan tunnelshow`) shows them: a link
//! dump for names, then one RTM_GETLINK dump for AF_BRIDGE with
//! IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN, which iproute2 6.1 sends too.
//!
//! Filtering: the kernel offers none for this dump. Under strict checking
//! it rejects an AF_BRIDGE link dump request with any header field but the
//! family set, or any attribute but IFLA_EXT_MASK
//! (`valid_bridge_getlink_req`), so `--dev` is nlq's filter, as it is
//! `bridge`'s. A port without VLANs is left out, as `bridge` leaves it out.
//!
//! A plain dump, not list and watch: the link notifications a watch would
//! see are mostly AF_UNSPEC ones, which carry no VLANs, and the kernel's
//! bridge dump (`rtnl_bridge_getlink`) keeps no sequence to flag an
//! interrupted read with anyway.

use std::io::Write;

use super::{Env, device_index};
use crate::Error;
use crate::dump::DumpError;
use crate::model::bridge_vlan::PortVlans;
use crate::wire::bridge::{AF_BRIDGE, RTEXT_FILTER_BRVLAN};
use crate::wire::ifinfomsg::{IFLA_EXT_MASK, IfInfoMsgRepr, RTM_GETLINK};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq vlans` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Only this port (`--dev`), by name.
    pub dev: Option<String>,
}

/// The AF_BRIDGE RTM_GETLINK dump request asking for VLANs one per entry.
pub fn dump_request() -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 48];
    let hdr = IfInfoMsgRepr {
        family: AF_BRIDGE,
        ..IfInfoMsgRepr::default()
    };
    let req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit())
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN)
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// Run `nlq vlans`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let only = args
        .dev
        .as_deref()
        .map(|n| device_index(&links, n))
        .transpose()?;
    let req = dump_request()?;
    let mut ports = Vec::new();
    env.dump(&req, |msg| {
        let port = PortVlans::try_from_msg(msg).ok().flatten();
        ports.extend(port.filter(|p| !p.is_empty() && only.is_none_or(|i| i == p.ifindex)));
        Ok(())
    })?;
    crate::render::bridge_vlan::write(out, env.format, &links, &ports)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nlmsg::NlMsg;

    #[test]
    fn request_is_a_bridge_link_dump_asking_for_vlans() {
        let r = dump_request().unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETLINK, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            7, 0, 0, 0,              // AF_BRIDGE, pad, ifi_type
            0, 0, 0, 0,              // ifi_index
            0, 0, 0, 0,              // ifi_flags
            0, 0, 0, 0,              // ifi_change
            8, 0, 29, 0, 2, 0, 0, 0, // IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN
        ]);
    }
}
