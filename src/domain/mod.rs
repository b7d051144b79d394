//! Plain types of the product: ids, enumerations, entities and their validation.
//!
//! Nothing here does I/O or knows about SQLite or the terminal, so every front end and the store share one
//! meaning of "a valid requirement" and one spelling of every enumeration value.

mod duration;
mod entities;
mod enums;
mod ids;
mod lint;
mod merge;
mod summary;
mod validate;

pub use duration::*;
pub use entities::*;
pub use enums::*;
pub use ids::*;
pub use lint::*;
pub use merge::*;
pub use summary::*;
pub use validate::*;

/// A moment in time, always UTC.
pub type Timestamp = jiff::Timestamp;

/// Formats a timestamp the way the database and the exports store it: RFC 3339, UTC, whole microseconds,
/// so that text order is time order.
pub fn format_timestamp(ts: Timestamp) -> String {
    // Written by hand, like `stored_micros` reads: exports write two timestamps for each of 100,000 rows, and
    // a general strftime costs several times more. Years outside 0..=9999 (never stored) go through jiff.
    let dt = jiff::tz::Offset::UTC.to_datetime(ts);
    if !(0..=9999).contains(&dt.year()) {
        return ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    }
    let mut out = String::with_capacity(27);
    let mut digits = |n: i32, width: u32, after: char| {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + ((n / 10_i32.pow(place)) % 10) as u8));
        }
        out.push(after);
    };
    digits(i32::from(dt.year()), 4, '-');
    digits(i32::from(dt.month()), 2, '-');
    digits(i32::from(dt.day()), 2, 'T');
    digits(i32::from(dt.hour()), 2, ':');
    digits(i32::from(dt.minute()), 2, ':');
    digits(i32::from(dt.second()), 2, '.');
    digits(dt.subsec_nanosecond() / 1000, 6, 'Z');
    out
}

/// Parses a timestamp written by [`format_timestamp`] or any RFC 3339 text.
///
/// The store's own format is read by hand: exports read two or three timestamps for each of 100,000 rows,
/// and a general RFC 3339 parser costs several times more. Anything else goes through jiff.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, ValidationError> {
    if let Some(t) = stored_micros(text.as_bytes()).and_then(|us| Timestamp::from_microsecond(us).ok()) {
        return Ok(t);
    }
    text.parse::<Timestamp>().map_err(|e| ValidationError::new(format!("invalid timestamp {text:?}: {e}")))
}

/// Microseconds since 1970 of `YYYY-MM-DDTHH:MM:SS.ffffffZ` with a valid date and time; `None` otherwise.
fn stored_micros(b: &[u8]) -> Option<i64> {
    if b.len() != 27 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if b[19] != b'.' || b[26] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        b[from..to].iter().try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hh, mm, ss, us) = (num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 26)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm), then seconds.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1_000_000) + us)
}

#[cfg(test)]
mod timestamp_tests {
    use super::*;

    #[test]
    fn the_stored_format_is_read_exactly_as_jiff_reads_it() {
        for text in [
            "1970-01-01T00:00:00.000000Z",
            "2026-11-20T10:00:00.250000Z",
            "2024-02-29T23:59:59.999999Z",
            "2000-03-01T00:00:00.000001Z",
            "1969-12-31T23:59:59.000000Z",
            "0001-01-01T00:00:00.000000Z",
        ] {
            let jiff: Timestamp = text.parse().unwrap();
            assert_eq!(stored_micros(text.as_bytes()), Some(jiff.as_microsecond()), "{text}");
            assert_eq!(parse_timestamp(text).unwrap(), jiff);
            assert_eq!(format_timestamp(jiff), text, "round trip");
        }
        // Not the stored shape, or not a real moment: left to jiff, which accepts or refuses it.
        for text in ["2026-02-30T10:00:00.000000Z", "2026-11-20T24:00:00.000000Z", "2026-11-20T10:00:60.000000Z"] {
            assert_eq!(stored_micros(text.as_bytes()), None, "{text}");
        }
        assert!(parse_timestamp("2026-02-30T10:00:00.000000Z").is_err());
        assert_eq!(parse_timestamp("2026-11-20T10:00:00+01:00").unwrap().to_string(), "2026-11-20T09:00:00Z");
        // Other RFC 3339 shapes (no fraction, a short fraction with an offset) are read as jiff reads them.
        for other in ["2026-11-20T10:00:00Z", "2026-11-20T10:00:00.123+01:00"] {
            assert_eq!(parse_timestamp(other).unwrap(), other.parse::<Timestamp>().unwrap(), "{other}");
        }
        assert!(parse_timestamp("garbage").is_err());
    }

    #[test]
    fn timestamps_are_written_exactly_as_jiff_writes_them() {
        let jiff = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        // Nanoseconds (the clock's precision) included: both must cut to microseconds the same way.
        let mut ns: i128 = -62_135_596_800_000_000_000; // 0001-01-01
        let end: i128 = 253_402_300_799_999_999_999; // 9999-12-31T23:59:59.999999999
        let step: i128 = 7_919_999_999_937_777; // about 92 days less a little, so every field moves
        while ns <= end {
            let t = Timestamp::from_nanosecond(ns).unwrap();
            assert_eq!(format_timestamp(t), jiff(t), "{ns}");
            ns += step;
        }
        for t in [Timestamp::MIN, Timestamp::MAX, Timestamp::UNIX_EPOCH] {
            assert_eq!(format_timestamp(t), jiff(t));
        }
    }
}
