//! Replaying captures nlq did not make: what `tcpdump -i nlmon0` writes
//! holds every netlink family on the machine (sock_diag from `ss`, genl,
//! audit), with nlq's own conversation somewhere among them. Issue 17: a
//! long run of other families overflowed the stack; these tests make such
//! captures at test time (nothing large is committed).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::harness::{nlq, no_panic};

/// LINKTYPE_LINUX_SLL, the link type nlq writes.
const LINKTYPE_LINUX_SLL: u32 = 113;
/// ARPHRD_NETLINK, the cooked header's hardware type for netlink.
const ARPHRD_NETLINK: u16 = 824;
/// NETLINK_SOCK_DIAG: a family no nlq command replays.
const NETLINK_SOCK_DIAG: u16 = 4;

/// A classic pcap file being written (host byte order, microseconds).
struct Pcap(BufWriter<File>);

impl Pcap {
    fn create(path: &Path) -> Pcap {
        let mut w = BufWriter::new(File::create(path).unwrap());
        w.write_all(&0xa1b2_c3d4u32.to_ne_bytes()).unwrap(); // magic
        w.write_all(&2u16.to_ne_bytes()).unwrap(); // version_major
        w.write_all(&4u16.to_ne_bytes()).unwrap(); // version_minor
        w.write_all(&[0; 8]).unwrap(); // thiszone, sigfigs
        w.write_all(&65535u32.to_ne_bytes()).unwrap(); // snaplen
        w.write_all(&LINKTYPE_LINUX_SLL.to_ne_bytes()).unwrap(); // network
        Pcap(w)
    }

    /// One record: the 16-byte cooked header (big-endian), then `data`.
    fn record(&mut self, pkttype: u16, family: u16, data: &[u8]) {
        let len = (16 + data.len()) as u32;
        let w = &mut self.0;
        w.write_all(&[0; 8]).unwrap(); // ts_sec, ts_usec
        w.write_all(&len.to_ne_bytes()).unwrap(); // incl_len
        w.write_all(&len.to_ne_bytes()).unwrap(); // orig_len
        w.write_all(&pkttype.to_be_bytes()).unwrap(); // sll_pkttype
        w.write_all(&ARPHRD_NETLINK.to_be_bytes()).unwrap(); // sll_hatype
        w.write_all(&[0; 10]).unwrap(); // sll_halen, sll_addr
        w.write_all(&family.to_be_bytes()).unwrap(); // sll_protocol
        w.write_all(data).unwrap();
    }

    /// `n` records of another family: a 16-byte NLMSG_DONE each.
    fn foreign(&mut self, n: usize) {
        let done = [16, 0, 0, 0, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        for _ in 0..n {
            self.record(0, NETLINK_SOCK_DIAG, &done);
        }
    }

    fn finish(self) {
        self.0.into_inner().unwrap().sync_all().unwrap();
    }
}

/// The records of a pcap nlq wrote: (pkttype, family, datagram).
fn records(path: &Path) -> Vec<(u16, u16, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut at = 24;
    let mut out = Vec::new();
    while at + 16 <= bytes.len() {
        let len = u32::from_ne_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
        let rec = &bytes[at + 16..at + 16 + len];
        let be16 = |i: usize| u16::from_be_bytes([rec[i], rec[i + 1]]);
        out.push((be16(0), be16(14), rec[16..].to_vec()));
        at += 16 + len;
    }
    out
}

fn temp(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("nlq-replay-{tag}-{}.pcap", std::process::id()))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Removes the file when dropped, also when the test fails.
struct Remove(PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn issue_17_a_million_foreign_records_replay_without_overflowing_the_stack() {
    let path = temp("foreign");
    let _rm = Remove(path.clone());
    let mut pcap = Pcap::create(&path);
    pcap.foreign(1_000_000);
    pcap.finish();
    let file = path.to_str().unwrap();
    for args in [
        &["links"][..],
        &["links", "--json"],
        &["genl"],
        &["monitor", "--json"],
        &["routes", "--json=ip"],
    ] {
        let full = [&["--replay", file][..], args].concat();
        let out = no_panic(&full, nlq(&full));
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=3)),
            "nlq {full:?}: exit {code:?}, stderr {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn issue_17_nlmon_style_capture_with_interleaved_families_replays() {
    let path = temp("interleaved");
    let _rm = Remove(path.clone());
    let mut pcap = Pcap::create(&path);
    pcap.foreign(5_000);
    for (pkttype, family, data) in records(&fixture("links.pcap")) {
        pcap.record(pkttype, family, &data);
        pcap.foreign(1_000);
    }
    pcap.finish();
    let out = nlq(&["--replay", path.to_str().unwrap(), "links", "--json=ip"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = std::fs::read_to_string(fixture("links.ip.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}
