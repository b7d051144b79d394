//! The workbench: update sequences over a real temp database, snapshots of every screen and overlay,
//! and random key storms that must never panic or corrupt the file.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use elicit::domain::*;
use elicit::store::{Clock, RequirementFilter, Store};
use elicit::tui::action::Action;
use elicit::tui::app::{App, Screen};
use elicit::tui::forms::FormView;
use elicit::tui::message::FieldId;
use elicit::tui::overlays::Confirm;
use elicit::tui::overlays::RequirementList;
use elicit::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::TempDb;

const NOW: &str = "2026-11-20T10:00:00Z";

fn store(db: &TempDb) -> Store {
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Clock::Fixed(NOW.parse().unwrap()));
    store
}

fn demo_app(db: &TempDb) -> App {
    let mut s = store(db);
    elicit::demo::load(&mut s).unwrap();
    App::new(s, None, Theme { color: false }).unwrap()
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.handle_event(key(KeyCode::Char(c)));
    }
}

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| elicit::tui::ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn project_rows(app: &App) -> Vec<RequirementDetails> {
    let d = app.session.data.as_ref().unwrap();
    app.session.store.requirements(&d.project, &RequirementFilter::default()).unwrap()
}

#[test]
fn first_run_creates_a_project_from_the_form() {
    let db = TempDb::new();
    let mut app = App::new(store(&db), None, Theme { color: false }).unwrap();
    assert!(app.session.data.is_none());
    assert!(app.top::<FormView>().is_some());
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Welcome to elicit"), "{screen}");
    press(&mut app, "chk");
    app.handle_event(key(KeyCode::Tab));
    press(&mut app, "Checkout redesign");
    app.handle_event(ctrl('s'));
    let d = app.session.data.as_ref().expect("project created");
    assert_eq!(d.project.key.as_str(), "CHK");
    assert_eq!(d.stages.len(), 7, "retail journey by default");
    assert!(app.overlays.is_empty());
}

#[test]
fn first_run_rejects_a_bad_key_inline_and_can_load_the_demo() {
    let db = TempDb::new();
    let mut app = App::new(store(&db), None, Theme { color: false }).unwrap();
    press(&mut app, "c1");
    app.handle_event(ctrl('s'));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("2 to 8 upper-case letters"), "{screen}");
    assert!(app.session.data.is_none());
    app.handle_event(ctrl('d'));
    assert_eq!(app.session.data.as_ref().map(|d| d.rows.len()), Some(40));
}

#[test]
fn adding_editing_deleting_and_undoing_through_the_form() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    app.update(Action::New);
    press(&mut app, "Refund without a receipt");
    app.handle_event(key(KeyCode::Tab));
    press(&mut app, "The till shall refund to the original card.");
    app.handle_event(ctrl('s'));
    assert!(app.overlays.is_empty(), "saved and closed");
    let rows = project_rows(&app);
    assert_eq!(rows.len(), 41);
    let added = rows.iter().find(|r| r.requirement.title == "Refund without a receipt").expect("saved");
    assert_eq!(added.human_id, "SHOP-41");
    assert_eq!(added.requirement.statement, "The till shall refund to the original card.");
    assert_eq!(app.selected_requirement(), Some(added.requirement.id), "the new one is selected");

    // Edit: priority via the choice field, then save.
    app.update(Action::Edit);
    for _ in 0..7 {
        app.handle_event(key(KeyCode::Tab));
    }
    app.handle_event(key(KeyCode::Left));
    app.handle_event(ctrl('s'));
    let edited = app.session.store.requirement(added.requirement.id).unwrap();
    assert_eq!(edited.priority, Priority::Must);
    assert_eq!(edited.version, 2);

    // Delete asks first; undo brings it back.
    app.update(Action::Delete);
    assert!(app.top::<Confirm>().is_some());
    press(&mut app, "y");
    assert_eq!(project_rows(&app).len(), 40);
    press(&mut app, "u");
    assert_eq!(project_rows(&app).len(), 41);
    assert_eq!(app.session.data.as_ref().unwrap().rows.len(), 41, "the view follows the store");
}

#[test]
fn an_empty_title_is_refused_inline_and_nothing_is_saved() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    app.update(Action::New);
    app.handle_event(ctrl('s'));
    assert!(app.top::<FormView>().is_some(), "form stays open");
    assert!(render(&app, 100, 30).contains("title must not be empty"));
    assert_eq!(project_rows(&app).len(), 40);
    // Esc with typed text asks before dropping it.
    press(&mut app, "x");
    app.handle_event(key(KeyCode::Esc));
    assert!(app.top::<Confirm>().is_some());
    press(&mut app, "y");
    assert!(app.overlays.is_empty());
}

#[test]
fn status_and_priority_keys_write_through() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    let id = app.selected_requirement().unwrap();
    let before = app.session.store.requirement(id).unwrap();
    press(&mut app, "s+");
    let after = app.session.store.requirement(id).unwrap();
    assert_eq!(after.status, before.status.next());
    assert_eq!(after.priority, before.priority.raised());
}

