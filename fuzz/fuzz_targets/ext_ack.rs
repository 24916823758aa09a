//! Fuzz target: nlq::fuzzing::ext_ack (see its docs for what it asserts).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nlq::fuzzing::ext_ack(data));
