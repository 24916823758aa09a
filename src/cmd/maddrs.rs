//! `nlq maddrs`: the multicast addresses of each link, as `ip maddr show`
//! shows them. There is no netlink dump for these: like iproute2 6.1
//! (ip/ipmaddr.c) nlq reads the kernel's text files dev_mcast, igmp and
//! igmp6, which are per network namespace. They are read through
//! /proc/thread-self/net (the reading thread's namespace); with `-n` the
//! thread enters the namespace for the read (crate::netns).
//!
//! So there is nothing to `--capture` and nothing to `--replay`: both are
//! usage errors for this command. Filtering is nlq's own (ip filters the
//! same way): by family, by file, and by device name, where an unknown
//! name, as with ip, shows nothing.

use std::io::Write;

use super::Env;
use crate::Error;
use crate::model::maddr::{self, AF_PACKET, LineError, Maddr};
use crate::netns::Place;
use crate::wire::attr::{AF_INET, AF_INET6};

/// What `nlq maddrs` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// AF_PACKET (`link`), AF_INET or AF_INET6; `None` for all three.
    pub family: Option<u8>,
    /// Only this device's addresses (by name, as ip compares them).
    pub dev: Option<String>,
}

/// Why `--capture` and `--replay` do not apply (a usage error).
pub const NOT_NETLINK: &str = "maddrs reads /proc/net/{dev_mcast,igmp,igmp6}, not netlink: --capture and --replay do not apply";

/// Each file, the family its entries have, and its parser, in ip's order.
type Parser = fn(&str) -> Result<Vec<Maddr>, LineError>;
const FILES: [(&str, u8, Parser); 3] = [
    ("dev_mcast", AF_PACKET, maddr::parse_dev_mcast),
    ("igmp", AF_INET, maddr::parse_igmp),
    ("igmp6", AF_INET6, maddr::parse_igmp6),
];

/// Run `nlq maddrs`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let mut lists = Vec::new();
    for (name, family, parse) in FILES {
        if args.family.is_some_and(|f| f != family) {
            continue;
        }
        let path = format!("/proc/thread-self/net/{name}");
        // A missing file is a kernel without that family (no IPv6): ip
        // shows nothing for it either.
        let Some(text) = read(&env.place, &path)? else {
            continue;
        };
        let list = parse(&text).map_err(|e| Error::Proc {
            path: path.clone(),
            line: Some(e.line),
            what: e.what,
        })?;
        lists.push(list);
    }
    let mut all = maddr::merge(lists);
    if let Some(dev) = &args.dev {
        all.retain(|m| &m.ifname == dev);
    }
    crate::render::maddr::write(out, env.format, &all)?;
    Ok(())
}

/// The text of `path` as the namespace of `place` sees it; `None` when
/// the file does not exist.
fn read(place: &Place<'_>, path: &str) -> Result<Option<String>, Error> {
    let read = match place {
        Place::Own => std::fs::read_to_string(path),
        Place::Netns(ns) => ns.read_file(path)?,
        Place::Replay => return Err(Error::Usage(NOT_NETLINK.into())),
    };
    match read {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Proc {
            path: path.to_string(),
            line: None,
            what: crate::error::os_text(&e),
        }),
    }
}
