//! The interface statistics decoder of [`super::decoders`]: RTM_NEWSTATS
//! messages decoded as `nlq stats` decodes them, then rendered in every
//! format with every group selected (JSON must parse, nlq's dialect must
//! be total).

use crate::model::LinkNames;
use crate::model::ifstats::{IfStats, Sub};
use crate::render::Format;
use crate::render::ifstats::StatsCtx;
use crate::wire::ifstatsmsg::{IfStatsMsg, RTM_NEWSTATS};
use crate::wire::nlmsg::Messages;

/// Decode `data` (a datagram, or a payload after one picking byte) and
/// render what it holds, after an object with nothing set.
pub(super) fn ifstats(data: &[u8]) {
    let mut stats = vec![IfStats::default()];
    if matches!(Messages::new(data).next(), Some(Ok(_))) {
        let msgs = Messages::new(data).map_while(Result::ok);
        let ours = msgs.filter(|m| m.kind() == RTM_NEWSTATS);
        stats.extend(ours.filter_map(|m| decode(m.payload())));
    } else if let Some((_, payload)) = data.split_first() {
        stats.extend(decode(payload));
    }
    let links = LinkNames::new();
    let ctx = StatsCtx {
        links: &links,
        subs: &Sub::ALL,
    };
    for format in Format::ALL {
        super::decoders::check(format, |out| {
            crate::render::ifstats::write(out, format, &ctx, &stats)
        });
    }
}

/// The statistics in one RTM_NEWSTATS payload; `None` when it is too short
/// for its header.
fn decode(payload: &[u8]) -> Option<IfStats> {
    let hdr = IfStatsMsg::new_checked(payload).ok()?;
    Some(IfStats::decode(&hdr))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::message;

    /// A message with every group, one with a bad nest, and the picking
    /// byte form: decoded and rendered without a panic.
    #[test]
    fn every_group_renders() {
        #[rustfmt::skip]
        let payload = [
            0, 0, 0, 0, 1, 0, 0, 0, 0x19, 0, 0, 0, // if_stats_msg: ifindex 1
            12, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0,   // LINK_64: rx_packets 5
            12, 0, 4, 0x80, 255, 0, 2, 0x80,       // OFFLOAD: a nest too long
            0, 0, 0, 0,
        ];
        let msg = message(RTM_NEWSTATS, 0, 1, &payload);
        ifstats(&msg);
        ifstats(&payload);
        ifstats(&[]);
    }
}
