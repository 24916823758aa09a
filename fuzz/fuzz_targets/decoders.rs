//! Fuzz target: nlq::fuzzing::decoders (see its docs for what it asserts).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nlq::fuzzing::decoders(data));
