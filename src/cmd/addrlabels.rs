//! `nlq addrlabels`: the IPv6 address label policy table (RFC 6724
//! address selection), as `ip addrlabel` shows it: a link dump for names,
//! then one RTM_GETADDRLABEL dump, in the kernel's order (longest prefix
//! first).
//!
//! Filtering: there is nothing to filter by. The table is IPv6's alone,
//! and under strict checking the kernel rejects a dump request with any
//! header field but the family set, or any attribute
//! (`ip6addrlbl_valid_dump_req`); every reply is checked to be IPv6 here.

use std::io::Write;

use super::Env;
use crate::Error;
use crate::dump::DumpError;
use crate::model::addrlabel::AddrLabel;
use crate::wire::addrlabel::{IfAddrLblMsgRepr, RTM_GETADDRLABEL};
use crate::wire::attr::AF_INET6;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq addrlabels` shows: it takes no options of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {}

/// The RTM_GETADDRLABEL dump request: an AF_INET6 header and nothing else.
pub fn dump_request() -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 32];
    let req = RequestBuilder::new(&mut buf, RTM_GETADDRLABEL, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&IfAddrLblMsgRepr { family: AF_INET6 }.emit())
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// Run `nlq addrlabels`.
pub fn run(env: &mut Env<'_>, _args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let req = dump_request()?;
    let mut labels = Vec::new();
    env.dump(&req, |msg| {
        labels.extend(AddrLabel::from_msg(msg).filter(|l| l.family == AF_INET6));
        Ok(())
    })?;
    crate::render::addrlabel::write(out, env.format, &links, &labels)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nlmsg::NlMsg;

    #[test]
    fn request_is_an_ipv6_dump_with_nothing_else() {
        let r = dump_request().unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (74, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            10, 0, 0, 0, // AF_INET6, reserved, prefixlen, flags
            0, 0, 0, 0,  // ifal_index
            0, 0, 0, 0,  // ifal_seq
        ]);
    }
}
