//! Logged time that overlaps: found, so it can be flagged where entries are shown, and counted once.
//!
//! A person logs one stretch of their own time at a time; two entries over the same minutes (a timer left
//! running while the same hour was logged by hand) would count those minutes twice. So every moment counts
//! once: where entries of one activity overlap, their union counts; where entries of different activities
//! overlap, the moment is shared equally between those activities, so the hours per activity still add up
//! to the hours logged. Ten to eleven and half past ten to half past eleven, both requirements, are 1.5 h.

use super::{Activity, TimeEntry, Timestamp};

/// One entry's stretch of time, in microseconds since 1970: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub activity: Activity,
    pub start: i64,
    pub end: i64,
}

impl Span {
    /// The stretch an entry covers, a running one up to `now`; never negative.
    pub fn of(entry: &TimeEntry, now: Timestamp) -> Span {
        let start = entry.started_at.as_microsecond();
        let end = entry.ended_at.unwrap_or(now).as_microsecond().max(start);
        Span { activity: entry.activity, start, end }
    }
}

fn index(a: Activity) -> usize {
    Activity::ALL.iter().position(|x| *x == a).unwrap_or(0)
}

/// Walks the timeline of `spans` in time order and calls `f(from, to, active)` for each stretch in which the
/// same activities were logged; `active` lists them in [`Activity::ALL`] order and is never empty. Stretches
/// with nothing logged are skipped.
pub fn for_each_stretch(spans: &[Span], mut f: impl FnMut(i64, i64, &[Activity])) {
    let mut events: Vec<(i64, i32, usize)> = Vec::with_capacity(spans.len() * 2);
    for s in spans.iter().filter(|s| s.end > s.start) {
        events.push((s.start, 1, index(s.activity)));
        events.push((s.end, -1, index(s.activity)));
    }
    events.sort_unstable();
    let mut running = [0i32; Activity::ALL.len()];
    let mut active: Vec<Activity> = Vec::with_capacity(Activity::ALL.len());
    let mut i = 0;
    let mut from = i64::MIN;
    while i < events.len() {
        let at = events[i].0;
        if !active.is_empty() && at > from {
            f(from, at, &active);
        }
        while i < events.len() && events[i].0 == at {
            running[events[i].2] += events[i].1;
            i += 1;
        }
        active.clear();
        active.extend(Activity::ALL.iter().zip(running).filter(|(_, n)| *n > 0).map(|(a, _)| *a));
        from = at;
    }
}

/// Microseconds per activity, in [`Activity::ALL`] order, each moment counted once (see the module).
pub fn shared_micros(spans: &[Span]) -> [f64; Activity::ALL.len()] {
    let mut out = [0.0; Activity::ALL.len()];
    for_each_stretch(spans, |from, to, active| {
        let each = (to - from) as f64 / active.len() as f64;
        for a in active {
            out[index(*a)] += each;
        }
    });
    out
}

/// Hours per activity, in [`Activity::ALL`] order, each moment counted once; activities without time are
/// left out.
pub fn shared_hours(spans: &[Span]) -> Vec<(Activity, f64)> {
    Activity::ALL
        .iter()
        .zip(shared_micros(spans))
        .filter(|(_, us)| *us > 0.0)
        .map(|(a, us)| (*a, us / 3_600_000_000.0))
        .collect()
}

/// For each span, whether it overlaps another (touching ends do not overlap), in `O(n log n)`.
pub fn overlapping(spans: &[Span]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..spans.len()).filter(|&i| spans[i].end > spans[i].start).collect();
    order.sort_unstable_by_key(|&i| spans[i].start);
    let mut flagged = vec![false; spans.len()];
    // Spans still running at the current start, by end; and those of them not flagged yet.
    let mut ends: std::collections::BinaryHeap<std::cmp::Reverse<(i64, usize)>> = Default::default();
    let mut unflagged: std::collections::HashSet<usize> = Default::default();
    for i in order {
        while let Some(std::cmp::Reverse((end, j))) = ends.peek().copied() {
            if end > spans[i].start {
                break;
            }
            ends.pop();
            unflagged.remove(&j);
        }
        if ends.is_empty() {
            unflagged.insert(i);
        } else {
            flagged[i] = true;
            for j in unflagged.drain() {
                flagged[j] = true;
            }
        }
        ends.push(std::cmp::Reverse((spans[i].end, i)));
    }
    flagged
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000_000;

    fn span(activity: Activity, from_min: i64, to_min: i64) -> Span {
        Span { activity, start: from_min * H / 60, end: to_min * H / 60 }
    }

    fn hours(spans: &[Span]) -> Vec<(Activity, f64)> {
        shared_hours(spans)
    }

    #[test]
    fn overlapping_entries_of_one_activity_count_as_their_union() {
        let r = Activity::Requirements;
        assert_eq!(hours(&[span(r, 600, 660), span(r, 630, 690)]), [(r, 1.5)]);
        assert_eq!(hours(&[span(r, 600, 720), span(r, 630, 660)]), [(r, 2.0)], "one inside another");
        assert_eq!(hours(&[span(r, 600, 660), span(r, 660, 720)]), [(r, 2.0)], "touching is no overlap");
    }

    #[test]
    fn overlapping_activities_share_the_moment_and_add_up_to_the_time_logged() {
        let (r, d) = (Activity::Requirements, Activity::Design);
        let h = hours(&[span(r, 600, 660), span(d, 630, 690)]);
        assert_eq!(h, [(r, 0.75), (d, 0.75)]);
        assert_eq!(h.iter().map(|(_, h)| h).sum::<f64>(), 1.5);
    }

    #[test]
    fn every_overlapping_entry_is_flagged_and_no_other() {
        let r = Activity::Requirements;
        let spans = [
            span(r, 0, 100),
            span(r, 10, 20),
            span(r, 30, 40),
            span(r, 100, 110),
            span(r, 200, 300),
            span(r, 250, 260),
            span(r, 400, 400),
        ];
        assert_eq!(overlapping(&spans), [true, true, true, false, true, true, false]);
        assert!(overlapping(&[]).is_empty());
    }
}
