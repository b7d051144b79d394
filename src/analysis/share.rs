//! The requirements share: time spent on the `requirements` activity as a fraction of all logged time,
//! judged against the project's target band (25-40% by default).
//!
//! A running timer counts up to "now", so the figure moves while the analyst works. With no time logged at
//! all there is no share (`None`), never a division by zero.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, ToSpan};
use serde::Serialize;

use crate::domain::{Activity, TimeEntry, Timestamp};

/// Where a share falls against the target band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Less requirements work than the band asks for.
    Below,
    /// Within the band (both ends included).
    Inside,
    /// More requirements work than the band allows.
    Above,
}

impl Verdict {
    /// A short phrase for people: "below the target band".
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Below => "below the target band",
            Verdict::Inside => "inside the target band",
            Verdict::Above => "above the target band",
        }
    }
}

/// Hours logged, split into requirements work and everything.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct TimeTotals {
    /// Hours on the `requirements` activity.
    pub requirements_hours: f64,
    /// Hours on every activity, requirements included.
    pub total_hours: f64,
}

impl TimeTotals {
    /// The requirements share, or `None` when no time at all is logged.
    pub fn share(&self) -> Option<f64> {
        (self.total_hours > 0.0).then(|| self.requirements_hours / self.total_hours)
    }
}

/// How long an entry lasted; a running one counts up to `now`. Never negative.
pub fn entry_hours(entry: &TimeEntry, now: Timestamp) -> f64 {
    let end = entry.ended_at.unwrap_or(now);
    let d: SignedDuration = end.duration_since(entry.started_at);
    (d.as_secs_f64() / 3600.0).max(0.0)
}

/// Requirements hours and all hours over `entries`.
pub fn time_totals<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> TimeTotals {
    let mut t = TimeTotals::default();
    for e in entries {
        let h = entry_hours(e, now);
        t.total_hours += h;
        if e.activity == Activity::Requirements {
            t.requirements_hours += h;
        }
    }
    t
}

/// The requirements share of all logged time; `None` when nothing is logged.
pub fn requirements_share<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> Option<f64> {
    time_totals(entries, now).share()
}

/// Judges a share against the band `[min, max]` (fractions, both ends inside).
pub fn verdict(share: f64, min: f64, max: f64) -> Verdict {
    if share < min {
        Verdict::Below
    } else if share > max {
        Verdict::Above
    } else {
        Verdict::Inside
    }
}

/// Hours per activity, in the order of [`Activity::ALL`]; activities with no time are left out.
pub fn hours_by_activity<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> Vec<(Activity, f64)> {
    let mut hours = vec![0.0; Activity::ALL.len()];
    for e in entries {
        if let Some(i) = Activity::ALL.iter().position(|a| *a == e.activity) {
            hours[i] += entry_hours(e, now);
        }
    }
    Activity::ALL.iter().copied().zip(hours).filter(|(_, h)| *h > 0.0).collect()
}

/// One calendar week of logged time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeekShare {
    /// The Monday the week starts on (UTC).
    pub week_start: Date,
    /// The week's hours.
    pub totals: TimeTotals,
}

impl WeekShare {
    /// The week's requirements share; `None` when the week has no time.
    pub fn share(&self) -> Option<f64> {
        self.totals.share()
    }
}

/// The Monday (UTC) of the week `t` falls in.
pub fn week_start(t: Timestamp) -> Date {
    let date = t.to_zoned(TimeZone::UTC).date();
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(back.days()).unwrap_or(date)
}

