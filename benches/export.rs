//! Export and import at scale: 100,000 requirements in a temporary database file.
//!
//! Run with `cargo bench --bench export`. Plain `std::time` measurement (no harness): it builds the data set
//! itself through CSV import (which is one of the timings), exports it in every format to files, and prints
//! a table of wall-clock times and the process's peak resident memory (VmHWM) after each step.
//! `BENCH_FORMATS=csv,json` exports only the formats listed; `BENCH_DETAIL=1` adds a dry-run import and the
//! store reads every export pays; `BENCH_KEEP=/path.db` keeps the database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::Instant;

use elicit::domain::*;
use elicit::report::{ExportFormat, ExportOptions, ImportFormat, ImportOptions, export, import};
use elicit::store::{NewProject, NewTimeEntry, OutcomeFields, StakeholderFields, Store};

const REQUIREMENTS: usize = 100_000;
const STAGES: [&str; 7] = ["Discover", "Browse", "Buy", "Receive", "Use", "Get support", "Return"];

/// Peak resident memory of this process in MB, from /proc/self/status (Linux); 0 elsewhere.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) this process has used, from /proc/self/stat (Linux, where USER_HZ is 100);
/// 0 elsewhere. Printed beside wall time because on a shared machine wall time also measures the neighbours.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() {
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
    println!("{:<14} {:>9} {:>9} {:>14} {:>10}", "step", "seconds", "cpu s", "peak RSS (MB)", "file (MB)");
    let show = |row: &(String, f64, f64, f64, u64)| {
        println!("{:<14} {:>9.2} {:>9.2} {:>14.0} {:>10.1}", row.0, row.1, row.2, row.3, row.4 as f64 / 1e6);
    };
    let options =
        ImportOptions { file_label: "input.csv".into(), project_key: Some("BIG".into()), ..ImportOptions::default() };
    if std::env::var_os("BENCH_DETAIL").is_some() {
        let dry = ImportOptions { dry_run: true, ..options.clone() };
        let t = Instant::now();
        import(&mut store, ImportFormat::Csv, &bytes, &dry).unwrap();
        println!("(detail) import csv dry run: {:.2}s", t.elapsed().as_secs_f64());
    }
    let (t, cpu) = (Instant::now(), cpu_secs());
    let summary = import(&mut store, ImportFormat::Csv, &bytes, &options).unwrap();
    rows.push(("import csv".into(), t.elapsed().as_secs_f64(), cpu_secs() - cpu, peak_mb(), bytes.len() as u64));
    show(&rows[0]);
    assert_eq!(summary.imported, REQUIREMENTS);
    drop(bytes);

    let project = store.resolve_project(Some("BIG")).unwrap();
    let options = ExportOptions::default();
    if std::env::var_os("BENCH_DETAIL").is_some() {
        let t = Instant::now();
        let n = store.requirements(&project, &Default::default()).unwrap().len();
        println!("(detail) store.requirements ({n}): {:.2}s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        store.project_record(project.id).unwrap();
        println!("(detail) store.project_record: {:.2}s", t.elapsed().as_secs_f64());
    }
    // BENCH_FORMATS=csv,json times only those exports (all of them when unset), to iterate on one phase.
    let formats = std::env::var("BENCH_FORMATS").ok();
    for format in [
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::Html,
        ExportFormat::Markdown,
        ExportFormat::Reqif,
        ExportFormat::Xlsx,
    ]
    .into_iter()
    .filter(|f| formats.as_ref().is_none_or(|list| list.split(',').any(|w| w.trim() == f.as_str())))
    {
        let path = dir.path().join(format!("out.{}", format.extension()));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let (t, cpu) = (Instant::now(), cpu_secs());
        export(&store, &project, format, &options, &mut file).unwrap();
        drop(file);
        let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - cpu);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        rows.push((format!("export {format}"), secs, cpu, peak_mb(), size));
        show(&rows[rows.len() - 1]);
    }

    if let Some(keep) = std::env::var_os("BENCH_KEEP") {
        drop(store);
        std::fs::copy(&db, keep).unwrap();
    }
    println!("database file: {:.0} MB", std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6);
}
