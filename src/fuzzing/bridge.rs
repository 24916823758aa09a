//! The bridge table decoders of [`super::decoders`]: FDB entries
//! (AF_BRIDGE neighbours), bridge ports (AF_BRIDGE links with
//! IFLA_PROTINFO) and the VLAN database (RTM_NEWVLAN), each decoded and
//! then rendered in every format (JSON must parse, nlq's dialect must be
//! total).

use crate::model::link::Links;
use crate::model::neigh::Neigh;
use crate::model::port::Port;
use crate::model::vlan_db::VlanDb;
use crate::render::Format;
use crate::render::fdb::FdbCtx;
use crate::render::port::PortCtx;
use crate::wire::bridge::BrPortMsg;
use crate::wire::brvlan::RTM_NEWVLAN;
use crate::wire::ifinfomsg::{IfInfoMsg, RTM_NEWLINK};
use crate::wire::ndmsg::{NdMsg, RTM_NEWNEIGH};
use crate::wire::nlmsg::Messages;

/// The message types picked by the first byte when the input is not a
/// datagram.
const KINDS: [u16; 3] = [RTM_NEWNEIGH, RTM_NEWLINK, RTM_NEWVLAN];

/// Decode `data` (a datagram, or a picking byte and a payload) as FDB
/// entries and bridge ports, and render them in every format.
pub(super) fn bridge(data: &[u8]) {
    let (mut entries, mut ports, mut dbs) = (Vec::new(), Vec::new(), Vec::new());
    let mut add = |kind: u16, payload: &[u8]| match kind {
        RTM_NEWNEIGH => entries.extend(NdMsg::new_checked(payload).map(|h| Neigh::decode(&h))),
        RTM_NEWLINK => ports.extend(IfInfoMsg::new_checked(payload).map(|h| Port::decode(&h))),
        RTM_NEWVLAN => dbs.extend(BrPortMsg::new_checked(payload).map(|h| VlanDb::decode(&h))),
        _ => {}
    };
    if matches!(Messages::new(data).next(), Some(Ok(_))) {
        for msg in Messages::new(data).map_while(Result::ok) {
            add(msg.kind(), msg.payload());
        }
    } else if let Some((&pick, payload)) = data.split_first() {
        add(KINDS[usize::from(pick) % KINDS.len()], payload);
    }
    // The ports' own links name the masters, peers and backup ports.
    let mut links = Links::new();
    ports.iter().for_each(|p| links.push(p.link.clone()));
    for format in Format::ALL {
        super::decoders::check(format, |out| {
            let ctx = FdbCtx { links: &links };
            use crate::render::{Listing, fdb};
            let mut w = Listing::new(out, format, &fdb::COLUMNS);
            entries
                .iter()
                .try_for_each(|n| fdb::push(&mut w, n, &ctx))?;
            w.finish()
        });
        super::decoders::check(format, |out| {
            let ctx = PortCtx { links: &links };
            use crate::render::{Listing, port};
            let mut w = Listing::new(out, format, &port::COLUMNS);
            ports.iter().try_for_each(|p| port::push(&mut w, p, &ctx))?;
            w.finish()
        });
        vlan_db(format, &dbs);
    }
}

/// The VLAN database in each of its views, with and without counters.
fn vlan_db(format: Format, dbs: &[VlanDb]) {
    use crate::render::vlan_db::{Ctx, View, write};
    let names = crate::model::LinkNames::new();
    let views = [
        (View::Details, false),
        (View::Details, true),
        (View::Stats, true),
        (View::Global, true),
    ];
    for (view, stats) in views {
        let ctx = Ctx {
            links: &names,
            ports: &[],
            stats,
            view,
        };
        super::decoders::check(format, |out| write(out, format, ctx, dbs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picked FDB entry and a picked port, with attributes, render in
    /// every format; so does a truncated payload.
    #[test]
    fn picked_payloads_render() {
        #[rustfmt::skip]
        let neigh = [
            0,                              // pick RTM_NEWNEIGH
            7, 0, 0, 0, 2, 0, 0, 0,         // AF_BRIDGE, ifindex 2
            0x80, 0, 2, 0,                  // PERMANENT, NTF_SELF, type
            8, 0, 6, 0, 100, 0, 0, 0,       // NDA_PORT (wrong size: dropped)
        ];
        bridge(&neigh);
        #[rustfmt::skip]
        let port = [
            1,                              // pick RTM_NEWLINK
            7, 0, 1, 0, 4, 0, 0, 0,         // AF_BRIDGE, ARPHRD_ETHER, index 4
            1, 0, 0, 0, 0, 0, 0, 0,         // flags UP, change
            12, 0, 12, 0x80,                // IFLA_PROTINFO, nested
              8, 0, 34, 0, 9, 0, 0, 0,      //   BACKUP_PORT 9 (unknown)
        ];
        bridge(&port);
        bridge(&port[..7]);
        #[rustfmt::skip]
        let vlans = [
            2,                              // pick RTM_NEWVLAN
            7, 0, 0, 0, 4, 0, 0, 0,         // AF_BRIDGE, ifindex 4
            12, 0, 1, 0x80,                 // BRIDGE_VLANDB_ENTRY, nested
              8, 0, 1, 0, 2, 0, 10, 0,      //   ENTRY_INFO: PVID, vid 10
            12, 0, 2, 0x80,                 // BRIDGE_VLANDB_GLOBAL_OPTIONS
              6, 0, 1, 0, 10, 0, 0, 0,      //   GOPTS_ID = 10
        ];
        bridge(&vlans);
    }
}
