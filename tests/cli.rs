//! nlq's integration tests: one binary, one harness, a module per command.
//! Tests that build namespaces need root: built by another user they are
//! `#[ignore]`d with the reason (build.rs, `cfg(nlq_root)`), so the runner
//! counts them as ignored.

mod harness;

mod addrlabels;
mod addrs;
mod brief;
mod churn;
mod distro;
mod dump;
mod errors;
mod explain;
mod fdb;
mod fixtures;
mod fuzz_corpus;
mod genl;
mod hostile;
mod links;
mod maddrs;
mod mdb;
mod meta;
mod monitor;
mod mroutes;
mod neigh;
mod netconf;
mod netns;
mod nexthops;
mod ntables;
mod numeric;
mod ports;
mod rate;
mod replay;
mod routes;
mod rules;
mod schema;
mod snapshot;
mod stats;
mod tables;
mod vlans;
