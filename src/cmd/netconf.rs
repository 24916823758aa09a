//! `nlq netconf [-4|-6|--family F] [--dev NAME]`: per-device IP settings
//! (forwarding, rp_filter, proxy ARP/NDP, ...), as `ip netconf` shows them.
//!
//! Filtering: the kernel rejects any attribute in a netconf *dump* request
//! under strict checking, so a dump can only be narrowed by family (an
//! AF_UNSPEC dump walks every family that has netconf: IPv4, IPv6, MPLS).
//! A device is the kernel's own filter the other way: one RTM_GETNETCONF
//! request with NETCONFA_IFINDEX per family, which answers with that one
//! device. Every reply is checked again here all the same.
//!
//! `--dev all` and `--dev default` name the pseudo-devices (sysctl's
//! `conf/all` and `conf/default`) when no interface has that name.

use std::io::Write;

use super::Env;
use crate::Error;
use crate::dump::DumpError;
use crate::model::LinkNames;
use crate::model::netconf::{Netconf, NetconfDev};
use crate::render::netconf::ip_family_name;
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::netconf::*;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// "Operation not supported": an old kernel's answer to a netconf dump
/// of AF_UNSPEC (`ip` then asks for IPv4 and IPv6 in turn).
const EOPNOTSUPP: i32 = libc::EOPNOTSUPP;

/// What `nlq netconf` shows: the validated command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// AF_INET, AF_INET6 or AF_MPLS (ncm_family); `None` for every family.
    pub family: Option<u8>,
    /// Only this device (NETCONFA_IFINDEX), by name; `all` and `default`
    /// for the pseudo-devices.
    pub dev: Option<String>,
}

impl Settings {
    /// Whether `n` is shown: the family and device asked for.
    pub fn keeps(&self, n: &Netconf, dev: Option<NetconfDev>) -> bool {
        self.family.is_none_or(|f| n.family == f) && dev.is_none_or(|d| n.dev() == Some(d))
    }
}

/// The RTM_GETNETCONF dump request of `family` (0: every family): the
/// header alone, as the kernel accepts nothing else in a dump.
pub fn dump_request(family: u8) -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 32];
    let req = RequestBuilder::new(&mut buf, RTM_GETNETCONF, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&NetconfMsgRepr { family }.emit())
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// The RTM_GETNETCONF request for one device in one family (not a dump).
pub fn get_request(family: u8, dev: NetconfDev) -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 32];
    let req = RequestBuilder::new(&mut buf, RTM_GETNETCONF, NLM_F_REQUEST, 0)
        .fixed(&NetconfMsgRepr { family }.emit())
        .attr(NETCONFA_IFINDEX, &dev.to_i32().to_ne_bytes())
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// Run `nlq netconf`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let rows = match &args.dev {
        Some(name) => {
            let dev = resolve(&links, name)?;
            get_each(env, args, dev)?
        }
        None => dump(env, args)?,
    };
    crate::render::netconf::write(out, env.format, &links, &rows)?;
    Ok(())
}

/// The device `name` names: an interface, else a pseudo-device.
fn resolve(links: &LinkNames, name: &str) -> Result<NetconfDev, Error> {
    match (links.index(name), name) {
        (Some(i), _) => Ok(NetconfDev::Index(i)),
        (None, "all") => Ok(NetconfDev::All),
        (None, "default") => Ok(NetconfDev::Default),
        (None, _) => Err(Error::NoSuchDevice(name.to_string())),
    }
}

/// Every configuration of the family asked for, in kernel order.
fn dump(env: &mut Env<'_>, args: &Settings) -> Result<Vec<Netconf>, Error> {
    match dump_family(env, args, args.family.unwrap_or(0)) {
        Err(Error::Dump(DumpError::Kernel {
            errno: EOPNOTSUPP, ..
        })) if args.family.is_none() => {
            let mut rows = dump_family(env, args, AF_INET)?;
            rows.extend(dump_family(env, args, AF_INET6)?);
            Ok(rows)
        }
        rows => rows,
    }
}

/// One dump of `family` (0: every family), filtered by `args`.
fn dump_family(env: &mut Env<'_>, args: &Settings, family: u8) -> Result<Vec<Netconf>, Error> {
    let req = dump_request(family)?;
    let mut rows = Vec::new();
    env.dump(&req, |msg| {
        rows.extend(Netconf::from_msg(msg).filter(|n| args.keeps(n, None)));
        Ok(())
    })?;
    Ok(rows)
}

