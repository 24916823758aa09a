//! Captures made on Debian's distro kernel, which has the link modules this
//! machine's kernel lacks (fixtures/distro/, one directory per scenario of
//! tests/vm/scenarios/, recorded by tests/vm/record.sh in a QEMU VM).
//! Replayed without root: `--json=ip` must be a superset of the `ip -j`
//! answers recorded beside each capture, `--json` must be what
//! docs/json.md and docs/schema/ say, and `--json` and the table must
//! replay cleanly. A live test runs the same scenarios in the VM
//! (tests/vm/run.sh) and checks the fresh results the same way.
//!
//! A failure lists every problem, per fixture and link (`base/links
//! (links.oracle.json) [8 wg0].linkinfo.info_data.x: missing`), so it can
//! serve as a checklist. `NLQ_DISTRO=base/links` (or a scenario,
//! `NLQ_DISTRO=base`) checks that alone; `NLQ_SKIP_VM=1` skips the live run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::harness::schema::{schema_file, validate};
use crate::harness::{assert_documented, nlq, nlq_path, strip_volatile, superset_problems};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One capture of a scenario: `dir/NAME.cmd`, `NAME.pcap`, `NAME.oracle*.json`.
struct Fixture {
    /// The scenario's directory.
    dir: PathBuf,
    /// NAME.
    name: String,
    /// "scenario/NAME", as NLQ_DISTRO names it.
    id: String,
}

/// The files of `dir`, sorted by name.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Every capture under `root` that NLQ_DISTRO selects (all without it).
fn fixtures(root: &Path) -> Vec<Fixture> {
    let only = std::env::var("NLQ_DISTRO").unwrap_or_default();
    let mut out = Vec::new();
    for dir in entries(root).into_iter().filter(|p| p.is_dir()) {
        let scenario = file_name(&dir).to_string();
        for cmd in entries(&dir) {
            let Some(name) = file_name(&cmd).strip_suffix(".cmd") else {
                continue;
            };
            let id = format!("{scenario}/{name}");
            if only.is_empty() || id == only || scenario == only {
                let name = name.to_string();
                out.push(Fixture {
                    dir: dir.clone(),
                    name,
                    id,
                });
            }
        }
    }
    out
}

/// The oracles of `f`: `NAME.oracle.json` and `NAME.oracle-TAG.json`.
fn oracles(f: &Fixture) -> Vec<PathBuf> {
    let plain = format!("{}.oracle.json", f.name);
    let tagged = format!("{}.oracle-", f.name);
    entries(&f.dir)
        .into_iter()
        .filter(|p| {
            let n = file_name(p);
            n == plain || (n.starts_with(&tagged) && n.ends_with(".json"))
        })
        .collect()
}

/// Replay `f` with its recorded arguments and `extra`: stdout, or why not.
fn replay(f: &Fixture, extra: &[&str]) -> Result<String, String> {
    let path = |ext: &str| f.dir.join(format!("{}.{ext}", f.name));
    let cmd = std::fs::read_to_string(path("cmd")).map_err(|e| e.to_string())?;
    let pcap = path("pcap");
    let mut args = vec!["--replay", pcap.to_str().unwrap()];
    args.extend(cmd.split_whitespace().skip(1));
    args.extend(extra);
    let out = nlq(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !err.is_empty() {
        return Err(format!("nlq {} failed: {err}", args.join(" ")));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Neighbour ages (`ip -s neigh`): seconds since, moving between reads.
const AGES: [&str; 3] = ["used", "confirmed", "updated"];

/// Keys docs/json.md says the ip dialect leaves out: of a link, and of a
/// link's `linkinfo`.
const LEFT_OUT: [&str; 4] = ["xdp", "event", "proto_down_reason", "vfinfo_list"];

/// Remove from ip's answer what moves between two reads and what nlq
/// leaves out on purpose (docs/json.md, "links: kind data").
fn strip_oracle(v: &mut Value) {
    strip_volatile(v);
    strip_ages(v);
    for obj in v.as_array_mut().into_iter().flatten() {
        let Some(o) = obj.as_object_mut() else {
            continue;
        };
        o.retain(|k, _| !LEFT_OUT.contains(&k.as_str()));
        let Some(Value::Object(info)) = o.get_mut("linkinfo") else {
            continue;
        };
        info.retain(|k, _| k != "info_xstats");
        // tun's owner: ip names it from this machine's passwd database.
        if info.get("info_kind") == Some(&Value::from("tun")) {
            if let Some(Value::Object(d)) = info.get_mut("info_data") {
                d.retain(|k, _| k != "user" && k != "group");
            }
        }
    }
}

fn strip_ages(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !AGES.contains(&k.as_str()));
            m.values_mut().for_each(strip_ages);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_ages),
        _ => {}
    }
}

/// Check one capture against its oracles; problems go to `out`.
fn check_fixture(f: &Fixture, out: &mut Vec<String>) {
    let id = &f.id;
    match replay(f, &["--json=ip"]).map(|s| serde_json::from_str::<Value>(&s)) {
        Err(e) => out.push(format!("{id} --json=ip: {e}")),
        Ok(Err(e)) => out.push(format!("{id} --json=ip: not JSON: {e}")),
        Ok(Ok(mut ours)) => {
            strip_volatile(&mut ours);
            strip_ages(&mut ours);
            normalise_timers(&mut ours);
            for oracle in oracles(f) {
                let text = std::fs::read_to_string(&oracle).unwrap();
                let mut ip: Value = serde_json::from_str(&text).unwrap();
                strip_oracle(&mut ip);
                normalise_timers(&mut ip);
                out.extend(superset_problems(
                    &ip,
                    &ours,
                    &format!("{id} ({}) ", file_name(&oracle)),
                ));
            }
        }
    }
    match replay(f, &["--json"]).map(|s| serde_json::from_str::<Value>(&s)) {
        Err(e) => out.push(format!("{id} --json: {e}")),
        Ok(Err(e)) => out.push(format!("{id} --json: not JSON: {e}")),
        Ok(Ok(ours)) => documented(f, &ours, out),
    }
    if let Err(e) = replay(f, &[]) {
        out.push(format!("{id} table: {e}"));
    }
}

