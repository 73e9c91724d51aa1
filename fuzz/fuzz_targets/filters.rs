#![no_main]
libfuzzer_sys::fuzz_target!(init: hamkor_fuzz::init(), |data: &[u8]| hamkor_fuzz::filters(data));
