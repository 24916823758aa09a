//! The shared test harness: a network namespace guard, a runner for the
//! built binary with a clean environment, and JSON comparisons as data.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

pub mod schema;

use serde_json::Value;

/// Whether the tests run as root (namespaces need it).
pub fn is_root() -> bool {
    // SAFETY-free: read the effective uid from /proc instead of libc.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// A network namespace that is deleted when dropped (also on panic).
pub struct NetNs {
    /// The namespace's name under /run/netns.
    pub name: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl NetNs {
    /// Create a namespace with a unique name (`nlq-t-<pid>-<n>-<tag>`) and
    /// bring its loopback up.
    pub fn new(tag: &str) -> NetNs {
        // Built by root (cfg nlq_root) but run by another user: say so,
        // rather than fail on `ip netns add`.
        assert!(
            is_root(),
            "this test needs root; it was built by root and runs without it (rebuild)"
        );
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("nlq-t-{}-{n}-{tag}", std::process::id());
        let st = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .expect("run ip");
        assert!(st.success(), "ip netns add {name} failed");
        let ns = NetNs { name };
        ns.ip(&["link", "set", "lo", "up"]);
        ns
    }

    /// Run `ip ARGS` inside the namespace; panics with ip's stderr on failure.
    pub fn ip(&self, args: &[&str]) -> String {
        let out = self.ip_try(args);
        assert!(
            out.status.success(),
            "ip {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run `ip ARGS` inside the namespace and return its output whatever it is.
    pub fn ip_try(&self, args: &[&str]) -> Output {
        Command::new("ip")
            .arg("-n")
            .arg(&self.name)
            .args(args)
            .output()
            .expect("run ip")
    }

    /// Run many `ip` commands at once through `ip -batch -`.
    pub fn ip_batch(&self, lines: &str) {
        use std::io::Write;
        let mut child = Command::new("ip")
            .args(["-n", &self.name, "-batch", "-"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run ip -batch");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(lines.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "ip -batch failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `ip -j ARGS` parsed as JSON.
    pub fn ip_json(&self, args: &[&str]) -> Value {
        let mut full = vec!["-j"];
        full.extend_from_slice(args);
        let text = self.ip(&full);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("ip -j {args:?}: {e}: {text}"))
    }

    /// Run nlq inside the namespace.
    pub fn nlq(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.name, nlq_path()])
            .args(args);
        no_panic(args, clean_env(&mut cmd).output().expect("run nlq"))
    }

    /// Run nlq inside the namespace, expect success, return stdout.
    pub fn nlq_text(&self, args: &[&str]) -> String {
        let out = self.nlq(args);
        assert!(
            out.status.success(),
            "nlq {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("nlq writes UTF-8")
    }

    /// Run nlq inside the namespace, expect success, parse stdout as JSON.
    pub fn nlq_json(&self, args: &[&str]) -> Value {
        let text = self.nlq_text(args);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("nlq {args:?}: invalid JSON: {e}: {text}"))
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

/// Move the calling thread into the namespace called `name` (setns only
/// affects the thread, so run this in a thread or process of its own).
/// Run `run` between two runs of `probe` until the two probes agree
/// (counters, lifetimes and DAD states move while a test looks), and
/// return the agreed probe with `run`'s result. Gives up after 20 tries.
pub fn on_stable<P: PartialEq, R>(
    what: &str,
    mut probe: impl FnMut() -> P,
    mut run: impl FnMut() -> R,
) -> (P, R) {
    for _ in 0..20 {
        let before = probe();
        let got = run();
        if before == probe() {
            return (before, got);
        }
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    panic!("{what} never gave the same answer twice in a row");
}

/// Start nlq with `args` (stdout captured), let it run for `after`, send
/// it `signo`, and return its output and how long it took to end.
pub fn nlq_until_signal(
    args: &[&str],
    after: std::time::Duration,
    signo: i32,
) -> (Output, std::time::Duration) {
    let mut cmd = Command::new(nlq_path());
    cmd.args(args).stdout(std::process::Stdio::piped());
    let child = clean_env(&mut cmd).spawn().expect("run nlq");
    std::thread::sleep(after);
    let sent = std::time::Instant::now();
    // SAFETY: kill(2) on the pid of our own child, not yet waited for.
    unsafe { libc::kill(child.id() as i32, signo) };
    let out = child.wait_with_output().expect("wait for nlq");
    (no_panic(args, out), sent.elapsed())
}

pub fn enter(name: &str) {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(format!("/run/netns/{name}")).expect("open netns");
    // SAFETY: setns(2) on a descriptor we own, for this thread only.
    let rc = unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) };
    assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
}

/// Run `f` in a thread that has entered the namespace called `ns`; a
/// panic in `f` is passed on.
pub fn in_ns<T: Send>(ns: &str, f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        let t = s.spawn(|| {
            enter(ns);
            f()
        });
        t.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// The built binary under test.
pub fn nlq_path() -> &'static str {
    env!("CARGO_BIN_EXE_nlq")
}

/// A command with an empty environment but PATH (and no colour hints).
pub fn clean_env(cmd: &mut Command) -> &mut Command {
    cmd.env_clear().env(
        "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    )
}

/// Run nlq in the current namespace with a clean environment.
pub fn nlq(args: &[&str]) -> Output {
    let mut cmd = Command::new(nlq_path());
    cmd.args(args);
    no_panic(args, clean_env(&mut cmd).output().expect("run nlq"))
}

/// Fail the calling test if nlq's stderr shows a panic or a backtrace:
/// every run through the harness is checked.
pub fn no_panic(args: &[&str], out: Output) -> Output {
    let err = String::from_utf8_lossy(&out.stderr);
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!err.contains(bad), "nlq {args:?} printed {bad:?}: {err}");
    }
    out
}

/// Assert that `nlq` is a superset of `ip` under the `--json=ip` rule
/// (see [`superset_problems`]), listing every way it is not.
pub fn assert_superset(ip: &Value, nlq: &Value, path: &str) {
    let problems = superset_problems(ip, nlq, path);
    assert!(
        problems.is_empty(),
        "nlq is not a superset of ip:\n{}\nip:  {}\nnlq: {}",
        problems.join("\n"),
        brief(ip),
        brief(nlq)
    );
}

/// A short label for element `i` of an array: its index and its name.
fn label(v: &Value, i: usize) -> String {
    ["ifname", "dst", "dev"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str))
        .map_or(format!("[{i}]"), |n| format!("[{i} {n}]"))
}

/// Short JSON text of `v`, for messages.
fn brief(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(100) {
        Some((cut, _)) => format!("{}...", &s[..cut]),
        None => s,
    }
}

/// ", with keys a, b, c" for an object (what a missing object lacks).
fn keys(v: &Value) -> String {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let k: Vec<&str> = m.keys().map(String::as_str).collect();
            format!(", with keys {}", k.join(", "))
        }
        _ => String::new(),
    }
}

/// Every way `ours` fails to be a superset of `ip` under the `--json=ip`
/// rule: the same array lengths; in every object, every key of `ip`
/// present in `ours`, in ip's relative order, with an equal value
/// (recursively a superset). `path` names the place in each message.
pub fn superset_problems(ip: &Value, ours: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    superset(ip, ours, path, &mut out);
    out
}

fn superset(ip: &Value, ours: &Value, path: &str, out: &mut Vec<String>) {
    match (ip, ours) {
        (Value::Array(a), Value::Array(b)) if a.len() != b.len() => {
            let names = |x: &Vec<Value>| {
                x.iter()
                    .enumerate()
                    .map(|(i, v)| label(v, i))
                    .collect::<String>()
            };
            out.push(format!(
                "{path}: ip has {} entries, nlq {}\n    ip:  {}\n    nlq: {}",
                a.len(),
                b.len(),
                names(a),
                names(b)
            ));
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                superset(x, y, &format!("{path}{}", label(x, i)), out);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            let mut last = None;
            for (k, v) in a {
                let Some(pos) = b.keys().position(|x| x == k) else {
                    out.push(format!("{path}.{k}: missing{} (ip: {})", keys(v), brief(v)));
                    continue;
                };
                if last.is_some_and(|l| pos < l) {
                    out.push(format!("{path}.{k}: out of ip's order"));
                }
                last = Some(pos);
                superset(v, &b[k], &format!("{path}.{k}"), out);
            }
        }
        _ if ip != ours => out.push(format!("{path}: ip {}, nlq {}", brief(ip), brief(ours))),
        _ => {}
    }
}

/// Remove keys whose values move between two reads of the same namespace
/// (counters, lifetimes, route expiry, bridge timers) from every object, at
/// any depth.
pub fn strip_volatile(v: &mut Value) {
    const VOLATILE: [&str; 4] = [
        "stats64",
        "expires",
        "valid_life_time",
        "preferred_life_time",
    ];
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !VOLATILE.contains(&k.as_str()) && !k.ends_with("_timer"));
            m.values_mut().for_each(strip_volatile);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_volatile),
        _ => {}
    }
}

