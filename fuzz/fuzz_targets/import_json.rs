//! JSON backup restore of any bytes, into an empty database and into one that already has a project SHOP.
#![no_main]

use elicit::report::ImportFormat;
use elicit_fuzz::{Start, check_import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_import(ImportFormat::Json, data, Start::Empty);
    check_import(ImportFormat::Json, data, Start::Shop);
});
