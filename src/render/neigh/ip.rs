//! The `ip -j neigh show` dialect: iproute2 6.1's `print_neigh`, key for
//! key and in its order, with the keys `ip -s` adds (`refcnt`, `used`,
//! `confirmed`, `updated`, `probes`) always present where the kernel sent
//! them, so one output is a superset of both `ip -j neigh` and
//! `ip -j -s neigh`.
//!
//! `dev` is printed even when `ip` leaves it out (`ip neigh show dev X`
//! omits it, as every entry is on X): nlq may add keys.

use std::io;

use super::{DevName, LlAddr, NeighCtx, protocol};
use crate::model::neigh::{CacheInfo, Neigh, whole_seconds};
use crate::render::json::{JsonObject, Key, Obj, key};
use crate::render::text::{FastIp, push_decimal};

/// `print_neigh_state`: the NUD bits `ip` names, in its order; other bits
/// are dropped without a trace.
const IP_STATES: [(u16, &str); 8] = [
    (0x01, "INCOMPLETE"),
    (0x02, "REACHABLE"),
    (0x04, "STALE"),
    (0x08, "DELAY"),
    (0x10, "PROBE"),
    (0x20, "FAILED"),
    (0x40, "NOARP"),
    (0x80, "PERMANENT"),
];

/// A neighbour in the `ip -j neigh show` dialect (a superset of
/// iproute2 6.1, `-s` keys included).
pub struct IpNeigh<'a> {
    /// The entry.
    pub neigh: &'a Neigh,
    /// Links and names.
    pub ctx: &'a NeighCtx<'a>,
}

impl JsonObject for IpNeigh<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        let (n, c) = (self.neigh, self.ctx);
        if let Some(dst) = n.dst {
            m.fast(key!("dst"), Some(FastIp(dst)))?;
        }
        if n.ifindex != 0 {
            m.fast(key!("dev"), Some(DevName(n.ifindex, c)))?;
        }
        let ll = n.lladdr.as_ref().map(|a| LlAddr(c.link_type(n.ifindex), a));
        if ll.is_some() {
            m.fast(key!("lladdr"), ll)?;
        }
        flags(m, n);
        if let Some(ci) = n.cacheinfo {
            cacheinfo(m, &ci);
        }
        if let Some(p) = n.probes {
            m.entry(key!("probes"), &p)?;
        }
        if n.state != 0 {
            let set = IP_STATES.iter().filter(|&&(bit, _)| n.state & bit != 0);
            m.fast_list(key!("state"), set.map(|&(_, name)| name))?;
        }
        if let Some(p) = n.protocol.filter(|&p| p != 0) {
            m.fast(key!("protocol"), Some(protocol(c.names, p)))?;
        }
        Ok(())
    }
}

/// The flags `ip` prints, each as a key with a `null` value.
fn flags(m: &mut Obj<'_>, n: &Neigh) {
    let set = [
        (key!("router"), n.is_router()),
        (key!("proxy"), n.is_proxy()),
        (key!("managed"), n.is_managed()),
        (key!("extern_learn"), n.is_extern_learn()),
        (key!("offload"), n.is_offloaded()),
    ];
    for (key, on) in set {
        if on {
            m.raw(key, |o| o.extend_from_slice(b"null"));
        }
    }
}

/// `print_cacheinfo` (`ip -s`): the reference count when it is not 0,
/// then the ages in whole seconds, rounded down (`ticks / get_user_hz()`).
fn cacheinfo(m: &mut Obj<'_>, ci: &CacheInfo) {
    let number = |m: &mut Obj<'_>, key: Key, n: u32| m.raw(key, |o| push_decimal(o, n));
    if ci.refcnt != 0 {
        number(m, key!("refcnt"), ci.refcnt);
    }
    number(m, key!("used"), whole_seconds(ci.used));
    number(m, key!("confirmed"), whole_seconds(ci.confirmed));
    number(m, key!("updated"), whole_seconds(ci.updated));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AF_INET6;
    use crate::model::link::{HwAddr, Links};
    use crate::names::Names;
    use crate::wire::ndmsg::{NTF_EXT_LEARNED, NTF_EXT_MANAGED, NTF_OFFLOADED, NTF_ROUTER};

    fn keys(n: &Neigh) -> serde_json::Value {
        let (links, names) = (Links::new(), Names::builtin());
        let ctx = NeighCtx {
            links: &links,
            names: &names,
        };
        let json = IpNeigh {
            neigh: n,
            ctx: &ctx,
        }
        .to_json();
        serde_json::from_str(&json).unwrap()
    }

    fn entry() -> Neigh {
        Neigh {
            family: AF_INET6,
            ifindex: 4,
            state: 0x0184,
            flags: NTF_ROUTER | NTF_EXT_LEARNED | NTF_OFFLOADED,
            kind: 1,
            dst: Some("2001:db8::2".parse().unwrap()),
            lladdr: HwAddr::new(&[2, 0, 0, 0, 0, 0x12]),
            cacheinfo: Some(CacheInfo {
                confirmed: 6099,
                used: 0,
                updated: 1234,
                refcnt: 2,
            }),
            probes: Some(1),
            vlan: None,
            port: None,
            vni: None,
            via_ifindex: None,
            master: None,
            link_netnsid: None,
            src_vni: None,
            protocol: Some(99),
            nh_id: None,
            flags_ext: Some(NTF_EXT_MANAGED),
        }
    }

    #[test]
    fn keys_in_ip_order() {
        let v = keys(&entry());
        let order: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            order,
            [
                "dst",
                "dev",
                "lladdr",
                "router",
                "managed",
                "extern_learn",
                "offload",
                "refcnt",
                "used",
                "confirmed",
                "updated",
                "probes",
                "state",
                "protocol"
            ]
        );
        assert_eq!(v["dev"], "if4", "an index the link dump did not have");
        assert_eq!(v["router"], serde_json::Value::Null);
        assert_eq!((&v["confirmed"], &v["updated"]), (&60.into(), &12.into()));
        assert_eq!(v["state"], serde_json::json!(["STALE", "PERMANENT"]));
        assert_eq!(v["protocol"], "openr");
    }

    #[test]
    fn absent_things_print_nothing() {
        let mut n = entry();
        n.state = 0;
        n.flags = 0;
        n.flags_ext = None;
        n.ifindex = 0;
        n.lladdr = None;
        n.cacheinfo.as_mut().unwrap().refcnt = 0;
        n.protocol = Some(0);
        let v = keys(&n);
        let order: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(order, ["dst", "used", "confirmed", "updated", "probes"]);
        n.state = 0x100; // no bit ip names: an empty list
        assert_eq!(keys(&n)["state"], serde_json::json!([]));
    }
}
