#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| buzzboard::fuzzing::board_file(data));
