//! The requirements share: time spent on the `requirements` activity as a fraction of all logged time,
//! judged against the project's target band (25-40% by default).
//!
//! A running timer counts up to "now", so the figure moves while the analyst works. With no time logged at
//! all there is no share (`None`), never a division by zero.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, ToSpan};
use serde::Serialize;

use crate::domain::{Activity, Span, TimeEntry, Timestamp, for_each_stretch, overlapping, shared_hours};

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

/// How much time must be logged before the share means something: in the first minutes of the first
/// interview it is 100%, which says nothing about the project yet.
pub const MEANINGFUL_HOURS: f64 = 1.0;

impl TimeTotals {
    /// The requirements share, or `None` when no time at all is logged.
    pub fn share(&self) -> Option<f64> {
        (self.total_hours > 0.0).then(|| self.requirements_hours / self.total_hours)
    }

    /// The share judged against the band `[min, max]`; `None` until [`MEANINGFUL_HOURS`] are logged.
    pub fn judged(&self, min: f64, max: f64) -> Option<Verdict> {
        self.share().filter(|_| self.total_hours >= MEANINGFUL_HOURS).map(|s| verdict(s, min, max))
    }
}

/// How long an entry lasted; a running one counts up to `now`. Never negative.
pub fn entry_hours(entry: &TimeEntry, now: Timestamp) -> f64 {
    let end = entry.ended_at.unwrap_or(now);
    let d: SignedDuration = end.duration_since(entry.started_at);
    (d.as_secs_f64() / 3600.0).max(0.0)
}

/// Hours per activity over `entries` (in [`Activity::ALL`] order, idle ones left out), each moment counted
/// once: overlapping entries are not counted twice (see [`crate::domain::shared_hours`]).
fn entries_hours<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> Vec<(Activity, f64)> {
    let spans: Vec<Span> = entries.into_iter().map(|e| Span::of(e, now)).collect();
    shared_hours(&spans)
}

/// Requirements hours and all hours over `entries`, each moment counted once.
pub fn time_totals<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> TimeTotals {
    let mut t = TimeTotals::default();
    for (activity, h) in entries_hours(entries, now) {
        t.total_hours += h;
        if activity == Activity::Requirements {
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

/// Hours per activity, in the order of [`Activity::ALL`], each moment counted once; activities with no
/// time are left out.
pub fn hours_by_activity<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> Vec<(Activity, f64)> {
    entries_hours(entries, now)
}

/// Whether each of `entries` overlaps another of them (a running one up to `now`), in the same order: the
/// entries to flag where they are listed, since their shared minutes are counted once.
pub fn overlapping_entries(entries: &[TimeEntry], now: Timestamp) -> Vec<bool> {
    let spans: Vec<Span> = entries.iter().map(|e| Span::of(e, now)).collect();
    overlapping(&spans)
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

/// The instant the week after `t`'s week begins (Monday 00:00 UTC).
fn next_week_start(t: Timestamp) -> Option<Timestamp> {
    let monday = week_start(t).checked_add(7.days()).ok()?;
    monday.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Requirements share per calendar week (Monday to Sunday, UTC), oldest first, every week from the first
/// entry to the last included (a week without time has zero hours and no share).
///
/// An entry that crosses a week boundary (Sunday midnight UTC) is split by time: each week gets the hours
/// that fell in it. A timer left running over a weekend would otherwise land wholly in the week it
/// started and distort both weeks' bars.
pub fn weekly_shares<'a>(entries: impl IntoIterator<Item = &'a TimeEntry>, now: Timestamp) -> Vec<WeekShare> {
    let mut weeks: std::collections::BTreeMap<Date, TimeTotals> = std::collections::BTreeMap::new();
    let spans: Vec<Span> = entries.into_iter().map(|e| Span::of(e, now)).collect();
    // Each moment once: overlapping entries share theirs, as in `time_totals`.
    for_each_stretch(&spans, |start, end, active| {
        let (Ok(start), Ok(end)) = (Timestamp::from_microsecond(start), Timestamp::from_microsecond(end)) else {
            return;
        };
        let mut from = start;
        loop {
            let boundary = next_week_start(from).filter(|b| *b < end);
            let to = boundary.unwrap_or(end);
            let h = to.duration_since(from).as_secs_f64() / 3600.0;
            let t = weeks.entry(week_start(from)).or_default();
            t.total_hours += h;
            if active.contains(&Activity::Requirements) {
                t.requirements_hours += h / active.len() as f64;
            }
            match boundary {
                Some(b) => from = b,
                None => break,
            }
        }
    });
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

/// Which way the weekly share is heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trend {
    Rising,
    Falling,
    Steady,
}

impl Trend {
    /// The word for people.
    pub fn word(self) -> &'static str {
        match self {
            Trend::Rising => "rising",
            Trend::Falling => "falling",
            Trend::Steady => "steady",
        }
    }

    /// An arrow for narrow spaces.
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Rising => "↗",
            Trend::Falling => "↘",
            Trend::Steady => "→",
        }
    }
}

/// The trend of the weekly share over recent weeks, with the first and last share it is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShareTrend {
    pub trend: Trend,
    /// The share of the oldest week considered.
    pub from: f64,
    /// The share of the newest week considered.
    pub to: f64,
    /// How many weeks with time were considered.
    pub weeks: usize,
}

