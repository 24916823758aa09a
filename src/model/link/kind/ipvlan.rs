//! ipvlan and ipvtap: IFLA_IPVLAN_* in the order of iproute2 6.1's
//! ip/iplink_ipvlan.c.

use super::{Kind, KindField, KindValue, put};
use crate::wire::attr::AttrIndex;

/// ipvlan and ipvtap share their attributes.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "ipvlan",
        decode: ipvlan,
        essentials: &["mode"],
    },
    Kind {
        name: "ipvtap",
        decode: ipvlan,
        essentials: &["mode"],
    },
];

// IFLA_IPVLAN_* (linux/if_link.h).
const IPVLAN_MAX: usize = 3;
const IPVLAN_MODE: u16 = 1;
const IPVLAN_FLAGS: u16 = 2;
const IPVLAN_F_PRIVATE: u16 = 0x01;
const IPVLAN_F_VEPA: u16 = 0x02;

fn ipvlan(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<IPVLAN_MAX>::parse(data);
    let mut out = Vec::new();
    if let Some(mode) = tb.get(IPVLAN_MODE).and_then(|a| a.u16().ok()) {
        // IPVLAN_MODE_L2 = 0, L3, L3S.
        let name = match mode {
            0 => "l2",
            1 => "l3",
            2 => "l3s",
            _ => "unknown",
        };
        put(&mut out, "mode", KindValue::Text(name.into()));
    }
    if let Some(flags) = tb.get(IPVLAN_FLAGS).and_then(|a| a.u16().ok()) {
        // One key, the first that holds: private wins over vepa.
        let key = if flags & IPVLAN_F_PRIVATE != 0 {
            "private"
        } else if flags & IPVLAN_F_VEPA != 0 {
            "vepa"
        } else {
            "bridge"
        };
        put(&mut out, key, KindValue::Bool(true));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::keys;
    use super::*;

    fn ipvlan(mode: u8, flags: u8) -> Vec<KindField> {
        #[rustfmt::skip]
        let data = [
            6, 0, 1, 0, mode, 0, 0, 0, // IFLA_IPVLAN_MODE, pad
            6, 0, 2, 0, flags, 0, 0, 0, // IFLA_IPVLAN_FLAGS, pad
        ];
        decode("ipvtap", &data).unwrap().fields
    }

    #[test]
    fn each_mode_and_flag() {
        assert_eq!(keys(&ipvlan(0, 0)), ["mode", "bridge"]);
        assert_eq!(keys(&ipvlan(1, 1)), ["mode", "private"]);
        assert_eq!(keys(&ipvlan(2, 2)), ["mode", "vepa"]);
        assert_eq!(keys(&ipvlan(2, 3)), ["mode", "private"]);
        let modes: Vec<_> = (0..4).map(|m| ipvlan(m, 0)[0].value.clone()).collect();
        let names = ["l2", "l3", "l3s", "unknown"];
        assert_eq!(
            modes,
            names.map(|n| KindValue::Text(n.into())).to_vec(),
            "IPVLAN_MODE_L2, L3, L3S, then past them"
        );
        assert_eq!(ipvlan(1, 0)[1].value, KindValue::Bool(true));
    }

    #[test]
    fn wrong_sizes_are_left_out() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 1, 0, 0, 0, // IFLA_IPVLAN_MODE of 4 bytes: left out
            6, 0, 2, 0, 1, 0, 0, 0, // IFLA_IPVLAN_FLAGS = private
        ];
        assert_eq!(keys(&decode("ipvlan", &data).unwrap().fields), ["private"]);
        assert!(decode("ipvlan", &[]).unwrap().fields.is_empty());
    }
}