/// Ask for `dev` in each family: the one asked for, else IPv4 then IPv6.
/// Without a family, one the device has no settings in (IPv6 off on it)
/// is left out instead of failing the command.
fn get_each(env: &mut Env<'_>, args: &Settings, dev: NetconfDev) -> Result<Vec<Netconf>, Error> {
    let families = match args.family {
        Some(f) => vec![f],
        None => vec![AF_INET, AF_INET6],
    };
    let mut rows = Vec::new();
    for family in families {
        let req = get_request(family, dev)?;
        let answer = match env.dumper.request(&mut *env.transport, &req) {
            Err(DumpError::Kernel { .. }) if args.family.is_none() && family == AF_INET6 => {
                continue;
            }
            Err(error) => {
                let dev = args.dev.as_deref().unwrap_or_default();
                let what = format!("{dev} {}", ip_family_name(family));
                return Err(Error::Request { what, error });
            }
            Ok(answer) => answer,
        };
        let msg = NlMsg::new_checked(&answer[..]).map_err(DumpError::from)?;
        let n = Netconf::try_from_msg(&msg).map_err(DumpError::from)?;
        rows.extend(n.filter(|n| n.family == family && args.keeps(n, Some(dev))));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::{Scripted, Step, message};
    use crate::dump::{DumpOptions, Dumper};
    use crate::names::Names;
    use crate::netns::Place;
    use crate::render::{Dialect, Format};
    use crate::wire::nlmsg::{NLM_F_MULTI, NLMSG_DONE};

    /// An RTM_NEWNETCONF payload for `family` and device `ifindex`, with
    /// forwarding on.
    fn reply(family: u8, ifindex: i32) -> Vec<u8> {
        let mut b = vec![family, 0, 0, 0];
        b.extend_from_slice(&[8, 0, 1, 0]); // NETCONFA_IFINDEX
        b.extend_from_slice(&ifindex.to_ne_bytes());
        b.extend_from_slice(&[8, 0, 2, 0, 1, 0, 0, 0]); // NETCONFA_FORWARDING = 1
        b
    }

    #[test]
    fn requests() {
        let d = dump_request(0).unwrap();
        #[rustfmt::skip]
        assert_eq!(&d[4..], [
            82, 0,           // RTM_GETNETCONF
            0x01, 0x03,      // NLM_F_REQUEST | NLM_F_DUMP
            0, 0, 0, 0,      // seq
            0, 0, 0, 0,      // port
            0, 0, 0, 0,      // ncm_family = AF_UNSPEC, pad
        ]);
        let g = get_request(AF_INET6, NetconfDev::Default).unwrap();
        let msg = NlMsg::new_checked(&g[..]).unwrap();
        assert_eq!(msg.flags(), 0x01, "not a dump");
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            10, 0, 0, 0,               // ncm_family = AF_INET6
            8, 0, 1, 0,                // NETCONFA_IFINDEX
            0xfe, 0xff, 0xff, 0xff,    // -2: default
        ]);
    }

    #[test]
    fn resolves_pseudo_devices_after_links() {
        let mut links = LinkNames::new();
        links.insert(4, "default");
        assert_eq!(resolve(&links, "all").unwrap(), NetconfDev::All);
        assert_eq!(resolve(&links, "default").unwrap(), NetconfDev::Index(4));
        assert!(matches!(
            resolve(&links, "nope"),
            Err(Error::NoSuchDevice(_))
        ));
    }

    fn env(t: &mut Scripted) -> Env<'_> {
        Env {
            transport: t,
            dumper: Dumper::new(DumpOptions::default()),
            place: Place::Replay,
            names: Names::builtin(),
            format: Format::Json(Dialect::Nlq),
            brief: false,
        }
    }

    #[test]
    fn dump_filters_the_family_here_too() {
        let mut bytes = message(RTM_NEWNETCONF, NLM_F_MULTI, 1, &reply(AF_INET, 1));
        bytes.extend(message(RTM_NEWNETCONF, NLM_F_MULTI, 1, &reply(AF_INET6, 1)));
        bytes.extend(message(NLMSG_DONE, NLM_F_MULTI, 1, &0i32.to_ne_bytes()));
        let mut t = Scripted::new([Step::Datagram { sender: 0, bytes }]);
        let args = Settings {
            family: Some(AF_INET6),
            dev: None,
        };
        let rows = dump(&mut env(&mut t), &args).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].family, AF_INET6);
    }

    #[test]
    fn get_keeps_only_the_device_asked_for() {
        let steps = [
            Step::Datagram {
                sender: 0,
                bytes: message(RTM_NEWNETCONF, 0, 1, &reply(AF_INET, 3)),
            },
            Step::Datagram {
                sender: 0,
                bytes: message(RTM_NEWNETCONF, 0, 2, &reply(AF_INET6, 9)),
            },
        ];
        let mut t = Scripted::new(steps);
        let rows = get_each(&mut env(&mut t), &Settings::default(), NetconfDev::Index(3)).unwrap();
        assert_eq!(rows.len(), 1, "the IPv6 answer named another device");
        assert_eq!(rows[0].ifindex, Some(3));
    }
}
