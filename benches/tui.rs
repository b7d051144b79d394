//! Workbench speed on 100,000 requirements: open to first frame, key to finished frame, peak memory.
//!
//! Run with `cargo bench --bench tui`. Targets (issue 3): first frame <= 100 ms; any key <= 16 ms median and
//! <= 33 ms worst over 1,000 keys; peak memory <= 150 MB.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use elicit::domain::*;
use elicit::store::{NewProject, OutcomeFields, Store};
use elicit::tui::app::App;
use elicit::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const N: usize = 100_000;

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
    app.wait_for_lists();
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
            format!("{label} {} filter={:?}", what.chars().skip(15).take(30).collect::<String>(), app.reqs.filter),
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn generate(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open(path)?;
    let template = elicit::journeys::template("retail")?;
    let project = store.create_project(NewProject {
        key: "BIG".parse()?,
        name: "Benchmark".into(),
        description: String::new(),
        journey: template.name.clone(),
        stages: template.stages.iter().map(|s| (s.name.clone(), s.description.clone())).collect(),
        planned_hours: None,
        target_min: 0.25,
        target_max: 0.4,
    })?;
    let stages = store.stages(project.id)?;
    let mut outcomes = Vec::new();
    for (i, s) in
        ["Refunds paid sooner", "Fewer repeat calls", "Higher NPS", "Less checkout abandonment"].iter().enumerate()
    {
        let o = store.add_outcome(
            project.id,
            OutcomeFields {
                statement: (*s).into(),
                metric: Metric::ALL[i],
                baseline: Some(10.0),
                target: Some(20.0),
                unit: "%".into(),
            },
        )?;
        outcomes.push(o.id);
    }
    let nouns =
        ["refund", "parcel", "locker", "basket", "invoice", "voucher", "store", "courier", "receipt", "account"];
    let verbs = ["track", "cancel", "change", "confirm", "show", "email", "split", "reserve", "return", "price"];
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..N {
        let (n, v) = (nouns[i % nouns.len()], verbs[(i / 7) % verbs.len()]);
        batch.push(NewRequirement {
            title: format!("Customer can {v} the {n} online #{i}"),
            statement: format!(
                "The service shall let a customer {v} their {n} from the web and the app within two minutes, case {i}."
            ),
            priority: Priority::ALL[i % 4],
            status: Status::ALL[i % 7],
            stage: Some(stages[i % stages.len()].id),
            outcomes: vec![outcomes[i % outcomes.len()]],
            moment_of_truth: i % 17 == 0,
            ..Default::default()
        });
        if batch.len() == 10_000 {
            store.add_requirements(project.id, std::mem::take(&mut batch))?;
        }
    }
    if !batch.is_empty() {
        store.add_requirements(project.id, batch)?;
    }
    Ok(())
}
