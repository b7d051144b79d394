//! Durations and moments as people type them for time entries: `90m`, `1h30m`, `1h 30m`, `2.5h`, `1:30`;
//! `2026-11-20`, `2026-11-20 14:30`, or full RFC 3339.
//!
//! A bare number such as `45` is refused rather than guessed: half the people who type it mean minutes and
//! the other half hours, and a wrong guess silently skews the requirements share. Civil dates and times
//! are in the display zone ([`super::display_zone`]: local unless `--utc`), as elicit shows them.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::{Timestamp, ValidationError};

/// The longest single time entry accepted from a typed duration; longer is almost surely a typo.
pub const MAX_ENTRY_HOURS: i64 = 24;

const FORMS: &str = "write it like 90m, 1h30m, 1h 30m, 2.5h or 1:30";

/// Parses a typed duration. Units: `h`/`hr`/`hrs`/`hour(s)` and `m`/`min`/`mins`/`minute(s)`; decimals
/// allowed (`2.5h`, `1,5h`); `H:MM` also works. The result is rounded to whole seconds, must be more than
/// zero and at most [`MAX_ENTRY_HOURS`].
pub fn parse_duration(text: &str) -> Result<SignedDuration, ValidationError> {
    let raw = text.trim();
    let bad = |why: &str| ValidationError::new(format!("invalid duration {raw:?}: {why}; {FORMS}"));
    if raw.is_empty() {
        return Err(bad("it is empty"));
    }
    if raw.starts_with('-') {
        return Err(bad("it is negative"));
    }
    let lower = raw.to_ascii_lowercase().replace(',', ".");
    let seconds = if let Some((h, m)) = lower.split_once(':') {
        let hours: u32 = h.trim().parse().map_err(|_| bad("hours before ':' must be a whole number"))?;
        let minutes: u32 = m.trim().parse().map_err(|_| bad("minutes after ':' must be a whole number"))?;
        if m.trim().len() != 2 || minutes >= 60 {
            return Err(bad("minutes after ':' must be two digits, 00 to 59"));
        }
        f64::from(hours) * 3600.0 + f64::from(minutes) * 60.0
    } else {
        let mut total = 0.0;
        let mut rest = lower.as_str();
        let mut units_seen: Vec<&str> = Vec::new();
        while !rest.trim_start().is_empty() {
            rest = rest.trim_start();
            let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
            let number = &rest[..num_len];
            if number.is_empty() {
                return Err(bad("expected a number"));
            }
            let value: f64 = number.parse().map_err(|_| bad(&format!("{number:?} is not a number")))?;
            rest = rest[num_len..].trim_start();
            let unit_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let (name, per) = match unit {
                "h" | "hr" | "hrs" | "hour" | "hours" => ("h", 3600.0),
                "m" | "min" | "mins" | "minute" | "minutes" => ("m", 60.0),
                "" if units_seen.is_empty() && rest.trim().is_empty() => {
                    return Err(bad("a number needs a unit (is 45 minutes or hours?), e.g. 45m or 2h"));
                }
                "" => return Err(bad("every number needs a unit, h or m")),
                other => return Err(bad(&format!("unknown unit {other:?}"))),
            };
            if units_seen.contains(&name) {
                return Err(bad("a unit is given twice"));
            }
            if name == "h" && units_seen.contains(&"m") {
                return Err(bad("hours come before minutes"));
            }
            units_seen.push(name);
            total += value * per;
        }
        total
    };
    let seconds = seconds.round();
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(bad("it must be longer than zero"));
    }
    if seconds > (MAX_ENTRY_HOURS * 3600) as f64 {
        return Err(ValidationError::new(format!(
            "invalid duration {raw:?}: more than {MAX_ENTRY_HOURS}h in one entry; split it into days"
        )));
    }
    Ok(SignedDuration::from_secs(seconds as i64))
}

/// Formats a duration for people: `0:45`, `12:05` (hours and minutes, to the nearest minute, so an entry
/// shown as 15:40-16:00 reads 0:20 even when it began a few seconds after 15:40); negative counts as zero.
pub fn format_hm(d: SignedDuration) -> String {
    let mins = (d.as_secs().max(0) + 30) / 60;
    format!("{}:{:02}", mins / 60, mins % 60)
}

