//! `nlq routes get ADDRESS`: ask the kernel which route it would use, with
//! one RTM_GETROUTE request without NLM_F_DUMP (iproute2 `iproute_get`),
//! and show the answer as `nlq routes` shows a route.
//!
//! The request is iproute2 6.1's: the family is the address's, rtm_dst_len
//! (and rtm_src_len with `--from`) the full host length, RTA_DST, RTA_SRC,
//! RTA_IIF, RTA_OIF, RTA_MARK (when not 0, as ip), RTA_UID, RTA_IP_PROTO
//! (one byte), RTA_SPORT and RTA_DPORT (network byte order), rtm_tos, and
//! in rtm_flags RTM_F_FIB_MATCH for `--fibmatch` and RTM_F_LOOKUP_TABLE for
//! IPv4 (the only family that reads it), so the answer names the table the
//! route was found in. Strict checking accepts exactly these
//! (`inet_rtm_valid_getroute_req`).
//!
//! An IPv4 lookup with `--iif` and no `--from` asks for a packet from
//! 0.0.0.0, which the kernel's input path drops as a martian ("Invalid
//! argument"): nlq says so before asking (`--from 0.0.0.0` still asks).
//!
//! A kernel error is the answer for destinations without a usable route:
//! `nlq: 203.0.113.9: No route to host` (an unreachable route),
//! `Network is unreachable` (no route), `Permission denied` (prohibit),
//! `Invalid argument` (blackhole), exit 1, nothing on stdout.

use std::io::Write;
use std::net::IpAddr;

use super::{Env, device_index};
use crate::Error;
use crate::dump::DumpError;
use crate::model::route::Route;
use crate::names::Names;
use crate::render::route::{COLUMNS, Ctx, IpRoute, NlqRoute, Pinned, row};
use crate::render::stream::TableWriter;
use crate::render::{Dialect, Format, JsonArray};
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::nlmsg::{NLM_F_REQUEST, NlMsg, RequestBuilder};
use crate::wire::rtmsg::{
    RTA_DPORT, RTA_DST, RTA_IIF, RTA_IP_PROTO, RTA_MARK, RTA_OIF, RTA_SPORT, RTA_SRC, RTA_UID,
    RTM_F_FIB_MATCH, RTM_F_LOOKUP_TABLE, RTM_GETROUTE, RTM_NEWROUTE, RtMsg, RtMsgRepr,
};

/// Where `--ipproto` names are looked up, as getprotobyname(3) does.
const PROTOCOLS: &str = "/etc/protocols";

/// The protocols `--ipproto` knows when /etc/protocols is missing: the
/// ones the kernel accepts in a route lookup (rtm_getroute_parse_ip_proto).
const BUILTIN_PROTOCOLS: [(&str, u8); 4] =
    [("icmp", 1), ("tcp", 6), ("udp", 17), ("ipv6-icmp", 58)];

/// `nlq routes get` as the command line gives it, before any check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The destination address; its family is the lookup's.
    pub address: IpAddr,
    /// Source address of the packet (RTA_SRC).
    pub from: Option<IpAddr>,
    /// Input device, by name (RTA_IIF).
    pub iif: Option<String>,
    /// Output device, by name (RTA_OIF).
    pub oif: Option<String>,
    /// Firewall mark (RTA_MARK).
    pub mark: Option<u32>,
    /// Socket user id (RTA_UID).
    pub uid: Option<u32>,
    /// IP protocol, a number or a name (RTA_IP_PROTO).
    pub ipproto: Option<String>,
    /// Source port (RTA_SPORT).
    pub sport: Option<u16>,
    /// Destination port (RTA_DPORT).
    pub dport: Option<u16>,
    /// TOS / DS field, a name or hex (rtm_tos).
    pub tos: Option<String>,
    /// Ask for the matching FIB entry (RTM_F_FIB_MATCH).
    pub fibmatch: bool,
}

