//! The committed fuzz corpus and every crash artefact, replayed through the
//! same entry points the cargo-fuzz targets call (nlq::fuzzing), so CI
//! checks them on every run without nightly or cargo-fuzz. A target whose
//! corpus directory is missing or empty fails: it would test nothing.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// Replay every input of `target` (fuzz/corpus/TARGET, which must hold
/// some, then fuzz/artifacts/TARGET, which may not exist) through `run`,
/// and fail naming each input that panicked.
fn replay(target: &str, run: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus = inputs(&fuzz.join("corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target} is missing or empty: run fuzz/seed.sh"
    );
    let artifacts = inputs(&fuzz.join("artifacts").join(target));
    let failed: Vec<String> = corpus
        .iter()
        .chain(&artifacts)
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| run(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target} panicked on {failed:#?}");
}

/// The files in `dir`, sorted; none if it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn messages() {
    replay("messages", nlq::fuzzing::messages);
}

#[test]
fn attributes() {
    replay("attributes", nlq::fuzzing::attributes);
}

#[test]
fn decoders() {
    replay("decoders", nlq::fuzzing::decoders);
}

#[test]
fn ext_ack() {
    replay("ext_ack", nlq::fuzzing::ext_ack);
}

#[test]
fn dump_session() {
    replay("dump_session", nlq::fuzzing::dump_session);
}

#[test]
fn replay_files() {
    replay("replay", nlq::fuzzing::replay);
}

/// fuzz/ is a workspace of its own with its own lockfile: it must list
/// every package the main crate's dependencies bring (issue 17 found it
/// stale, so `cargo fuzz build` rewrote it). `cargo metadata --locked`
/// fails when the lockfile would have to change.
#[test]
fn fuzz_lockfile_is_current() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "fuzz/Cargo.lock is stale (run `cargo metadata --manifest-path fuzz/Cargo.toml`): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
