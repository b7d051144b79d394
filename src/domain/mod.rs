//! Plain types of the product: ids, enumerations, entities and their validation.
//!
//! Nothing here does I/O or knows about SQLite or the terminal, so every front end and the store share one
//! meaning of "a valid requirement" and one spelling of every enumeration value.

mod duration;
mod entities;
mod enums;
mod ids;
mod summary;
mod validate;

pub use duration::*;
pub use entities::*;
pub use enums::*;
pub use ids::*;
pub use summary::*;
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
