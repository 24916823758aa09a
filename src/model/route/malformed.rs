//! Which of a route's attributes were present but malformed: named flags,
//! so renderers tell "absent" from "could not be read" without knowing
//! attribute numbers.

use crate::wire::rtmsg::{
    RTA_CACHEINFO, RTA_DST, RTA_ENCAP_TYPE, RTA_FLOW, RTA_GATEWAY, RTA_IIF, RTA_MARK, RTA_METRICS,
    RTA_MULTIPATH, RTA_NEWDST, RTA_NH_ID, RTA_OIF, RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_SRC,
    RTA_TABLE, RTA_TTL_PROPAGATE, RTA_UID, RTA_VIA,
};

/// The attributes of a route that were present but malformed (wrong size,
/// or a bad nested structure); the field each one fills was dropped.
/// All `false` for a well-formed route.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Malformed {
    /// RTA_DST (an address, or an MPLS route's label stack).
    pub dst: bool,
    /// RTA_SRC.
    pub src: bool,
    /// RTA_GATEWAY.
    pub gateway: bool,
    /// RTA_PREFSRC.
    pub prefsrc: bool,
    /// RTA_NEWDST.
    pub newdst: bool,
    /// RTA_VIA.
    pub via: bool,
    /// RTA_TABLE (the 8-bit rtm_table stands instead).
    pub table: bool,
    /// RTA_OIF.
    pub oif: bool,
    /// RTA_IIF.
    pub iif: bool,
    /// RTA_PRIORITY.
    pub priority: bool,
    /// RTA_MARK.
    pub mark: bool,
    /// RTA_UID.
    pub uid: bool,
    /// RTA_NH_ID.
    pub nhid: bool,
    /// RTA_FLOW.
    pub flow: bool,
    /// RTA_PREF.
    pub pref: bool,
    /// RTA_TTL_PROPAGATE.
    pub ttl_propagate: bool,
    /// RTA_CACHEINFO.
    pub cacheinfo: bool,
    /// RTA_METRICS: one of its nested metrics (the others are kept).
    pub metrics: bool,
    /// RTA_ENCAP_TYPE.
    pub encap_type: bool,
    /// RTA_MULTIPATH: a nexthop entry or one of its attributes (the
    /// nexthops before it are kept).
    pub multipath: bool,
}

impl Malformed {
    /// Record attribute `kind` as malformed; kinds without a flag are
    /// ignored (the decoder only passes the ones above).
    pub(super) fn set(&mut self, kind: u16) {
        let flag = match kind {
            RTA_DST => &mut self.dst,
            RTA_SRC => &mut self.src,
            RTA_GATEWAY => &mut self.gateway,
            RTA_PREFSRC => &mut self.prefsrc,
            RTA_NEWDST => &mut self.newdst,
            RTA_VIA => &mut self.via,
            RTA_TABLE => &mut self.table,
            RTA_OIF => &mut self.oif,
            RTA_IIF => &mut self.iif,
            RTA_PRIORITY => &mut self.priority,
            RTA_MARK => &mut self.mark,
            RTA_UID => &mut self.uid,
            RTA_NH_ID => &mut self.nhid,
            RTA_FLOW => &mut self.flow,
            RTA_PREF => &mut self.pref,
            RTA_TTL_PROPAGATE => &mut self.ttl_propagate,
            RTA_CACHEINFO => &mut self.cacheinfo,
            RTA_METRICS => &mut self.metrics,
            RTA_ENCAP_TYPE => &mut self.encap_type,
            RTA_MULTIPATH => &mut self.multipath,
            _ => return,
        };
        *flag = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attribute_sets_its_own_flag() {
        let mut m = Malformed::default();
        m.set(RTA_DST);
        m.set(RTA_MULTIPATH);
        m.set(0); // RTA_UNSPEC: no flag
        let want = Malformed {
            dst: true,
            multipath: true,
            ..Malformed::default()
        };
        assert_eq!(m, want);
    }
}
