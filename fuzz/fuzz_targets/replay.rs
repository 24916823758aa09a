//! Fuzz target: nlq::fuzzing::replay (see its docs for what it asserts).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nlq::fuzzing::replay(data));
