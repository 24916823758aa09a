//! `nlq neigh get ADDR --dev NAME [--proxy]`: one neighbour entry, asked
//! of the kernel with a single RTM_GETNEIGH request (not a dump), as
//! iproute2's `ipneigh_get` does.
//!
//! The request is a `struct ndmsg` with the address's family, the device's
//! index and NTF_PROXY for `--proxy`, and NDA_DST: under strict checking
//! the kernel accepts nothing more (neigh_valid_get_req). A cache entry
//! needs a device; a proxy entry may have none. When there is no such
//! entry the kernel answers ENOENT with the extended ack "Neighbour entry
//! not found" (or "Proxy neighbour entry not found"), which nlq reports
//! as ip does, naming the entry asked for, exit 1.
//!
//! The answer is shown whatever its state (ip resets its state filter for
//! `get`), by the renderers of `nlq neigh`.

use std::io::Write;
use std::net::IpAddr;

use super::Env;
use super::links::dump_links_without_stats;
use crate::Error;
use crate::dump::DumpError;
use crate::model::neigh::Neigh;
use crate::render::neigh::{NeighCtx, Writer};
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::ndmsg::{NDA_DST, NTF_PROXY, NdMsgRepr, RTM_GETNEIGH, RTM_NEWNEIGH};
use crate::wire::nlmsg::{NLM_F_REQUEST, NlMsg, RequestBuilder};

/// `nlq neigh get`: the validated command line, the device still by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The neighbour's address (NDA_DST); its family is the request's.
    pub address: IpAddr,
    /// The device of the entry (ndm_ifindex); `None` only with `proxy`.
    pub dev: Option<String>,
    /// Look in the proxy table (NTF_PROXY).
    pub proxy: bool,
}

impl Settings {
    /// Check what needs no kernel: a cache entry is found by device and
    /// address, so `--dev` is required unless `--proxy` ("Device and
    /// address are required arguments", as ip says).
    pub fn new(address: IpAddr, dev: Option<String>, proxy: bool) -> Result<Self, Error> {
        if dev.is_none() && !proxy {
            return Err(Error::Usage(
                "neigh get: --dev is required (a neighbour entry belongs to a device)".into(),
            ));
        }
        Ok(Settings {
            address,
            dev,
            proxy,
        })
    }

    /// The RTM_GETNEIGH lookup request for the device of index `ifindex`
    /// (0 for none).
    pub fn request(&self, ifindex: u32) -> Result<Vec<u8>, Error> {
        let (family, octets) = match self.address {
            IpAddr::V4(a) => (AF_INET, a.octets().to_vec()),
            IpAddr::V6(a) => (AF_INET6, a.octets().to_vec()),
        };
        let hdr = NdMsgRepr {
            family,
            flags: if self.proxy { NTF_PROXY } else { 0 },
        };
        let mut buf = [0u8; 64];
        let req = RequestBuilder::new(&mut buf, RTM_GETNEIGH, NLM_F_REQUEST, 0)
            .fixed(&hdr.emit_with_ifindex(ifindex))
            .attr(NDA_DST, &octets)
            .finish()
            .map_err(DumpError::from)?;
        Ok(req.to_vec())
    }

    /// The entry as the user named it, for errors: `10.0.0.2 dev eth0`.
    fn what(&self) -> String {
        let proxy = if self.proxy { "proxy " } else { "" };
        match &self.dev {
            Some(d) => format!("neighbour {proxy}{} dev {d}", self.address),
            None => format!("neighbour {proxy}{}", self.address),
        }
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = dump_links_without_stats(env)?;
    let ifindex = super::link_index(&links, args.dev.as_deref())?.unwrap_or(0);
    let req = args.request(ifindex)?;
    let failed = |error| Error::Request {
        what: args.what(),
        error,
    };
    let answer = env
        .dumper
        .request(&mut *env.transport, &req)
        .map_err(failed)?;
    let neigh = decode(&answer).map_err(failed)?;
    let ctx = NeighCtx {
        links: &links,
        names: &env.names,
    };
    let mut writer = Writer::new(out, env.format, env.brief());
    writer.push(&neigh, &ctx)?;
    Ok(writer.finish()?)
}

/// The entry in the kernel's answer; any other message is an error.
fn decode(answer: &[u8]) -> Result<Neigh, DumpError> {
    let msg = NlMsg::new_checked(answer)?;
    let bad =
        |what: String| DumpError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, what));
    if msg.kind() != RTM_NEWNEIGH {
        return Err(bad(format!(
            "the kernel answered with message type {}",
            msg.kind()
        )));
    }
    Neigh::try_from_msg(&msg)?.ok_or_else(|| bad("the answer holds no neighbour".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ndmsg::NdMsg;

    #[test]
    fn request_names_device_family_and_address() {
        let s = Settings::new("10.0.0.2".parse().unwrap(), Some("va".into()), false).unwrap();
        let req = s.request(7).unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETNEIGH, NLM_F_REQUEST));
        #[rustfmt::skip]
        let payload: &[u8] = &[
            2, 0, 0, 0,             // ndm_family AF_INET, pads
            7, 0, 0, 0,             // ndm_ifindex 7
            0, 0, 0, 0,             // ndm_state, ndm_flags, ndm_type
            8, 0, 1, 0,             // NDA_DST, len 8
            10, 0, 0, 2,            //   10.0.0.2
        ];
        assert_eq!(msg.payload(), payload);
        assert!(NdMsg::new_checked(msg.payload()).is_ok());
    }

    #[test]
    fn proxy_sets_ntf_proxy_and_needs_no_device() {
        let s = Settings::new("2001:db8::1".parse().unwrap(), None, true).unwrap();
        let req = s.request(0).unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        let hdr = NdMsg::new_checked(msg.payload()).unwrap();
        assert_eq!((hdr.family(), hdr.flags()), (AF_INET6, NTF_PROXY));
        assert_eq!(msg.payload().len(), 12 + 4 + 16);
        assert_eq!(s.what(), "neighbour proxy 2001:db8::1");
    }

    #[test]
    fn a_cache_entry_needs_a_device() {
        let err = Settings::new("10.0.0.2".parse().unwrap(), None, false).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
    }

    #[test]
    fn answers_other_than_a_neighbour_are_errors() {
        let msg = crate::dump::script::message(RTM_GETNEIGH, 0, 1, &[2; 12]);
        assert!(decode(&msg).is_err());
        assert!(decode(&[1, 2, 3]).is_err());
    }
}
