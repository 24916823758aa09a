//! nlq's integration tests: one binary, one harness, a module per command.
//! Tests that build namespaces need root and skip with a reason otherwise.

mod harness;

mod addrs;
mod churn;
mod dump;
mod errors;
mod fixtures;
mod fuzz_corpus;
mod hostile;
mod links;
mod monitor;
mod neigh;
mod netns;
mod nexthops;
mod routes;
mod rules;
