//! MACsec: IFLA_MACSEC_* in the order of iproute2 6.1's ip/ipmacsec.c
//! (`macsec_print_opt`; its JSON keys differ from its text words).

use super::{Fmt, Kind, KindField, KindValue, Row, apply, put};
use crate::wire::attr::AttrIndex;

/// The MACsec kind.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "macsec",
    decode: macsec,
    essentials: &["sci", "cipher_suite", "encrypt"],
}];

// IFLA_MACSEC_* (linux/if_link.h).
const MACSEC_MAX: usize = 16;
const MACSEC_SCI: u16 = 1;
const MACSEC_CIPHER_SUITE: u16 = 4;
const MACSEC_VALIDATION: u16 = 13;
const MACSEC_OFFLOAD: u16 = 15;
const MACSEC_SIZES: &[Row] = &[(3, "icv_len", Fmt::U8), (6, "encoding_sa", Fmt::U8)];
const MACSEC_FLAGS: &[Row] = &[
    (7, "encrypt", Fmt::OnOff),
    (9, "inc_sci", Fmt::OnOff),
    (10, "es", Fmt::OnOff),
    (11, "scb", Fmt::OnOff),
    (12, "replay_protect", Fmt::OnOff),
    (5, "window", Fmt::I32),
];

/// MACSEC_CIPHER_ID_* and MACSEC_DEFAULT_CIPHER_ID (linux/if_macsec.h).
const CIPHERS: [(u64, &str); 5] = [
    (0x0080_0200_0100_0001, "GCM-AES-128"),
    (0x0080_C200_0100_0001, "GCM-AES-128"),
    (0x0080_C200_0100_0002, "GCM-AES-256"),
    (0x0080_C200_0100_0003, "GCM-AES-XPN-128"),
    (0x0080_C200_0100_0004, "GCM-AES-XPN-256"),
];

fn macsec(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<MACSEC_MAX>::parse(data);
    let mut out = Vec::new();
    // The SCI is a big-endian u64 (MAC address and port), printed as 16
    // hex digits without 0x: an identifier, kept as text.
    if let Some(sci) = tb.get(MACSEC_SCI).and_then(|a| a.fixed::<8>().ok()) {
        let text = format!("{:016x}", u64::from_be_bytes(sci));
        put(&mut out, "sci", KindValue::Text(text.into()));
    }
    apply(&tb, &[(8, "protect", Fmt::OnOff)], &mut out);
    if let Some(id) = tb.get(MACSEC_CIPHER_SUITE).and_then(|a| a.u64().ok()) {
        let name = CIPHERS
            .iter()
            .find(|&&(c, _)| c == id)
            .map_or("(unknown)", |&(_, n)| n);
        put(&mut out, "cipher_suite", KindValue::Text(name.into()));
    }
    apply(&tb, MACSEC_SIZES, &mut out);
    // MACSEC_VALIDATE_* and MACSEC_OFFLOAD_* (linux/if_link.h).
    let named = [
        (
            MACSEC_VALIDATION,
            "validation",
            ["disabled", "check", "strict"],
        ),
        (MACSEC_OFFLOAD, "offload", ["off", "phy", "mac"]),
    ];
    for (kind, key, names) in named {
        if let Some(v) = tb.get(kind).and_then(|a| a.u8().ok()) {
            let name = names.get(v as usize).copied().unwrap_or("(unknown)");
            put(&mut out, key, KindValue::Text(name.into()));
        }
    }
    apply(&tb, MACSEC_FLAGS, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::{keys, text};
    use super::*;

    #[test]
    fn typical_macsec() {
        #[rustfmt::skip]
        let data = [
            12, 0, 1, 0, // IFLA_MACSEC_SCI (big-endian): MAC 52:54:00:12:34:56, port 1
            0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x01,
            5, 0, 3, 0, 16, 0, 0, 0, // ICV_LEN = 16
            12, 0, 4, 0, // CIPHER_SUITE = GCM-AES-256
            0x02, 0, 0, 0x01, 0, 0xc2, 0x80, 0,
            8, 0, 5, 0, 0xff, 0xff, 0xff, 0xff, // WINDOW = 4294967295: -1 as ip prints it
            5, 0, 6, 0, 2, 0, 0, 0, // ENCODING_SA = 2
            5, 0, 7, 0, 1, 0, 0, 0, // ENCRYPT = on
            5, 0, 8, 0, 1, 0, 0, 0, // PROTECT = on
            5, 0, 9, 0, 1, 0, 0, 0, // INC_SCI = on
            5, 0, 10, 0, 0, 0, 0, 0, // ES = off
            5, 0, 11, 0, 0, 0, 0, 0, // SCB = off
            5, 0, 12, 0, 1, 0, 0, 0, // REPLAY_PROTECT = on
            5, 0, 13, 0, 2, 0, 0, 0, // VALIDATION = strict
            5, 0, 15, 0, 0, 0, 0, 0, // OFFLOAD = off
        ];
        let d = decode("macsec", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "sci",
                "protect",
                "cipher_suite",
                "icv_len",
                "encoding_sa",
                "validation",
                "offload",
                "encrypt",
                "inc_sci",
                "es",
                "scb",
                "replay_protect",
                "window"
            ]
        );
        assert_eq!(d[0].value, text("5254001234560001"));
        assert_eq!(d[2].value, text("GCM-AES-256"));
        assert_eq!(d[3].value, KindValue::Uint(16));
        assert_eq!(d[5].value, text("strict"));
        assert_eq!(d[9].value, KindValue::Bool(false));
        assert_eq!(d[12].value, KindValue::Int(-1));
    }

    #[test]
    fn unknown_names_and_wrong_sizes() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 1, 2, 3, 4, // SCI of 4 bytes: left out
            12, 0, 4, 0, 9, 0, 0, 0, 0, 0, 0, 0, // CIPHER_SUITE = 9: "(unknown)"
            5, 0, 13, 0, 3, 0, 0, 0, // VALIDATION = 3: "(unknown)"
            6, 0, 15, 0, 1, 0, 0, 0, // OFFLOAD of 2 bytes: left out
            5, 0, 5, 0, 64, 0, 0, 0, // WINDOW of 1 byte: left out
        ];
        let d = decode("macsec", &data).unwrap().fields;
        assert_eq!(keys(&d), ["cipher_suite", "validation"]);
        assert_eq!(d[0].value, text("(unknown)"));
        assert_eq!(d[1].value, text("(unknown)"));
        assert!(decode("macsec", &[]).unwrap().fields.is_empty());
    }
}