/// A slope smaller than this (share points per week) counts as steady: two points a week is noise.
pub const STEADY_SLOPE: f64 = 0.02;

/// The trend over the last `last` weeks that have time: the least-squares slope of their shares against
/// the week number, so one odd week does not flip it. `None` with fewer than two such weeks.
pub fn share_trend(weeks: &[WeekShare], last: usize) -> Option<ShareTrend> {
    let points: Vec<(f64, f64)> = weeks
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.share().map(|s| (i as f64, s)))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(last)
        .rev()
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let sxx: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let trend = if slope > STEADY_SLOPE {
        Trend::Rising
    } else if slope < -STEADY_SLOPE {
        Trend::Falling
    } else {
        Trend::Steady
    };
    Some(ShareTrend { trend, from: points[0].1, to: points[points.len() - 1].1, weeks: points.len() })
}

/// Hours logged on one activity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ActivityHours {
    pub activity: Activity,
    pub hours: f64,
}

/// The time report: totals per activity, the requirements share against the band and against the plan.
/// The CLI, the Time screen and the report all build it the same way, from per-activity hours.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeReport {
    /// Every activity, in the order of [`Activity::ALL`], with zero hours where none were logged.
    pub activities: Vec<ActivityHours>,
    pub total_hours: f64,
    pub requirements_hours: f64,
    /// Requirements hours over all hours; `None` when no time is logged at all.
    pub share: Option<f64>,
    pub band_min: f64,
    pub band_max: f64,
    /// Where the share falls against the band; `None` without a share.
    pub verdict: Option<Verdict>,
    pub planned_hours: Option<f64>,
    /// Requirements hours over planned hours (the share measured against the plan).
    pub planned_share: Option<f64>,
    /// All logged hours over planned hours (how much of the plan is used).
    pub planned_used: Option<f64>,
}

/// Builds the report from hours per activity (as [`hours_by_activity`] or the store's SQL sums give them).
pub fn time_report(hours: &[(Activity, f64)], band_min: f64, band_max: f64, planned: Option<f64>) -> TimeReport {
    let activities: Vec<ActivityHours> = Activity::ALL
        .iter()
        .map(|a| ActivityHours {
            activity: *a,
            // `+ 0.0` turns an empty sum's -0.0 into 0.0, which prints without a sign.
            hours: hours.iter().filter(|(x, _)| x == a).map(|(_, h)| h.max(0.0)).sum::<f64>() + 0.0,
        })
        .collect();
    let totals = TimeTotals {
        requirements_hours: activities.iter().filter(|a| a.activity == Activity::Requirements).map(|a| a.hours).sum(),
        total_hours: activities.iter().map(|a| a.hours).sum(),
    };
    let share = totals.share();
    let planned_hours = planned.filter(|p| *p > 0.0);
    TimeReport {
        share,
        verdict: totals.judged(band_min, band_max),
        band_min,
        band_max,
        planned_hours,
        planned_share: planned_hours.map(|p| totals.requirements_hours / p),
        planned_used: planned_hours.map(|p| totals.total_hours / p),
        total_hours: totals.total_hours,
        requirements_hours: totals.requirements_hours,
        activities,
    }
}