/// A validated `nlq routes get`, devices still by name (resolved from a
/// link dump).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Everything that needs no kernel.
    pub lookup: Lookup,
    /// Input device (RTA_IIF).
    pub iif: Option<String>,
    /// Output device (RTA_OIF).
    pub oif: Option<String>,
    /// `--explain`: the whole decision (rules, tables, kernel, neighbour,
    /// link) instead of the answer alone; see [`super::explain`].
    pub explain: bool,
}

impl Settings {
    /// Check `query` (see [`Lookup::parse`]); a usage error before any
    /// socket opens.
    pub fn new(query: Query, names: &Names) -> Result<Self, Error> {
        Ok(Settings {
            lookup: Lookup::parse(&query, names)?,
            iif: query.iif,
            oif: query.oif,
            explain: false,
        })
    }
}

/// A validated `nlq routes get`: everything but the devices, which need
/// the kernel's link table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup {
    /// The destination (RTA_DST); its family is the request's.
    pub dst: IpAddr,
    /// The packet's source (RTA_SRC).
    pub src: Option<IpAddr>,
    /// Firewall mark (RTA_MARK).
    pub mark: Option<u32>,
    /// Socket user id (RTA_UID).
    pub uid: Option<u32>,
    /// IP protocol number (RTA_IP_PROTO).
    pub ipproto: Option<u8>,
    /// Source port (RTA_SPORT), host order here.
    pub sport: Option<u16>,
    /// Destination port (RTA_DPORT), host order here.
    pub dport: Option<u16>,
    /// TOS / DS field (rtm_tos).
    pub tos: u8,
    /// Ask for the matching FIB entry (RTM_F_FIB_MATCH).
    pub fibmatch: bool,
}

/// The output and input devices of a lookup, as interface indexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Devices {
    /// RTA_IIF.
    pub iif: Option<u32>,
    /// RTA_OIF.
    pub oif: Option<u32>,
}

impl Lookup {
    /// Check the arguments that need no kernel; a bad TOS, protocol or a
    /// source of another family is a usage error.
    pub fn parse(args: &Query, names: &Names) -> Result<Self, Error> {
        let dst = args.address;
        if let Some(src) = args.from.filter(|s| s.is_ipv4() != dst.is_ipv4()) {
            return Err(Error::Usage(format!(
                "--from {src}: not of the family of {dst}"
            )));
        }
        if dst.is_ipv4() && args.iif.is_some() && args.from.is_none() {
            return Err(Error::Usage(
                "--iif needs --from for IPv4: the kernel drops a packet from 0.0.0.0 as a martian"
                    .into(),
            ));
        }
        let tos = match &args.tos {
            Some(t) => dsfield(t, names).ok_or_else(|| {
                Error::Usage(format!(
                    "--tos {t}: not a name in rt_dsfield nor a hex number up to ff"
                ))
            })?,
            None => 0,
        };
        let ipproto = match &args.ipproto {
            Some(p) => Some(
                protocol(p, std::fs::read_to_string(PROTOCOLS).ok().as_deref()).ok_or_else(
                    || {
                        Error::Usage(format!(
                            "--ipproto {p}: not a number up to 255 nor a name in {PROTOCOLS}"
                        ))
                    },
                )?,
            ),
            None => None,
        };
        Ok(Lookup {
            dst,
            src: args.from,
            mark: args.mark,
            uid: args.uid,
            ipproto,
            sport: args.sport,
            dport: args.dport,
            tos,
            fibmatch: args.fibmatch,
        })
    }

