//! The dump loop against a real kernel: an interrupted dump is retried and
//! the retry is a consistent snapshot.

use std::collections::HashMap;
use std::io;
use std::process::Command;

use nlq::dump::tap::{Observer, Tap};
use nlq::dump::{DumpOptions, Dumper, Live};
use nlq::sock::{NETLINK_ROUTE, Recv, Socket};
use nlq::wire::attr::AttrIndex;
use nlq::wire::ifaddrmsg::{
    IFA_LOCAL, IFA_MAX, IfAddrMsg, IfAddrMsgRepr, RTM_GETADDR, RTM_NEWADDR,
};
use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

use crate::harness::{NetNs, enter};

/// Changes the address table once, right after the first datagram of the
/// dump arrived, so the kernel flags the rest of that dump NLM_F_DUMP_INTR.
struct Meddler {
    ns: String,
    done: bool,
}

impl Observer for Meddler {
    fn received(&mut self, _: &[u8], _: Recv) -> io::Result<()> {
        if !self.done {
            self.done = true;
            let st = Command::new("ip")
                .args(["-n", &self.ns, "addr", "add", "10.250.0.1/32", "dev", "br0"])
                .status()
                .unwrap();
            assert!(st.success());
        }
        Ok(())
    }
}

#[test]
fn interrupted_dump_is_retried_consistently() {
    crate::require_root!();
    let ns = NetNs::new("intr");
    ns.ip(&["link", "add", "br0", "type", "bridge"]);
    ns.ip(&["link", "set", "br0", "up"]);
    let mut batch = String::new();
    for i in 0..3000u32 {
        batch.push_str(&format!(
            "addr add 10.{}.{}.1/32 dev br0\n",
            1 + i / 250,
            i % 250
        ));
    }
    ns.ip_batch(&batch);

    let name = ns.name.clone();
    let (tries, seen) = std::thread::spawn(move || {
        enter(&name);
        let sock = Socket::open(NETLINK_ROUTE).unwrap();
        // A small receive buffer: the dump comes in many short datagrams.
        sock.set_recv_buffer(4096).unwrap();
        let live = Live::new(sock);
        let mut t = Tap {
            inner: live,
            observer: Meddler {
                ns: name,
                done: false,
            },
        };
        let mut buf = [0u8; 64];
        let req = RequestBuilder::new(&mut buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(
                &IfAddrMsgRepr {
                    family: libc::AF_INET as u8,
                    ..Default::default()
                }
                .emit(),
            )
            .finish()
            .unwrap()
            .to_vec();
        let mut seen: HashMap<std::net::IpAddr, u32> = HashMap::new();
        let stats = Dumper::new(DumpOptions::default())
            .dump(&mut t, &req, |m| {
                assert_eq!(m.kind(), RTM_NEWADDR);
                let a = IfAddrMsg::new_checked(m.payload()).unwrap();
                let idx = AttrIndex::<IFA_MAX>::parse(a.attr_bytes());
                let ip = idx.get(IFA_LOCAL).unwrap().ip(a.family()).unwrap();
                *seen.entry(ip).or_default() += 1;
                Ok(())
            })
            .expect("the retry succeeds");
        (stats.tries, seen)
    })
    .join()
    .unwrap();

    assert!(
        tries >= 2,
        "the change mid-dump must force a retry (tries = {tries})"
    );
    assert!(seen.values().all(|&n| n == 1), "every address exactly once");
    assert_eq!(
        seen.len(),
        3000 + 1 + 1,
        "3000 stable + the added one + 127.0.0.1"
    );
    assert!(seen.contains_key(&"10.250.0.1".parse().unwrap()));
}
