//! The Time screen and the header timer: key sequences over a real temp database with a fixed clock, and
//! snapshots on the demo data.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use elicit::domain::*;
use elicit::store::{Clock, NewInterview, NewTimeEntry, Store};
use elicit::tui::action::Action;
use elicit::tui::app::App;
use elicit::tui::overlays::Confirm;
use elicit::tui::picker::Picker;
use elicit::tui::theme::Theme;
use jiff::SignedDuration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::TempDb;

const NOW: &str = "2026-11-20T10:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn demo_app(db: &TempDb) -> App {
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Clock::Fixed(now()));
    elicit::demo::load(&mut store).unwrap();
    let mut app = App::new(store, None, Theme { color: false }).unwrap();
    app.status.current = None;
    app
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.handle_event(key(KeyCode::Char(c)));
    }
}

fn ctrl(app: &mut App, c: char) {
    app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| elicit::tui::ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn status(app: &App) -> String {
    app.status.current.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

fn entries(app: &App) -> Vec<TimeEntry> {
    let d = app.session.data.as_ref().unwrap();
    app.session.store.time_entries(d.project.id).unwrap()
}

fn set_clock(app: &mut App, t: Timestamp) {
    app.session.store.set_clock(Clock::Fixed(t));
}

#[test]
fn start_stop_delete_and_undo_with_keys() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    let before = entries(&app).len();
    assert!(!app.tick(), "an idle app asks for no redraw");
    press(&mut app, "7");
    assert_eq!(app.session.timer_second(), None, "no timer: nothing to redraw each second");
    // s opens the activity picker; typing narrows it, Enter starts the timer.
    press(&mut app, "s");
    assert!(app.top::<Picker>().is_some());
    press(&mut app, "design");
    app.handle_event(key(KeyCode::Enter));
    assert!(app.overlays.is_empty());
    assert_eq!(status(&app), "Timer started: design");
    let running =
        app.session.store.running_timer(app.session.data.as_ref().unwrap().project.id).unwrap().expect("running");
    assert_eq!((running.activity, running.started_at), (Activity::Design, now()));
    assert_eq!(app.selected_time_entry().map(|e| e.id), Some(running.id), "the new entry is selected");

    // The header counts up on every screen; the event loop redraws when this second changes.
    set_clock(&mut app, now() + SignedDuration::from_secs(12 * 60 + 5));
    assert_eq!(app.session.timer_second(), Some(725));
    for screen in 1..=7 {
        app.update(Action::Screen(screen));
        let frame = render(&app, 120, 40);
        assert!(frame.lines().next().unwrap_or("").contains("● design 0:12:05"), "screen {screen}: {frame}");
    }
    press(&mut app, "7");

    // Starting another stops the first at the same moment.
    set_clock(&mut app, now() + SignedDuration::from_mins(45));
    press(&mut app, "s");
    press(&mut app, "requirements");
    app.handle_event(key(KeyCode::Enter));
    assert_eq!(status(&app), "Timer started: requirements (stopped design after 0:45)");
    set_clock(&mut app, now() + SignedDuration::from_mins(60));
    press(&mut app, "S");
    assert_eq!(status(&app), "Stopped requirements after 0:15");
    assert_eq!(app.session.timer_second(), None);
    press(&mut app, "S");
    assert!(app.status.current.as_ref().is_some_and(|s| s.error && s.text.contains("No timer is running")));
    assert_eq!(entries(&app).len(), before + 2);

    // Delete the newest entry (selected), confirm, then undo.
    let newest = app.selected_time_entry().cloned().unwrap();
    assert_eq!(newest.activity, Activity::Requirements);
    press(&mut app, "d");
    assert!(app.top::<Confirm>().is_some());
    press(&mut app, "y");
    assert!(status(&app).starts_with("Deleted the requirements entry"), "{}", status(&app));
    assert!(!entries(&app).iter().any(|e| e.id == newest.id));
    press(&mut app, "u");
    assert!(entries(&app).iter().any(|e| e.id == newest.id), "undo restores it");
    assert_eq!(entries(&app).len(), before + 2);
}

#[test]
fn selection_moves_with_arrows_and_j_k_across_days() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    press(&mut app, "7");
    let newest = app.selected_time_entry().cloned().unwrap();
    press(&mut app, "jj");
    app.handle_event(key(KeyCode::Down));
    app.handle_event(key(KeyCode::Up));
    press(&mut app, "k");
    let third = app.selected_time_entry().cloned().unwrap();
    assert!(third.started_at < newest.started_at);
    press(&mut app, "G");
    let oldest = app.selected_time_entry().cloned().unwrap();
    assert_eq!(Some(&oldest), entries(&app).first());
    // Drawing scrolls so the selection shows, far from the top.
    let frame = render(&app, 80, 24);
    assert!(frame.contains(&oldest.started_at.strftime("%Y-%m-%d").to_string()), "{frame}");
    press(&mut app, "g");
    assert_eq!(app.selected_time_entry(), Some(&newest));

    // A click selects the entry under it; a click on a day heading changes nothing.
    app.size = (120, 40);
    render(&app, 120, 40);
    let click = |column, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.handle_event(click(10, 5)); // frame row 5: the second entry of the newest day
    assert_eq!(app.screens.time.selected, 1);
    app.handle_event(click(10, 3)); // the day heading
    assert_eq!(app.screens.time.selected, 1);
    app.handle_event(click(100, 5)); // the totals panel
    assert_eq!(app.screens.time.selected, 1);
}

