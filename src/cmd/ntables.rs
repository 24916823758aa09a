//! `nlq ntables [-4|-6|--family F] [--dev NAME|none] [--name NAME]
//! [--stats]`: neighbour table parameters and statistics, as `ip ntable`
//! shows them: a link dump for names, then one RTM_GETNEIGHTBL dump.
//!
//! Filtering: the kernel filters a neighbour table dump by family (it
//! skips the tables of other families) and rejects any other header field
//! or attribute under strict checking (`neightbl_valid_dump_info`), so the
//! table name and the device are nlq's filters, as they are `ip`'s. The
//! family is checked again here.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Env;
use crate::Error;
use crate::dump::DumpError;
use crate::model::LinkNames;
use crate::model::ntable::Ntable;
use crate::render::ntable::NtableCtx;
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::ndtmsg::{NdtMsgRepr, RTM_GETNEIGHTBL};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq ntables` shows: the validated command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// AF_INET or AF_INET6 (ndtm_family); `None` for both.
    pub family: Option<u8>,
    /// Only this device's parameters (NDTPA_IFINDEX); `none` for the
    /// tables' own rows, as `ip ntable show dev none`.
    pub dev: Option<String>,
    /// Only the table of this name, `arp_cache` or `ndisc_cache` (NDTA_NAME).
    pub name: Option<String>,
    /// `--stats`: the ip dialect prints config and statistics (`ip -s`).
    pub stats: bool,
}

impl Settings {
    /// Check what needs no kernel: neighbour tables exist for IPv4 and
    /// IPv6 only.
    pub fn new(family: Option<u8>) -> Result<Self, Error> {
        if family.is_some_and(|f| ![AF_INET, AF_INET6].contains(&f)) {
            return Err(Error::Usage(
                "--family mpls: neighbour tables are inet or inet6 only".into(),
            ));
        }
        Ok(Settings {
            family,
            ..Settings::default()
        })
    }
}

/// The device selection of `--dev`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevFilter {
    /// The tables' own rows, without a device (`dev none`).
    NoDevice,
    /// This interface's rows.
    Index(u32),
}

/// Which rows to show, device resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// AF_INET or AF_INET6; `None` for both.
    pub family: Option<u8>,
    /// The device rows (or none) to keep.
    pub dev: Option<DevFilter>,
    /// The table name to keep.
    pub name: Option<String>,
}

impl Selection {
    /// The selection `args` ask for, the device resolved in `links`.
    pub fn new(args: &Settings, links: &LinkNames) -> Result<Selection, Error> {
        let dev = match args.dev.as_deref() {
            None => None,
            Some("none") => Some(DevFilter::NoDevice),
            Some(n) => Some(DevFilter::Index(super::device_index(links, n)?)),
        };
        Ok(Selection {
            family: args.family,
            dev,
            name: args.name.clone(),
        })
    }

    /// Whether `t` is shown (`print_ntable`'s filters).
    pub fn keeps(&self, t: &Ntable) -> bool {
        let dev = match self.dev {
            None => true,
            Some(DevFilter::NoDevice) => t.ifindex().is_none(),
            Some(DevFilter::Index(i)) => t.ifindex() == Some(i),
        };
        dev && self.family.is_none_or(|f| t.family == f)
            && self
                .name
                .as_ref()
                .is_none_or(|n| t.name.as_ref() == Some(n))
    }

    /// The RTM_GETNEIGHTBL dump request: the family alone.
    pub fn request(&self) -> Result<Vec<u8>, Error> {
        let hdr = NdtMsgRepr {
            family: self.family.unwrap_or(0),
        };
        let mut buf = [0u8; 32];
        let req = RequestBuilder::new(&mut buf, RTM_GETNEIGHTBL, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&hdr.emit())
            .finish()
            .map_err(DumpError::from)?;
        Ok(req.to_vec())
    }
}

/// Run `nlq ntables`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let sel = Selection::new(args, &links)?;
    let req = sel.request()?;
    let mut tables = Vec::new();
    env.dump(&req, |msg| {
        tables.extend(Ntable::from_msg(msg).filter(|t| sel.keeps(t)));
        Ok(())
    })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let ctx = NtableCtx {
        links: &links,
        stats: args.stats,
        now,
    };
    crate::render::ntable::write(out, env.format, &ctx, &tables)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ntable::NtableParms;
    use crate::wire::nlmsg::NlMsg;

    fn row(family: u8, name: &str, ifindex: Option<u32>) -> Ntable {
        Ntable {
            family,
            name: Some(name.into()),
            parms: Some(NtableParms {
                ifindex,
                ..NtableParms::default()
            }),
            ..Ntable::default()
        }
    }

    #[test]
    fn filters_as_ip_does() {
        let mut links = LinkNames::new();
        links.insert(3, "v0");
        let args = |dev: Option<&str>, name: Option<&str>| Settings {
            dev: dev.map(str::to_string),
            name: name.map(str::to_string),
            ..Settings::default()
        };
        let table = row(AF_INET, "arp_cache", None);
        let v0 = row(AF_INET6, "ndisc_cache", Some(3));
        let sel = |a: Settings| Selection::new(&a, &links).unwrap();
        let none = sel(args(Some("none"), None));
        assert!(none.keeps(&table) && !none.keeps(&v0));
        let dev = sel(args(Some("v0"), None));
        assert!(!dev.keeps(&table) && dev.keeps(&v0));
        let name = sel(args(None, Some("arp_cache")));
        assert!(name.keeps(&table) && !name.keeps(&v0));
        assert!(matches!(
            Selection::new(&args(Some("v9"), None), &links),
            Err(Error::NoSuchDevice(_))
        ));
        assert!(Settings::new(Some(28)).is_err(), "mpls");
    }

    #[test]
    fn request_carries_the_family_only() {
        let sel = Selection {
            family: Some(AF_INET6),
            dev: Some(DevFilter::Index(3)),
            name: Some("ndisc_cache".into()),
        };
        let r = sel.request().unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETNEIGHTBL, 0x301));
        assert_eq!(msg.payload(), [10, 0, 0, 0]); // ndtm_family = AF_INET6, pads
    }
}
