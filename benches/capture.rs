//! Capture speed on 100,000 requirements: from Enter in the capture box to the finished frame that shows
//! the new line in the captured list (App update + render to a TestBackend, as `benches/tui.rs` measures).
//!
//! Run with `cargo bench --bench capture`. Target (issue 4): median <= 5 ms. `ELICIT_BENCH_CAPTURE_DB`
//! keeps the generated file between runs (it is made only if missing).

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use elicit::domain::*;
use elicit::store::Store;
use elicit::tui::app::{App, Screen};
use elicit::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::{N, generate, ms};

const CAPTURES: usize = 300;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = std::env::var_os("ELICIT_BENCH_CAPTURE_DB").map_or_else(|| dir.path().join("capture.db"), Into::into);
    if !path.exists() {
        let started = Instant::now();
        generate(&path)?;
        println!("generated {N} requirements in {:.1} s", started.elapsed().as_secs_f64());
    }
    {
        // A fresh interview for every run, so the captured list starts empty.
        let mut store = Store::open(&path)?;
        let project = store.resolve_project(None)?;
        if store.open_interview(project.id)?.is_some() {
            store.stop_interview(project.id)?;
        }
        let people: Vec<StakeholderId> = store.stakeholders(project.id)?.iter().map(|s| s.id).collect();
        store.start_interview(project.id, "Benchmark interview", InterviewMode::Video, &people)?;
    }

    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let store = Store::open(&path)?;
    let mut app = App::new(store, None, Theme { color: true })?;
    app.size = (120, 40);
    app.wait_for(elicit::tui::session::Session::loading);
    // The index of statements that the box compares each keystroke's line with (built in the background).
    let indexed = Instant::now();
    app.wait_for(elicit::tui::session::Session::assessing);
    assert!(app.session.repeats.is_some(), "the statements are indexed");
    println!("statements indexed for repeats in {:.2} s (in the background)", indexed.elapsed().as_secs_f64());
    assert_eq!(app.screen, Screen::Capture, "an open interview opens on Capture");
    terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;

    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let mut timings: Vec<Duration> = Vec::with_capacity(CAPTURES);
    let mut typing: Vec<Duration> = Vec::new();
    for i in 0..CAPTURES {
        for c in format!("Customer needs thing number {i}").chars() {
            let t = Instant::now();
            app.handle_event(key(KeyCode::Char(c)));
            typing.push(t.elapsed());
        }
        terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;
        let t = Instant::now();
        app.handle_event(key(KeyCode::Enter));
        terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;
        timings.push(t.elapsed());
        // Outside the timing: the new line is on screen, with its id.
        let (_, seq) = *app.screens.capture.captured.last().ok_or("nothing captured")?;
        let id = app.session.data.as_ref().map(|d| d.human_id(seq)).unwrap_or_default();
        let screen = terminal.backend().to_string();
        assert!(screen.contains(&id) && screen.contains(&format!("number {i}")), "{id} not shown:\n{screen}");
        // Quick keys between captures, as in an interview (not timed).
        if i % 3 == 0 {
            app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::ALT)));
        }
    }
    typing.sort();
    println!(
        "a key typed in the box (lint and repeat check)  {:>6.3} ms median, {:>6.3} ms worst   (target <= 1 ms)",
        ms(typing[typing.len() / 2]),
        ms(typing[typing.len() - 1])
    );
    timings.sort();
    let median = timings[timings.len() / 2];
    let worst = timings[timings.len() - 1];
    println!("\ncapture on {N} requirements (120x40), {CAPTURES} lines");
    println!(
        "Enter to frame with the line shown  {:>6.2} ms median, {:>6.2} ms worst   (target <= 5 ms median)",
        ms(median),
        ms(worst)
    );
    Ok(())
}
