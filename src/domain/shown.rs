//! How instants are shown to people: in one display zone, the user's local zone unless `--utc` (or
//! `ELICIT_UTC`) asks for UTC. Instants are stored as UTC, and the machine formats (JSON, CSV, ReqIF,
//! the database) keep writing UTC; only what a person reads, and what a person types as a date or time,
//! is in the display zone.
//!
//! The zone is resolved once at start (`config::Settings`) and set here by the binary before anything is
//! shown, so the command line, the workbench and the report all read one zone through one function,
//! [`shown`]. Until it is set (library use, unit tests) it is UTC, so nothing depends on the machine.

use std::sync::OnceLock;

use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Timestamp;

static DISPLAY_ZONE: OnceLock<TimeZone> = OnceLock::new();
static UTC: TimeZone = TimeZone::UTC;

/// Sets the zone every instant is shown in, once, at start; a later call changes nothing.
pub fn set_display_zone(zone: TimeZone) {
    let _ = DISPLAY_ZONE.set(zone);
}

/// The zone instants are shown in (UTC until [`set_display_zone`] is called).
pub fn display_zone() -> &'static TimeZone {
    DISPLAY_ZONE.get().unwrap_or(&UTC)
}

/// The user's local zone as the system knows it (`TZ`, else `/etc/localtime` or the platform's own
/// setting), or UTC when it cannot be found, so a container without zone data still works.
pub fn system_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// The one display function: `t` in the display zone. Every time a person reads is formatted from this.
pub fn shown(t: Timestamp) -> Zoned {
    t.to_zoned(display_zone().clone())
}

/// The display zone's name for labels: `UTC`, `Asia/Tokyo`, or the zone's abbreviation (`JST`) where the
/// zone has no IANA name (a POSIX `TZ` such as `JST-9`).
pub fn zone_label() -> String {
    zone_label_of(display_zone())
}

fn zone_label_of(zone: &TimeZone) -> String {
    match zone.iana_name() {
        Some("Etc/UTC" | "Etc/Universal" | "Etc/Zulu" | "UCT" | "Universal" | "Zulu") => "UTC".to_owned(),
        Some(name) => name.to_owned(),
        None => Timestamp::now().to_zoned(zone.clone()).strftime("%Z").to_string(),
    }
}

/// `2026-11-20 14:30`, in the display zone: how lists show an instant and how the time form reads one.
pub fn format_minute(t: Timestamp) -> String {
    shown(t).strftime("%Y-%m-%d %H:%M").to_string()
}

/// `14:30`, in the display zone.
pub fn format_clock(t: Timestamp) -> String {
    shown(t).strftime("%H:%M").to_string()
}

/// `1 Dec 2026, 07:40`, in the display zone: how the report and the read-back show an instant.
pub fn format_human(t: Timestamp) -> String {
    shown(t).strftime("%-d %b %Y, %H:%M").to_string()
}

/// The calendar day `t` falls on in the display zone.
pub fn local_date(t: Timestamp) -> Date {
    shown(t).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_display_zone_is_utc_until_set_and_names_itself() {
        // Unit tests never set the zone, so what they format does not depend on the machine.
        let t: Timestamp = "2026-12-01T06:40:50.684046Z".parse().unwrap();
        assert_eq!(format_human(t), "1 Dec 2026, 06:40");
        assert_eq!(format_minute(t), "2026-12-01 06:40");
        assert_eq!(format_clock(t), "06:40");
        assert_eq!(zone_label(), "UTC");
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(9)));
        assert_eq!(t.to_zoned(tokyo).strftime("%-d %b %Y, %H:%M").to_string(), "1 Dec 2026, 15:40");
        assert_eq!(zone_label_of(&TimeZone::posix("JST-9").unwrap()), "JST");
    }
}
