//! The sanitiser on any text: no control characters (one line: none; several: only line breaks and tabs),
//! no bidi controls, no zero-width spaces. Idempotence is checked in `tests/props.rs`.
#![no_main]

use elicit::domain::{clean_line, clean_text, terminal_safe};
use elicit_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    assert_clean("clean_line", &clean_line(text), &[]);
    assert_clean("clean_text", &clean_text(text), &['\n', '\t']);
    assert_clean("terminal_safe", &terminal_safe(text, false), &['\n', '\t']);
    assert_clean("terminal_safe(single line)", &terminal_safe(text, true), &[]);
});
