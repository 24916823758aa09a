//! nlq on a live kernel, in namespaces, facing what it does not control: a
//! process that forges kernel replies, an address family the kernel lacks,
//! a user without privileges, and hundreds of dumps in one process.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use nlq::Invocation;
use nlq::dump::{Dumper, Live, Transport};
use nlq::model::route::AF_MPLS;
use nlq::sock::{NETLINK_ROUTE, Recv, Socket};
use nlq::wire::ifinfomsg::{IFLA_IFNAME, IfInfoMsgRepr, RTM_NEWLINK};
use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, RequestBuilder};
use nlq::wire::rtmsg::{RTM_GETROUTE, RtMsg, RtMsgRepr};
use serde_json::Value;

use crate::harness::{NetNs, clean_env, enter, nlq_path, no_panic};

/// Run `f` in a new thread that has entered namespace `ns`.
fn in_ns<T: Send + 'static>(ns: &NetNs, f: impl FnOnce() -> T + Send + 'static) -> T {
    crate::harness::in_ns(&ns.name, f)
}

/// The names in a `links --json` array.
fn link_names(json: &Value) -> BTreeSet<String> {
    let links = json.as_array().expect("a JSON array");
    links
        .iter()
        .map(|l| l["name"].as_str().expect("a name").to_string())
        .collect()
}

// ---------------------------------------------------------------------
// Forged sender
// ---------------------------------------------------------------------

/// A second netlink socket, bound to a port id of its own, that sends
/// datagrams to other sockets' port ids instead of to the kernel.
struct Forger {
    fd: OwnedFd,
    port: u32,
}

impl Forger {
    fn open() -> Forger {
        // SAFETY: socket(2) with constant arguments; checked before wrapping.
        let raw = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        assert!(raw >= 0, "socket: {}", io::Error::last_os_error());
        // SAFETY: `raw` is a fresh descriptor nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let mut addr = nl_addr(0); // nl_pid 0: the kernel picks our port id
        let mut len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `addr` is a valid sockaddr_nl of the size passed.
        let rc = unsafe { libc::bind(fd.as_raw_fd(), (&raw const addr).cast(), len) };
        assert_eq!(rc, 0, "bind: {}", io::Error::last_os_error());
        // SAFETY: `addr` and `len` describe a writable sockaddr_nl.
        let rc = unsafe { libc::getsockname(fd.as_raw_fd(), (&raw mut addr).cast(), &mut len) };
        assert_eq!(rc, 0, "getsockname: {}", io::Error::last_os_error());
        Forger {
            fd,
            port: addr.nl_pid,
        }
    }

