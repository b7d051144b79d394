//! Export and import at scale: 100,000 requirements in a temporary database file.
//!
//! Run with `cargo bench --bench export`. Plain `std::time` measurement (no harness): it builds the data set
//! itself through CSV import (which is one of the timings), exports it in every format to files, and prints
//! a table of wall-clock and CPU times and each step's peak resident memory (VmHWM, reset before the step).
//! Each export runs `BENCH_RUNS` times (default 3) on a freshly opened store and the median run is shown,
//! with the fastest and slowest beside it. `BENCH_FORMATS=csv,json` exports only the formats listed;
//! `BENCH_DETAIL=1` adds a dry-run import, "(load)", the read of the requirements with their links that
//! every export but JSON starts with, and "(record)", the read of every row that JSON starts with; `BENCH_KEEP=/path.db` keeps the database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::Instant;

use elicit::domain::*;
use elicit::report::{ExportFormat, ExportOptions, ImportFormat, ImportOptions, export, import};
use elicit::store::{NewProject, NewTimeEntry, OutcomeFields, StakeholderFields, Store};

mod measure;
use measure::{cpu_secs, peak_mb};

const REQUIREMENTS: usize = 100_000;
const STAGES: [&str; 7] = ["Discover", "Browse", "Buy", "Receive", "Use", "Get support", "Return"];

/// Resets the peak resident memory to the current one (Linux: `clear_refs` 5), so each step reports its own
/// peak rather than the largest of every step before it.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Set in the environment of a child run of this benchmark: "DB\nFORMAT\nOUTPUT". The child exports once
/// and prints its seconds, CPU seconds and peak memory.
const CHILD: &str = "ELICIT_BENCH_EXPORT";

