//! CSV import at scale: 100,000 and 1,000,000 rows of one column (`title`), the file issue 12 measured
//! (1,000,000 rows, 7.9 MB: 32 s and 794 MB before the import streamed).
//!
//! Run with `cargo bench --bench csv_import`. Plain `std::time` measurement (no harness). Each import runs
//! in a process of its own (this binary again, as each `elicit import` is one process) on a fresh database,
//! reads the file from disk as `elicit import FILE` does (`import_from` on the open file) and writes every
//! row; the table shows wall-clock and CPU seconds and the process's peak resident memory (VmHWM, Linux)
//! beside the file's size. Target: peak memory that does not grow with the file. `BENCH_SIZES=100000` runs
//! only the sizes listed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use elicit::report::{ImportFormat, ImportOptions, import_from};
use elicit::store::{NewProject, Store};

mod measure;
use measure::{cpu_secs, peak_mb};

const CHILD: &str = "ELICIT_BENCH_CSV_IMPORT";

/// A CSV of `rows` one-cell rows under a `title` header.
fn generate(path: &Path, rows: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "title").unwrap();
    for i in 0..rows {
        writeln!(w, "R{i:06}").unwrap();
    }
    w.flush().unwrap();
}

/// The child: imports `file` into a new database at `db`, prints "seconds cpu peak imported".
fn child(file: &Path, db: &Path) {
    let mut store = Store::open(db).unwrap();
    store.create_project(NewProject::new("BIG".parse().unwrap(), "CSV benchmark")).unwrap();
    let input = std::fs::File::open(file).unwrap();
    let options = ImportOptions {
        file_label: file.display().to_string(),
        project_key: Some("BIG".into()),
        input_len: input.metadata().unwrap().len(),
        ..ImportOptions::default()
    };
    let (t, cpu) = (Instant::now(), cpu_secs());
    let summary = import_from(&mut store, ImportFormat::Csv, std::io::BufReader::new(input), &options, &[]).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!("{secs} {} {} {}", cpu_secs() - cpu, peak_mb(), summary.imported);
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        let (file, db) = spec.split_once('\n').unwrap();
        child(Path::new(file), Path::new(db));
        return;
    }
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    let dir = tempfile::tempdir().unwrap();
    println!("{:<12} {:>9} {:>9} {:>14} {:>10}", "rows", "seconds", "cpu s", "peak RSS (MB)", "file (MB)");
    for rows in sizes {
        let file = dir.path().join(format!("rows-{rows}.csv"));
        generate(&file, rows);
        let db = dir.path().join(format!("rows-{rows}.db"));
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env(CHILD, format!("{}\n{}", file.display(), db.display()))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let f: Vec<f64> = text.split_whitespace().filter_map(|x| x.parse().ok()).collect();
        assert_eq!(f[3] as usize, rows, "every row imported");
        let size = std::fs::metadata(&file).unwrap().len() as f64 / 1e6;
        println!("{rows:<12} {:>9.2} {:>9.2} {:>14.0} {size:>10.1}", f[0], f[1], f[2]);
    }
}