#[test]
fn filter_narrows_fuzzily_and_escape_clears() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    press(&mut app, "/");
    press(&mut app, "gift card");
    let n = app.screens.requirements.index.visible.len();
    assert!((1..40).contains(&n), "{n}");
    let d = app.session.data.as_ref().unwrap();
    let first = &d.rows[app.screens.requirements.index.visible[0]];
    assert!(first.title.to_lowercase().contains("gift"), "best match first: {}", first.title);
    app.handle_event(key(KeyCode::Enter));
    assert!(!app.screens.requirements.filtering);
    assert_eq!(app.screens.requirements.index.visible.len(), n, "Enter keeps the filter");
    app.handle_event(key(KeyCode::Esc));
    assert_eq!(app.screens.requirements.index.visible.len(), 40);
}

#[test]
fn sorting_cycles_columns() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    press(&mut app, "o");
    let d = app.session.data.as_ref().unwrap();
    let titles: Vec<String> =
        app.screens.requirements.index.visible.iter().map(|&i| d.rows[i].title.to_lowercase()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    press(&mut app, "O");
    let d = app.session.data.as_ref().unwrap();
    assert_eq!(d.rows[app.screens.requirements.index.visible[0]].title.to_lowercase(), *sorted.last().unwrap());
}

#[test]
fn journey_moves_requirements_between_stages_and_the_matrix_lists_a_cell() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(4));
    let d = app.session.data.as_ref().unwrap();
    let discover = d.stages[0].id;
    let first = d.rows.iter().find(|r| r.stage == Some(discover)).unwrap().id;
    press(&mut app, "L");
    let moved = app.session.store.requirement(first).unwrap();
    assert_eq!(moved.stage, Some(app.session.data.as_ref().unwrap().stages[1].id));
    assert_eq!(app.screens.journey.column, 1, "the cursor follows the card");
    press(&mut app, "u");
    assert_eq!(app.session.store.requirement(first).unwrap().stage, Some(discover));

    press(&mut app, "m");
    assert!(app.screens.journey.matrix);
    app.handle_event(key(KeyCode::Enter));
    match app.top::<RequirementList>() {
        Some(RequirementList { items, .. }) => assert!(!items.is_empty()),
        other => panic!("expected a list, got {other:?}"),
    }
    app.handle_event(key(KeyCode::Enter));
    assert_eq!(app.screen, Screen::Requirements, "Enter jumps to the requirement");
}

#[test]
fn stages_can_be_added_reordered_and_deleted_with_a_destination() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(4));
    press(&mut app, "a");
    press(&mut app, "Renew");
    app.handle_event(ctrl('s'));
    let d = app.session.data.as_ref().unwrap();
    assert_eq!(d.stages.last().unwrap().name, "Renew");
    press(&mut app, ">");
    let d = app.session.data.as_ref().unwrap();
    assert_eq!(d.stages[1].name, "Discover", "Discover moved one place right");
    // Delete Browse (now first) and send its requirement to Buy.
    app.screens.journey.column = 0;
    let browse = d.stages[0].clone();
    assert_eq!(browse.name, "Browse");
    press(&mut app, "D");
    press(&mut app, "buy");
    app.handle_event(key(KeyCode::Enter));
    let d = app.session.data.as_ref().unwrap();
    assert!(d.stages.iter().all(|s| s.id != browse.id));
    let buy = d.stages.iter().find(|s| s.name == "Buy").unwrap().id;
    assert!(d.rows.iter().all(|r| r.stage != Some(browse.id)));
    assert!(d.rows.iter().filter(|r| r.stage == Some(buy)).count() >= 11);
}

#[test]
fn outcome_and_stakeholder_forms_save() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(5));
    press(&mut app, "n");
    press(&mut app, "Fewer repeat calls");
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Right));
    app.handle_event(key(KeyCode::Tab));
    press(&mut app, "abc");
    app.handle_event(ctrl('s'));
    assert!(render(&app, 100, 30).contains("must be a number"), "bad baseline is refused inline");
    app.handle_event(key(KeyCode::Backspace));
    app.handle_event(key(KeyCode::Backspace));
    app.handle_event(key(KeyCode::Backspace));
    press(&mut app, "12.5");
    app.handle_event(ctrl('s'));
    let d = app.session.data.as_ref().unwrap();
    let o = d.outcomes.iter().find(|o| o.statement == "Fewer repeat calls").expect("saved");
    assert_eq!((o.metric, o.baseline), (Metric::Csat, Some(12.5)));

    app.update(Action::Screen(6));
    press(&mut app, "n");
    press(&mut app, "Rita Gomez");
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Tab));
    press(&mut app, "Procurement");
    app.handle_event(ctrl('s'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Rita Gomez") && screen.contains("✗ not heard Procurement"), "{screen}");
}

#[test]
fn picking_stage_and_outcomes_in_the_form() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    app.update(Action::New);
    press(&mut app, "Picked links");
    for _ in 0..4 {
        app.handle_event(key(KeyCode::Tab));
    }
    app.handle_event(key(KeyCode::Enter));
    press(&mut app, "support");
    app.handle_event(key(KeyCode::Enter));
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Enter));
    press(&mut app, "refund");
    app.handle_event(key(KeyCode::Char(' ')));
    app.handle_event(key(KeyCode::Enter));
    app.handle_event(ctrl('s'));
    let rows = project_rows(&app);
    let r = rows.iter().find(|r| r.requirement.title == "Picked links").expect("saved");
    assert_eq!(r.stage_name.as_deref(), Some("Get support"));
    assert_eq!(r.outcome_statements.len(), 1);
    assert!(r.outcome_statements[0].to_lowercase().contains("refund"));
}