/// Requirements share per calendar week (Monday to Sunday, UTC), oldest first, every week from the first
/// entry to the last included (a week without time has zero hours and no share). An entry counts in the
/// week it started in: entries are hours long, so splitting them at midnight on Sunday would change nothing
/// a reader could see.
pub fn weekly_shares<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> Vec<WeekShare> {
    let mut weeks: std::collections::BTreeMap<Date, TimeTotals> = std::collections::BTreeMap::new();
    for e in entries {
        let h = entry_hours(e, now);
        let t = weeks.entry(week_start(e.started_at)).or_default();
        t.total_hours += h;
        if e.activity == Activity::Requirements {
            t.requirements_hours += h;
        }
    }
    let (Some(first), Some(last)) = (weeks.keys().next().copied(), weeks.keys().next_back().copied()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut week = first;
    while week <= last {
        out.push(WeekShare { week_start: week, totals: weeks.get(&week).copied().unwrap_or_default() });
        match week.checked_add(7.days()) {
            Ok(next) => week = next,
            Err(_) => break,
        }
    }
    out
}

/// True when `d` is a Monday; week starts always are.
pub fn is_week_start(d: Date) -> bool {
    d.weekday() == Weekday::Monday
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProjectId, TimeEntryId};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn entry(activity: Activity, start: &str, end: Option<&str>) -> TimeEntry {
        TimeEntry {
            id: TimeEntryId::new(),
            project_id: ProjectId::new(),
            activity,
            started_at: ts(start),
            ended_at: end.map(ts),
            interview: None,
            note: String::new(),
        }
    }

    const NOW: &str = "2026-03-11T12:00:00Z";

    #[test]
    fn no_time_means_no_share_not_a_division_by_zero() {
        assert_eq!(requirements_share(&[], ts(NOW)), None);
        let zero = [entry(Activity::Build, "2026-03-10T09:00:00Z", Some("2026-03-10T09:00:00Z"))];
        assert_eq!(requirements_share(&zero, ts(NOW)), None);
    }

    #[test]
    fn share_is_requirements_time_over_all_time() {
        let e = [
            entry(Activity::Requirements, "2026-03-10T09:00:00Z", Some("2026-03-10T10:00:00Z")),
            entry(Activity::Build, "2026-03-10T10:00:00Z", Some("2026-03-10T13:00:00Z")),
        ];
        assert_eq!(requirements_share(&e, ts(NOW)), Some(0.25));
        let t = time_totals(&e, ts(NOW));
        assert_eq!((t.requirements_hours, t.total_hours), (1.0, 4.0));
    }

    #[test]
    fn a_running_timer_counts_up_to_now() {
        let e = [
            entry(Activity::Requirements, "2026-03-11T10:00:00Z", None),
            entry(Activity::Build, "2026-03-11T08:00:00Z", Some("2026-03-11T10:00:00Z")),
        ];
        assert_eq!(requirements_share(&e, ts(NOW)), Some(0.5));
        assert_eq!(entry_hours(&e[0], ts("2026-03-11T09:00:00Z")), 0.0, "a clock behind the start never goes negative");
    }

    #[test]
    fn verdict_includes_both_ends_of_the_band() {
        assert_eq!(verdict(0.2, 0.25, 0.4), Verdict::Below);
        assert_eq!(verdict(0.25, 0.25, 0.4), Verdict::Inside);
        assert_eq!(verdict(0.4, 0.25, 0.4), Verdict::Inside);
        assert_eq!(verdict(0.41, 0.25, 0.4), Verdict::Above);
    }

    #[test]
    fn weeks_start_on_monday_and_gaps_are_kept() {
        let e = [
            entry(Activity::Requirements, "2026-03-04T09:00:00Z", Some("2026-03-04T11:00:00Z")), // Wed, week of 2 Mar
            entry(Activity::Test, "2026-03-08T09:00:00Z", Some("2026-03-08T11:00:00Z")),         // Sun, same week
            entry(Activity::Build, "2026-03-18T09:00:00Z", Some("2026-03-18T10:00:00Z")),        // week of 16 Mar
        ];
        let weeks = weekly_shares(&e, ts(NOW));
        let starts: Vec<String> = weeks.iter().map(|w| w.week_start.to_string()).collect();
        assert_eq!(starts, ["2026-03-02", "2026-03-09", "2026-03-16"]);
        assert!(weeks.iter().all(|w| is_week_start(w.week_start)));
        assert_eq!(weeks[0].share(), Some(0.5));
        assert_eq!(weeks[1].share(), None);
        assert_eq!(weeks[2].share(), Some(0.0));
    }

    #[test]
    fn hours_by_activity_skips_idle_activities() {
        let e = [
            entry(Activity::Design, "2026-03-10T09:00:00Z", Some("2026-03-10T10:30:00Z")),
            entry(Activity::Requirements, "2026-03-10T11:00:00Z", Some("2026-03-10T12:00:00Z")),
        ];
        assert_eq!(hours_by_activity(&e, ts(NOW)), vec![(Activity::Requirements, 1.0), (Activity::Design, 1.5)]);
    }
}