/// Formats a duration the way [`parse_duration`] reads it back: `1h30m`, `45m`, `2h`.
pub fn format_duration(d: SignedDuration) -> String {
    let mins = (d.as_secs().max(0) + 30) / 60;
    match (mins / 60, mins % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// When a bare date is given as the end of a logged entry, it means this hour (display zone) of that day.
pub const END_OF_WORKING_DAY: i8 = 17;

/// What a typed moment said: a whole day, or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// A date without a time.
    Day(Date),
    /// An exact instant.
    At(Timestamp),
}

impl Moment {
    /// The instant, with a bare date placed at `hour`:00 of that day in the display zone.
    pub fn at_hour(self, hour: i8) -> Timestamp {
        self.at_hour_in(hour, super::display_zone())
    }

    /// As [`Moment::at_hour`], in `zone`.
    pub fn at_hour_in(self, hour: i8, zone: &TimeZone) -> Timestamp {
        match self {
            Moment::At(t) => t,
            Moment::Day(d) => {
                d.at(hour, 0, 0, 0).to_zoned(zone.clone()).map(|z| z.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
            }
        }
    }
}

/// Parses `2026-11-20`, `2026-11-20 14:30`, `2026-11-20T14:30:15` (in the display zone) or RFC 3339 with
/// an offset.
pub fn parse_moment(text: &str) -> Result<Moment, ValidationError> {
    parse_moment_in(text, super::display_zone())
}

/// As [`parse_moment`], with civil times in `zone`.
pub fn parse_moment_in(text: &str, zone: &TimeZone) -> Result<Moment, ValidationError> {
    let raw = text.trim();
    let bad = || {
        ValidationError::new(format!(
            "invalid date or time {raw:?}; write it like 2026-11-20, 2026-11-20 14:30 ({}) or 2026-11-20T14:30:00Z",
            super::zone_label()
        ))
    };
    if raw.is_empty() {
        return Err(bad());
    }
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Ok(Moment::At(t));
    }
    // jiff reads the date part of a date-time as a date, so only a text without a time part is a day.
    if !raw.contains([' ', 'T', 't', ':'])
        && let Ok(d) = raw.parse::<Date>()
    {
        return Ok(Moment::Day(d));
    }
    let civil = raw.replacen(' ', "T", 1);
    let dt: DateTime = civil.parse().map_err(|_| bad())?;
    dt.to_zoned(zone.clone()).map(|z| Moment::At(z.timestamp())).map_err(|_| bad())
}

/// Checks the times of an entry as a person gave them: it ends no earlier than it starts, and nothing lies
/// after `now` (time not yet spent cannot count towards the share).
pub fn check_entry_times(start: Timestamp, end: Option<Timestamp>, now: Timestamp) -> Result<(), ValidationError> {
    if end.is_some_and(|e| e < start) {
        return Err(ValidationError::new("a time entry cannot end before it starts"));
    }
    if start > now || end.is_some_and(|e| e > now) {
        return Err(ValidationError::new(format!(
            "a time entry cannot lie in the future (now is {} {})",
            super::format_minute(now),
            super::zone_label()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(text: &str) -> i64 {
        parse_duration(text).unwrap().as_secs() / 60
    }

    #[test]
    fn reads_the_usual_ways_of_writing_a_duration() {
        assert_eq!(mins("90m"), 90);
        assert_eq!(mins("1h30m"), 90);
        assert_eq!(mins("1h 30m"), 90);
        assert_eq!(mins("1H30M"), 90);
        assert_eq!(mins("2.5h"), 150);
        assert_eq!(mins("2,5h"), 150);
        assert_eq!(mins("45m"), 45);
        assert_eq!(mins("45 min"), 45);
        assert_eq!(mins("2 hours 5 minutes"), 125);
        assert_eq!(mins("1:30"), 90);
        assert_eq!(mins("0:05"), 5);
        assert_eq!(mins("24h"), 24 * 60);
        assert_eq!(parse_duration("0.5m").unwrap().as_secs(), 30);
    }

    #[test]
    fn refuses_bare_numbers_zero_negative_absurd_and_garbage_with_one_line() {
        for (text, says) in [
            ("45", "needs a unit"),
            ("", "empty"),
            ("0m", "longer than zero"),
            ("0h0m", "longer than zero"),
            ("-30m", "negative"),
            ("25h", "more than 24h"),
            ("1000000h", "more than 24h"),
            ("abc", "expected a number"),
            ("90x", "unknown unit"),
            ("1h30", "every number needs a unit"),
            ("30m1h", "hours come before minutes"),
            ("1h1h", "twice"),
            ("1.2.3h", "not a number"),
            ("1:5", "two digits"),
            ("1:75", "two digits"),
            ("x:30", "whole number"),
        ] {
            let e = parse_duration(text).unwrap_err().to_string();
            assert!(e.contains(says), "{text:?}: {e}");
            assert!(!e.contains('\n'), "{text:?}: one line");
            if !says.contains("24h") {
                assert!(e.contains("90m"), "{text:?}: the message shows the accepted forms: {e}");
            }
        }
    }

    #[test]
    fn formats_round_trip() {
        for text in ["45m", "1h30m", "2h", "23h59m"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
        assert_eq!(format_hm(SignedDuration::from_secs(45 * 60 + 29)), "0:45");
        assert_eq!(format_hm(SignedDuration::from_secs(19 * 60 + 48)), "0:20");
        assert_eq!(format_hm(SignedDuration::from_secs(12 * 3600 + 5 * 60)), "12:05");
        assert_eq!(format_hm(SignedDuration::from_secs(-5)), "0:00");
    }

    #[test]
    fn reads_dates_and_times_in_the_display_zone() {
        let at = |t: &str| parse_moment(t).unwrap().at_hour(END_OF_WORKING_DAY).to_string();
        assert_eq!(at("2026-11-20"), "2026-11-20T17:00:00Z");
        assert_eq!(at("2026-11-20 14:30"), "2026-11-20T14:30:00Z");
        assert_eq!(at("2026-11-20T14:30:15"), "2026-11-20T14:30:15Z");
        assert_eq!(at("2026-11-20T14:30:00+01:00"), "2026-11-20T13:30:00Z");
        assert_eq!(super::super::format_minute("2026-11-20T14:30:15Z".parse().unwrap()), "2026-11-20 14:30");
        let tokyo = TimeZone::posix("JST-9").unwrap();
        let at_tokyo = |t: &str| parse_moment_in(t, &tokyo).unwrap().at_hour_in(END_OF_WORKING_DAY, &tokyo).to_string();
        assert_eq!(at_tokyo("2026-11-20 14:30"), "2026-11-20T05:30:00Z");
        assert_eq!(at_tokyo("2026-11-20"), "2026-11-20T08:00:00Z");
        assert_eq!(at_tokyo("2026-11-20T14:30:00Z"), "2026-11-20T14:30:00Z", "an explicit zone wins");
        for bad in ["", "yesterday", "2026-13-01", "20/11/2026", "2026-11-20 25:00"] {
            let e = parse_moment(bad).unwrap_err().to_string();
            assert!(e.contains("2026-11-20 14:30"), "{bad:?}: {e}");
        }
    }
}
