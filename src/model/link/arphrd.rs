//! Hardware type names (ARPHRD_* of linux/if_arp.h) as iproute2 6.1's
//! `ll_type_n2a` spells them (lib/ll_types.c), in its table order.

/// `(ARPHRD_* value, name)`, from iproute2's `arphrd_names`.
const NAMES: &[(u16, &str)] = &[
    (0, "netrom"),
    (1, "ether"),
    (2, "eether"),
    (3, "ax25"),
    (4, "pronet"),
    (5, "chaos"),
    (6, "ieee802"),
    (7, "arcnet"),
    (8, "atalk"),
    (15, "dlci"),
    (19, "atm"),
    (23, "metricom"),
    (24, "ieee1394"),
    (32, "infiniband"),
    (256, "slip"),
    (257, "cslip"),
    (258, "slip6"),
    (259, "cslip6"),
    (260, "rsrvd"),
    (264, "adapt"),
    (270, "rose"),
    (271, "x25"),
    (272, "hwx25"),
    (280, "can"),
    (512, "ppp"),
    (513, "hdlc"),
    (516, "lapb"),
    (517, "ddcmp"),
    (518, "rawhdlc"),
    (768, "ipip"),
    (769, "tunnel6"),
    (770, "frad"),
    (771, "skip"),
    (772, "loopback"),
    (773, "ltalk"),
    (774, "fddi"),
    (775, "bif"),
    (776, "sit"),
    (777, "ip/ddp"),
    (778, "gre"),
    (779, "pimreg"),
    (780, "hippi"),
    (781, "ash"),
    (782, "econet"),
    (783, "irda"),
    (784, "fcpp"),
    (785, "fcal"),
    (786, "fcpl"),
    (787, "fcfb0"),
    (788, "fcfb1"),
    (789, "fcfb2"),
    (790, "fcfb3"),
    (791, "fcfb4"),
    (792, "fcfb5"),
    (793, "fcfb6"),
    (794, "fcfb7"),
    (795, "fcfb8"),
    (796, "fcfb9"),
    (797, "fcfb10"),
    (798, "fcfb11"),
    (799, "fcfb12"),
    (800, "tr"),
    (801, "ieee802.11"),
    (802, "ieee802.11/prism"),
    (803, "ieee802.11/radiotap"),
    (804, "ieee802.15.4"),
    (805, "ieee802.15.4/monitor"),
    (820, "phonet"),
    (821, "phonet_pipe"),
    (822, "caif"),
    (823, "gre6"),
    (824, "netlink"),
    (825, "6lowpan"),
    (65534, "none"),
    (65535, "void"),
];

/// The name `ip` gives hardware type `link_type` ("ether", "loopback",
/// "none"), or `None` for a type it does not know (it prints `[519]`).
pub fn link_type_name(link_type: u16) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|&&(t, _)| t == link_type)
        .map(|&(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_ip_prints_them() {
        assert_eq!(link_type_name(1), Some("ether"));
        assert_eq!(link_type_name(772), Some("loopback"));
        assert_eq!(link_type_name(0xfffe), Some("none"));
        assert_eq!(link_type_name(768), Some("ipip"));
        assert_eq!(link_type_name(799), Some("fcfb12"));
        assert_eq!(
            link_type_name(519),
            None,
            "ARPHRD_RAWIP is not in ip's table"
        );
    }
}
