//! The multicast decoders of [`super::decoders`]: multicast routing cache
//! entries (RTM_NEWROUTE of RTNL_FAMILY_IPMR / IP6MR) decoded and rendered
//! in every format with and without `-s` and every table, and the input
//! read as the text of /proc/net/{dev_mcast,igmp,igmp6} (`nlq maddrs`):
//! a parse error or a list, never a panic, and the list renders.

use std::io;

use crate::model::LinkNames;
use crate::model::maddr;
use crate::model::mroute::{Mroute, Reply};
use crate::names::Names;
use crate::render::Format;
use crate::render::mroute::Context;
use crate::wire::nlmsg::Messages;

/// Decode and render what `data` holds as multicast routes and as
/// multicast address files.
pub(super) fn mcast(data: &[u8]) {
    let mut routes = vec![Mroute::default()];
    for msg in Messages::new(data).map_while(Result::ok) {
        if let Ok(Some(Reply::Entry(m))) = Mroute::try_from_msg(&msg) {
            routes.push(m);
        }
    }
    let text = String::from_utf8_lossy(data);
    let parsed = [
        maddr::parse_dev_mcast,
        maddr::parse_igmp,
        maddr::parse_igmp6,
    ]
    .map(|parse| parse(&text).unwrap_or_default());
    let addrs = maddr::merge(parsed.into());
    let (links, names) = (LinkNames::new(), Names::builtin());
    for format in Format::ALL {
        let check = |f: &dyn Fn(&mut dyn io::Write) -> io::Result<()>| {
            super::decoders::check(format, |out| f(out));
        };
        for (stats, all_tables) in [(false, false), (true, true)] {
            let cx = Context {
                links: &links,
                names: &names,
                stats,
                all_tables,
            };
            check(&|out| crate::render::mroute::write(out, format, &cx, &routes));
        }
        check(&|out| crate::render::maddr::write(out, format, &addrs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::message;

    #[test]
    fn entries_and_proc_text_render() {
        #[rustfmt::skip]
        let entry = [
            128, 32, 32, 0, 253, 0, 0, 5, 32, 0, 0, 0, // IPMR, RTN_MULTICAST, unresolved
            8, 0, 1, 0, 239, 1, 2, 3,                  // RTA_DST
            12, 0, 9, 0, 8, 0, 0, 1, 3, 0, 0, 0,       // RTA_MULTIPATH: ifindex 3
            6, 0, 17, 0, 1, 2, 0, 0,                   // RTA_MFC_STATS of 2 bytes
        ];
        mcast(&message(24, 0, 1, &entry));
        mcast(b"3 v0 1 1 333300000001\n");
        mcast(b"Idx\n1\tlo :\n\t\t\t\t010000E0 1 0:0\t\t0\n");
        mcast(&[0xff, 0xfe, b'\n', b'\t']);
    }
}
