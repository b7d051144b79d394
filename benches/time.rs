//! `time report` speed on 50,000 time entries: store query plus analysis, median of many runs.
//!
//! Run with `cargo bench --bench time`. Target (issue 4): at most 50 ms. The database is built in one
//! transaction in a temporary folder, so the figure includes nothing but the report itself.

use std::time::{Duration, Instant};

use elicit::domain::*;
use elicit::store::{NewProject, NewTimeEntry, Store};
use jiff::SignedDuration;

const N: usize = 50_000;
const RUNS: usize = 31;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("time-bench.db");
    let started = Instant::now();
    let mut store = Store::open(&path)?;
    let project = store.create_project(NewProject {
        key: "BEN".parse()?,
        name: "Bench".into(),
        description: String::new(),
        journey: String::new(),
        stages: Vec::new(),
        planned_hours: Some(20_000.0),
        target_min: 0.25,
        target_max: 0.40,
    })?;
    let now = Timestamp::now();
    // Entries of 30 to 120 minutes back to back into the past, with one timer running at the end.
    let mut entries = Vec::with_capacity(N);
    let mut end = now - SignedDuration::from_mins(5);
    for i in 0..N {
        let minutes = 30 + (i as i64 * 37) % 91;
        let start = end - SignedDuration::from_mins(minutes);
        let running = i == 0;
        entries.push(NewTimeEntry {
            activity: Activity::ALL[i % Activity::ALL.len()],
            started_at: if running { end } else { start },
            ended_at: if running { None } else { Some(end) },
            interview: None,
            note: format!("entry {i}"),
        });
        end = start;
    }
    store.add_time_entries(project.id, &entries)?;
    println!("built {N} time entries in {:.1} s", started.elapsed().as_secs_f64());
    drop(store);

    let store = Store::open(&path)?;
    let project = store.project(project.id)?;
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut report = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        report = Some(elicit::cli::time_report(&store, &project)?);
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[RUNS / 2];
    let worst = times[RUNS - 1];
    let share = report.and_then(|r| r.share).unwrap_or(0.0);
    println!("\ntime report over {N} entries (store sums + analysis), {RUNS} runs");
    println!("median {:>8.2} ms   (target <= 50 ms)", median.as_secs_f64() * 1000.0);
    println!("worst  {:>8.2} ms", worst.as_secs_f64() * 1000.0);
    println!("requirements share {:.1}%", share * 100.0);

    // For comparison: loading every entry and summing in Rust, as the Time screen does.
    let t = Instant::now();
    let entries = store.time_entries(project.id)?;
    let _ = elicit::analysis::time_report_of(&entries, Timestamp::now(), 0.25, 0.4, None);
    println!("(load all {N} rows + analysis in Rust: {:.2} ms)", t.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}
