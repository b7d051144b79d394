//! Workbench speed on 100,000 requirements: open to first frame, key to finished frame, peak memory.
//!
//! Run with `cargo bench --bench tui`. Targets (issue 3): first frame <= 100 ms; any key <= 16 ms median and
//! <= 33 ms worst over 1,000 keys; peak memory <= 150 MB.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use elicit::store::Store;
use elicit::tui::app::App;
use elicit::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::{N, generate, ms};

mod measure;
use measure::peak_mb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ELICIT_BENCH_DB keeps the generated file between runs (it is made only if missing).
    let dir = tempfile::tempdir()?;
    let path = std::env::var_os("ELICIT_BENCH_DB").map_or_else(|| dir.path().join("bench.db"), Into::into);
    if !path.exists() {
        let started = Instant::now();
        generate(&path)?;
        println!("generated {N} requirements in {:.1} s", started.elapsed().as_secs_f64());
    }

    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let t0 = Instant::now();
    let store = Store::open(&path)?;
    let mut app = App::new(store, None, Theme { color: true })?;
    app.size = (120, 40);
    app.update(elicit::tui::action::Action::Screen(3));
    terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;
    let first_frame = t0.elapsed();
    app.wait_for(elicit::tui::session::Session::loading);
    terminal.draw(|f| elicit::tui::ui::draw(f, &app))?;
    let full_index = t0.elapsed();

    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    let mut run = |label: &'static str, ev: Event, app: &mut App, terminal: &mut Terminal<TestBackend>| {
        let what = format!("{ev:?}");
        let t = Instant::now();
        app.handle_event(ev);
        let _ = terminal.draw(|f| elicit::tui::ui::draw(f, app));
        let took = t.elapsed();
        timings.push((label, took));
        slowest.push((
            took,
            format!(
                "{label} {} filter={:?}",
                what.chars().skip(15).take(30).collect::<String>(),
                app.screens.requirements.index.filter
            ),
        ));
    };
    for i in 0..400 {
        let ev = if i % 10 == 9 { key(KeyCode::PageDown) } else { key(KeyCode::Down) };
        run("scroll", ev, &mut app, &mut terminal);
    }
    run("scroll", key(KeyCode::Char('G')), &mut app, &mut terminal);
    run("scroll", key(KeyCode::Char('g')), &mut app, &mut terminal);
    let words = ["refund", "parcel", "locker"];
    let mut filtered = 0;
    while filtered < 598 {
        for w in words {
            run("filter", key(KeyCode::Char('/')), &mut app, &mut terminal);
            for c in w.chars() {
                run("filter", key(KeyCode::Char(c)), &mut app, &mut terminal);
                filtered += 1;
            }
            for _ in w.chars() {
                run("filter", key(KeyCode::Backspace), &mut app, &mut terminal);
                filtered += 1;
            }
            run("filter", key(KeyCode::Esc), &mut app, &mut terminal);
        }
    }
    let all: Vec<Duration> = timings.iter().map(|(_, d)| *d).take(1000).collect();
    println!("\nworkbench on {N} requirements (120x40)");
    println!("open to first frame        {:>8.1} ms   (target <= 100 ms)", ms(first_frame));
    println!("all rows loaded and drawn  {:>8.1} ms   (in the background; keys work meanwhile)", ms(full_index));
    for label in ["scroll", "filter"] {
        let mut v: Vec<Duration> = timings.iter().filter(|(l, _)| *l == label).map(|(_, d)| *d).collect();
        report(&format!("{label} key to frame ({})", v.len()), &mut v);
    }
    let mut all = all;
    report(&format!("any key to frame ({})", all.len()), &mut all);
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, what) in slowest.iter().take(3) {
        println!("  slowest: {:>6.2} ms  {what}", ms(*d));
    }
    println!("peak memory (VmHWM)        {:>8.1} MB   (target <= 150 MB)", peak_mb());
    Ok(())
}

fn report(label: &str, v: &mut [Duration]) {
    v.sort();
    let median = v[v.len() / 2];
    let worst = v[v.len() - 1];
    println!("{label:<27}{:>8.2} ms median, {:>6.2} ms worst   (targets 16 / 33 ms)", ms(median), ms(worst));
}
