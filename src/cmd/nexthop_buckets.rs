//! `nlq nexthops buckets [--id N] [--dev NAME] [--nhid N]`: the buckets of
//! resilient nexthop groups (`ip nexthop bucket list`), one
//! RTM_GETNEXTHOPBUCKET dump.
//!
//! The request carries the selectors as iproute2's `nh_dump_bucket_filter`
//! sends them: NHA_OIF for `--dev`, NHA_ID for `--id`, and a nested
//! NHA_RES_BUCKET holding NHA_RES_BUCKET_NH_ID for `--nhid`. The kernel
//! parses bucket dump requests strictly whatever the socket's
//! NETLINK_GET_STRICT_CHK (the request type is newer than strict
//! checking, Linux 5.13), so they are always sent. nlq checks `--id` and
//! `--nhid` again on every reply; `--dev` it checks against a nexthop dump
//! (a bucket names its nexthop, not the device), so a kernel that filtered
//! nothing still shows only what was asked for.

use std::collections::HashMap;
use std::io::Write;

use super::{Env, device_index};
use crate::Error;
use crate::dump::DumpError;
use crate::model::nexthop::Nexthop;
use crate::model::nexthop_bucket::Bucket;
use crate::wire::attr::NLA_F_NESTED;
use crate::wire::nhmsg::{
    NHA_ID, NHA_OIF, NHA_RES_BUCKET, NHA_RES_BUCKET_NH_ID, NhMsgRepr, RTM_GETNEXTHOP,
    RTM_GETNEXTHOPBUCKET,
};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq nexthops buckets` shows: the validated command line, the
/// device still by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Only the buckets of this group (NHA_ID).
    pub id: Option<u32>,
    /// Only buckets whose nexthop goes through this device (NHA_OIF).
    pub dev: Option<String>,
    /// Only buckets holding this nexthop (NHA_RES_BUCKET_NH_ID).
    pub nhid: Option<u32>,
}

/// The selectors with the device resolved to its index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// Group id (NHA_ID).
    pub id: Option<u32>,
    /// Output interface index (NHA_OIF).
    pub oif: Option<u32>,
    /// Nexthop id held (NHA_RES_BUCKET_NH_ID).
    pub nhid: Option<u32>,
}

impl Selection {
    /// The RTM_GETNEXTHOPBUCKET dump request, selectors included.
    pub fn request(&self) -> Result<Vec<u8>, Error> {
        let mut buf = [0u8; 64];
        let mut req = RequestBuilder::new(
            &mut buf,
            RTM_GETNEXTHOPBUCKET,
            NLM_F_REQUEST | NLM_F_DUMP,
            0,
        )
        .fixed(&NhMsgRepr::default().emit());
        if let Some(i) = self.oif {
            req = req.attr_u32(NHA_OIF, i);
        }
        if let Some(id) = self.id {
            req = req.attr_u32(NHA_ID, id);
        }
        if let Some(nh) = self.nhid {
            // The nest holds one attribute: NHA_RES_BUCKET_NH_ID, 8 bytes.
            let mut nest = [0u8; 8];
            nest[..2].copy_from_slice(&8u16.to_ne_bytes());
            nest[2..4].copy_from_slice(&NHA_RES_BUCKET_NH_ID.to_ne_bytes());
            nest[4..].copy_from_slice(&nh.to_ne_bytes());
            req = req.attr(NHA_RES_BUCKET | NLA_F_NESTED, &nest);
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }

    /// Whether `b` is wanted; `dev_of` maps a nexthop id to its device.
    pub fn keeps(&self, b: &Bucket, dev_of: impl Fn(u32) -> Option<u32>) -> bool {
        self.id.is_none_or(|id| b.id == Some(id))
            && self.nhid.is_none_or(|nh| b.nhid == Some(nh))
            && self
                .oif
                .is_none_or(|oif| b.nhid.and_then(dev_of) == Some(oif))
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let (oif, devices) = match &args.dev {
        Some(name) => {
            let links = env.link_names()?;
            (Some(device_index(&links, name)?), nexthop_devices(env)?)
        }
        None => (None, HashMap::new()),
    };
    let sel = Selection {
        id: args.id,
        oif,
        nhid: args.nhid,
    };
    let req = sel.request()?;
    let mut buckets = Vec::new();
    env.dump(&req, |msg| {
        let dev_of = |nh: u32| devices.get(&nh).copied();
        buckets.extend(Bucket::from_msg(msg).filter(|b| sel.keeps(b, dev_of)));
        Ok(())
    })?;
    crate::render::nexthop_bucket::write(out, env.format, &buckets)?;
    Ok(())
}

/// Nexthop id → output interface index, from a nexthop dump.
fn nexthop_devices(env: &mut Env<'_>) -> Result<HashMap<u32, u32>, Error> {
    let mut buf = [0u8; 32];
    let req = RequestBuilder::new(&mut buf, RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&NhMsgRepr::default().emit())
        .finish()
        .map_err(DumpError::from)?
        .to_vec();
    let mut map = HashMap::new();
    env.dump_kind::<Nexthop, _>(&req, |msg| {
        if let Some(nh) = Nexthop::from_msg(msg) {
            if let (Some(id), Some(oif)) = (nh.id, nh.oif) {
                map.insert(id, oif);
            }
        }
        Ok(())
    })?;
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhmsg::NhMsg;
    use crate::wire::nlmsg::NlMsg;

    #[test]
    fn request_carries_every_selector() {
        let sel = Selection {
            id: Some(10),
            oif: Some(3),
            nhid: Some(2),
        };
        let req = sel.request().unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!(msg.kind(), RTM_GETNEXTHOPBUCKET);
        assert_eq!(msg.flags(), NLM_F_REQUEST | NLM_F_DUMP);
        let hdr = NhMsg::new_checked(msg.payload()).unwrap();
        #[rustfmt::skip]
        let attrs: &[u8] = &[
            8, 0, 5, 0, 3, 0, 0, 0,     // NHA_OIF 3
            8, 0, 1, 0, 10, 0, 0, 0,    // NHA_ID 10
            12, 0, 13, 0x80,            // NHA_RES_BUCKET | NLA_F_NESTED
            8, 0, 3, 0, 2, 0, 0, 0,     //   NHA_RES_BUCKET_NH_ID 2
        ];
        assert_eq!(hdr.attr_bytes(), attrs);
        assert_eq!(&msg.payload()[..8], &[0; 8], "an all-zero nhmsg");
    }

    #[test]
    fn keeps_checks_every_selector_again() {
        let b = Bucket {
            id: Some(10),
            nhid: Some(2),
            ..Bucket::default()
        };
        let dev = |nh: u32| (nh == 2).then_some(7);
        let sel = |id, oif, nhid| Selection { id, oif, nhid };
        assert!(sel(None, None, None).keeps(&b, dev));
        assert!(sel(Some(10), Some(7), Some(2)).keeps(&b, dev));
        assert!(!sel(Some(11), None, None).keeps(&b, dev));
        assert!(!sel(None, Some(8), None).keeps(&b, dev));
        assert!(!sel(None, None, Some(1)).keeps(&b, dev));
        assert!(!sel(None, Some(7), None).keeps(&b, |_| None));
    }
}
