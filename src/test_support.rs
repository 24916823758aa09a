//! What the unit and property tests of several modules share.

use proptest::test_runner::{Config as ProptestConfig, RngSeed};

/// A property test's configuration: `cases` cases from the fixed `seed`,
/// so a run is repeatable, and no failure files written into the tree.
pub fn proptest_config(cases: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One netlink attribute as bytes: `rta_len`, `rta_type`, the payload,
/// padded to 4 bytes (the length counts the header and payload only).
pub fn encode_attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(payload);
    b.resize(b.len().next_multiple_of(4), 0);
    b
}