#[test]
fn unsaved_form_text_is_offered_back_after_a_restart() {
    let db = TempDb::new();
    {
        let mut app = demo_app(&db);
        app.update(Action::Screen(3));
        app.update(Action::New);
        press(&mut app, "Half typed need");
        app.autosave_draft();
        // The app is dropped here without saving: as after a crash.
    }
    let mut app = App::new(store(&db), None, Theme { color: false }).unwrap();
    assert!(app.top::<Confirm>().is_some(), "offers the draft");
    press(&mut app, "y");
    match app.top::<FormView>() {
        Some(FormView { form, .. }) => assert_eq!(form.text(FieldId::Title), "Half typed need"),
        other => panic!("expected the form, got {other:?}"),
    }
    app.handle_event(ctrl('s'));
    assert!(project_rows(&app).iter().any(|r| r.requirement.title == "Half typed need"));
    let d = app.session.data.as_ref().unwrap();
    assert!(
        app.session.store.draft(d.project.id, elicit::tui::forms::DRAFT_FORM).unwrap().is_none(),
        "draft cleared on save"
    );
}

#[test]
fn changes_by_another_process_appear() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    let mut other = store(&db);
    let p = other.resolve_project(None).unwrap();
    other.add_requirement(p.id, NewRequirement { title: "From the CLI".into(), ..Default::default() }).unwrap();
    // The workbench looks for other writers twice a second.
    crate::common::eventually("the other process's requirement to appear", || {
        app.tick();
        app.session.data.as_ref().unwrap().rows.len() == 41
    });
}

#[test]
fn mouse_clicks_switch_tabs_and_select_rows() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.size = (120, 40);
    let click = |col, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.handle_event(click(30, 1));
    assert_eq!(app.screen, Screen::Requirements);
    app.handle_event(click(10, 6));
    assert_eq!(app.screens.requirements.index.selected, 2, "row 6 is the third data row under the border and header");
    app.handle_event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.screens.requirements.index.selected, 3);
}

#[test]
fn control_characters_from_the_database_never_reach_the_screen() {
    let db = TempDb::new();
    let mut s = store(&db);
    elicit::demo::load(&mut s).unwrap();
    let p = s.resolve_project(None).unwrap();
    let r = s.add_requirement(p.id, NewRequirement { title: "plain".into(), ..Default::default() }).unwrap();
    // Write escape sequences straight into the file, as a foreign tool could.
    s.connection()
        .execute(
            "UPDATE requirement SET title = ?1 WHERE id = ?2",
            ["evil\u{1b}]0;pwned\u{7}\u{1b}[2J title", &r.id.to_string()],
        )
        .unwrap();
    let mut app = App::new(s, None, Theme { color: false }).unwrap();
    app.update(Action::Screen(3));
    app.update(Action::Last);
    let screen = render(&app, 120, 40);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    assert!(screen.contains("evil]0;pwned[2J title"), "{screen}");
}

#[test]
fn tiny_terminals_get_a_message_and_never_panic() {
    let db = TempDb::new();
    let app = demo_app(&db);
    for (w, h) in [(1, 1), (2, 1), (10, 3), (59, 30), (80, 15), (60, 16)] {
        let screen = render(&app, w, h);
        if w < 60 || h < 16 {
            if w * h >= 40 {
                assert!(screen.contains("Terminal"), "{w}x{h}: {screen}");
            }
        } else {
            assert!(screen.contains("elicit"), "{w}x{h}");
        }
    }
}

fn snapshot_app(db: &TempDb) -> App {
    let mut app = demo_app(db);
    // The quality of the project is assessed in the background: the screens show it once it is in.
    app.wait_for(elicit::tui::session::Session::assessing);
    app.status.current = None;
    app
}