/// The report over loaded entries, a running timer counted up to `now`.
pub fn time_report_of<'a>(
    entries: impl IntoIterator<Item = &'a TimeEntry>,
    now: Timestamp,
    band_min: f64,
    band_max: f64,
    planned: Option<f64>,
) -> TimeReport {
    time_report(&hours_by_activity(entries, now), band_min, band_max, planned)
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

    #[test]
    fn only_requirements_time_is_a_share_of_one() {
        let e = [entry(Activity::Requirements, "2026-03-10T09:00:00Z", Some("2026-03-10T10:00:00Z"))];
        assert_eq!(requirements_share(&e, ts(NOW)), Some(1.0));
        let r = time_report_of(&e, ts(NOW), 0.25, 0.4, None);
        assert_eq!((r.share, r.verdict), (Some(1.0), Some(Verdict::Above)));
    }

    #[test]
    fn an_entry_across_midnight_counts_whole_in_its_week() {
        // Tuesday 22:00 to Wednesday 02:00: four hours, same week.
        let e = [
            entry(Activity::Requirements, "2026-03-10T22:00:00Z", Some("2026-03-11T02:00:00Z")),
            entry(Activity::Build, "2026-03-11T09:00:00Z", Some("2026-03-11T13:00:00Z")),
        ];
        let weeks = weekly_shares(&e, ts(NOW));
        assert_eq!(weeks.len(), 1);
        assert_eq!(weeks[0].totals, TimeTotals { requirements_hours: 4.0, total_hours: 8.0 });
        assert_eq!(time_totals(&e, ts(NOW)).total_hours, 8.0);
    }

    #[test]
    fn an_entry_across_a_week_boundary_is_split_by_time() {
        // Sunday 8 March 21:00 to Monday 9 March 03:00: three hours in each week.
        let e = [entry(Activity::Requirements, "2026-03-08T21:00:00Z", Some("2026-03-09T03:00:00Z"))];
        let weeks = weekly_shares(&e, ts(NOW));
        let got: Vec<(String, f64)> = weeks.iter().map(|w| (w.week_start.to_string(), w.totals.total_hours)).collect();
        assert_eq!(got, [("2026-03-02".to_owned(), 3.0), ("2026-03-09".to_owned(), 3.0)]);
        // A timer running since Friday 6 March 12:00 spans two weeks up to now (Wednesday 11 March 12:00).
        let running = [entry(Activity::Design, "2026-03-06T12:00:00Z", None)];
        let weeks = weekly_shares(&running, ts(NOW));
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[0].totals.total_hours, 60.0, "Friday noon to Monday midnight");
        assert_eq!(weeks[1].totals.total_hours, 60.0, "Monday midnight to Wednesday noon");
        let total: f64 = weeks.iter().map(|w| w.totals.total_hours).sum();
        assert_eq!(total, time_totals(&running, ts(NOW)).total_hours, "splitting loses nothing");
    }

    #[test]
    fn trend_follows_the_slope_of_recent_weeks() {
        let week = |i: i64, share: Option<f64>| WeekShare {
            week_start: "2026-01-05".parse::<Date>().unwrap().checked_add((7 * i).days()).unwrap(),
            totals: share
                .map_or_else(TimeTotals::default, |s| TimeTotals { requirements_hours: s * 10.0, total_hours: 10.0 }),
        };
        let falling = [week(0, Some(0.5)), week(1, Some(0.4)), week(2, Some(0.3)), week(3, Some(0.2))];
        let t = share_trend(&falling, 4).unwrap();
        assert_eq!((t.trend, t.weeks), (Trend::Falling, 4));
        assert!((t.from - 0.5).abs() < 1e-9 && (t.to - 0.2).abs() < 1e-9);
        let rising = [week(0, Some(0.1)), week(1, None), week(2, Some(0.3))];
        assert_eq!(share_trend(&rising, 4).unwrap().trend, Trend::Rising, "weeks without time are skipped");
        let steady = [week(0, Some(0.30)), week(1, Some(0.32)), week(2, Some(0.29)), week(3, Some(0.31))];
        assert_eq!(share_trend(&steady, 4).unwrap().trend, Trend::Steady);
        assert_eq!(share_trend(&falling, 2).unwrap().from, 0.3, "only the last weeks count");
        assert_eq!(share_trend(&[week(0, Some(0.3))], 4), None, "one week is no trend");
        assert_eq!(share_trend(&[], 4), None);
    }

    #[test]
    fn report_lists_every_activity_and_measures_against_band_and_plan() {
        let r = time_report(&[(Activity::Requirements, 3.0), (Activity::Build, 9.0)], 0.25, 0.4, Some(100.0));
        assert_eq!(r.activities.len(), Activity::ALL.len());
        assert_eq!(r.activities[0], ActivityHours { activity: Activity::Requirements, hours: 3.0 });
        assert_eq!((r.total_hours, r.requirements_hours, r.share), (12.0, 3.0, Some(0.25)));
        assert_eq!(r.verdict, Some(Verdict::Inside));
        assert_eq!((r.planned_share, r.planned_used), (Some(0.03), Some(0.12)));
        let empty = time_report(&[], 0.25, 0.4, None);
        assert_eq!((empty.share, empty.verdict, empty.planned_share), (None, None, None));
        assert!(empty.activities.iter().all(|a| a.hours == 0.0 && a.hours.is_sign_positive()));
    }

    /// Issue 14: two entries over the same half hour count it once, in the totals, by activity and by week.
    #[test]
    fn overlapping_entries_are_never_counted_twice() {
        let r = Activity::Requirements;
        let entries = [
            entry(r, "2026-11-16T10:00:00Z", Some("2026-11-16T11:00:00Z")),
            entry(r, "2026-11-16T10:30:00Z", Some("2026-11-16T11:30:00Z")),
            entry(Activity::Build, "2026-11-16T11:00:00Z", Some("2026-11-16T12:00:00Z")),
        ];
        let now = ts("2026-11-20T00:00:00Z");
        let t = time_totals(&entries, now);
        assert!((t.total_hours - 2.0).abs() < 1e-9, "{t:?}");
        assert!((t.requirements_hours - 1.25).abs() < 1e-9, "the shared half hour is split: {t:?}");
        let by = hours_by_activity(&entries, now);
        assert!((by.iter().map(|(_, h)| h).sum::<f64>() - 2.0).abs() < 1e-9, "{by:?}");
        let weeks = weekly_shares(&entries, now);
        assert_eq!(weeks.len(), 1);
        assert!(
            (weeks[0].totals.total_hours - 2.0).abs() < 1e-9
                && (weeks[0].totals.requirements_hours - 1.25).abs() < 1e-9
        );
        assert_eq!(overlapping_entries(&entries, now), [true, true, true]);
        assert_eq!(overlapping_entries(&entries[..1], now), [false]);
    }

    #[test]
    fn the_share_is_judged_only_once_an_hour_is_logged() {
        let early = TimeTotals { requirements_hours: 0.2, total_hours: 0.2 };
        assert_eq!(early.share(), Some(1.0));
        assert_eq!(early.judged(0.25, 0.4), None, "100% of twelve minutes says nothing yet");
        let later = TimeTotals { requirements_hours: 1.0, total_hours: 1.0 };
        assert_eq!(later.judged(0.25, 0.4), Some(Verdict::Above));
        assert_eq!(TimeTotals::default().judged(0.25, 0.4), None);
    }
}
