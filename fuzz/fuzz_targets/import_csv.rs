//! CSV import of any bytes.
#![no_main]

use elicit::report::ImportFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| elicit_fuzz::check_import(ImportFormat::Csv, data, elicit_fuzz::Start::Shop));
