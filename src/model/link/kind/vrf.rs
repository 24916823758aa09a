//! VRFs and their ports: IFLA_VRF_* and IFLA_VRF_PORT_* as iproute2 6.1's
//! ip/iplink_vrf.c prints them.
//!
//! team and team ports have no entry here on purpose: ip's team link_util
//! has no print_opt, so `ip -d -j` prints no `info_data` for them (and the
//! kernel sends none).

use super::{Fmt, Kind, Row, table};

/// The VRF kind.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "vrf",
    decode: |d| table::<VRF_MAX>(d, VRF),
    essentials: &["table"],
}];

/// Ports of a VRF (IFLA_INFO_SLAVE_KIND "vrf").
pub(super) const SLAVE_KINDS: &[Kind] = &[Kind {
    name: "vrf",
    decode: |d| table::<VRF_MAX>(d, VRF),
    essentials: &["table"],
}];

// IFLA_VRF_TABLE and IFLA_VRF_PORT_TABLE (linux/if_link.h) are both type 1,
// both the routing table's id.
const VRF_MAX: usize = 2;
const VRF: &[Row] = &[(1, "table", Fmt::U32)];

#[cfg(test)]
mod tests {
    use super::super::{KindValue, decode, decode_slave};

    #[test]
    fn vrf_and_port_table() {
        let data = [8, 0, 1, 0, 10, 0, 0, 0]; // IFLA_VRF_TABLE = 10
        for d in [decode("vrf", &data), decode_slave("vrf", &data)] {
            let f = d.unwrap().fields;
            assert_eq!(f.len(), 1);
            assert_eq!((f[0].key, &f[0].value), ("table", &KindValue::Uint(10)));
        }
    }

    #[test]
    fn wrong_size_and_empty() {
        let data = [6, 0, 1, 0, 10, 0, 0, 0]; // IFLA_VRF_TABLE with 2 bytes
        assert_eq!(decode("vrf", &data).unwrap().fields, []);
        assert_eq!(decode_slave("vrf", &[]).unwrap().fields, []);
    }

    #[test]
    fn team_has_no_data() {
        // ip prints no info_data for team or its ports.
        assert_eq!(decode("team", &[]), None);
        assert_eq!(decode_slave("team", &[]), None);
    }
}