#[test]
fn logging_and_editing_by_hand_through_the_form() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    press(&mut app, "7");
    let before = entries(&app).len();
    // A bare number is refused inline; nothing is written.
    press(&mut app, "n");
    app.handle_event(key(KeyCode::Right)); // design
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Backspace));
    app.handle_event(key(KeyCode::Backspace));
    press(&mut app, "45");
    ctrl(&mut app, 's');
    assert!(render(&app, 120, 40).contains("needs a unit"));
    assert_eq!(entries(&app).len(), before);
    press(&mut app, "m");
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "saved and closed: {}", render(&app, 120, 40));
    assert_eq!(status(&app), "Logged 0:45 of design on 2026-11-20.");
    let logged = app.selected_time_entry().cloned().unwrap();
    assert_eq!(logged.activity, Activity::Design);
    assert_eq!(logged.started_at, "2026-11-20T09:00:00Z".parse().unwrap(), "starts an hour ago by default");
    assert_eq!(logged.ended_at, Some("2026-11-20T09:45:00Z".parse().unwrap()));

    // Edit: the duration field shows 45m; make it 1h30m, which would end in the future: refused.
    press(&mut app, "e");
    for _ in 0..2 {
        app.handle_event(key(KeyCode::Tab));
    }
    for _ in 0..3 {
        app.handle_event(key(KeyCode::Backspace));
    }
    press(&mut app, "1h30m");
    ctrl(&mut app, 's');
    assert!(render(&app, 120, 40).contains("future"), "{}", render(&app, 120, 40));
    for _ in 0..5 {
        app.handle_event(key(KeyCode::Backspace));
    }
    press(&mut app, "1h");
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty());
    assert_eq!(app.session.store.time_entry(logged.id).unwrap().ended_at, Some(now()));
    press(&mut app, "u");
    assert_eq!(app.session.store.time_entry(logged.id).unwrap().ended_at, logged.ended_at, "undo reverts the edit");
}

#[test]
fn the_header_names_the_interview_a_timer_belongs_to() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Clock::Fixed(now()));
    let demo = elicit::demo::load(&mut store).unwrap();
    let start = now() - SignedDuration::from_mins(30);
    let interview = store
        .add_interview(
            demo.project.id,
            NewInterview {
                title: "Store manager \u{1b}[2Jwalkthrough".into(),
                mode: InterviewMode::InPerson,
                started_at: start,
                ended_at: None,
                notes: String::new(),
                stakeholders: Vec::new(),
            },
        )
        .unwrap();
    store
        .add_time_entry(
            demo.project.id,
            NewTimeEntry {
                activity: Activity::Requirements,
                started_at: start,
                ended_at: None,
                interview: Some(interview.id),
                note: String::new(),
            },
        )
        .unwrap();
    let app = App::new(store, None, Theme { color: false }).unwrap();
    let header = render(&app, 120, 40).lines().next().unwrap_or("").to_owned();
    assert!(header.contains("● Store manager [2Jwalkthrough 0:30:00"), "{header}");
    assert!(!header.contains('\u{1b}'));
}

#[test]
fn snapshots_of_the_time_screen_with_a_running_timer() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    let project = app.session.data.as_ref().unwrap().project.id;
    app.session.store.start_timer(project, Activity::Requirements, "Workshop prep").unwrap();
    set_clock(&mut app, now() + SignedDuration::from_secs(12 * 60 + 5));
    app.reload();
    app.update(Action::Screen(7));
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        app.size = (w, h);
        insta::assert_snapshot!(format!("time_running_{w}x{h}"), render(&app, w, h));
    }
    app.update(Action::New);
    insta::assert_snapshot!("time_form_120x40", render(&app, 120, 40));
    app.handle_event(key(KeyCode::Esc));
    app.update(Action::StartTimer);
    insta::assert_snapshot!("time_picker_80x24", render(&app, 80, 24));
}

