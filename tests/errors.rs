//! Every CLI failure mode, capture and replay: exit codes, one clear line on
//! stderr, stdout either complete or empty, no panic text anywhere.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use crate::harness::{NetNs, clean_env, nlq, nlq_path};

/// Assert an exit code, an empty stdout and one plain line on stderr.
fn assert_fails(out: &Output, code: i32, stderr_has: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(
        out.stdout.is_empty(),
        "stdout must be empty: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        err.contains(stderr_has),
        "stderr {err:?} lacks {stderr_has:?}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

fn temp_file(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("nlq-test-{}-{tag}", std::process::id()))
}

/// Whether `strace` can trace nlq here (CI installs it).
fn have_strace() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn usage_errors_exit_2_with_one_line_before_any_socket() {
    let long = "sixteen_bytes_xx";
    let cases: [&[&str]; 9] = [
        &["routes", "--no-such-flag"],
        &["routes", "--family", "ipx"],
        &["routes", "--json=yaml"],
        &["routes", "-4", "-6"],
        &["routes", "--table", "nosuchtable"],
        &["routes", "--proto", "nosuchproto"],
        &["routes", "--dev", long],
        &["addrs", "--dev", "a/b"],
        &["links", long],
    ];
    for args in cases {
        let out = nlq(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err:?}");
        assert!(err.starts_with("nlq: "), "{args:?}: {err:?}");
        if have_strace() {
            let traced = Command::new("strace")
                .args(["-f", "-e", "trace=socket", nlq_path()])
                .args(args)
                .output()
                .unwrap();
            let trace = String::from_utf8_lossy(&traced.stderr);
            assert!(
                !trace.contains("AF_NETLINK"),
                "{args:?} opened a socket: {trace}"
            );
        } else {
            eprintln!("strace missing: not checking that {args:?} opens no socket");
        }
    }
    // No subcommand: the help, on stderr, and exit 2.
    let out = nlq(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn help_documents_the_exit_codes() {
    let out = nlq(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for code in [
        "0  success",
        "1  runtime error",
        "2  usage error",
        "3  inconsistent dump",
    ] {
        assert!(help.contains(code), "--help lacks {code:?}");
    }
}

fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn write_error_is_one_line_and_exit_1() {
    let pcap = fixture("routes.pcap");
    for fmt in [None, Some("--json"), Some("--json=ip")] {
        let mut cmd = Command::new(nlq_path());
        cmd.args(["--replay", &pcap, "routes"]).args(fmt);
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = clean_env(&mut cmd).stdout(full).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{fmt:?}: {err}");
        assert_eq!(
            err, "nlq: write error: No space left on device\n",
            "{fmt:?}"
        );
    }
}

#[test]
fn missing_interface_is_exit_1_with_empty_stdout() {
    let links = fixture("links.pcap");
    for fmt in [None, Some("--json"), Some("--json=ip")] {
        let mut args = vec!["--replay", &links, "links", "nosuchdev"];
        args.extend(fmt);
        let out = nlq(&args);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "nlq: no such device: nosuchdev\n"
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            out.stdout.is_empty(),
            "{fmt:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn replay_of_a_missing_file_is_one_line() {
    let out = nlq(&["--replay", "/nonexistent/x.pcap", "routes"]);
    let err = assert_fails(
        &out,
        1,
        "nlq: /nonexistent/x.pcap: No such file or directory",
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn replay_of_a_non_pcap_is_one_line() {
    let path = temp_file("junk.pcap");
    std::fs::write(&path, b"this is not a capture at all, not even close").unwrap();
    let out = nlq(&["--replay", path.to_str().unwrap(), "links"]);
    std::fs::remove_file(&path).unwrap();
    let err = assert_fails(&out, 1, "not a pcap file");
    assert_eq!(err.lines().count(), 1);
}

/// Capture `args` live in `ns`, then replay the file outside any namespace
/// and check both printed the same bytes.
fn capture_and_replay(ns: &NetNs, args: &[&str]) -> PathBuf {
    let path = temp_file(&format!("{}.pcap", args.join("_").replace(['=', '-'], "")));
    let p = path.to_str().unwrap();
    let mut live_args = vec!["--capture", p];
    live_args.extend_from_slice(args);
    let live = ns.nlq(&live_args);
    assert!(
        live.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&live.stderr)
    );
    let mut replay_args = vec!["--replay", p];
    replay_args.extend_from_slice(args);
    let replay = nlq(&replay_args);
    assert!(
        replay.status.success(),
        "replay {args:?}: {}",
        String::from_utf8_lossy(&replay.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&live.stdout),
        String::from_utf8_lossy(&replay.stdout),
        "replaying {args:?} must print what the live command printed"
    );
    path
}

fn small_topology(tag: &str) -> NetNs {
    let ns = NetNs::new(tag);
    ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
    ns.ip(&["link", "set", "v0", "up"]);
    ns.ip(&["link", "set", "v1", "up"]);
    ns.ip(&["addr", "add", "192.0.2.1/24", "dev", "v0"]);
    ns.ip(&["addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"]);
    ns.ip(&["route", "add", "198.51.100.0/24", "via", "192.0.2.254"]);
    ns.ip(&[
        "route",
        "add",
        "blackhole",
        "203.0.113.0/24",
        "table",
        "100",
    ]);
    ns
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn capture_then_replay_renders_identically() {
    let ns = small_topology("cap");
    for cmd in [
        &["routes"][..],
        &["routes", "--table", "all"],
        &["links"],
        &["addrs"],
    ] {
        for fmt in [None, Some("--json"), Some("--json=ip")] {
            let mut args = cmd.to_vec();
            args.extend(fmt);
            let path = capture_and_replay(&ns, &args);
            std::fs::remove_file(path).unwrap();
        }
    }
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn replay_of_a_truncated_capture_fails_cleanly() {
    let ns = small_topology("trunc");
    let path = capture_and_replay(&ns, &["links", "--json"]);
    let len = std::fs::metadata(&path).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(len - 7).unwrap();
    let out = nlq(&["--replay", path.to_str().unwrap(), "links", "--json"]);
    std::fs::remove_file(&path).unwrap();
    let err = assert_fails(&out, 1, "truncated");
    assert!(
        err.contains(path.to_str().unwrap()),
        "the error names the file: {err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn replay_of_another_commands_capture_fails_cleanly() {
    let ns = small_topology("other");
    let path = capture_and_replay(&ns, &["links"]);
    let out = nlq(&["--replay", path.to_str().unwrap(), "routes"]);
    assert_fails(&out, 1, "another command");
    // `links NAME` sends the same dump request and picks the link itself.
    let out = nlq(&["--replay", path.to_str().unwrap(), "links", "v0", "--json"]);
    std::fs::remove_file(&path).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["name"], "v0", "{v}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn tshark_decodes_captures_as_rtnetlink() {
    if Command::new("tshark").arg("--version").output().is_err() {
        eprintln!("skipped: tshark is not installed (.ci/run installs it)");
        return;
    }
    let ns = small_topology("tshark");
    let path = capture_and_replay(&ns, &["routes", "--json"]);
    let out = Command::new("tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-T",
            "fields",
            "-e",
            "frame.protocols",
        ])
        .args(["-e", "netlink-route.nltype", "-e", "netlink.hdr_type"])
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.len() >= 4, "two requests and their replies: {text}");
    for r in &rows {
        assert!(
            r[0].starts_with("sll:netlink"),
            "not decoded as netlink: {r:?}"
        );
        // Data messages are rtnetlink; NLMSG_DONE (type 3) is netlink's own.
        assert!(r[0].contains("netlink-route") || r[2] == "0x0003", "{r:?}");
    }
    // The link dump for names comes first, then the route dump.
    assert!(rows[0][1].starts_with("18"), "RTM_GETLINK first: {text}");
    assert!(
        rows.iter().any(|r| r[1].starts_with("26")),
        "an RTM_GETROUTE request: {text}"
    );
    assert_eq!(
        rows.iter().filter(|r| r[2] == "0x0003").count(),
        2,
        "two DONEs: {text}"
    );
}

/// Start `nlq ARGS` in `ns` with stdout piped, read `bytes` bytes (or one
/// line when `None`), close the pipe, and return the exit status and stderr.
fn head(ns: &NetNs, args: &[&str], bytes: Option<usize>) -> (Option<i32>, String) {
    use std::io::Read;
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &ns.name, nlq_path()]).args(args);
    let mut child = clean_env(&mut cmd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let got = match bytes {
        Some(n) => {
            let mut buf = vec![0; n];
            reader.read_exact(&mut buf).unwrap();
            n
        }
        None => reader.read_line(&mut String::new()).unwrap(),
    };
    drop(reader); // the pipe closes before nlq is done
    let out = child.wait_with_output().unwrap();
    assert!(got > 0);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: builds network namespaces")]
fn head_exits_quietly_on_100k_routes() {
    let ns = small_topology("head");
    let mut batch = String::with_capacity(4 << 20);
    for i in 0..100_000u32 {
        let (a, b, c) = (10 + (i >> 16), (i >> 8) & 255, i & 255);
        let gw = 2 + i % 200;
        batch.push_str(&format!("route add {a}.{b}.{c}.0/24 via 192.0.2.{gw}\n"));
    }
    ns.ip_batch(&batch);
    for (args, bytes) in [
        (&["routes"][..], None),
        (&["routes", "--json"], Some(10)),
        (&["routes", "--json=ip"], None),
    ] {
        let (code, err) = head(&ns, args, bytes);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: nothing on stderr, got {err:?}");
    }
}
