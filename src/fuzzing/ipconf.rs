//! The per-device configuration decoders of [`super::decoders`]: netconf,
//! address labels and neighbour tables, each decoded and then rendered in
//! every format (JSON must parse, nlq's dialect must be total).

use std::io;

use crate::model::LinkNames;
use crate::model::addrlabel::AddrLabel;
use crate::model::netconf::Netconf;
use crate::model::ntable::Ntable;
use crate::render::Format;
use crate::render::ntable::NtableCtx;
use crate::wire::addrlabel::{IfAddrLblMsg, RTM_NEWADDRLABEL};
use crate::wire::ndtmsg::{NdtMsg, RTM_NEWNEIGHTBL};
use crate::wire::netconf::{NetconfMsg, RTM_NEWNETCONF};
use crate::wire::nlmsg::Messages;

/// The message types picked by the first byte when the input is not a
/// datagram.
const KINDS: [u16; 3] = [RTM_NEWNETCONF, RTM_NEWADDRLABEL, RTM_NEWNEIGHTBL];

/// What was decoded.
#[derive(Default)]
struct Objects {
    netconf: Vec<Netconf>,
    labels: Vec<AddrLabel>,
    tables: Vec<Ntable>,
}

/// Decode `data` (a datagram, or a picking byte and a payload) and render
/// what it holds, after an object with nothing set of each kind.
pub(super) fn ipconf(data: &[u8]) {
    let mut o = Objects {
        netconf: vec![Netconf::default()],
        labels: vec![AddrLabel::default()],
        tables: vec![Ntable::default()],
    };
    if matches!(Messages::new(data).next(), Some(Ok(_))) {
        for msg in Messages::new(data).map_while(Result::ok) {
            o.add(msg.kind(), msg.payload());
        }
    } else if let Some((&pick, payload)) = data.split_first() {
        o.add(KINDS[usize::from(pick) % KINDS.len()], payload);
    }
    o.render();
}

impl Objects {
    /// Decode `payload` as a message of type `kind`; one too short for its
    /// fixed header is skipped.
    fn add(&mut self, kind: u16, payload: &[u8]) {
        match kind {
            RTM_NEWNETCONF => self
                .netconf
                .extend(NetconfMsg::new_checked(payload).map(|h| Netconf::decode(&h))),
            RTM_NEWADDRLABEL => self
                .labels
                .extend(IfAddrLblMsg::new_checked(payload).map(|h| AddrLabel::decode(&h))),
            RTM_NEWNEIGHTBL => self
                .tables
                .extend(NdtMsg::new_checked(payload).map(|h| Ntable::decode(&h))),
            _ => {}
        }
    }

    /// Everything in every format, the ip dialect of tables with and
    /// without `--stats`.
    fn render(&self) {
        let links = LinkNames::new();
        for format in Format::ALL {
            let check = |f: &dyn Fn(&mut dyn io::Write) -> io::Result<()>| {
                super::decoders::check(format, |out| f(out));
            };
            check(&|out| crate::render::netconf::write(out, format, &links, &self.netconf));
            check(&|out| crate::render::addrlabel::write(out, format, &links, &self.labels));
            for stats in [false, true] {
                let ctx = NtableCtx {
                    links: &links,
                    stats,
                    now: 0,
                };
                check(&|out| crate::render::ntable::write(out, format, &ctx, &self.tables));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::message;

    /// One message of each kind, one with a bad attribute, and the
    /// picking-byte form: decoded and rendered without a panic.
    #[test]
    fn every_kind_renders() {
        #[rustfmt::skip]
        let netconf = [
            2, 0, 0, 0,              // AF_INET
            8, 0, 3, 0, 9, 0, 0, 0,  // NETCONFA_RP_FILTER = 9: no name
            5, 0, 1, 0, 1, 0, 0, 0,  // NETCONFA_IFINDEX of 1 byte: dropped
        ];
        let mut label = vec![10, 0, 64, 0, 5, 0, 0, 0, 0, 0, 0, 0];
        label.extend_from_slice(&[8, 0, 2, 0, 7, 0, 0, 0]); // IFAL_LABEL = 7
        let mut table = vec![2, 0, 0, 0];
        table.extend_from_slice(&[4 + 88, 0, 7, 0]); // NDTA_STATS
        table.extend_from_slice(&[1; 88]);
        let mut datagram = message(RTM_NEWNETCONF, 0, 1, &netconf);
        datagram.extend(message(RTM_NEWADDRLABEL, 0, 1, &label));
        datagram.extend(message(RTM_NEWNEIGHTBL, 0, 1, &table));
        ipconf(&datagram);
        for pick in 0..3u8 {
            ipconf(&[pick, 2, 0, 0, 0, 9, 9]);
        }
        ipconf(&[]);
    }
}