/// The command a fixture was recorded with: `links`, `routes`, ...,
/// `vlans global` (a view with a docs/json.md section of its own).
fn command(f: &Fixture) -> String {
    let cmd = std::fs::read_to_string(f.dir.join(format!("{}.cmd", f.name))).unwrap();
    let words: Vec<&str> = cmd.split_whitespace().skip(1).take(2).collect();
    match words.as_slice() {
        ["vlans", "global"] => "vlans global".to_string(),
        [first, ..] => first.to_string(),
        [] => String::new(),
    }
}

/// `bridge -s`'s timers (`timer`: `" 12.34"`, a source's `"12.34"`)
/// count down between the capture and the oracle's read: in each one of
/// that shape every digit becomes 9 on both sides, so the shape (the
/// alignment, the two decimals) is still compared and the value is not.
fn normalise_timers(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                let shaped = val.as_str().is_some_and(|t| {
                    let (secs, hundredths) = t.trim_start().split_once('.').unwrap_or(("", ""));
                    !secs.is_empty()
                        && secs.bytes().all(|b| b.is_ascii_digit())
                        && hundredths.len() == 2
                        && hundredths.bytes().all(|b| b.is_ascii_digit())
                });
                if k == "timer" && shaped {
                    let t = val.as_str().unwrap_or_default();
                    let t: String = t
                        .chars()
                        .map(|c| if c.is_ascii_digit() { '9' } else { c })
                        .collect();
                    *val = Value::from(t);
                } else {
                    normalise_timers(val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalise_timers),
        _ => {}
    }
}

/// nlq's own JSON of `f` is what docs/json.md documents (every key, kind
/// data per kind with its type) and what docs/schema/ allows.
fn documented(f: &Fixture, ours: &Value, out: &mut Vec<String>) {
    let section = command(f);
    let sections = [
        "links",
        "addrs",
        "routes",
        "neigh",
        "rules",
        "vlans",
        "vlans global",
        "mdb",
        "mroutes",
        "stats",
    ];
    if !sections.contains(&section.as_str()) {
        return;
    }
    let check = std::panic::catch_unwind(|| assert_documented(&section, ours));
    if let Err(e) = check {
        let why = e
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_else(|| "a panic".to_string());
        out.push(format!("{} --json: {why}", f.id));
    }
    if let Err(errors) = validate(&schema_file(&section), ours) {
        out.push(format!(
            "{} --json: against docs/schema/{section}.json: {}",
            f.id,
            errors.join("; ")
        ));
    }
}

/// Check every selected capture under `root`; fail listing every problem.
fn check_all(root: &Path) {
    let list = fixtures(root);
    assert!(
        !list.is_empty(),
        "no fixtures under {} (NLQ_DISTRO={:?})",
        root.display(),
        std::env::var("NLQ_DISTRO").unwrap_or_default()
    );
    let mut problems = Vec::new();
    for f in &list {
        check_fixture(f, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} problems in the captures under {} (kernel {}):\n{}",
        problems.len(),
        root.display(),
        std::fs::read_to_string(root.join("KERNEL"))
            .unwrap_or_default()
            .trim(),
        problems.join("\n")
    );
}

#[test]
fn recorded_captures_replay_as_a_superset_of_ip() {
    check_all(&repo().join("fixtures/distro"));
}

/// The rig cannot run: fail in CI, where it must, else skip saying why.
fn rig_unusable(why: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("the VM rig (tests/vm/run.sh) cannot run in CI: {why}");
    }
    eprintln!("skipped: the VM rig (tests/vm/run.sh) cannot run here: {why}");
}

#[test]
#[cfg_attr(not(nlq_root), ignore = "needs root: boots the distro kernel in QEMU")]
fn live_scenarios_on_the_distro_kernel() {
    if std::env::var_os("NLQ_SKIP_VM").is_some() {
        eprintln!("skipped: NLQ_SKIP_VM is set");
        return;
    }
    let out = std::env::temp_dir().join(format!("nlq-distro-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let run = Command::new(repo().join("tests/vm/run.sh"))
        .arg("-q")
        .arg("-o")
        .arg(&out)
        .arg(repo().join("tests/vm/all.sh"))
        .env("NLQ", nlq_path())
        .output();
    eprintln!("the VM run took {:.0?}", started.elapsed());
    let run = match run {
        Ok(r) => r,
        Err(e) => return rig_unusable(&format!("cannot start it: {e}")),
    };
    let err = String::from_utf8_lossy(&run.stderr);
    match run.status.code() {
        Some(0) => {}
        Some(125) => return rig_unusable(&err),
        code => {
            let console = std::fs::read_to_string(out.join("console.log")).unwrap_or_default();
            panic!("a scenario failed in the VM (status {code:?}):\n{err}\n{console}");
        }
    }
    check_all(&out);
    let _ = std::fs::remove_dir_all(&out);
}
