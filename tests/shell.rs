//! The shell conventions, on the real binary: `-` is standard output, a closed pipe is not an error,
//! values are checked by clap (exit 2) and listed in help, completions and the man page, times in the
//! local zone unless `--utc`, and tables aligned by display width.

use std::io::Read;
use std::process::Stdio;

use crate::common::*;

fn demo() -> TempDb {
    let db = TempDb::new();
    ok(&db.path, &["demo"]);
    db
}

/// Runs `elicit ARGS` with its standard output a pipe that is closed before it writes a byte; returns the
/// exit code and stderr.
fn into_closed_pipe(db: &std::path::Path, args: &[&str]) -> (i32, String) {
    let mut child =
        elicit_cmd(db).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn elicit");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for elicit");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let db = demo();
    // Each writes through a different writer: JSON, tables, CSV, the report templates, a file copy, clap.
    for args in [
        &["list", "--format", "json"][..],
        &["list"],
        &["list", "--format", "csv"],
        &["show", "SHOP-1"],
        &["export", "--format", "html"],
        &["export", "--format", "json", "-o", "-"],
        &["export", "--format", "xlsx", "-o", "-"],
        &["time", "list"],
        &["interview", "list", "--format", "json"],
        &["backup", "-"],
        &["completions", "bash"],
        &["man"],
    ] {
        let (code, stderr) = into_closed_pipe(&db.path, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?} said: {stderr}");
    }
}