/// Snapshots `scenario` (what a user does from the demo on the Requirements screen) at 80x24 and
/// 120x40, each size from a fresh workbench, as `NAME_WxH`.
fn snapshot(name: &str, scenario: fn(&mut App)) {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let db = TempDb::new();
        let mut app = snapshot_app(&db);
        app.size = (w, h);
        scenario(&mut app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn snapshot_of_the_dashboard() {
    snapshot("screen_dashboard", |app| app.update(Action::Screen(1)));
}

#[test]
fn snapshot_of_the_capture_screen() {
    snapshot("screen_capture", |app| app.update(Action::Screen(2)));
}

#[test]
fn snapshot_of_the_requirements_screen() {
    snapshot("screen_requirements", |app| app.update(Action::Screen(3)));
}

#[test]
fn snapshot_of_the_journey_board() {
    snapshot("screen_journey", |app| app.update(Action::Screen(4)));
}

#[test]
fn snapshot_of_the_outcomes_screen() {
    snapshot("screen_outcomes", |app| app.update(Action::Screen(5)));
}

#[test]
fn snapshot_of_the_stakeholders_screen() {
    snapshot("screen_stakeholders", |app| app.update(Action::Screen(6)));
}

#[test]
fn snapshot_of_the_time_screen() {
    snapshot("screen_time", |app| app.update(Action::Screen(7)));
}

#[test]
fn snapshot_of_the_traceability_matrix() {
    snapshot("matrix", |app| {
        app.update(Action::Screen(4));
        app.update(Action::ToggleMatrix);
    });
}

/// The Requirements screen filtered to "refund", as typed.
fn filtered(app: &mut App) {
    app.update(Action::Screen(3));
    press(app, "/");
    press(app, "refund");
}

/// The filter kept and left (Esc), as the overlays below start from.
fn after_filtering(app: &mut App) {
    filtered(app);
    app.handle_event(key(KeyCode::Esc));
}

#[test]
fn snapshot_of_a_filter_being_typed() {
    snapshot("filter", filtered);
}

#[test]
fn snapshot_of_help() {
    snapshot("help", |app| {
        after_filtering(app);
        app.update(Action::Help);
    });
}

/// The edit form of the selected requirement.
fn editing(app: &mut App) {
    after_filtering(app);
    app.update(Action::Edit);
}

#[test]
fn snapshot_of_the_edit_form() {
    snapshot("form", editing);
}

#[test]
fn snapshot_of_a_picker_over_the_form() {
    snapshot("picker", |app| {
        editing(app);
        for _ in 0..4 {
            app.handle_event(key(KeyCode::Tab));
        }
        app.handle_event(key(KeyCode::Enter));
    });
}

#[test]
fn snapshot_of_a_question() {
    snapshot("confirm", |app| {
        after_filtering(app);
        app.update(Action::Delete);
    });
}

#[test]
fn snapshot_of_a_list_of_requirements() {
    snapshot("list", |app| {
        app.update(Action::Screen(5));
        app.update(Action::Open);
    });
}

#[test]
fn snapshot_of_the_project_picker() {
    snapshot("projects", |app| {
        app.update(Action::Screen(5));
        app.update(Action::ProjectPicker);
    });
}

#[test]
fn snapshot_of_the_first_run_form() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let empty = TempDb::new();
        let first = App::new(store(&empty), None, Theme { color: false }).unwrap();
        insta::assert_snapshot!(format!("first_run_{w}x{h}"), render(&first, w, h));
    }
}

mod storm {
    use proptest::prelude::*;

    use super::*;

    fn event() -> impl Strategy<Value = Event> {
        let keys = prop_oneof![
            proptest::char::range(' ', '~').prop_map(KeyCode::Char),
            Just(KeyCode::Enter),
            Just(KeyCode::Esc),
            Just(KeyCode::Tab),
            Just(KeyCode::BackTab),
            Just(KeyCode::Backspace),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::PageDown),
            Just(KeyCode::Home),
        ];
        let mods = prop_oneof![Just(KeyModifiers::NONE), Just(KeyModifiers::SHIFT), Just(KeyModifiers::CONTROL)];
        prop_oneof![
            8 => (keys, mods).prop_filter_map("no quit", |(k, m)| {
                // Quitting would end the storm early; everything else is fair game.
                if m == KeyModifiers::CONTROL && k == KeyCode::Char('c') || k == KeyCode::Char('q') {
                    None
                } else {
                    let mut ev = KeyEvent::new(k, m);
                    ev.kind = KeyEventKind::Press;
                    Some(Event::Key(ev))
                }
            }),
            1 => (1u16..200, 1u16..60).prop_map(|(w, h)| Event::Resize(w, h)),
            1 => (0u16..200, 0u16..60).prop_map(|(c, r)| Event::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left), column: c, row: r, modifiers: KeyModifiers::NONE })),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn random_keys_at_random_sizes_never_panic(events in proptest::collection::vec(event(), 1..300)) {
            let db = TempDb::new();
            let mut app = demo_app(&db);
            for ev in events {
                if let Event::Resize(w, h) = ev {
                    app.size = (w, h);
                }
                app.handle_event(ev);
                let (w, h) = app.size;
                render(&app, w, h);
                if app.should_quit {
                    break;
                }
            }
            prop_assert!(app.session.store.check_integrity().unwrap().is_empty());
        }
    }
}

