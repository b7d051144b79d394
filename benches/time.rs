//! `time report` speed on 50,000 time entries: store query plus analysis, median of many runs.
//!
//! Run with `cargo bench --bench time`. Target (issue 4): at most 50 ms. The database is built in one
//! transaction in a temporary folder, so the figure includes nothing but the report itself.

use std::time::{Duration, Instant};

use elicit::domain::*;
use elicit::store::{NewProject, NewTimeEntry, Store};
use elicit::tui::action::Action;
use elicit::tui::app::App;
use elicit::tui::theme::Theme;
use jiff::SignedDuration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

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
    let mut cpu: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut report = None;
    for _ in 0..RUNS {
        let (t, c) = (Instant::now(), cpu_time());
        report = Some(elicit::cli::time_report(&store, &project)?);
        times.push(t.elapsed());
        if let (Some(before), Some(after)) = (c, cpu_time()) {
            cpu.push(after.saturating_sub(before));
        }
    }
    times.sort();
    cpu.sort();
    let median = times[RUNS / 2];
    let worst = times[RUNS - 1];
    let share = report.and_then(|r| r.share).unwrap_or(0.0);
    println!("\ntime report over {N} entries (store sums + analysis), {RUNS} runs");
    println!("median {:>8.2} ms   (target <= 50 ms)", median.as_secs_f64() * 1000.0);
    println!("best   {:>8.2} ms", ms(times[0]));
    println!("worst  {:>8.2} ms", worst.as_secs_f64() * 1000.0);
    if let Some(c) = cpu.get(cpu.len() / 2) {
        // On a busy machine wall time includes waiting for a core; CPU time is what the work itself costs.
        println!("median CPU time {:>8.2} ms (this thread on a core)", ms(*c));
    }
    println!("requirements share {:.1}%", share * 100.0);

    // The Time screen holds the entries in memory and redraws once a second while a timer runs.
    drop(store);
    let t = Instant::now();
    let mut app = App::new(Store::open(&path)?, None, Theme { color: true })?;
    app.update(Action::Screen(7));
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;
    println!("\nworkbench open on the Time screen: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    let mut frames: Vec<Duration> = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        app.update(if i % 2 == 0 { Action::Down } else { Action::PageDown });
        terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;
        frames.push(t.elapsed());
    }
    frames.sort();
    println!("Time screen frame (120x40)  median {:.2} ms, worst {:.2} ms", ms(frames[RUNS / 2]), ms(frames[RUNS - 1]));
    Ok(())
}

/// CPU time this thread has run, from Linux's schedstat; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
