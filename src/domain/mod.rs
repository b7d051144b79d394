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
mod overlap;
mod shown;
mod signoff;
mod summary;
mod text;
mod validate;

pub use duration::*;
pub use entities::*;
pub use enums::*;
pub use ids::*;
pub use lint::*;
pub use merge::*;
pub use overlap::*;
pub use shown::*;
pub use signoff::*;
pub use summary::*;
pub use text::{fit, pad, width as text_width};
pub use validate::*;

/// A moment in time, always UTC.
pub type Timestamp = jiff::Timestamp;

/// Formats a timestamp the way the database and the exports store it: RFC 3339, UTC, whole microseconds,
/// so that text order is time order.
pub fn format_timestamp(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses a timestamp written by [`format_timestamp`] or any RFC 3339 text.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, ValidationError> {
    text.parse::<Timestamp>().map_err(|e| ValidationError::new(format!("invalid timestamp {text:?}: {e}")))
}

#[cfg(test)]
mod timestamp_tests {
    use super::*;

    /// The stored shape: six fraction digits always, so text order is time order; it reads back exactly.
    #[test]
    fn timestamps_are_stored_with_microseconds_and_read_back() {
        for (nanos, text) in [
            (0, "1970-01-01T00:00:00.000000Z"),
            (1_795_168_800_250_000_999, "2026-11-20T10:00:00.250000Z"),
            (-1_000_000_000, "1969-12-31T23:59:59.000000Z"),
        ] {
            let t = Timestamp::from_nanosecond(nanos).unwrap();
            assert_eq!(format_timestamp(t), text);
            assert_eq!(parse_timestamp(text).unwrap().as_microsecond(), t.as_microsecond(), "{text}");
        }
        assert!(parse_timestamp("2026-02-30T10:00:00.000000Z").is_err());
        assert_eq!(parse_timestamp("2026-11-20T10:00:00+01:00").unwrap().to_string(), "2026-11-20T09:00:00Z");
        let err = parse_timestamp("garbage").unwrap_err().to_string();
        assert!(err.starts_with("invalid timestamp \"garbage\": "), "{err}");
    }
}