#[test]
fn head_reading_the_first_bytes_of_a_long_output_ends_it_quietly() {
    // As `elicit export --format html | head -c 100`: more than a pipe holds, so the write after the
    // reader has gone fails with a broken pipe.
    let db = demo();
    let mut child = elicit_cmd(&db.path)
        .args(["export", "--format", "html"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn elicit");
    let mut first = [0u8; 100];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with(b"<!DOCTYPE html>"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // A real failure still reports and exits 1.
    let run = elicit(&db.path, &["show", "SHOP-999"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn dash_is_standard_output_for_backup_and_readback() {
    let db = demo();
    let out = elicit_cmd(&db.path).args(["backup", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with(b"SQLite format 3\0"), "a database file on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("to standard output") && stderr.contains("40 requirements"), "{stderr}");
    assert!(!db.dir.path().join("-").exists(), "no file named -");
    // The streamed copy is a whole database that restores.
    let copy = db.dir.path().join("piped.db");
    std::fs::write(&copy, &out.stdout).unwrap();
    let other = TempDb::new();
    ok(&other.path, &["init", "--key", "TMP", "--name", "Temp"]);
    ok(&other.path, &["restore", copy.to_str().unwrap()]);
    assert!(ok(&other.path, &["--project", "SHOP", "list"]).contains("40 requirements"));

    let interview = ok(&db.path, &["interview", "list", "--format", "json"]);
    let interviews: serde_json::Value = serde_json::from_str(&interview).unwrap();
    let title = interviews[0]["title"].as_str().unwrap();
    let page = ok(&db.path, &["interview", "readback", title, "-o", "-"]);
    assert!(page.starts_with("# "), "{page}");
    assert!(!db.dir.path().join("-").exists(), "no file named -");
}

#[test]
fn binary_output_goes_to_a_pipe_but_never_to_a_terminal() {
    let db = demo();
    // Redirected without -o (`> requirements.xlsx`): fine.
    let out = elicit_cmd(&db.path).args(["export", "--format", "xlsx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"PK"), "an xlsx is a zip file");
    for args in [&["export", "--format", "xlsx"][..], &["export", "--format", "xlsx", "-o", "-"], &["backup", "-"]] {
        let (code, bytes) = crate::e2e::status_in_terminal(&db.path, args);
        let said = String::from_utf8_lossy(&bytes);
        assert_eq!(code, 1, "{args:?}: {said}");
        assert!(said.contains("cannot write") && said.contains("to a terminal"), "{args:?}: {said}");
        assert!(!said.contains("PK\u{3}\u{4}") && !said.contains("SQLite format"), "{args:?} wrote binary");
    }
}

#[test]
fn invalid_values_exit_2_everywhere_and_write_nothing() {
    let db = demo();
    let id = ok(&db.path, &["time", "log", "design", "1h", "--at", "2026-01-14 12:00"]);
    let short = id.rsplit("(id ").next().unwrap().trim_end_matches([')', '\n']).to_owned();
    let before = ok(&db.path, &["export", "--format", "json"]);
    for args in [
        &["add", "T", "--kind", "x"][..],
        &["add", "T", "--priority", "urgent"],
        &["add", "T", "--channel", "fax"],
        &["edit", "SHOP-1", "--status", "done"],
        &["edit", "SHOP-1", "--channel", "fax"],
        &["list", "--status", "done"],
        &["export", "--format", "csv", "--status", "done"],
        &["time", "start", "x"],
        &["time", "log", "design", "45"],
        &["time", "log", "lunch", "1h"],
        &["time", "log", "design", "1h", "--at", "next tuesday"],
        &["time", "edit", &short, "--start", "2026-01-14"],
        &["time", "edit", &short, "--activity", "lunch"],
        &["time", "edit", &short, "--duration", "soon"],
        &["interview", "start", "--title", "T", "--stakeholder", "x", "--mode", "telepathy"],
        &["init", "--key", "x", "--name", "Lower case"],
        &["lint", "--min-severity", "fatal"],
        &["settings", "daily-backups", "maybe"],
        &["settings", "lint-rule", "off", "no-such-rule"],
        &["settings", "lint-rule", "sideways", "passive-voice"],
        &["settings", "lint-word", "add", "no-such-list", "word"],
        &["man", "no-such-command"],
        &["completions", "cmd.exe"],
    ] {
        let run = elicit(&db.path, args);
        assert_eq!(run.code, 2, "{args:?}\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
        assert_eq!(run.stderr.lines().filter(|l| l.starts_with("error: ")).count(), 1, "{args:?}: {}", run.stderr);
    }
    assert_eq!(ok(&db.path, &["export", "--format", "json"]), before, "nothing was written");
    // The aliases the domain has always read still work through clap.
    ok(&db.path, &["add", "Alias", "--kind", "NFR", "--priority", "won't", "--status", "Approved"]);
    ok(&db.path, &["edit", "SHOP-1", "--channel", "none"]);
    // A value that is fine but names nothing is a user error, not a usage error.
    assert_eq!(elicit(&db.path, &["edit", "SHOP-1", "--stage", "Nowhere"]).code, 1);
}

#[test]
fn every_argument_of_every_command_has_help_and_enums_list_their_values() {
    use clap::CommandFactory;
    let mut root = elicit::cli::Cli::command();
    root.build();
    let mut missing = Vec::new();
    let mut unlisted = Vec::new();
    let mut stack = vec![(String::from("elicit"), root)];
    while let Some((path, cmd)) = stack.pop() {
        if cmd.get_about().is_none() && path != "elicit" {
            missing.push(format!("{path} (the command itself)"));
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none_or(|h| h.to_string().trim().is_empty()) {
                missing.push(format!("{path} {id}"));
            }
            // Values typed from a fixed set are listed (help, completions), never only described in words.
            let enumerated =
                ["kind", "priority", "status", "statuses", "channel", "mode", "activity", "format", "shell"];
            if enumerated.contains(&id) && arg.get_possible_values().is_empty() {
                unlisted.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_name() != "help" {
                stack.push((format!("{path} {}", sub.get_name()), sub.clone()));
            }
        }
    }
    assert!(missing.is_empty(), "arguments without help text: {missing:#?}");
    assert!(unlisted.is_empty(), "enum arguments that do not list their values: {unlisted:#?}");
}

#[test]
fn edit_help_describes_every_field_and_lists_values() {
    let db = TempDb::new();
    let help = ok(&db.path, &["edit", "--help"]);
    for flag in ["--title", "--statement", "--priority", "--status", "--kind"] {
        let line = help.lines().find(|l| l.trim_start().starts_with(flag)).unwrap();
        let words = line.trim_start().split_once("  ").map(|(_, h)| h.trim()).unwrap_or_default();
        assert!(!words.is_empty(), "{flag} has help: {line:?}");
    }
    assert!(help.contains("[possible values: must, should, could, wont]"), "{help}");
    let time = ok(&db.path, &["time", "start", "--help"]);
    assert!(time.contains("requirements, design, build"), "{time}");
}

#[test]
fn completions_and_man_page() {
    let db = TempDb::new();
    let bash = ok(&db.path, &["completions", "bash"]);
    assert!(bash.contains("_elicit()") && bash.contains("complete -F _elicit"), "a bash completion function");
    assert!(bash.contains("must should could wont"), "values complete too");
    let zsh = ok(&db.path, &["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef elicit"), "{}", &zsh[..zsh.len().min(60)]);
    let fish = ok(&db.path, &["completions", "fish"]);
    assert!(fish.contains("complete -c elicit") && fish.contains("readback"), "fish knows the subcommands");
    let ps = ok(&db.path, &["completions", "powershell"]);
    assert!(ps.contains("Register-ArgumentCompleter") && ps.contains("'elicit'"));
    let man = ok(&db.path, &["man"]);
    assert!(man.contains(".TH elicit 1") && man.contains("\\-\\-utc"), "{}", &man[..man.len().min(200)]);
    assert!(man.contains("completions") && man.contains("interview"), "lists the commands");
    let edit = ok(&db.path, &["man", "edit"]);
    assert!(edit.contains(".TH elicit\\-edit 1") || edit.contains(".TH elicit-edit 1"), "{}", &edit[..200]);
    assert!(edit.contains("New MoSCoW priority"), "the page carries the help");
}

fn in_zone(db: &std::path::Path, tz: &str, args: &[&str]) -> String {
    let out = elicit_cmd(db).env("TZ", tz).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn times_show_in_the_local_zone_and_utc_on_request() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "CHK", "--name", "Checkout"]);
    // Typed in Tokyo (UTC+9, no daylight saving): 14:30 there is 05:30 UTC.
    let said = in_zone(&db.path, "Asia/Tokyo", &["time", "log", "design", "1h", "--at", "2026-01-15 14:30"]);
    assert!(said.contains("2026-01-15 13:30–14:30 Asia/Tokyo"), "{said}");
    let list: serde_json::Value = serde_json::from_str(&ok(&db.path, &["time", "list", "--format", "json"])).unwrap();
    assert_eq!(list[0]["ended_at"], "2026-01-15T05:30:00.000000Z", "stored and exported as UTC");
    let tokyo = in_zone(&db.path, "Asia/Tokyo", &["time", "list"]);
    let row = |table: &str| {
        table.lines().nth(1).unwrap_or_default().split_whitespace().skip(1).take(3).collect::<Vec<_>>().join(" ")
    };
    assert!(tokyo.contains("START (Asia/Tokyo)") && row(&tokyo) == "2026-01-15 13:30 14:30", "{tokyo}");
    let utc = in_zone(&db.path, "Asia/Tokyo", &["--utc", "time", "list"]);
    assert!(utc.contains("START (UTC)") && row(&utc) == "2026-01-15 04:30 05:30", "{utc}");
    let env = elicit_cmd(&db.path).env("TZ", "Asia/Tokyo").env("ELICIT_UTC", "1").args(["time", "list"]).output();
    assert!(String::from_utf8(env.unwrap().stdout).unwrap().contains("2026-01-15 04:30"), "ELICIT_UTC=1 too");
    // A POSIX zone without zone data, and a zone that cannot be found (UTC then).
    assert!(in_zone(&db.path, "JST-9", &["time", "list"]).contains("START (JST)"));
    assert!(in_zone(&db.path, "No/Such_Zone", &["time", "list"]).contains("2026-01-15 04:30"));
    // JSON stays UTC whatever the zone.
    assert!(in_zone(&db.path, "Asia/Tokyo", &["time", "list", "--format", "json"]).contains("T05:30:00.000000Z"));
    // A bare date ends at 17:00 of that day where the user is.
    in_zone(&db.path, "Asia/Tokyo", &["time", "log", "build", "1h", "--at", "2026-01-16"]);
    let list: serde_json::Value = serde_json::from_str(&ok(&db.path, &["time", "list", "--format", "json"])).unwrap();
    assert_eq!(list[1]["ended_at"], "2026-01-16T08:00:00.000000Z");
}

#[test]
fn reports_show_human_dates_in_the_zone_and_no_raw_timestamps() {
    let db = demo();
    let raw = |text: &str| {
        text.as_bytes().windows(20).any(|w| {
            let d = |i: usize| w[i].is_ascii_digit();
            d(0) && d(1) && d(2) && d(3) && w[4] == b'-' && w[7] == b'-' && w[10] == b'T' && d(11) && w[13] == b':'
        })
    };
    for format in ["html", "md"] {
        let tokyo = in_zone(&db.path, "Asia/Tokyo", &["export", "--format", format]);
        let utc = in_zone(&db.path, "Asia/Tokyo", &["--utc", "export", "--format", format]);
        assert!(!raw(&tokyo) && !raw(&utc), "{format}: a raw RFC 3339 timestamp is in the report");
        // HTML escapes the slash.
        let named = tokyo.contains("Asia/Tokyo") || tokyo.contains("Asia&#x2f;Tokyo");
        assert!(named && utc.contains(" UTC"), "{format}: the zone is named");
        // "1 Dec 2026, 07:40": a day, a month's short name, a year, a time.
        let human = tokyo.split("created ").nth(1).unwrap_or_default();
        let (day, rest) = human.split_once(' ').unwrap_or_default();
        assert!(
            day.parse::<u8>().is_ok() && rest.get(3..4) == Some(" ") && rest.get(8..10) == Some(", "),
            "{human:.40}"
        );
        assert_ne!(tokyo, utc, "{format}: the zone changes what is shown");
    }
}

#[test]
fn tables_align_wide_characters_by_display_width() {
    let db = TempDb::new();
    ok(&db.path, &["init", "--key", "JP", "--name", "日本のプロジェクト"]);
    ok(&db.path, &["stage", "add", "受付"]);
    ok(&db.path, &["add", "返金は領収書なしで", "--priority", "must", "--stage", "受付"]);
    ok(&db.path, &["add", "Refund 🧾 without receipt", "--stage", "Buy"]);
    ok(&db.path, &["add", "Plain title"]);
    ok(&db.path, &["stakeholder", "add", "山田太郎", "--role", "店長"]);
    ok(&db.path, &["stakeholder", "add", "Ann", "--role", "Manager"]);
    ok(&db.path, &["init", "--key", "EN", "--name", "English"]);
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    for args in [&["--project", "JP", "list"][..], &["--project", "JP", "stakeholder", "list"], &["projects"]] {
        let out = ok(&db.path, args);
        let lines: Vec<&str> = out.lines().filter(|l| l.contains("  ")).collect();
        assert!(lines.len() >= 3, "{out}");
        // Where each column starts in the header, in display columns.
        let header = lines[0];
        let starts: Vec<usize> = header
            .char_indices()
            .filter(|(i, c)| *c != ' ' && header[..*i].ends_with("  "))
            .map(|(i, _)| width(&header[..i]))
            .collect();
        assert!(!starts.is_empty(), "{header}");
        for line in &lines[1..] {
            let cells: Vec<usize> = line
                .char_indices()
                .filter(|(i, c)| *c != ' ' && line[..*i].ends_with("  "))
                .map(|(i, _)| width(&line[..i]))
                .collect();
            // Empty cells leave a column out; every cell there is starts where its header does.
            for col in &cells {
                assert!(starts.contains(col), "{args:?}: a cell starts at column {col} in {line:?}\n{out}");
            }
        }
        assert!(out.contains("受付") || out.contains("山田太郎") || out.contains("日本"), "{out}");
    }
}
