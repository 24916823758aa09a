//! Fuzz target: nlq::fuzzing::dump_session (see its docs for what it asserts).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nlq::fuzzing::dump_session(data));