    /// Unicast `datagram` to the socket bound to `port`, never blocking.
    fn send_to(&self, port: u32, datagram: &[u8]) -> io::Result<()> {
        let addr = nl_addr(port);
        // SAFETY: `datagram` is valid for its length; `addr` is a valid
        // sockaddr_nl whose size is passed with it.
        let n = unsafe {
            libc::sendto(
                self.fd.as_raw_fd(),
                datagram.as_ptr().cast(),
                datagram.len(),
                libc::MSG_DONTWAIT,
                (&raw const addr).cast(),
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

fn nl_addr(port: u32) -> libc::sockaddr_nl {
    // SAFETY: all-zero is a valid sockaddr_nl; family and port are set below.
    let mut addr: libc::sockaddr_nl = unsafe { mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr.nl_pid = port;
    addr
}

/// Name of the link only the forger knows.
const FORGED: &str = "forged0";

/// A fake RTM_NEWLINK for [`FORGED`] and a fake NLMSG_DONE (error 0), each
/// with the dump's `seq` and nlq's `port` in its header, as the kernel's
/// own replies have.
fn forged_replies(seq: u32, port: u32) -> [Vec<u8>; 2] {
    let mut buf = [0u8; 64];
    let link = IfInfoMsgRepr {
        index: 9999,
        flags: 1, // IFF_UP
        ..IfInfoMsgRepr::default()
    };
    let newlink = RequestBuilder::new(&mut buf, RTM_NEWLINK, NLM_F_MULTI, seq)
        .fixed(&link.emit())
        .attr(IFLA_IFNAME, b"forged0\0")
        .finish()
        .unwrap()
        .to_vec();
    let mut buf = [0u8; 32];
    let done = RequestBuilder::new(&mut buf, NLMSG_DONE, NLM_F_MULTI, seq)
        .fixed(&0i32.to_ne_bytes()) // error = 0: a clean end of dump
        .finish()
        .unwrap()
        .to_vec();
    [newlink, done].map(|mut m| {
        m[12..16].copy_from_slice(&port.to_ne_bytes()); // nlmsg_pid
        m
    })
}

/// A live transport with a forger at its side: before each request goes
/// out, and again after the first datagram of its reply, the forger sends
/// nlq's socket a fake link and a fake DONE for that very dump (as two
/// datagrams, then as one).
struct Forging {
    live: Live,
    forger: Forger,
    seq: u32,
    /// The control: report forged datagrams as the kernel's, as a dump
    /// loop that did not check the sender would see them.
    launder: bool,
    /// Kernel datagrams received in the current dump.
    from_kernel: usize,
    /// Forged datagrams sent, and received by nlq's socket.
    sent: usize,
    received: usize,
}

impl Forging {
    fn forge(&mut self) {
        let [link, done] = forged_replies(self.seq, self.live.port_id());
        let both = [link.clone(), done.clone()].concat();
        for datagram in [link, done, both] {
            self.forger
                .send_to(self.live.port_id(), &datagram)
                .unwrap_or_else(|e| panic!("the kernel refused the forged unicast: {e}"));
            self.sent += 1;
        }
    }
}

impl Transport for Forging {
    fn port_id(&self) -> u32 {
        self.live.port_id()
    }
    fn next_seq(&mut self) -> u32 {
        self.seq = self.live.next_seq();
        self.seq
    }
    fn strict(&self) -> bool {
        self.live.strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        // Queued ahead of every kernel reply: read first.
        self.forge();
        self.from_kernel = 0;
        self.live.send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        let mut got = self.live.recv(buf)?;
        if got.sender == self.forger.port {
            self.received += 1;
            if self.launder {
                got.sender = 0;
            }
        } else if got.sender == 0 {
            self.from_kernel += 1;
            if self.from_kernel == 1 {
                self.forge(); // mid-dump
            }
        }
        Ok(got)
    }
}

/// What `nlq links --json` printed over a [`Forging`] transport, and that
/// transport's counts: (kernel datagrams, forged sent, forged received).
fn links_while_forging(ns: &NetNs, launder: bool) -> (Vec<u8>, [usize; 3]) {
    in_ns(ns, move || {
        let mut t = Forging {
            live: Live::new(Socket::open(NETLINK_ROUTE).unwrap()),
            forger: Forger::open(),
            seq: 0,
            launder,
            from_kernel: 0,
            sent: 0,
            received: 0,
        };
        let inv = Invocation::parse_from(["nlq", "links", "--json"]).unwrap();
        let mut out = Vec::new();
        nlq::run_over(&inv, &mut t, &mut out).expect("nlq links");
        (out, [t.from_kernel, t.sent, t.received])
    })
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn forged_replies_from_another_socket_are_never_shown() {
    let ns = NetNs::new("forge");
    let mut batch = String::new();
    for i in 0..120 {
        batch.push_str(&format!("link add fb{i} type bridge\n"));
    }
    ns.ip_batch(&batch);
    let ip = ns.ip_json(&["link", "show"]);
    let expected: BTreeSet<String> = ip
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ifname"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), 121, "lo and 120 bridges");

    let (out, [from_kernel, sent, received]) = links_while_forging(&ns, false);
    eprintln!("forged: {sent} datagrams sent, {received} received, {from_kernel} from the kernel");
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains(FORGED), "a forged link was shown: {text}");
    let shown = link_names(&serde_json::from_slice(&out).expect("valid JSON"));
    assert_eq!(
        shown, expected,
        "every real link, so the dump went on past the forged DONEs"
    );
    assert!(
        from_kernel >= 3,
        "the dump must span several datagrams for the mid-dump forgery to land inside it \
         ({from_kernel} kernel datagrams)"
    );
    assert_eq!(
        received, sent,
        "every forged datagram reached nlq's socket before the kernel's DONE"
    );

    // The control: the forgery is good enough to fool a loop that trusts
    // any sender (its DONE ends the dump before the kernel's first reply).
    let (out, _) = links_while_forging(&ns, true);
    let shown = link_names(&serde_json::from_slice(&out).expect("valid JSON"));
    assert_eq!(shown, BTreeSet::from([FORGED.to_string()]));
}

// ---------------------------------------------------------------------
// Address families the kernel lacks
// ---------------------------------------------------------------------

/// The families of the routes the kernel sends back for a route dump of
/// `family` (strict checking as nlq asks for it; no filter but the family).
fn reply_families(ns: &NetNs, family: u8) -> Vec<u8> {
    in_ns(ns, move || {
        let mut live = Live::new(Socket::open(NETLINK_ROUTE).unwrap());
        // As `nlq routes` asks: the family, no filter.
        let hdr = RtMsgRepr {
            family,
            ..RtMsgRepr::default()
        };
        let mut buf = [0u8; 64];
        let req = RequestBuilder::new(&mut buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&hdr.emit())
            .finish()
            .unwrap()
            .to_vec();
        let mut families = Vec::new();
        Dumper::default()
            .dump(&mut live, &req, |m| {
                families.push(RtMsg::new_checked(m.payload()).unwrap().family());
                Ok(())
            })
            .unwrap();
        families
    })
}

/// A namespace with a veth pair, an IPv4 and an IPv6 address on v0 (no
/// link-local addresses, no DAD: nothing changes while tests look), and a
/// gatewayed route of each family in main.
fn routed_ns(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
    ns.ip(&["link", "set", "v0", "addrgenmode", "none"]);
    ns.ip(&["link", "set", "v1", "addrgenmode", "none"]);
    ns.ip(&["link", "set", "v0", "up"]);
    ns.ip(&["link", "set", "v1", "up"]);
    ns.ip(&["addr", "add", "192.0.2.1/24", "dev", "v0"]);
    ns.ip(&["addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"]);
    ns.ip(&["route", "add", "198.51.100.0/24", "via", "192.0.2.254"]);
    ns.ip(&["route", "add", "2001:db8:1::/64", "via", "2001:db8::fe"]);
    ns
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn mpls_routes_on_a_kernel_without_mpls_fail_clearly() {
    let ns = routed_ns("mpls");
    if Path::new("/proc/sys/net/mpls").exists() {
        // MPLS routing is there: only MPLS routes may be shown.
        let routes = ns.nlq_json(&["routes", "--family", "mpls", "--json"]);
        for r in routes.as_array().unwrap() {
            assert_eq!(r["family"], "mpls", "{r}");
        }
        eprintln!("this kernel has MPLS routing: checked the routes are all MPLS");
        return;
    }
    // The premise: with no MPLS handler, rtnetlink answers an AF_MPLS dump
    // from its PF_UNSPEC dumper, with every IPv4 and IPv6 route.
    let families: BTreeSet<u8> = reply_families(&ns, AF_MPLS).into_iter().collect();
    let (inet, inet6) = (libc::AF_INET as u8, libc::AF_INET6 as u8);
    assert!(
        families.contains(&inet) && families.contains(&inet6) && !families.contains(&AF_MPLS),
        "the kernel answered an AF_MPLS dump with families {families:?}"
    );
    let want = "nlq: this kernel does not support address family mpls for routes\n";
    for extra in [
        &[][..],
        &["--json"],
        &["--json=ip"],
        &["--table", "all"],
        &["--dev", "v0", "--json"],
    ] {
        let mut args = vec!["routes", "--family", "mpls"];
        args.extend_from_slice(extra);
        let out = no_panic(&args, ns.nlq(&args));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err, want, "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: stdout {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // The families the kernel does handle keep to themselves.
    for (flag, family) in [("-4", "inet"), ("-6", "inet6")] {
        let routes = ns.nlq_json(&["routes", flag, "--table", "all", "--json"]);
        let routes = routes.as_array().unwrap();
        assert!(!routes.is_empty(), "{flag}");
        for r in routes {
            assert_eq!(r["family"], family, "{flag}: {r}");
        }
    }
}

// ---------------------------------------------------------------------
// Without privileges
// ---------------------------------------------------------------------

/// `setpriv` arguments that become uid/gid 65534 with no groups and no
/// capabilities.
const NOBODY: [&str; 4] = [
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "--inh-caps=-all",
];

/// Whether util-linux's `setpriv` is installed.
fn have_setpriv() -> bool {
    Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Run `program ARGS` in `ns` as uid 65534 without capabilities.
fn as_nobody(ns: &NetNs, program: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &ns.name, "setpriv"])
        .args(NOBODY)
        .arg(program)
        .args(args);
    clean_env(&mut cmd).output().expect("run setpriv")
}

/// Run nlq in `ns` as uid 65534; fail on panic text.
fn nlq_as_nobody(ns: &NetNs, args: &[&str]) -> Output {
    no_panic(args, as_nobody(ns, nlq_path(), args))
}

/// Assert a privilege failure: exit 1, nothing on stdout, one line on
/// stderr that names `path` and says why.
fn assert_denied(out: &Output, path: &Path) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("nlq: "), "{err:?}");
    assert!(
        err.contains(path.to_str().unwrap()),
        "names the file: {err:?}"
    );
    assert!(
        err.contains("Permission denied") || err.contains("Operation not permitted"),
        "{err:?}"
    );
}

/// A directory only root may enter, removed on drop.
struct RootOnlyDir(PathBuf);

impl RootOnlyDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nlq-test-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        RootOnlyDir(dir)
    }
}

impl Drop for RootOnlyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn unprivileged_user_reads_everything_and_privileged_steps_fail_clearly() {
    if !have_setpriv() {
        eprintln!("skipped: setpriv (util-linux) is not installed");
        return;
    }
    let ns = routed_ns("nobody");
    // The runs below really are unprivileged.
    let status = as_nobody(&ns, "cat", &["/proc/self/status"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("\nUid:\t65534\t65534\t65534\t65534"),
        "{status}"
    );
    assert!(status.contains("\nCapEff:\t0000000000000000"), "{status}");

    for cmd in ["routes", "links", "addrs"] {
        for fmt in [None, Some("--json"), Some("--json=ip")] {
            let mut args = vec![cmd];
            args.extend(fmt);
            let out = nlq_as_nobody(&ns, &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
            assert!(err.is_empty(), "{args:?}: {err}");
            let root = no_panic(&args, ns.nlq(&args));
            if fmt.is_some() {
                let v: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
                assert!(!v.as_array().unwrap().is_empty(), "{args:?}");
            }
            if cmd == "links" {
                // Counters may move between the two runs; names may not.
                let names = |o: &Output| {
                    let text = String::from_utf8_lossy(&o.stdout).into_owned();
                    ["lo", "v0", "v1"].map(|n| text.contains(n))
                };
                assert_eq!(names(&out), [true; 3], "{args:?}");
                assert_eq!(names(&root), [true; 3], "{args:?}");
            } else {
                assert_eq!(
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&root.stdout),
                    "{args:?}: uid 65534 sees what root sees"
                );
            }
        }
    }

    // Writing a capture where the user may not write.
    let dir = RootOnlyDir::new("priv");
    let denied = dir.0.join("x.pcap");
    let out = nlq_as_nobody(&ns, &["--capture", denied.to_str().unwrap(), "links"]);
    assert_denied(&out, &denied);
    assert!(!denied.exists());

    // Replaying a capture the user may not read.
    let private =
        std::env::temp_dir().join(format!("nlq-test-{}-private.pcap", std::process::id()));
    let made = ns.nlq(&["--capture", private.to_str().unwrap(), "links"]);
    assert!(made.status.success());
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = nlq_as_nobody(&ns, &["--replay", private.to_str().unwrap(), "links"]);
    std::fs::remove_file(&private).unwrap();
    assert_denied(&out, &private);
}

// ---------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------

/// Set for the child process [`many_dumps_in_one_process_leak_nothing`]
/// starts: the namespace to enter.
const CHILD_NS: &str = "NLQ_TEST_RESOURCES_NETNS";
/// The child test's full name, as libtest filters it.
const CHILD_TEST: &str = "hostile::many_dumps_child";

/// Rounds measured after the warm-up; each runs the commands of [`ROUND`]
/// (7 runs, 12 dumps: routes and addrs first dump the link names).
const ROUNDS: usize = 100;
/// One round: a dump of each kind, in each output form, and a capture.
const ROUND: [&[&str]; 7] = [
    &["routes"],
    &["routes", "--json", "--table", "all"],
    &["links"],
    &["links", "--json=ip"],
    &["addrs"],
    &["addrs", "--json"],
    &["--capture", "CAPTURE", "routes", "--json=ip"],
];

/// Open descriptors and resident set size (kB) of this process.
fn usage() -> (usize, u64) {
    let fds = std::fs::read_dir("/proc/self/fd").unwrap().count();
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    (fds, rss)
}

/// The measurement itself, in a process of its own so that other tests'
/// threads (children, pipes, allocations) do not blur it.
#[test]
#[ignore = "run in a process of its own by many_dumps_in_one_process_leak_nothing"]
fn many_dumps_child() {
    let Ok(name) = std::env::var(CHILD_NS) else {
        eprintln!("skipped: {CHILD_NS} is not set");
        return;
    };
    enter(&name);
    let capture = std::env::temp_dir().join(format!("nlq-test-{}-res.pcap", std::process::id()));
    let clis: Vec<Invocation> = ROUND
        .iter()
        .map(|args| {
            let args = args.iter().map(|&a| match a {
                "CAPTURE" => capture.to_str().unwrap(),
                a => a,
            });
            Invocation::parse_from(std::iter::once("nlq").chain(args)).unwrap()
        })
        .collect();
    let mut out = Vec::new();
    let mut round = || {
        for cli in &clis {
            out.clear();
            nlq::run(
                cli,
                nlq::Terminal::default(),
                &mut out,
                &mut std::io::sink(),
            )
            .expect("nlq::run");
            assert!(!out.is_empty());
        }
    };
    for _ in 0..20 {
        round(); // warm-up: buffers, allocator arenas, name tables
    }
    let (fds0, rss0) = usage();
    let start = Instant::now();
    for _ in 0..ROUNDS {
        round();
    }
    let took = start.elapsed();
    let (fds1, rss1) = usage();
    let _ = std::fs::remove_file(&capture);
    let runs = ROUNDS * ROUND.len();
    eprintln!(
        "nlq-resources: {runs} runs in {took:.2?}: fds {fds0} -> {fds1}, VmRSS {rss0} -> {rss1} kB"
    );
    assert_eq!(fds1, fds0, "descriptors leaked");
    assert!(
        rss1 < rss0 + 5 * 1024,
        "RSS grew by {} kB over {runs} runs",
        rss1.saturating_sub(rss0)
    );
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn many_dumps_in_one_process_leak_nothing() {
    let ns = routed_ns("res");
    let mut batch = String::new();
    for i in 0..200u32 {
        batch.push_str(&format!(
            "route add 10.9.{}.0/24 via 192.0.2.{}\n",
            i,
            2 + i % 50
        ));
    }
    ns.ip_batch(&batch);
    // This very test binary, even if a rebuild has replaced its file.
    let out = Command::new("/proc/self/exe")
        .args([CHILD_TEST, "--exact", "--ignored", "--nocapture"])
        .args(["--test-threads", "1"])
        .env(CHILD_NS, &ns.name)
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "the child test did not run:\n{stdout}"
    );
    let line = stderr.lines().find(|l| l.starts_with("nlq-resources:"));
    let _ = writeln!(io::stderr(), "{}", line.unwrap_or("no measurement line"));
}