/// The documented keys of one section of docs/json.md: table rows whose
/// first cell is a backquoted key (`dst`, `nexthops[].gateway`), each with
/// whether the row marks it optional ("optional" in its type cell).
pub fn documented_keys(section: &str) -> Vec<(String, bool)> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .expect("docs/json.md");
    let heading = format!("## {section}");
    let body = doc
        .split("\n## ")
        .find(|s| format!("## {s}").starts_with(&heading))
        .unwrap_or_else(|| panic!("docs/json.md has no section {heading:?}"));
    body.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let key = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let optional = cells.get(2).is_some_and(|t| t.contains("optional"));
            Some((key.to_string(), optional))
        })
        .collect()
}

/// Check every object of `array` against the documentation of `section`:
/// every key it has is documented; every documented key (nested ones when
/// their parent is a non-empty object or array) is present unless marked
/// optional.
pub fn assert_documented(section: &str, array: &Value) {
    let doc = documented_keys(section);
    let documented: std::collections::HashSet<&str> = doc.iter().map(|(k, _)| k.as_str()).collect();
    let objects = array.as_array().expect("a JSON array");
    let kinds = kind_rows();
    for (i, obj) in objects.iter().enumerate() {
        let mut seen = Vec::new();
        walk_keys(obj, "", &mut seen);
        // Kind data has a table of its own, checked per kind.
        seen.retain(|k| !k.starts_with("kind_data.") && !k.starts_with("slave_data."));
        assert_kind_documented(obj, &format!("{section}[{i}]"), &kinds);
        for k in &seen {
            assert!(
                documented.contains(k.as_str()),
                "{section}[{i}]: key {k:?} is not in docs/json.md"
            );
        }
        for (k, optional) in &doc {
            if *optional || seen.contains(k) {
                continue;
            }
            let parent_present = match k.rsplit_once('.') {
                None => true,
                Some((parent, _)) => parent_has_content(obj, parent),
            };
            assert!(
                !parent_present,
                "{section}[{i}]: documented key {k:?} is missing: {obj}"
            );
        }
    }
}

