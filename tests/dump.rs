//! The dump loop against a real kernel: an interrupted dump is retried and
//! the retry is a consistent snapshot, on a plain socket and with a reader
//! thread receiving ahead; both give the same output.

use std::collections::HashMap;
use std::io;
use std::process::Command;

use nlq::dump::ahead::ReadAhead;
use nlq::dump::tap::{Observer, Tap};
use nlq::dump::{DumpOptions, Dumper, Live, Transport};
use nlq::sock::{NETLINK_ROUTE, Recv, Socket};
use nlq::wire::attr::AttrIndex;
use nlq::wire::ifaddrmsg::{
    IFA_LOCAL, IFA_MAX, IfAddrMsg, IfAddrMsgRepr, RTM_GETADDR, RTM_NEWADDR,
};
use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

use crate::harness::{NetNs, clean_env, enter, nlq_path};

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

/// Addresses in the namespace: about 1 MB of dump, 30 or more datagrams,
/// so the change lands mid-dump.
const ADDRS: u32 = 12_000;

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn interrupted_dump_is_retried_consistently() {
    interrupted_dump_retry(false);
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn interrupted_dump_is_retried_consistently_when_read_ahead() {
    interrupted_dump_retry(true);
}

fn interrupted_dump_retry(read_ahead: bool) {
    let ns = NetNs::new("intr");
    ns.ip(&["link", "add", "br0", "type", "bridge"]);
    ns.ip(&["link", "set", "br0", "up"]);
    let mut batch = String::new();
    for i in 0..ADDRS {
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
        let inner: Box<dyn Transport> = if read_ahead {
            // One datagram ahead at most: with the default queue the
            // reader could hold the whole dump before the change is made.
            Box::new(ReadAhead::with_depth(sock, 1))
        } else {
            Box::new(Live::new(sock))
        };
        let mut t = Tap {
            inner,
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
        ADDRS as usize + 1 + 1,
        "the stable ones + the added one + 127.0.0.1"
    );
    assert!(seen.contains_key(&"10.250.0.1".parse().unwrap()));
}

/// `nlq` pinned to one CPU reads on one thread (read-ahead needs a
/// second); unpinned it reads ahead. A dump of many datagrams, larger than
/// the read-ahead queue, prints the same either way.
#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn read_ahead_prints_what_one_thread_prints() {
    let ns = NetNs::new("ahead");
    ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
    ns.ip(&["link", "set", "v0", "up"]);
    ns.ip(&["addr", "add", "192.0.2.1/24", "dev", "v0"]);
    let mut batch = String::new();
    for i in 0..30_000u32 {
        batch.push_str(&format!(
            "route add 10.{}.{}.0/24 via 192.0.2.{} proto bgp\n",
            i / 256,
            i % 256,
            2 + i % 200
        ));
    }
    ns.ip_batch(&batch);
    let run = |pinned: bool| {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &ns.name]);
        if pinned {
            cmd.args(["taskset", "-c", "0"]);
        }
        let out = clean_env(cmd.args([nlq_path(), "routes", "-4", "--json=ip"]))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run(true);
    let two = run(false);
    assert!(one == two, "pinned and read-ahead output differ");
    let routes: serde_json::Value = serde_json::from_slice(&two).unwrap();
    assert!(routes.as_array().unwrap().len() > 30_000);
    crate::harness::assert_superset(&ns.ip_json(&["-4", "route", "show"]), &routes, "routes");
}