    /// The RTM_GETROUTE request (sequence number 0: the transport sets it).
    pub fn request(&self, dev: Devices) -> Result<Vec<u8>, Error> {
        let (family, host) = match self.dst {
            IpAddr::V4(_) => (AF_INET, 32),
            IpAddr::V6(_) => (AF_INET6, 128),
        };
        let mut flags = if family == AF_INET {
            RTM_F_LOOKUP_TABLE
        } else {
            0
        };
        if self.fibmatch {
            flags |= RTM_F_FIB_MATCH;
        }
        let hdr = RtMsgRepr {
            family,
            dst_len: host,
            src_len: if self.src.is_some() { host } else { 0 },
            tos: self.tos,
            flags,
            ..RtMsgRepr::default()
        };
        let mut buf = [0u8; 160];
        let mut req = RequestBuilder::new(&mut buf, RTM_GETROUTE, NLM_F_REQUEST, 0)
            .fixed(&hdr.emit())
            .attr(RTA_DST, &octets(self.dst));
        if let Some(src) = self.src {
            req = req.attr(RTA_SRC, &octets(src));
        }
        let u32s = [
            (RTA_IIF, dev.iif),
            (RTA_OIF, dev.oif),
            (RTA_MARK, self.mark.filter(|&m| m != 0)),
            (RTA_UID, self.uid),
        ];
        for (kind, value) in u32s {
            if let Some(v) = value {
                req = req.attr_u32(kind, v);
            }
        }
        if let Some(p) = self.ipproto {
            req = req.attr(RTA_IP_PROTO, &[p]);
        }
        for (kind, port) in [(RTA_SPORT, self.sport), (RTA_DPORT, self.dport)] {
            if let Some(p) = port {
                req = req.attr(kind, &p.to_be_bytes());
            }
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }
}

/// An address's bytes in network order.
fn octets(addr: IpAddr) -> Vec<u8> {
    match addr {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// A DS field as `ip` reads one (`rtnl_dsfield_a2n`): a name from
/// rt_dsfield first (`EF` is a name before it is hex), then a hex number.
pub(crate) fn dsfield(text: &str, names: &Names) -> Option<u8> {
    if let Some(id) = (0..=255u32).find(|&i| names.dsfields.name(i) == Some(text)) {
        return u8::try_from(id).ok();
    }
    let hex = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    u8::from_str_radix(hex, 16).ok()
}

/// An IP protocol as `ip` reads one (`inet_proto_a2n`): a decimal number,
/// or a name or alias from `protocols` (the text of /etc/protocols), or
/// one of [`BUILTIN_PROTOCOLS`] when there is no such file.
fn protocol(text: &str, protocols: Option<&str>) -> Option<u8> {
    if let Ok(n) = text.parse::<u8>() {
        return Some(n);
    }
    let Some(file) = protocols else {
        return BUILTIN_PROTOCOLS
            .iter()
            .find(|(n, _)| *n == text)
            .map(|&(_, p)| p);
    };
    file.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let name = words.next()?;
        let number = words.next()?.parse::<u8>().ok()?;
        (name == text || words.any(|alias| alias == text)).then_some(number)
    })
}

/// [`protocol`] with this machine's /etc/protocols.
pub(crate) fn ip_protocol(text: &str) -> Option<u8> {
    protocol(text, std::fs::read_to_string(PROTOCOLS).ok().as_deref())
}

/// Run `nlq routes get`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    if args.explain {
        return super::explain::run(env, args, out);
    }
    let lookup = args.lookup;
    let links = env.link_names()?;
    let resolve =
        |dev: &Option<String>| dev.as_deref().map(|d| device_index(&links, d)).transpose();
    let dev = Devices {
        iif: resolve(&args.iif)?,
        oif: resolve(&args.oif)?,
    };
    let req = lookup.request(dev)?;
    let failed = |error| Error::Request {
        what: lookup.dst.to_string(),
        error,
    };
    let answer = env
        .dumper
        .request(&mut *env.transport, &req)
        .map_err(failed)?;
    let route = decode(&answer).map_err(failed)?;
    let ctx = Ctx {
        names: &env.names,
        links: &links,
        pinned: Pinned::default(),
    };
    match env.format {
        Format::Table(view) => {
            let mut table = TableWriter::new(out, &COLUMNS, view);
            table.push(&row(&route, &ctx))?;
            Ok(table.finish()?)
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            match dialect {
                Dialect::Nlq => array.push_object(&NlqRoute {
                    route: &route,
                    ctx: &ctx,
                })?,
                Dialect::Ip => array.push_object(&IpRoute {
                    route: &route,
                    ctx: &ctx,
                })?,
            }
            Ok(array.finish()?)
        }
    }
}