#[test]
fn x_exports_the_report_to_a_proposed_or_typed_file_and_never_overwrites_silently() {
    use elicit::tui::form::Field;
    let db = TempDb::new();
    let mut app = demo_app(&db);
    press(&mut app, "x");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Export SHOP") && screen.contains("HTML report"), "{screen}");
    let proposed = match app.top::<FormView>() {
        Some(FormView { form, .. }) => form.text(FieldId::Path),
        other => panic!("export form expected, got {other:?}"),
    };
    assert!(proposed.ends_with("SHOP-report-2026-11-20.html"), "{proposed}");

    let out = db.dir.path().join("shop.md");
    let set_path = |app: &mut App| {
        let Some(FormView { form, .. }) = app.top_mut::<FormView>() else { panic!("form") };
        *form.field_mut(FieldId::Path).unwrap() = Field::line(FieldId::Path, "Save to", out.to_str().unwrap());
    };
    app.handle_event(key(KeyCode::Right));
    let Some(FormView { form, .. }) = app.top::<FormView>() else { panic!("form") };
    assert!(form.text(FieldId::Path).ends_with("SHOP-report-2026-11-20.md"), "the proposed name follows the format");
    set_path(&mut app);
    app.handle_event(key(KeyCode::Right));
    app.handle_event(key(KeyCode::Left));
    let Some(FormView { form, .. }) = app.top::<FormView>() else { panic!("form") };
    assert!(form.text(FieldId::Path).ends_with("shop.md"), "a typed name stays");
    app.handle_event(ctrl('s'));
    assert!(app.overlays.is_empty(), "the form closes once exported");
    let status = app.status.current.clone().unwrap();
    assert!(!status.error && status.text.contains("written to") && status.text.contains("shop.md"), "{status:?}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("Executive summary") && md.contains("SHOP-40"), "a Markdown report of every requirement");

    // The same file again: refused until Replace is on, and the first export is untouched meanwhile.
    std::fs::write(&out, "keep me").unwrap();
    press(&mut app, "x");
    app.handle_event(key(KeyCode::Right));
    set_path(&mut app);
    app.handle_event(ctrl('s'));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("that file exists"), "{screen}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Char(' ')));
    app.handle_event(ctrl('s'));
    assert!(app.overlays.is_empty(), "{}", render(&app, 100, 30));
    assert!(std::fs::read_to_string(&out).unwrap().contains("Executive summary"));

    // A folder that does not exist: the error is on the form, nothing is left behind.
    press(&mut app, "x");
    let Some(FormView { form, .. }) = app.top_mut::<FormView>() else { panic!("form") };
    let missing = db.dir.path().join("no-such-folder").join("r.html");
    *form.field_mut(FieldId::Path).unwrap() = Field::line(FieldId::Path, "Save to", missing.to_str().unwrap());
    app.handle_event(ctrl('s'));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("cannot write"), "{screen}");
    assert!(!missing.exists());
}

/// A big project exports on its own thread: the form closes at once with a message that the file is being
/// written, the workbench goes on, and the message that it was written follows when it is.
#[test]
fn a_big_project_exports_in_the_background_and_says_when_it_is_done() {
    use elicit::report::{ImportFormat, ImportOptions, import};
    use elicit::tui::form::Field;
    let db = TempDb::new();
    let mut s = store(&db);
    elicit::demo::load(&mut s).unwrap();
    let mut csv = String::from("title,stage\n");
    for i in 0..5_000 {
        csv.push_str(&format!("Imported requirement {i},Buy\n"));
    }
    let options = ImportOptions { file_label: "big.csv".into(), ..ImportOptions::default() };
    assert_eq!(import(&mut s, ImportFormat::Csv, csv.as_bytes(), &options).unwrap().imported, 5_000);
    let mut app = App::new(s, None, Theme { color: false }).unwrap();
    app.wait_for(elicit::tui::session::Session::loading);

    let out = db.dir.path().join("big.csv");
    press(&mut app, "x");
    let Some(FormView { form, .. }) = app.top_mut::<FormView>() else { panic!("form") };
    *form.field_mut(FieldId::Path).unwrap() = Field::line(FieldId::Path, "Save to", out.to_str().unwrap());
    for _ in 0..3 {
        app.handle_event(key(KeyCode::Right));
    }
    app.handle_event(ctrl('s'));
    assert!(app.overlays.is_empty(), "the form closes at once");
    let status = app.status.current.clone().unwrap();
    assert!(!status.error && status.text.contains("Writing the CSV of SHOP"), "{status:?}");
    app.wait_for(elicit::tui::session::Session::writing);
    let status = app.status.current.clone().unwrap();
    assert!(!status.error && status.text.contains("written to") && status.text.contains("big.csv"), "{status:?}");
    let rows = csv::Reader::from_path(&out).unwrap().records().count();
    assert_eq!(rows, 40 + 5_000, "every requirement");
}

#[test]
fn the_header_share_kept_with_the_data_equals_the_share_over_every_entry() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    let project = app.session.data.as_ref().unwrap().project.id;
    app.session.store.start_timer(project, Activity::Requirements, "").unwrap();
    app.reload();
    let d = app.session.data.as_ref().unwrap();
    let later: Timestamp = "2026-11-20T13:30:00Z".parse().unwrap();
    assert!(d.running_timer().is_some());
    let cached = d.requirements_share(later).unwrap();
    let direct = elicit::analysis::requirements_share(&d.time, later).unwrap();
    assert!((cached - direct).abs() < 1e-12, "{cached} vs {direct}");
    assert!(cached > d.requirements_share(NOW.parse().unwrap()).unwrap(), "the running timer counts up to now");
}

/// Help as the user sees it lists every binding of every mode: each key with its description, read off a
/// rendered frame (tall enough for all of it) rather than off the table help is built from.
#[test]
fn help_on_screen_shows_every_key_with_what_it_does() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    let (w, h) = (120u16, 700u16);
    app.size = (w, h);
    app.update(Action::Help);
    let screen = render(&app, w, h);
    // The help box's text as words, so a description carried on to the next line still reads whole.
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = words(&screen.replace(['│', '"'], " "));
    for mode in elicit::tui::keymap::Mode::ALL {
        for (keys, description) in elicit::tui::keymap::help_lines(mode) {
            let line = words(&format!("{keys} {description}"));
            assert!(text.contains(&line), "help does not show {line:?} ({mode:?}):\n{screen}");
        }
        assert!(text.contains(mode.title()), "help has no heading {:?}", mode.title());
    }
    // A key the help promises does what it says: the first binding of each Requirements line, pressed.
    app.update(Action::Cancel);
    app.update(Action::Screen(3));
    app.handle_event(key(KeyCode::Char('n')));
    assert!(app.top::<FormView>().is_some(), "n opens the new-requirement form as help says");
}

