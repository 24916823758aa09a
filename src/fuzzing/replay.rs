//! The replay entry point: any bytes as a capture file, replayed by every
//! command that reads one. The pcap reader and the replay transport must
//! answer each with a result or a clean error: never a panic, an abort
//! (issue 17: a long run of other families overflowed the stack), or
//! memory beyond the reader's record limit.

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Invocation, Terminal, run};

/// Every command shape that replays a capture: each sends its own
/// requests, so each walks the file its own way.
const SHAPES: &[&[&str]] = &[
    &["links"],
    &["links", "--json=ip"],
    &["addrs", "--json"],
    &["routes", "--table", "all", "--family", "all", "--json=ip"],
    &["routes", "get", "192.0.2.1"],
    &["routes", "get", "192.0.2.1", "--explain", "--json"],
    &["neigh", "--json"],
    &["neigh", "get", "192.0.2.1", "--dev", "lo", "--json=ip"],
    &["rules"],
    &["nexthops", "--json"],
    &["nexthops", "buckets", "--json=ip"],
    &["genl", "--json"],
    &["netconf", "--json=ip"],
    &["netconf", "--dev", "lo", "--json"],
    &["addrlabels", "--json=ip"],
    &["ntables", "--json"],
    &["ntables", "--stats", "--json=ip"],
    &["vlans", "--json"],
    &["vlans", "--details", "-s", "--json=ip"],
    &["vlans", "-s", "--json"],
    &["vlans", "global", "--json"],
    &["mdb", "--json=ip"],
    &["mroutes", "--table", "all", "-s", "--json=ip"],
    &["mroutes", "-6", "--json"],
    &["mdb", "-s"],
    &["stats", "--json=ip"],
    &["stats", "--dev", "lo", "--json"],
    &["monitor", "--json"],
    &["snapshot"],
];

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A file of this process's own, removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Replay `data` as a capture with every command shape, writing the
/// output nowhere. The file is written once and read by each shape.
pub fn replay(data: &[u8]) {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("nlq-fuzz-{}-{n}.pcap", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return; // no room to write: nothing of nlq's was tested
    }
    let file = TempFile(path);
    let Some(name) = file.0.to_str() else {
        return;
    };
    let term = Terminal {
        tty: false,
        no_color: true,
    };
    for shape in SHAPES {
        let head = ["nlq", "--replay", name];
        let inv = Invocation::parse_from(head.iter().chain(shape.iter()));
        let inv = inv.unwrap_or_else(|e| panic!("{shape:?} does not parse: {e}"));
        // A result or a clean error are both kept promises.
        let _ = run(&inv, term, &mut io::sink(), &mut io::sink());
    }
}