#[test]
fn an_empty_project_says_how_to_start_and_never_panics_at_any_size() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Clock::Fixed(now()));
    let mut app = App::new(store, None, Theme { color: false }).unwrap();
    press(&mut app, "EMP");
    app.handle_event(key(KeyCode::Tab));
    press(&mut app, "Empty");
    ctrl(&mut app, 's');
    app.update(Action::Screen(7));
    let frame = render(&app, 80, 24);
    assert!(frame.contains("No time logged yet. Press s to start a timer"), "{frame}");
    assert!(frame.contains("share: none yet"), "{frame}");
    let db2 = TempDb::new();
    let mut demo = demo_app(&db2);
    demo.update(Action::Screen(7));
    for (w, h) in [(1, 1), (60, 16), (61, 17), (99, 30), (100, 20), (200, 60)] {
        render(&demo, w, h);
        render(&app, w, h);
    }
}

#[test]
fn the_first_minutes_show_the_share_so_far_instead_of_a_verdict() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Clock::Fixed(now()));
    let p = store
        .create_project(elicit::store::NewProject {
            key: "NEW".parse().unwrap(),
            name: "First interview".into(),
            description: String::new(),
            journey: String::new(),
            stages: Vec::new(),
            planned_hours: None,
            target_min: 0.25,
            target_max: 0.4,
        })
        .unwrap();
    let started = now().checked_sub(SignedDuration::from_mins(12)).unwrap();
    store
        .add_time_entry(
            p.id,
            NewTimeEntry {
                activity: Activity::Requirements,
                started_at: started,
                ended_at: None,
                interview: None,
                note: String::new(),
            },
        )
        .unwrap();
    let app = App::new(store, None, Theme { color: false }).unwrap();
    let screen = render(&app, 120, 40);
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.contains("100% so far (12 min logged; judged from 1 h)"), "{header}");
    assert!(!header.contains("above"), "no verdict yet: {header}");
}

/// Overlapping entries are marked on the Time screen and counted once in the share, a running timer that
/// overlaps finished time included; coverage says "nothing defined" instead of a green "none" when there is
/// nothing to cover, and expected departments nobody was heard from are gaps.
#[test]
fn overlaps_are_marked_and_counted_once_and_coverage_says_when_nothing_is_defined() {
    let db = TempDb::new();
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Clock::Fixed(now()));
    let project = store.create_project(elicit::store::NewProject::new("TST".parse().unwrap(), "Overlaps")).unwrap();
    let at = |h: i64, m: i64| now() - SignedDuration::from_hours(10) + SignedDuration::from_mins(h * 60 + m);
    for (from, to) in [((0, 0), (1, 0)), ((0, 30), (1, 30))] {
        let new = NewTimeEntry {
            activity: Activity::Requirements,
            started_at: at(from.0, from.1),
            ended_at: Some(at(to.0, to.1)),
            interview: None,
            note: String::new(),
        };
        store.add_time_entry(project.id, new).unwrap();
    }
    store.set_departments(project.id, &["Legal".to_owned()]).unwrap();
    let mut app = App::new(store, None, Theme { color: false }).unwrap();
    let d = app.session.data.as_ref().unwrap();
    assert_eq!(d.overlapping.len(), 2, "both entries overlap the other");
    let t = d.time_totals(now());
    assert!((t.total_hours - 1.5).abs() < 1e-9, "10:00-11:00 and 10:30-11:30 count 1.5 h, not 2: {t:?}");
    app.update(Action::Screen(7));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("* 2 overlap another entry"), "{screen}");
    // A running timer started inside the logged time is not counted on top of it.
    let p = app.session.data.as_ref().unwrap().project.id;
    app.session
        .store
        .add_time_entry(
            p,
            NewTimeEntry {
                activity: Activity::Requirements,
                started_at: at(1, 0),
                ended_at: None,
                interview: None,
                note: String::new(),
            },
        )
        .unwrap();
    app.reload();
    let t = app.session.data.as_ref().unwrap().time_totals(at(2, 0));
    assert!((t.total_hours - 2.0).abs() < 1e-9, "10:00 to 12:00 is 2 h, whatever overlaps: {t:?}");
    // No outcomes defined: not a green "none"; Legal is expected and not heard.
    app.update(Action::Screen(1));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Outcomes, no requirement: no outcomes defined"), "{screen}");
    assert!(!screen.contains("✓ Outcomes, no requirement: none"), "{screen}");
    assert!(screen.contains("Legal"), "the expected department is a gap: {screen}");
}
