//! The duration parser on any text: a refusal, or a length from one second to a day that reads back from
//! how it is shown.
#![no_main]

use elicit::domain::{format_duration, format_hm, parse_duration};
use jiff::SignedDuration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(d) = parse_duration(text) else { return };
    assert!(d > SignedDuration::ZERO && d <= SignedDuration::from_hours(24), "{text:?} gave {d:?}");
    let minute = SignedDuration::from_mins((d.as_secs() + 30) / 60);
    if minute > SignedDuration::ZERO {
        for shown in [format_duration(d), format_hm(d)] {
            assert_eq!(parse_duration(&shown).ok(), Some(minute), "{text:?} shown as {shown:?}");
        }
    }
});