/// The words drawn underlined on the row of the 120x40 screen that shows `line`.
fn marked_words(app: &App, line: &str) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| elicit::tui::ui::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let row: String = (0..area.width).map(|x| buffer[(x, y)].symbol().to_owned()).collect();
        if !row.contains(line) {
            continue;
        }
        let mut words = Vec::new();
        let mut word = String::new();
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if cell.modifier.contains(ratatui::style::Modifier::UNDERLINED) && cell.symbol() != " " {
                word.push_str(cell.symbol());
            } else if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
        return words;
    }
    panic!("no row shows {line:?}");
}

/// The edit form says what is weak in a text as it is typed, and the detail pane lists every finding
/// with the requirement's quality score and EARS pattern.
#[test]
fn the_edit_form_and_the_detail_pane_show_the_quality_findings() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    app.handle_event(key(KeyCode::Char('n')));
    press(&mut app, "Quick search");
    let form = &app.top::<FormView>().expect("the form").form;
    let note = form.field(FieldId::Title).and_then(|f| f.note.clone()).unwrap_or_default();
    assert!(note.contains("\"Quick\""), "{note}");
    // The offending word is marked where it is typed, and only it.
    let marked = marked_words(&app, "Quick search");
    assert_eq!(marked, ["Quick"], "as typed");
    // At rest (another field focused) the exact span stays marked.
    app.handle_event(key(KeyCode::Tab));
    press(&mut app, "Results appear quickly");
    assert_eq!(marked_words(&app, "Quick search"), ["Quick"], "at rest");
    assert_eq!(marked_words(&app, "Results appear quickly"), ["quickly"], "the statement as typed");
    app.handle_event(key(KeyCode::BackTab));
    // Fixed as typed: the note goes.
    for _ in 0.."Quick search".len() {
        app.handle_event(key(KeyCode::Backspace));
    }
    press(&mut app, "Search by order number");
    let form = &app.top::<FormView>().unwrap().form;
    assert_eq!(form.field(FieldId::Title).and_then(|f| f.note.clone()), None);
    app.handle_event(key(KeyCode::Esc));
    app.handle_event(key(KeyCode::Char('y')));
    // SHOP-7 "Fast and easy checkout" is one of the demo's weak ones.
    let id = app.session.data.as_ref().unwrap().rows.iter().find(|r| r.seq == 7).unwrap().id;
    app.show_requirement(id);
    app.handle_event(key(KeyCode::Down));
    app.handle_event(key(KeyCode::Up));
    let findings = &app.screens.requirements.findings;
    assert!(findings.iter().any(|f| f.text.eq_ignore_ascii_case("fast")), "{findings:?}");
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Quality ") && screen.contains("EARS: "), "{screen}");
}

/// The whole project's quality is assessed in the background (on another connection) and follows changes:
/// the Dashboard's score and the Requirements list's count of findings per requirement.
#[test]
fn the_projects_quality_is_assessed_in_the_background_and_follows_changes() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.wait_for(elicit::tui::session::Session::assessing);
    let q = app.session.quality.clone().expect("assessed");
    let seven = app.session.data.as_ref().unwrap().rows.iter().find(|r| r.seq == 7).unwrap().id;
    assert!(q.findings.get(&seven).is_some_and(|n| *n > 0), "SHOP-7 is one of the weak ones");
    app.size = (200, 40);
    app.update(Action::Screen(3));
    let screen = render(&app, 200, 40);
    let row = screen.lines().find(|l| l.contains("SHOP-7 ")).unwrap_or_default();
    assert!(row.contains(&format!(" {} ", q.findings[&seven])), "the count shows: {row}");
    // Fixed in another terminal: the assessment follows.
    let mut other = store(&db);
    let p = other.resolve_project(None).unwrap();
    let r = other.find_requirement(&p, "SHOP-7").unwrap();
    let better = RequirementPatch {
        title: Some("Checkout in three steps".into()),
        statement: Some("The checkout shall take at most three steps from basket to payment.".into()),
        ..Default::default()
    };
    other.update_requirement_if(r.id, Some(r.version), better).unwrap();
    crate::common::eventually("the workbench to reassess", || {
        app.tick();
        app.wait_for(elicit::tui::session::Session::assessing);
        app.session.quality.as_ref().is_some_and(|now| now.findings.get(&seven) < q.findings.get(&seven))
    });
}