fn export_once(spec: &str) {
    let mut parts = spec.lines();
    let (db, format, out) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let mut store = Store::open(std::path::Path::new(db)).unwrap();
    let project = store.resolve_project(Some("BIG")).unwrap();
    if format == "load" {
        // What every export but JSON starts with: the project's requirements with their links.
        let (t, cpu) = (Instant::now(), cpu_secs());
        let n = store.requirements(&project, &Default::default()).unwrap().len();
        assert_eq!(n, REQUIREMENTS);
        return println!("{} {} {}", t.elapsed().as_secs_f64(), cpu_secs() - cpu, peak_mb());
    }
    if format == "record" {
        // What the JSON backup reads: every row of the project, change log included.
        let (t, cpu) = (Instant::now(), cpu_secs());
        assert_eq!(store.project_record(project.id).unwrap().requirements.len(), REQUIREMENTS);
        return println!("{} {} {}", t.elapsed().as_secs_f64(), cpu_secs() - cpu, peak_mb());
    }
    let format: ExportFormat = format.parse().unwrap();
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    let (t, cpu) = (Instant::now(), cpu_secs());
    export(&store, &project, format, &ExportOptions::default(), &mut file).unwrap();
    drop(file);
    println!("{} {} {}", t.elapsed().as_secs_f64(), cpu_secs() - cpu, peak_mb());
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        return export_once(&spec);
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let mut store = Store::open(&db).unwrap();
    let project = store
        .create_project(NewProject {
            key: "BIG".parse().unwrap(),
            name: "Benchmark programme".into(),
            description: "100,000 generated requirements".into(),
            journey: "retail".into(),
            stages: STAGES.iter().map(|s| (s.to_string(), String::new())).collect(),
            planned_hours: Some(10_000.0),
            target_min: 0.25,
            target_max: 0.4,
        })
        .unwrap();
    let outcomes: Vec<String> = (1..=12).map(|i| format!("Customer outcome number {i} improves")).collect();
    for o in &outcomes {
        store
            .add_outcome(
                project.id,
                OutcomeFields {
                    statement: o.clone(),
                    metric: Metric::Csat,
                    baseline: Some(60.0),
                    target: Some(80.0),
                    unit: "%".into(),
                },
            )
            .unwrap();
    }
    let people: Vec<String> = (1..=30).map(|i| format!("Stakeholder {i}")).collect();
    for (i, p) in people.iter().enumerate() {
        let fields =
            StakeholderFields { name: p.clone(), department: format!("Department {}", i % 6), ..Default::default() };
        store.add_stakeholder(project.id, fields).unwrap();
    }
    let start = store.now() - jiff::SignedDuration::from_hours(24 * 7 * 12);
    for i in 0..400i64 {
        let at = start + jiff::SignedDuration::from_hours(i * 5);
        let activity = Activity::ALL[(i as usize) % Activity::ALL.len()];
        let entry = NewTimeEntry {
            activity,
            started_at: at,
            ended_at: Some(at + jiff::SignedDuration::from_hours(3)),
            interview: None,
            note: String::new(),
        };
        store.add_time_entry(project.id, entry).unwrap();
    }

    // The CSV to import: realistic lengths, every column.
    let mut csv = String::from(
        "id,title,statement,kind,priority,status,stage,outcomes,sources,channel,pain_point,moment_of_truth,tags,acceptance,rationale\n",
    );
    for i in 0..REQUIREMENTS {
        let _ = writeln!(
            csv,
            "EXT-{i},\"Requirement {i}: customers can track the refund of order {i}\",\"The service shall show the customer, at every step, where the refund for order {i} stands and when the money will arrive, in the channel the customer used.\",{},{},{},{},\"{}; {}\",{},{},{},{},\"refunds; tracking\",\"Given a return\nWhen the refund is issued\nThen the customer sees the date\",\"Customers call to ask where their money is.\"",
            ["functional", "quality", "constraint", "data", "business-rule"][i % 5],
            ["must", "should", "could", "wont"][i % 4],
            ["draft", "proposed", "approved", "implemented"][i % 4],
            STAGES[i % STAGES.len()],
            outcomes[i % outcomes.len()],
            outcomes[(i + 5) % outcomes.len()],
            people[i % people.len()],
            ["web", "store", "call-centre", "mobile-app"][i % 4],
            i % 7 == 0,
            i % 11 == 0,
        );
    }
    let csv_path = dir.path().join("input.csv");
    std::fs::write(&csv_path, &csv).unwrap();
    let bytes = std::fs::read(&csv_path).unwrap();
    drop(csv);

    let mut rows: Vec<(String, f64, f64, f64, u64)> = Vec::new();
    println!("{REQUIREMENTS} requirements");
    println!(
        "{:<14} {:>9} {:>9} {:>14} {:>10} {:>12}",
        "step", "seconds", "cpu s", "peak RSS (MB)", "file (MB)", "runs (s)"
    );
    let show = |row: &(String, f64, f64, f64, u64), spread: &str| {
        let (step, secs, cpu, peak, size) = row;
        println!("{step:<14} {secs:>9.2} {cpu:>9.2} {peak:>14.0} {:>10.1} {spread:>12}", *size as f64 / 1e6);
    };
    let options =
        ImportOptions { file_label: "input.csv".into(), project_key: Some("BIG".into()), ..ImportOptions::default() };
    if std::env::var_os("BENCH_DETAIL").is_some() {
        let dry = ImportOptions { dry_run: true, ..options.clone() };
        let t = Instant::now();
        import(&mut store, ImportFormat::Csv, &bytes, &dry).unwrap();
        println!("(detail) import csv dry run: {:.2}s", t.elapsed().as_secs_f64());
    }
    reset_peak();
    let (t, cpu) = (Instant::now(), cpu_secs());
    let summary = import(&mut store, ImportFormat::Csv, &bytes, &options).unwrap();
    rows.push(("import csv".into(), t.elapsed().as_secs_f64(), cpu_secs() - cpu, peak_mb(), bytes.len() as u64));
    show(&rows[0], "1 run");
    assert_eq!(summary.imported, REQUIREMENTS);
    drop(bytes);

    // Export as the next `elicit export` would: in a new process, on a file whose write-ahead log the
    // importing process checkpointed and removed on exit.
    drop(store);
    // BENCH_FORMATS=csv,json times only those exports (all of them when unset), to iterate on one phase;
    // BENCH_DETAIL adds "load", the requirements-with-links read that every export but JSON starts with.
    let formats = std::env::var("BENCH_FORMATS").ok();
    let export_runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(3).max(1);
    let detail = if std::env::var_os("BENCH_DETAIL").is_some() { &["load", "record"][..] } else { &[] };
    for format in
        detail.iter().copied().chain(["csv", "json", "html", "md", "reqif", "xlsx"]).filter(|f| {
            detail.contains(f) || formats.as_ref().is_none_or(|list| list.split(',').any(|w| w.trim() == *f))
        })
    {
        // Each run is a process of its own, as each `elicit export` is, so its peak memory is its own; the
        // shared machine makes single runs noisy, so the median run is reported (and the spread beside it).
        let path = dir.path().join(format!("out.{format}"));
        let mut runs: Vec<(f64, f64, f64)> = Vec::new();
        for _ in 0..export_runs {
            let child = std::process::Command::new(std::env::current_exe().unwrap())
                .env(CHILD, format!("{}\n{format}\n{}", db.display(), path.display()))
                .output()
                .unwrap();
            assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stderr));
            let out = String::from_utf8(child.stdout).unwrap();
            let v: Vec<f64> = out.split_whitespace().map(|n| n.parse().unwrap()).collect();
            runs.push((v[0], v[1], v[2]));
        }
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (secs, cpu, peak) = runs[runs.len() / 2];
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let spread = format!("{:.2}-{:.2}", runs[0].0, runs[runs.len() - 1].0);
        let step = if detail.contains(&format) { format!("({format})") } else { format!("export {format}") };
        rows.push((step, secs, cpu, peak, size));
        show(&rows[rows.len() - 1], &spread);
    }

    if let Some(keep) = std::env::var_os("BENCH_KEEP") {
        std::fs::copy(&db, keep).unwrap();
    }
    println!("database file: {:.0} MB", std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6);
}