/// The rows of docs/json.md's "links: kind data" table: (kind, key,
/// type), kinds of port data written `KIND_slave`.
pub fn kind_rows() -> Vec<(String, String, String)> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .expect("docs/json.md");
    let table = doc
        .split("\n### links: kind data\n")
        .nth(1)
        .expect("docs/json.md has a section ### links: kind data");
    table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").map(str::trim).collect();
            let kind = cells.first()?.strip_prefix("| ")?;
            let key = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((kind.to_string(), key.to_string(), cells.get(2)?.to_string()))
        })
        .collect()
}

/// Check `kind_data` and `slave_data` of one link object (if it has them)
/// against the kind data table's `rows` ([`kind_rows`]): every key is
/// documented for that kind, with its documented JSON type.
pub fn assert_kind_documented(obj: &Value, at: &str, rows: &[(String, String, String)]) {
    for (data, kind) in [
        ("kind_data", obj["kind"].as_str().map(str::to_string)),
        (
            "slave_data",
            obj["slave_kind"].as_str().map(|k| format!("{k}_slave")),
        ),
    ] {
        let (Some(fields), Some(kind)) = (obj.get(data).filter(|d| !d.is_null()), kind) else {
            continue;
        };
        let mut keys = Vec::new();
        walk_keys(fields, "", &mut keys);
        for key in keys {
            let row = rows.iter().find(|(k, name, _)| *k == kind && *name == key);
            let Some((_, _, ty)) = row else {
                panic!("{at}: {data}.{key} of kind {kind} is not in docs/json.md: {fields}");
            };
            for v in values_at(fields, &key) {
                assert!(
                    has_type(v, ty),
                    "{at}: {data}.{key} of kind {kind} is not a {ty}: {v}"
                );
            }
        }
    }
}

/// The values at a documented key path: `a.b` in an object, `a[].b` in
/// every element of the array `a`.
fn values_at<'v>(v: &'v Value, path: &str) -> Vec<&'v Value> {
    path.split('.').fold(vec![v], |found, part| {
        let (name, each) = match part.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (part, false),
        };
        found
            .into_iter()
            .flat_map(|v| match (&v[name], each) {
                (Value::Array(a), true) => a.iter().collect(),
                (x, _) => vec![x],
            })
            .collect()
    })
}

/// Whether `v` is of the documented type `ty`.
fn has_type(v: &Value, ty: &str) -> bool {
    let all = |test: fn(&Value) -> bool| v.as_array().is_some_and(|a| a.iter().all(test));
    match ty {
        "number" => v.is_number(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array of strings" => all(Value::is_string),
        "array of objects" => all(Value::is_object),
        "string or null" => v.is_string() || v.is_null(),
        "number or null" => v.is_number() || v.is_null(),
        other => panic!("docs/json.md: kind data type {other:?} is not known"),
    }
}

fn walk_keys(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(path.clone());
                walk_keys(v, &path, out);
            }
        }
        Value::Array(a) => {
            for v in a {
                walk_keys(v, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Whether the nested path `parent` (`nexthops[]`, `stats64.rx`) leads to
/// at least one object in `obj`.
fn parent_has_content(obj: &Value, parent: &str) -> bool {
    let mut cur = vec![obj];
    for part in parent.split('.') {
        let (name, is_array) = match part.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (part, false),
        };
        let mut next = Vec::new();
        for v in cur {
            match v.get(name) {
                Some(Value::Array(a)) if is_array => next.extend(a.iter()),
                Some(o @ Value::Object(_)) if !is_array => next.push(o),
                _ => {}
            }
        }
        cur = next;
    }
    cur.iter().any(|v| v.is_object())
}