/// `!` keeps only the requirements with quality findings (and again shows all); `F` lists every finding,
/// the most serious first, and Enter shows its requirement.
#[test]
fn the_findings_filter_and_view_lead_to_the_weak_requirements() {
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.wait_for(elicit::tui::session::Session::assessing);
    let q = app.session.quality.clone().expect("assessed");
    app.update(Action::Screen(3));
    let all = app.screens.requirements.index.visible.len();
    app.handle_event(key(KeyCode::Char('!')));
    let shown = app.screens.requirements.index.visible.len();
    assert_eq!(shown, q.findings.len());
    assert!(shown > 0 && shown < all, "{shown} of {all}");
    assert!(render(&app, 120, 40).contains("with findings"));
    app.handle_event(key(KeyCode::Char('!')));
    assert_eq!(app.screens.requirements.index.visible.len(), all, "all again");
    app.handle_event(key(KeyCode::Char('F')));
    use elicit::tui::findings::Findings;
    let quality = app.session.quality.as_ref();
    let rows: Vec<_> = Findings::rows(quality.unwrap()).cloned().collect();
    assert_eq!(rows.len(), q.list.len());
    let first = rows[0].clone();
    assert!(rows.iter().all(|r| r.finding.severity <= first.finding.severity), "the most serious first");
    assert_eq!(app.top::<Findings>().expect("the findings view").selected(quality), Some(&first));
    assert!(render(&app, 120, 40).contains("Quality findings ("));
    app.handle_event(key(KeyCode::Enter));
    assert!(app.overlays.is_empty());
    assert_eq!(app.selected_requirement(), Some(first.requirement));
}

/// In the Findings view `a` accepts the selected finding with a reason: it leaves the findings, is listed
/// as accepted (and in the detail pane), and `a` on it again counts it again.
#[test]
fn a_finding_is_accepted_with_a_reason_from_the_findings_view() {
    use elicit::tui::findings::Findings;
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.wait_for(elicit::tui::session::Session::assessing);
    app.update(Action::Screen(3));
    app.handle_event(key(KeyCode::Char('F')));
    let first = app.top::<Findings>().unwrap().selected(app.session.quality.as_ref()).cloned().expect("a finding");
    let open = app.session.quality.as_ref().unwrap().list.len();
    app.handle_event(key(KeyCode::Char('a')));
    assert!(app.top::<FormView>().is_some(), "a reason is asked for");
    // No reason, no acceptance.
    app.handle_event(key(KeyCode::Enter));
    assert!(app.top::<FormView>().is_some_and(|f| f.form.field(FieldId::Reason).unwrap().error.is_some()));
    press(&mut app, "Legal wording, agreed with the sponsor");
    app.handle_event(key(KeyCode::Enter));
    assert!(app.top::<Findings>().is_some(), "back in the findings view");
    app.wait_for(elicit::tui::session::Session::assessing);
    let q = app.session.quality.as_ref().unwrap();
    assert_eq!(q.list.len(), open - 1, "one finding fewer");
    assert_eq!(q.accepted.len(), 1);
    assert_eq!(q.accepted[0].finding, first.finding);
    assert!(render(&app, 120, 40).contains("1 accepted"));
    app.handle_event(key(KeyCode::Char('G')));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("accepted by") && screen.contains("Legal wording, agreed with the sponsor"), "{screen}");
    // The detail pane of that requirement says so.
    app.handle_event(key(KeyCode::Esc));
    app.show_requirement(first.requirement);
    app.handle_event(key(KeyCode::Down));
    app.handle_event(key(KeyCode::Up));
    assert_eq!(app.screens.requirements.accepted.len(), 1, "{:?}", app.screens.requirements.findings);
    assert!(!app.screens.requirements.findings.contains(&first.finding));
    // `a` on the accepted row withdraws it.
    app.handle_event(key(KeyCode::Char('F')));
    app.handle_event(key(KeyCode::Char('G')));
    let last = app.top::<Findings>().unwrap().selected(app.session.quality.as_ref()).cloned().unwrap();
    assert!(last.accepted.is_some(), "the accepted ones are listed last");
    app.handle_event(key(KeyCode::Char('a')));
    app.wait_for(elicit::tui::session::Session::assessing);
    let q = app.session.quality.as_ref().unwrap();
    assert_eq!((q.list.len(), q.accepted.len()), (open, 0));
}

