//! tun and tap: IFLA_TUN_* in the order of iproute2 6.1's ip/iptuntap.c.

use std::borrow::Cow;

use super::{Fmt, Kind, KindField, KindValue, apply, put};
use crate::wire::attr::AttrIndex;

/// tun devices (IFLA_INFO_KIND "tun", for tun and tap alike).
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "tun",
    decode: tun,
    essentials: &["type"],
}];

// IFLA_TUN_* (linux/if_link.h).
const TUN_MAX: usize = 10;

fn tun(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<TUN_MAX>::parse(data);
    let mut out = Vec::new();
    if let Some(t) = tb.get(3).and_then(|a| a.u8().ok()) {
        // IFF_TUN = 1, IFF_TAP = 2 (linux/if_tun.h).
        let name: Cow<'static, str> = match t {
            1 => "tun".into(),
            2 => "tap".into(),
            t => format!("UNKNOWN:{t}").into(),
        };
        put(&mut out, "type", KindValue::Text(name));
    }
    apply(
        &tb,
        &[(4, "pi", Fmt::OnOff), (5, "vnet_hdr", Fmt::OnOff)],
        &mut out,
    );
    let multi = tb.get(7).and_then(|a| a.u8().ok()).unwrap_or(0) != 0;
    put(&mut out, "multi_queue", KindValue::Bool(multi));
    if multi {
        apply(
            &tb,
            &[(8, "numqueues", Fmt::U32), (9, "numdisabled", Fmt::U32)],
            &mut out,
        );
    }
    apply(&tb, &[(6, "persist", Fmt::OnOff)], &mut out);
    out
}
