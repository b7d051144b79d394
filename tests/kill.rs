//! kill -9 at random moments during import, add, time log and export: after every kill the file passes
//! `integrity_check` and `foreign_key_check`, each write is wholly there or wholly absent, every id the
//! process printed exists, and an export target is either the old file or the complete new one.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// A small, seeded generator: the seed is printed, so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Import,
    Add,
    TimeLog,
    Export,
}

const IMPORT_ROWS: i64 = 1500;

fn counts(db: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let reqs = conn.query_row("SELECT count(*) FROM requirement WHERE deleted_at IS NULL", [], |r| r.get(0)).unwrap();
    let time = conn.query_row("SELECT count(*) FROM time_entry WHERE deleted_at IS NULL", [], |r| r.get(0)).unwrap();
    (reqs, time)
}

fn assert_sound(db: &Path, what: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok", "{what}");
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0, "{what}: foreign keys");
}

fn spawn(db: &Path, op: Op, dir: &Path, i: usize) -> Child {
    let mut cmd = elicit_cmd(db);
    let csv = dir.join("many.csv");
    let target = dir.join("export.json");
    match op {
        Op::Import => cmd.args(["import", csv.to_str().unwrap()]),
        Op::Add => cmd.args(["add", &format!("Added before a kill {i}")]),
        Op::TimeLog => cmd.args(["time", "log", "design", "5m"]),
        Op::Export => cmd.args(["export", "--format", "json", "-o", target.to_str().unwrap()]),
    };
    cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap()
}

/// The export target is the file it was before, or a complete backup holding every requirement there is.
fn assert_export_whole(target: &Path, before: Option<&[u8]>, reqs: i64, what: &str) {
    let now = std::fs::read(target).ok();
    if now.as_deref() == before {
        return;
    }
    let text = String::from_utf8(now.unwrap_or_default()).unwrap_or_else(|e| panic!("{what}: not text: {e}"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: a partial export: {e}"));
    let n = v["projects"][0]["requirements"]
        .as_array()
        .map_or(0, |r| r.iter().filter(|r| r["deleted_at"].is_null()).count());
    assert_eq!(n as i64, reqs, "{what}: the export holds every requirement");
}

#[test]
fn kill_9_at_random_moments_leaves_every_write_whole() {
    let seed = std::env::var("ELICIT_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    eprintln!("kill harness seed {seed} (ELICIT_KILL_SEED={seed} repeats it)");
    let mut rng = Rng(seed);
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "KIL", "--name", "Kill test"]);
    let mut csv = String::from("title,statement,priority\n");
    for i in 0..IMPORT_ROWS {
        csv.push_str(&format!("Imported requirement {i},The system shall do thing {i} within 2 seconds,should\n"));
    }
    std::fs::write(db.dir.path().join("many.csv"), csv).unwrap();

    // How long each operation takes here, so kills land anywhere from its start to just past its end.
    let ops = [Op::Import, Op::Add, Op::TimeLog, Op::Export];
    let mut took = [Duration::ZERO; 4];
    for (k, op) in ops.iter().enumerate() {
        let start = Instant::now();
        let out = spawn(&db.path, *op, db.dir.path(), 0).wait_with_output().unwrap();
        assert!(out.status.success(), "{op:?} runs");
        took[k] = start.elapsed();
    }

    let target = db.dir.path().join("export.json");
    let mut kills = 0;
    // Writes the kill stopped before they committed: proof that the kills land mid-way.
    let mut cut_short = 0;
    for i in 1..=60 {
        let k = rng.below(4) as usize;
        let op = ops[k];
        let (reqs, time) = counts(&db.path);
        let export_before = std::fs::read(&target).ok();
        let window = took[k].as_micros() as u64 * 12 / 10;
        let mut child = spawn(&db.path, op, db.dir.path(), i);
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        if child.kill().is_ok() {
            kills += 1;
        }
        let _ = child.wait();
        let mut printed = String::new();
        if let Some(mut out) = child.stdout.take() {
            let _ = out.read_to_string(&mut printed);
        }
        let what = format!("kill {i} during {op:?} (seed {seed}), printed {printed:?}");
        assert_sound(&db.path, &what);
        let (reqs_after, time_after) = counts(&db.path);
        if matches!(op, Op::Import | Op::Add) && reqs_after == reqs || matches!(op, Op::TimeLog) && time_after == time {
            cut_short += 1;
        }
        match op {
            Op::Import => {
                assert!(reqs_after == reqs || reqs_after == reqs + IMPORT_ROWS, "{what}: {reqs} -> {reqs_after}");
                if printed.contains("imported") {
                    assert_eq!(reqs_after, reqs + IMPORT_ROWS, "{what}");
                }
            }
            Op::Add => {
                assert!(reqs_after == reqs || reqs_after == reqs + 1, "{what}: {reqs} -> {reqs_after}");
                if let Some(id) = printed.trim().strip_prefix("KIL-") {
                    let seq: i64 = id.parse().unwrap();
                    let conn = rusqlite::Connection::open(&db.path).unwrap();
                    let n: i64 =
                        conn.query_row("SELECT count(*) FROM requirement WHERE seq = ?1", [seq], |r| r.get(0)).unwrap();
                    assert_eq!(n, 1, "{what}: the printed id exists");
                }
            }
            Op::TimeLog => {
                assert!(time_after == time || time_after == time + 1, "{what}: {time} -> {time_after}");
                if let Some(id) = printed.split("(id ").nth(1) {
                    let id = id.trim().trim_end_matches(')');
                    let r = elicit(&db.path, &["time", "edit", id, "--note", "still here"]);
                    assert_eq!(r.code, 0, "{what}: the printed id {id} exists: {}", r.stderr);
                }
            }
            Op::Export => assert_export_whole(&target, export_before.as_deref(), reqs, &what),
        }
        let temporaries = std::fs::read_dir(db.dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("elicit-tmp"))
            .count();
        assert!(temporaries <= 1, "{what}: at most the killed export's own temporary is left, until the next export");
    }
    assert!(kills >= 50, "{kills} kills");
    assert!(cut_short >= 5, "only {cut_short} writes were cut short: the kills came too late to test anything");
    eprintln!("{kills} kills, {cut_short} writes cut short before they committed");
    // The next export clears what killed ones left behind.
    ok(&db.path, &["export", "--format", "json", "-o", target.to_str().unwrap()]);
    let left = std::fs::read_dir(db.dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("elicit-tmp"))
        .count();
    assert_eq!(left, 0);
}