/// The Requirements list narrowed by fields (shown in the title, Esc clears them), rows marked and set at
/// once (one undo step), a stakeholder's sign-off recorded for the marked rows (seen in the detail pane,
/// the sign-off filter and the Dashboard), and a requirement's history.
#[test]
fn the_list_filters_by_field_marks_rows_sets_them_at_once_and_records_a_sign_off() {
    use elicit::tui::overlays::History;
    use elicit::tui::picker::Picker;
    use elicit::tui::screens::narrow::Facet;
    let db = TempDb::new();
    let mut app = demo_app(&db);
    app.update(Action::Screen(3));
    let d = app.session.data.as_ref().unwrap();
    let musts = d.rows.iter().filter(|r| r.priority == Priority::Must).count();
    let legal: Vec<StakeholderId> =
        d.stakeholders.iter().filter(|s| s.department == "E-commerce").map(|s| s.id).collect();
    assert!(!legal.is_empty(), "the demo has someone in E-commerce");
    let must_from_ecommerce = d
        .rows
        .iter()
        .filter(|r| r.priority == Priority::Must && d.source_links.iter().any(|(q, s)| *q == r.id && legal.contains(s)))
        .count();
    // f: pick "priority must" by typing into the picker's search, then the department.
    app.handle_event(key(KeyCode::Char('f')));
    assert!(app.top::<Picker>().is_some());
    press(&mut app, "priority must");
    app.handle_event(key(KeyCode::Enter));
    assert_eq!(app.screens.requirements.facets, vec![Facet::Priority(Priority::Must)]);
    assert_eq!(app.screens.requirements.index.visible.len(), musts);
    assert!(render(&app, 120, 40).contains("priority must"), "the filter is in the title");
    app.handle_event(key(KeyCode::Char('f')));
    press(&mut app, "department E-commerce");
    app.handle_event(key(KeyCode::Enter));
    assert_eq!(app.screens.requirements.facets.len(), 2, "{:?}", app.screens.requirements.facets);
    assert_eq!(app.screens.requirements.index.visible.len(), must_from_ecommerce);
    // And the unconfirmed ones among them: nothing is signed off yet, so all of them.
    app.handle_event(key(KeyCode::Char('f')));
    press(&mut app, "needs sign-off");
    app.handle_event(key(KeyCode::Tab));
    app.handle_event(key(KeyCode::Enter));
    assert_eq!(app.screens.requirements.index.visible.len(), must_from_ecommerce);
    // Mark them all and record the E-commerce stakeholder's sign-off.
    app.handle_event(key(KeyCode::Char('*')));
    let marked = app.screens.requirements.marked.clone();
    assert_eq!(marked.len(), must_from_ecommerce);
    assert!(render(&app, 120, 40).contains(&format!("{} marked", marked.len())));
    app.handle_event(key(KeyCode::Char('c')));
    assert!(app.top::<FormView>().is_some(), "the sign-off form");
    app.handle_event(ctrl('s'));
    assert!(app.overlays.is_empty(), "saved: {:?}", app.status.current);
    let d = app.session.data.as_ref().unwrap();
    for id in &marked {
        let row = d.rows.iter().find(|r| r.id == *id).unwrap();
        assert!(d.sign_off(row).is_confirmed(), "{} is confirmed", d.human_id(row.seq));
    }
    // The sign-off filter follows: none of them needs sign-off now.
    assert_eq!(app.screens.requirements.index.visible.len(), 0, "needs-sign-off keeps none now");
    assert!(render(&app, 120, 40).contains("Nothing matches the filter"));
    // Esc clears every filter; the marks stay until a second Esc.
    app.handle_event(key(KeyCode::Esc));
    assert!(app.screens.requirements.facets.is_empty());
    let all = app.session.data.as_ref().unwrap().rows.len();
    assert_eq!(app.screens.requirements.index.visible.len(), all);
    assert_eq!(app.screens.requirements.marked.len(), marked.len());
    // Set a stage and a tag on the marked ones at once; one undo takes it all back.
    let before: Vec<Requirement> = marked.iter().map(|id| app.session.store.requirement(*id).unwrap()).collect();
    app.handle_event(key(KeyCode::Char('b')));
    assert!(app.top::<FormView>().is_some(), "the set form");
    app.handle_event(key(KeyCode::Right)); // stage: (no stage)
    app.handle_event(key(KeyCode::Right)); // stage: the first one
    for _ in 0..4 {
        app.handle_event(key(KeyCode::Tab));
    }
    press(&mut app, "reviewed");
    app.handle_event(ctrl('s'));
    assert!(app.overlays.is_empty(), "{:?}", app.status.current);
    let first_stage = app.session.data.as_ref().unwrap().stages[0].id;
    for id in &marked {
        let r = app.session.store.requirement(*id).unwrap();
        assert_eq!(r.stage, Some(first_stage));
        assert!(r.tags.contains(&"reviewed".to_owned()), "{:?}", r.tags);
    }
    let project = app.session.data.as_ref().unwrap().project.id;
    app.session.store.undo(project).unwrap();
    for b in &before {
        let r = app.session.store.requirement(b.id).unwrap();
        assert_eq!((r.stage, &r.tags), (b.stage, &b.tags), "one undo reverts every one");
    }
    // The sign-off shows in the detail pane and the Dashboard no longer awaits those.
    app.reload();
    let id = *marked.iter().next().unwrap();
    app.show_requirement(id);
    app.handle_event(key(KeyCode::Down));
    app.handle_event(key(KeyCode::Up));
    app.show_requirement(id);
    app.handle_event(Event::Resize(120, 40));
    // (The set and its undo each made a new version: it reads "changed since" now.)
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Sign-off: confirmed by"), "{screen}");
    // h: the history of the selected requirement, newest first, with the confirmation in it.
    app.handle_event(key(KeyCode::Char('h')));
    let history = app.top::<History>().expect("the history");
    assert!(history.rows.iter().any(|c| c.field == "confirmation"), "{:?}", history.rows);
    assert!(history.rows.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    assert_eq!(history.rows.last().map(|c| c.field.as_str()), Some("created"), "the creation last: {:?}", history.rows);
    assert_ne!(history.rows.first().map(|c| c.field.as_str()), Some("created"));
    assert!(render(&app, 120, 40).contains("History of "));
    app.handle_event(key(KeyCode::Esc));
    assert!(app.overlays.is_empty());
}
