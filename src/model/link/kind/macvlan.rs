//! macvlan and macvtap: IFLA_MACVLAN_* in the order of iproute2 6.1's
//! ip/iplink_macvlan.c.

use super::{Fmt, Kind, KindField, KindValue, apply, put};
use crate::model::link::{HwAddr, attrs_ok};
use crate::wire::attr::AttrIndex;

/// macvlan and macvtap share their attributes.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "macvlan",
        decode: macvlan,
        essentials: &["mode"],
    },
    Kind {
        name: "macvtap",
        decode: macvlan,
        essentials: &["mode"],
    },
];

// IFLA_MACVLAN_* (linux/if_link.h).
const MACVLAN_MAX: usize = 9;
const MACVLAN_MODE_SOURCE: u32 = 16;

fn macvlan(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<MACVLAN_MAX>::parse(data);
    let mut out = Vec::new();
    // Without a mode `ip` prints nothing at all.
    let Some(mode) = tb.get(1).and_then(|a| a.u32().ok()) else {
        return out;
    };
    let name = match mode {
        1 => "private",
        2 => "vepa",
        4 => "bridge",
        8 => "passthru",
        16 => "source",
        _ => "unknown",
    };
    put(&mut out, "mode", KindValue::Text(name.into()));
    let flags = tb.get(2).and_then(|a| a.u16().ok()).unwrap_or(0);
    // MACVLAN_FLAG_NOPROMISC = 1, MACVLAN_FLAG_NODST = 2.
    for (bit, key) in [(1, "nopromisc"), (2, "nodst")] {
        if flags & bit != 0 {
            put(&mut out, key, KindValue::Bool(true));
        }
    }
    apply(
        &tb,
        &[(7, "bcqueuelen", Fmt::U32), (8, "usedbcqueuelen", Fmt::U32)],
        &mut out,
    );
    if mode == MACVLAN_MODE_SOURCE {
        macvlan_sources(&tb, &mut out);
    }
    out
}

/// Source mode: the count, then the list of allowed source MACs.
fn macvlan_sources(tb: &AttrIndex<'_, MACVLAN_MAX>, out: &mut Vec<KindField>) {
    let Some(count) = tb.get(6).and_then(|a| a.u32().ok()) else {
        return;
    };
    put(out, "macaddr_count", KindValue::Int((count as i32).into()));
    if let Some(list) = tb.get(5) {
        // IFLA_MACVLAN_MACADDR = 4, at least 6 bytes each, as ip checks.
        let macs = attrs_ok(list.payload())
            .filter(|a| a.kind() == 4)
            .filter_map(|a| HwAddr::new(a.payload().get(..6)?))
            .collect();
        put(out, "macaddr_data", KindValue::List(macs));
    }
}