/// The route in the kernel's answer; any other answer is an error.
fn decode(answer: &[u8]) -> Result<Route, DumpError> {
    let msg = NlMsg::new_checked(answer)?;
    if msg.kind() != RTM_NEWROUTE {
        return Err(DumpError::sink(format!(
            "the kernel answered with message type {}, not a route",
            msg.kind()
        )));
    }
    Ok(Route::decode(&RtMsg::new_checked(msg.payload())?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nlmsg::HDRLEN;

    fn args(address: &str) -> Query {
        Query {
            address: address.parse().unwrap(),
            from: None,
            iif: None,
            oif: None,
            mark: None,
            uid: None,
            ipproto: None,
            sport: None,
            dport: None,
            tos: None,
            fibmatch: false,
        }
    }

    fn lookup(a: &Query) -> Result<Lookup, Error> {
        Lookup::parse(a, &Names::builtin())
    }

    /// Names with `0xb8 EF` in rt_dsfield, as Debian ships it.
    fn names_with_ef() -> Names {
        let dir = std::env::temp_dir().join(format!("nlq-dsfield-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("rt_dsfield"), "0xb8\tEF\n").unwrap();
        let names = Names::load(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        names
    }

    #[test]
    fn ipv4_request_with_every_attribute() {
        let mut a = args("203.0.113.9");
        a.from = Some("10.2.0.9".parse().unwrap());
        a.mark = Some(7);
        a.uid = Some(1000);
        a.ipproto = Some("tcp".into());
        a.sport = Some(1000);
        a.dport = Some(443);
        a.tos = Some("0x10".into());
        a.fibmatch = true;
        a.iif = Some("vc".into());
        let req = lookup(&a)
            .unwrap()
            .request(Devices {
                iif: Some(5),
                oif: Some(6),
            })
            .unwrap();
        #[rustfmt::skip]
        let want: Vec<u8> = [
            &[100, 0, 0, 0][..],      // nlmsg_len = 100
            &[26, 0],                 // RTM_GETROUTE
            &[1, 0],                  // NLM_F_REQUEST: no DUMP, no ACK
            &[0, 0, 0, 0],            // seq: set by the transport
            &[0, 0, 0, 0],            // port id: the kernel's
            &[2],                     // rtm_family = AF_INET
            &[32],                    // rtm_dst_len: host
            &[32],                    // rtm_src_len: host (--from)
            &[0x10],                  // rtm_tos
            &[0, 0, 0, 0],            // table, protocol, scope, type
            &0x3000u32.to_ne_bytes(), // RTM_F_LOOKUP_TABLE | RTM_F_FIB_MATCH
            &[8, 0, 1, 0, 203, 0, 113, 9],   // RTA_DST
            &[8, 0, 2, 0, 10, 2, 0, 9],      // RTA_SRC
            &[8, 0, 3, 0], &5u32.to_ne_bytes(),     // RTA_IIF = 5
            &[8, 0, 4, 0], &6u32.to_ne_bytes(),     // RTA_OIF = 6
            &[8, 0, 16, 0], &7u32.to_ne_bytes(),    // RTA_MARK = 7
            &[8, 0, 25, 0], &1000u32.to_ne_bytes(), // RTA_UID = 1000
            &[5, 0, 27, 0, 6, 0, 0, 0],      // RTA_IP_PROTO = 6 (+ pad)
            &[6, 0, 28, 0, 0x03, 0xe8, 0, 0], // RTA_SPORT = 1000, big-endian (+ pad)
            &[6, 0, 29, 0, 0x01, 0xbb, 0, 0], // RTA_DPORT = 443, big-endian (+ pad)
        ]
        .concat();
        assert_eq!(req, want);
    }

    #[test]
    fn ipv6_request_is_minimal() {
        let req = lookup(&args("2001:db8::1"))
            .unwrap()
            .request(Devices::default())
            .unwrap();
        assert_eq!(req.len(), HDRLEN + 12 + 20);
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!(msg.flags(), NLM_F_REQUEST);
        let rt = RtMsg::new_checked(msg.payload()).unwrap();
        assert_eq!(
            (rt.family(), rt.dst_len(), rt.src_len(), rt.flags()),
            (10, 128, 0, 0)
        );
        #[rustfmt::skip]
        let attrs = [20, 0, 1, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        assert_eq!(rt.attr_bytes(), &attrs);
    }

    #[test]
    fn mark_zero_is_left_out_as_ip_does() {
        let mut a = args("10.0.0.1");
        a.mark = Some(0);
        let req = lookup(&a).unwrap().request(Devices::default()).unwrap();
        assert_eq!(req.len(), HDRLEN + 12 + 8, "RTA_DST only");
    }

    #[test]
    fn usage_errors_before_any_socket() {
        let mut a = args("10.0.0.1");
        a.from = Some("2001:db8::1".parse().unwrap());
        let e = lookup(&a).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--from 2001:db8::1: not of the family of 10.0.0.1"
        );
        let mut a = args("10.0.0.1");
        a.iif = Some("va".into());
        assert!(
            lookup(&a)
                .unwrap_err()
                .to_string()
                .starts_with("--iif needs --from")
        );
        a.from = Some("0.0.0.0".parse().unwrap());
        assert!(lookup(&a).is_ok(), "an explicit 0.0.0.0 is the user's call");
        let mut v6 = args("2001:db8::1");
        v6.iif = Some("va".into());
        assert!(lookup(&v6).is_ok(), "IPv6 looks up from :: fine");
        let names = names_with_ef();
        for (tos, ok) in [
            ("EF", Some(0xb8)),
            ("10", Some(0x10)),
            ("0xff", Some(0xff)),
            ("100", None),
            ("zz", None),
        ] {
            let mut a = args("10.0.0.1");
            a.tos = Some(tos.into());
            match (Lookup::parse(&a, &names), ok) {
                (Ok(l), Some(v)) => assert_eq!(l.tos, v, "{tos}"),
                (Err(e), None) => assert_eq!(e.exit_code(), crate::error::EXIT_USAGE),
                (got, _) => panic!("--tos {tos}: {got:?}"),
            }
        }
    }

    #[test]
    fn protocols_by_number_name_or_alias() {
        let file = "# comment\nip\t0\tIP\ntcp\t6\tTCP\t\t# transmission\nipv6-icmp 58 IPv6-ICMP\n";
        assert_eq!(protocol("17", Some(file)), Some(17));
        assert_eq!(protocol("tcp", Some(file)), Some(6));
        assert_eq!(protocol("IPv6-ICMP", Some(file)), Some(58));
        assert_eq!(protocol("udp", Some(file)), None, "not in this file");
        assert_eq!(protocol("udp", None), Some(17), "built in without a file");
        assert_eq!(protocol("256", Some(file)), None);
        assert_eq!(
            protocol("transmission", Some(file)),
            None,
            "comments are no aliases"
        );
    }

    #[test]
    fn answers_other_than_a_route_are_errors() {
        use crate::dump::script::message;
        let ack = message(2, 0, 1, &[0; 20]);
        let e = decode(&ack).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the kernel answered with message type 2, not a route"
        );
        let short = message(RTM_NEWROUTE, 0, 1, &[2, 32, 0]);
        assert!(matches!(decode(&short), Err(DumpError::Wire(_))));
        let mut route = vec![2, 32, 0, 0, 254, 2, 0, 1, 0, 2, 0, 0]; // inet /32 cloned
        route.extend_from_slice(&[8, 0, 1, 0, 10, 0, 0, 1]);
        let r = decode(&message(RTM_NEWROUTE, 0, 1, &route)).unwrap();
        assert_eq!(r.dst, Some("10.0.0.1".parse().unwrap()));
        assert!(r.is_cloned());
    }
}

#[cfg(test)]
mod proptests;
