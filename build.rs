//! Tells the integration tests whether they are built by root.
//!
//! Tests that build network namespaces need root. Built by anyone else
//! they are compiled `#[ignore]`d with the reason (`cfg(nlq_root)` is
//! unset), so the runner counts them as ignored rather than as passed.
//! Cargo runs this again when the user changes (USER, SUDO_UID, HOME).

use std::os::unix::fs::MetadataExt;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(nlq_root)");
    for var in ["USER", "SUDO_UID", "HOME", "UID", "EUID"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=build.rs");
    // /proc/self belongs to the process's effective user.
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if root {
        println!("cargo::rustc-cfg=nlq_root");
    }
}
