//! `nlq mroutes`: the multicast routing cache (the kernel's MFC), as
//! `ip mroute show` shows it: a link dump for names, then one
//! RTM_GETROUTE dump of family RTNL_FAMILY_IPMR (IPv4, the default) or
//! RTNL_FAMILY_IP6MR (`-6`), in the kernel's order.
//!
//! Filtering: the table goes to the kernel (RTA_TABLE, as ip sends it;
//! IPv4 defaults to RT_TABLE_DEFAULT like ip, IPv6 to every table), and is
//! checked here too; `--iif`, `--from` and `--to` are nlq's own, as in ip.
//!
//! A kernel without multicast routing for the family has no handler for
//! it: rtnetlink answers with its other routes (PF_UNSPEC). Those are not
//! RTN_MULTICAST; ip then stops with "Non multicast route received", and
//! nlq with [`Error::FamilyUnsupported`]. An empty answer is an empty cache.

use std::io::Write;

use super::Env;
use super::route_select::Prefix;
use crate::Error;
use crate::dump::DumpError;
use crate::model::mroute::{Mroute, RTNL_FAMILY_IP6MR, Reply};
use crate::render::mroute::Context;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};
use crate::wire::rtmsg::{RTA_TABLE, RTM_GETROUTE, RtMsgRepr};

/// What `nlq mroutes` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR.
    pub family: u8,
    /// Only this table (sent to the kernel); `None` for every table.
    pub table: Option<u32>,
    /// Only entries arriving on this interface (by name).
    pub iif: Option<String>,
    /// Only entries whose source is inside this prefix.
    pub from: Option<Prefix>,
    /// Only entries whose group is inside this prefix.
    pub to: Option<Prefix>,
    /// `-s`: counters and age.
    pub stats: bool,
}

/// The dump request: an rtmsg of the family, and RTA_TABLE when one
/// table is asked for (iproute2's `iproute_dump_filter`).
pub fn dump_request(s: &Settings) -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 64];
    let hdr = RtMsgRepr {
        family: s.family,
        ..RtMsgRepr::default()
    };
    let mut req = RequestBuilder::new(&mut buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit());
    if let Some(t) = s.table {
        req = req.attr_u32(RTA_TABLE, t);
    }
    Ok(req.finish().map_err(DumpError::from)?.to_vec())
}

/// Run `nlq mroutes`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let iif = match &args.iif {
        Some(name) => Some(super::device_index(&links, name)?),
        None => None,
    };
    let req = dump_request(args)?;
    let (mut list, mut foreign) = (Vec::new(), false);
    env.dump(&req, |msg| {
        match Mroute::try_from_msg(msg) {
            Ok(Some(Reply::Entry(m))) if keeps(args, iif, &m) => list.push(m),
            Ok(Some(Reply::NotMulticast)) => foreign = true,
            _ => {}
        }
        Ok(())
    })?;
    if foreign {
        return Err(Error::FamilyUnsupported {
            family: if args.family == RTNL_FAMILY_IP6MR {
                "ip6mr"
            } else {
                "ipmr"
            },
            what: "multicast routes",
        });
    }
    let cx = Context {
        links: &links,
        names: &env.names,
        stats: args.stats,
        all_tables: args.table.is_none(),
    };
    crate::render::mroute::write(out, env.format, &cx, &list)?;
    Ok(())
}

/// Whether `m` passes the selectors (`print_mroute`'s checks).
fn keeps(s: &Settings, iif: Option<u32>, m: &Mroute) -> bool {
    let inside = |p: &Option<Prefix>, a: Option<std::net::IpAddr>| match (p, a) {
        (None, _) => true,
        // ip skips the check for an entry without the address.
        (Some(_), None) => true,
        (Some(p), Some(a)) => p.contains(a),
    };
    m.family == s.family
        && s.table.is_none_or(|t| t == m.table)
        && iif.is_none_or(|i| m.iif == Some(i))
        && inside(&s.from, m.src)
        && inside(&s.to, m.dst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mroute::RTNL_FAMILY_IPMR;
    use crate::wire::nlmsg::NlMsg;

    fn settings(table: Option<u32>) -> Settings {
        Settings {
            family: RTNL_FAMILY_IPMR,
            table,
            iif: None,
            from: None,
            to: None,
            stats: false,
        }
    }

    #[test]
    fn selectors_match_as_ips_checks_do() {
        let m = Mroute {
            family: RTNL_FAMILY_IPMR,
            table: 253,
            src: Some("10.0.0.1".parse().unwrap()),
            dst: Some("239.1.2.3".parse().unwrap()),
            iif: Some(2),
            ..Mroute::default()
        };
        let prefix = |t| super::super::route_select::parse_addr_prefix("--to", t, Some(2)).ok();
        let s = settings(Some(253));
        assert!(keeps(&s, Some(2), &m));
        assert!(!keeps(&s, Some(3), &m));
        assert!(!keeps(&settings(Some(100)), None, &m));
        assert!(keeps(&settings(None), None, &m));
        let to = |t| Settings {
            to: prefix(t),
            ..settings(None)
        };
        assert!(keeps(&to("239.0.0.0/8"), None, &m));
        assert!(!keeps(&to("239.1.2.4"), None, &m));
        let from = Settings {
            from: prefix("10.0.0.0/24"),
            ..settings(None)
        };
        assert!(keeps(&from, None, &m));
        // No source to check: kept, as ip's inet_addr_match_rta does.
        let no_src = Mroute {
            src: None,
            ..m.clone()
        };
        let far = Settings {
            from: prefix("192.0.2.0/24"),
            ..settings(None)
        };
        assert!(keeps(&far, None, &no_src) && !keeps(&far, None, &m));
        let v6 = Settings {
            family: RTNL_FAMILY_IP6MR,
            ..settings(None)
        };
        assert!(!keeps(&v6, None, &m));
    }

    #[test]
    fn request_is_ips_dump_with_the_table() {
        let r = dump_request(&settings(Some(253))).unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (26, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            128, 0, 0, 0,  // RTNL_FAMILY_IPMR, dst_len, src_len, tos
            0, 0, 0, 0,    // table, protocol, scope, type
            0, 0, 0, 0,    // rtm_flags
            8, 0, 15, 0, 253, 0, 0, 0, // RTA_TABLE = 253
        ]);
        let all = dump_request(&settings(None)).unwrap();
        assert_eq!(all.len(), 16 + 12);
    }
}
