#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| buzzboard::fuzzing::jeopardylabs_export(data));
