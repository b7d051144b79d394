//! Interview capture: the store operations on real SQLite files, the `interview` commands, and the Capture
//! screen (snapshots, update sequences, the real binary in a pseudo terminal).

use elicit::domain::*;
use elicit::store::*;

use crate::common::*;

const T0: &str = "2026-11-20T10:00:00Z";

fn at(store: &mut Store, time: &str) {
    store.set_clock(Clock::Fixed(time.parse().unwrap()));
}

/// A project with two stages, an outcome and three stakeholders (two departments).
fn setup(db: &TempDb) -> (Store, Project, Vec<StakeholderId>) {
    let mut store = Store::open(&db.path).unwrap();
    at(&mut store, T0);
    let project = store
        .create_project(NewProject {
            key: "CAP".parse().unwrap(),
            name: "Capture".into(),
            description: String::new(),
            journey: String::new(),
            stages: vec![("Discover".into(), String::new()), ("Buy".into(), String::new())],
            planned_hours: None,
            target_min: 0.25,
            target_max: 0.4,
        })
        .unwrap();
    store
        .add_outcome(
            project.id,
            OutcomeFields {
                statement: "Refunds in 3 days".into(),
                metric: Metric::Time,
                baseline: None,
                target: None,
                unit: String::new(),
            },
        )
        .unwrap();
    let mut people = Vec::new();
    for (name, dept) in [("Ana Ruiz", "Stores"), ("Ben Ode", "Finance"), ("Cy Lam", "Legal")] {
        let s = store
            .add_stakeholder(
                project.id,
                StakeholderFields { name: name.into(), department: dept.into(), ..Default::default() },
            )
            .unwrap();
        people.push(s.id);
    }
    (store, project, people)
}

mod store {
    use super::*;

    #[test]
    fn starting_an_interview_starts_a_linked_requirements_timer_and_stops_the_other() {
        let db = TempDb::new();
        let (mut store, p, people) = setup(&db);
        let design = store.start_timer(p.id, Activity::Design, "sketching").unwrap();
        at(&mut store, "2026-11-20T10:30:00Z");
        let i = store.start_interview(p.id, "Store walk", InterviewMode::InPerson, &people[..2]).unwrap();
        assert_eq!(i.ended_at, None);
        assert_eq!(i.started_at, "2026-11-20T10:30:00Z".parse().unwrap());
        assert_eq!(i.stakeholders, people[..2]);
        let running = store.running_timer(p.id).unwrap().expect("a timer runs");
        assert_eq!((running.activity, running.interview), (Activity::Requirements, Some(i.id)));
        assert_eq!(store.time_entry(design.id).unwrap().ended_at, Some(i.started_at), "design stopped then");
        assert!(!store.interview_paused(&i).unwrap());

        // A second one is refused, naming the first; nothing is written.
        let before = store.time_entries(p.id).unwrap();
        let err = store.start_interview(p.id, "Another", InterviewMode::Video, &people[2..]).unwrap_err();
        assert!(err.to_string().contains("\"Store walk\" is still running"), "{err}");
        assert_eq!(store.time_entries(p.id).unwrap(), before);
        assert_eq!(store.interviews(p.id).unwrap().len(), 1);
    }

    #[test]
    fn pause_resume_and_stop_close_and_open_the_interviews_time_entries() {
        let db = TempDb::new();
        let (mut store, p, people) = setup(&db);
        let i = store.start_interview(p.id, "Call", InterviewMode::Phone, &people[..1]).unwrap();
        at(&mut store, "2026-11-20T10:20:00Z");
        store.pause_interview(p.id).unwrap();
        assert!(store.running_timer(p.id).unwrap().is_none());
        assert!(store.interview_paused(&store.interview(i.id).unwrap()).unwrap());
        assert!(store.pause_interview(p.id).unwrap_err().to_string().contains("already paused"));
        at(&mut store, "2026-11-20T10:30:00Z");
        store.resume_interview(p.id).unwrap();
        assert!(store.resume_interview(p.id).unwrap_err().to_string().contains("not paused"));
        at(&mut store, "2026-11-20T10:45:00Z");
        let stopped = store.stop_interview(p.id).unwrap();
        assert_eq!(stopped.ended_at, Some("2026-11-20T10:45:00Z".parse().unwrap()));
        let entries = store.time_entries(p.id).unwrap();
        let spans: Vec<(String, String)> = entries
            .iter()
            .map(|e| (e.started_at.strftime("%H:%M").to_string(), e.ended_at.unwrap().strftime("%H:%M").to_string()))
            .collect();
        assert_eq!(spans, [("10:00".into(), "10:20".into()), ("10:30".into(), "10:45".into())]);
        assert!(entries.iter().all(|e| e.activity == Activity::Requirements && e.interview == Some(i.id)));
        assert!(store.open_interview(p.id).unwrap().is_none());
        let err = store.stop_interview(p.id).unwrap_err();
        assert!(err.to_string().contains("no interview is running"), "{err}");
        // The whole stop is one action: undo reopens the interview and its timer together.
        store.undo(p.id).unwrap();
        assert!(store.open_interview(p.id).unwrap().is_some());
        assert_eq!(store.running_timer(p.id).unwrap().map(|e| e.interview), Some(Some(i.id)));
    }

    #[test]
    fn a_timer_of_another_activity_started_during_a_pause_survives_the_stop() {
        let db = TempDb::new();
        let (mut store, p, people) = setup(&db);
        store.start_interview(p.id, "Call", InterviewMode::Phone, &people[..1]).unwrap();
        store.pause_interview(p.id).unwrap();
        let other = store.start_timer(p.id, Activity::Management, "").unwrap();
        store.stop_interview(p.id).unwrap();
        assert_eq!(store.running_timer(p.id).unwrap().map(|e| e.id), Some(other.id));
    }

    #[test]
    fn captured_requirements_belong_to_the_interview_and_its_stakeholders() {
        let db = TempDb::new();
        let (mut store, p, people) = setup(&db);
        let err = store.capture_requirement(p.id, "Too early", None).unwrap_err();
        assert!(err.to_string().contains("no interview is running"), "{err}");
        let i = store.start_interview(p.id, "Workshop", InterviewMode::Workshop, &people[..2]).unwrap();
        let stage = store.stages(p.id).unwrap()[1].id;
        let r = store.capture_requirement(p.id, "  Refund to the original card ", Some(stage)).unwrap();
        assert_eq!(r.title, "Refund to the original card");
        assert_eq!((r.interview, r.stage, r.seq), (Some(i.id), Some(stage), 1));
        assert_eq!(r.sources, people[..2]);
        assert!(store.capture_requirement(p.id, "", None).is_err(), "an empty line is refused");
        assert_eq!(store.interview_requirements(i.id).unwrap(), vec![(r.id, 1)]);
        // One undo removes the capture.
        store.undo(p.id).unwrap();
        assert!(store.interview_requirements(i.id).unwrap().is_empty());
    }

    #[test]
    fn notes_are_timestamped_lines_and_turn_into_requirements_with_quote_and_speaker() {
        let db = TempDb::new();
        let (mut store, p, people) = setup(&db);
        let i = store.start_interview(p.id, "Workshop", InterviewMode::Workshop, &people[..2]).unwrap();
        at(&mut store, "2026-11-20T10:07:00Z");
        store.add_interview_note(i.id, "Queues are worst on Saturdays").unwrap();
        at(&mut store, "2026-11-20T10:09:00Z");
        let i = store.add_interview_note(i.id, "Ben: I re-key every refund by hand").unwrap();
        assert_eq!(i.notes, "10:07  Queues are worst on Saturdays\n10:09  Ben: I re-key every refund by hand");
        assert!(store.add_interview_note(i.id, "   ").is_err());

        let r = store.note_to_requirement(p.id, 1, None).unwrap();
        assert_eq!(r.quote, "I re-key every refund by hand");
        assert_eq!(r.title, "I re-key every refund by hand");
        assert_eq!(r.sources, vec![people[1]], "Ben said it");
        assert_eq!(r.interview, Some(i.id));
        let r2 = store.note_to_requirement(p.id, 0, None).unwrap();
        assert_eq!(r2.quote, "Queues are worst on Saturdays");
        assert_eq!(r2.sources, people[..2], "no speaker named: everyone in the room");
        assert_eq!(store.interview(i.id).unwrap().notes, "");
        assert!(store.note_to_requirement(p.id, 0, None).is_err(), "no note left");

        // And back: the requirement is deleted (soft) and becomes a note stamped when it was captured.
        at(&mut store, "2026-11-20T10:30:00Z");
        let i = store.requirement_to_note(r2.id).unwrap();
        assert_eq!(i.notes, "10:09  Queues are worst on Saturdays");
        assert!(store.requirement(r2.id).unwrap().deleted_at.is_some());
        store.undo(p.id).unwrap();
        assert!(store.requirement(r2.id).unwrap().deleted_at.is_none());
        assert_eq!(store.interview(i.id).unwrap().notes, "");
    }
}

mod cli {
    use serde_json::Value;

    use super::*;

    fn json(db: &TempDb, args: &[&str]) -> Value {
        serde_json::from_str(&ok(&db.path, args)).unwrap()
    }

    /// Runs a command that must fail as a user error: exit 1, one `error:` line, nothing on stdout.
    fn user_error(db: &TempDb, args: &[&str]) -> String {
        let run = elicit(&db.path, args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        run.stderr
    }

    fn with_people() -> TempDb {
        let db = TempDb::new();
        ok(&db.path, &["init", "--key", "CAP", "--name", "Capture"]);
        for (name, dept) in [("Ana Ruiz", "Stores"), ("Anton Berg", "Stores"), ("Ben Ode", "Finance")] {
            ok(&db.path, &["stakeholder", "add", name, "--department", dept]);
        }
        db
    }

    #[test]
    fn start_add_note_stop_and_list() {
        let db = with_people();
        let out = ok(
            &db.path,
            &[
                "interview",
                "start",
                "--title",
                "Till pains",
                "--stakeholder",
                "ana r",
                "--stakeholder",
                "BEN",
                "--mode",
                "video",
            ],
        );
        assert!(out.contains("started \"Till pains\" (video) with Ana Ruiz, Ben Ode"), "{out}");
        // `add` while the interview runs attributes the requirement to it and its stakeholders.
        ok(&db.path, &["add", "Refund without a receipt"]);
        ok(&db.path, &["add", "Split a payment", "--source", "Anton"]);
        ok(&db.path, &["interview", "note", "Ben: the till freezes at noon"]);
        let list = json(&db, &["list", "--format", "json"]);
        assert_eq!(list[0]["interview"], "Till pains");
        assert_eq!(list[0]["sources"], serde_json::json!(["Ana Ruiz", "Ben Ode"]));
        assert_eq!(list[1]["sources"], serde_json::json!(["Anton Berg"]), "an explicit --source wins");
        assert_eq!(list[1]["interview"], "Till pains");

        let interviews = json(&db, &["interview", "list", "--format", "json"]);
        assert_eq!(interviews[0]["state"], "running");
        assert_eq!(interviews[0]["requirements"], 2);
        assert!(interviews[0]["notes"].as_str().unwrap().ends_with("  Ben: the till freezes at noon"));

        ok(&db.path, &["interview", "pause"]);
        assert_eq!(json(&db, &["interview", "list", "--format", "json"])[0]["state"], "paused");
        ok(&db.path, &["interview", "resume"]);
        let out = ok(&db.path, &["interview", "stop"]);
        assert!(out.contains("stopped \"Till pains\"") && out.contains("2 requirement(s)"), "{out}");
        let interviews = json(&db, &["interview", "list", "--format", "json"]);
        assert_eq!(interviews[0]["state"], "ended");
        assert_eq!(interviews[0]["stakeholders"], serde_json::json!(["Ana Ruiz", "Ben Ode"]));
        let table = ok(&db.path, &["interview", "list"]);
        assert!(table.contains("Till pains") && table.contains("ended"), "{table}");

        // After the stop, `add` no longer attributes.
        ok(&db.path, &["add", "Later thought"]);
        let list = json(&db, &["list", "--format", "json"]);
        assert_eq!(list[2]["interview"], Value::Null);
        assert_eq!(list[2]["sources"], serde_json::json!([]));
    }

    #[test]
    fn errors_are_one_line_and_write_nothing() {
        let db = with_people();
        let before = std::fs::read(&db.path).unwrap();
        let e = user_error(&db, &["interview", "stop"]);
        assert!(e.contains("no interview is running"), "{e}");
        let e = user_error(&db, &["interview", "start", "--title", "X", "--stakeholder", "an"]);
        assert!(
            e.contains("ambiguous stakeholder \"an\"") && e.contains("Ana Ruiz") && e.contains("Anton Berg"),
            "{e}"
        );
        let e = user_error(&db, &["interview", "start", "--title", "X", "--stakeholder", "Zed"]);
        assert!(e.contains("unknown stakeholder \"Zed\""), "{e}");
        let e = user_error(&db, &["interview", "note", "hello"]);
        assert!(e.contains("no interview is running"), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
        assert_eq!(std::fs::read(&db.path).unwrap(), before, "nothing written");
        assert_eq!(ok(&db.path, &["interview", "list"]).lines().count(), 1);
        let run = elicit(&db.path, &["interview", "start", "--title", "X", "--stakeholder", "Ben", "--mode", "fax"]);
        assert_eq!(run.code, 2, "a bad mode is a usage error: {}", run.stderr);
        assert!(run.stderr.contains("in-person, video, phone, workshop"), "{}", run.stderr);

        ok(&db.path, &["interview", "start", "--title", "First", "--stakeholder", "Ben"]);
        let e = user_error(&db, &["interview", "start", "--title", "Second", "--stakeholder", "Ben"]);
        assert!(e.contains("\"First\" is still running"), "{e}");
        let e = user_error(&db, &["interview", "resume"]);
        assert!(e.contains("not paused"), "{e}");
    }

    #[test]
    fn a_read_back_holds_every_line_of_the_interview_in_the_stakeholders_words() {
        let db = with_people();
        ok(
            &db.path,
            &["interview", "start", "--title", "Till <pains>", "--stakeholder", "Ana", "--stakeholder", "Ben"],
        );
        for t in ["Refund without the receipt", "Print the return label at home", "Gift cards in one step"] {
            ok(&db.path, &["add", t]);
        }
        ok(&db.path, &["interview", "stop"]);
        ok(&db.path, &["add", "Not from this interview"]);
        // A quote, as a note turned into a requirement keeps it.
        let mut store = Store::open(&db.path).unwrap();
        let p = store.resolve_project(None).unwrap();
        let r = store.find_requirement(&p, "CAP-1").unwrap();
        let quote = RequirementPatch { quote: Some("I lose the receipt every time".into()), ..Default::default() };
        store.update_requirement_if(r.id, Some(r.version), quote).unwrap();
        drop(store);

        let md = ok(&db.path, &["interview", "readback", "till"]);
        for line in
            ["CAP-1 Refund without the receipt", "CAP-2 Print the return label at home", "CAP-3 Gift cards in one step"]
        {
            assert!(md.contains(line), "{line}: {md}");
        }
        assert!(!md.contains("Not from this interview"), "only this interview's lines: {md}");
        assert!(md.contains("> \"I lose the receipt every time\""), "the stakeholder's words are kept: {md}");
        assert!(md.contains("with Ana Ruiz, Ben Ode"), "{md}");
        assert!(md.contains("## Open questions") && md.contains("how will we know it works?"), "{md}");
        assert!(md.contains("does it matter to Stores and Finance?"), "the gaps name their departments: {md}");
        let raw_timestamp = |t: &str| {
            t.as_bytes()
                .windows(11)
                .any(|w| w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-' && w[7] == b'-' && w[10] == b'T')
        };
        assert!(!raw_timestamp(&md), "no raw timestamps: {md}");
        assert!(md.contains(" UTC · in-person · "), "a human date: {md}");
        assert!(md.contains("Till \\<pains\\>"), "Markdown markup in a title is escaped: {md}");

        let out = db.dir.path().join("readback.html");
        let said = ok(&db.path, &["interview", "readback", "Till", "--format", "html", "-o", out.to_str().unwrap()]);
        assert!(said.contains("written to"), "{said}");
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains("Till &lt;pains&gt;") && !html.contains("Till <pains>"), "escaped in HTML");
        assert!(html.contains("I lose the receipt every time"));
        // Never over the database.
        let err = user_error(&db, &["interview", "readback", "Till", "-o", db.path.to_str().unwrap()]);
        assert!(err.contains("database"), "{err}");
        let err = user_error(&db, &["interview", "readback", "Nobody"]);
        assert!(err.contains("interview"), "{err}");
    }
}

mod tui {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use elicit::tui::action::Action;
    use elicit::tui::app::{App, Screen};
    use elicit::tui::forms::FormView;
    use elicit::tui::overlays::Confirm;
    use elicit::tui::picker::Picker;
    use elicit::tui::theme::Theme;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    const NOW: &str = "2026-11-20T10:00:00Z";

    pub(super) fn demo_app(db: &TempDb) -> App {
        let mut s = Store::open(&db.path).unwrap();
        s.set_clock(Clock::Fixed(NOW.parse().unwrap()));
        elicit::demo::load(&mut s).unwrap();
        App::new(s, None, Theme { color: false }).unwrap()
    }

    pub(super) fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub(super) fn with(c: char, m: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), m))
    }

    pub(super) fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            app.handle_event(key(KeyCode::Char(c)));
        }
    }

    pub(super) fn render(app: &App, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| elicit::tui::ui::draw(f, app)).unwrap();
        terminal.backend().to_string()
    }

    /// Starts "Till pains" with the first two stakeholders through the start form.
    pub(super) fn start(app: &mut App) {
        app.update(Action::Screen(2));
        type_text(app, "n");
        assert!(app.top::<FormView>().is_some());
        type_text(app, "Till pains");
        app.handle_event(key(KeyCode::Tab));
        app.handle_event(key(KeyCode::Right));
        app.handle_event(key(KeyCode::Tab));
        app.handle_event(key(KeyCode::Enter));
        assert!(app.top::<Picker>().is_some());
        app.handle_event(key(KeyCode::Char(' ')));
        app.handle_event(key(KeyCode::Down));
        app.handle_event(key(KeyCode::Char(' ')));
        app.handle_event(key(KeyCode::Enter));
        app.handle_event(with('s', KeyModifiers::CONTROL));
        assert!(app.overlays.is_empty(), "started and closed");
    }

    #[test]
    fn the_requirement_form_during_an_interview_attributes_to_it() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        let interview =
            app.session.store.open_interview(app.session.data.as_ref().unwrap().project.id).unwrap().unwrap();
        app.handle_event(key(KeyCode::Esc));
        app.update(Action::Screen(3));
        type_text(&mut app, "n");
        type_text(&mut app, "Receipts by email");
        app.handle_event(with('s', KeyModifiers::CONTROL));
        assert!(app.overlays.is_empty(), "{}", render(&app, 100, 30));
        let d = app.session.data.as_ref().unwrap();
        let reqs = app.session.store.requirements(&d.project, &RequirementFilter::default()).unwrap();
        let r = &reqs.iter().find(|r| r.requirement.title == "Receipts by email").unwrap().requirement;
        assert_eq!(r.interview, Some(interview.id));
        assert_eq!(r.sources, interview.stakeholders, "sourced from the interview's stakeholders");
    }

    pub(super) fn capture_lines(app: &mut App, lines: &[&str]) {
        for l in lines {
            type_text(app, l);
            app.handle_event(key(KeyCode::Enter));
        }
    }

    #[test]
    fn start_capture_quick_keys_notes_and_stop() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        let d = app.session.data.as_ref().unwrap();
        let i = d.interviews.iter().find(|i| i.ended_at.is_none()).expect("open").clone();
        assert_eq!((i.title.as_str(), i.mode, i.stakeholders.len()), ("Till pains", InterviewMode::Video, 2));
        assert!(d.time.iter().any(|e| e.ended_at.is_none() && e.interview == Some(i.id)), "its timer runs");

        capture_lines(&mut app, &["Refund to the original card", "Show stock in the app"]);
        let first_stage = app.session.data.as_ref().unwrap().stages[0].id;
        let third_stage = app.session.data.as_ref().unwrap().stages[2].id;
        // Quick keys act on the last line without leaving the box.
        app.handle_event(with('3', KeyModifiers::ALT));
        app.handle_event(with('p', KeyModifiers::ALT));
        app.handle_event(with('m', KeyModifiers::ALT));
        app.handle_event(with('x', KeyModifiers::ALT));
        app.handle_event(with('o', KeyModifiers::ALT));
        app.handle_event(key(KeyCode::Enter));
        let last = app.screens.capture.last.unwrap();
        let r = app.session.store.requirement(last).unwrap();
        assert_eq!(r.title, "Show stock in the app");
        assert_eq!(
            (r.stage, r.priority, r.moment_of_truth, r.pain_point),
            (Some(third_stage), Priority::Could, true, true)
        );
        assert_eq!(r.outcomes.len(), 1);
        assert_eq!(r.interview, Some(i.id));
        assert_eq!(r.sources, i.stakeholders);
        let first = app.session.store.requirement(app.screens.capture.captured[0].0).unwrap();
        assert_eq!(first.stage, Some(first_stage), "the default stage is the first");
        // The next line goes to the stage chosen last.
        capture_lines(&mut app, &["Print a gift receipt"]);
        assert_eq!(app.session.store.requirement(app.screens.capture.last.unwrap()).unwrap().stage, Some(third_stage));
        assert_eq!(app.mode(), elicit::tui::keymap::Mode::Capture, "still typing in the box");

        // The last line becomes a note; a typed note (Ctrl-N); a note back into a requirement.
        app.handle_event(with('n', KeyModifiers::ALT));
        type_text(&mut app, "Queues are worst on Saturdays");
        app.handle_event(with('n', KeyModifiers::CONTROL));
        let notes = app.session.store.interview(i.id).unwrap().notes;
        assert_eq!(notes, "10:00  Print a gift receipt\n10:00  Queues are worst on Saturdays");
        app.handle_event(key(KeyCode::Tab));
        app.handle_event(key(KeyCode::Down));
        app.handle_event(key(KeyCode::Enter));
        let r = app.session.store.requirement(app.screens.capture.last.unwrap()).unwrap();
        assert_eq!(
            (r.title.as_str(), r.quote.as_str()),
            ("Queues are worst on Saturdays", "Queues are worst on Saturdays")
        );
        assert_eq!(app.screens.capture.captured.len(), 3);
        let screen = render(&app, 120, 40);
        assert!(
            screen.contains("Queues are worst on Saturdays") && screen.contains("Print a gift receipt"),
            "{screen}"
        );

        // Pause, resume, stop with confirmation.
        app.handle_event(with('p', KeyModifiers::CONTROL));
        assert!(render(&app, 120, 40).contains("paused"));
        app.handle_event(with('p', KeyModifiers::CONTROL));
        app.handle_event(with('e', KeyModifiers::CONTROL));
        assert!(app.top::<Confirm>().is_some());
        type_text(&mut app, "y");
        let i = app.session.store.interview(i.id).unwrap();
        assert!(i.ended_at.is_some());
        assert!(app.session.store.running_timer(i.project_id).unwrap().is_none());
        assert!(
            app.status.current.as_ref().unwrap().text.contains("3 requirement(s) captured"),
            "{:?}",
            app.status.current
        );
        assert_eq!(app.mode(), elicit::tui::keymap::Mode::CaptureIdle);
        assert!(render(&app, 80, 24).contains("No interview running"));
    }

    #[test]
    fn a_stakeholder_added_on_the_spot_takes_part() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        app.update(Action::Screen(2));
        type_text(&mut app, "n");
        type_text(&mut app, "Night shift");
        app.handle_event(key(KeyCode::Tab));
        app.handle_event(key(KeyCode::Tab));
        app.handle_event(key(KeyCode::Enter));
        type_text(&mut app, "new stake");
        app.handle_event(key(KeyCode::Enter));
        type_text(&mut app, "Zoe Night");
        app.handle_event(key(KeyCode::Tab));
        type_text(&mut app, "Shift lead");
        app.handle_event(key(KeyCode::Tab));
        type_text(&mut app, "Night operations");
        app.handle_event(with('s', KeyModifiers::CONTROL));
        app.handle_event(with('s', KeyModifiers::CONTROL));
        assert!(app.overlays.is_empty());
        let d = app.session.data.as_ref().unwrap();
        let zoe = d.stakeholders.iter().find(|s| s.name == "Zoe Night").expect("added");
        assert_eq!(zoe.department, "Night operations");
        let i = d.interviews.iter().find(|i| i.ended_at.is_none()).unwrap();
        assert_eq!(i.stakeholders, vec![zoe.id]);
    }

    #[test]
    fn the_gap_panel_follows_captures() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        app.update(Action::Screen(2));
        let screen = render(&app, 120, 40);
        assert!(screen.contains("Ask about"), "{screen}");
        let stage =
            app.session.store.add_stage(app.session.data.as_ref().unwrap().project.id, "Aftercare", "").unwrap();
        app.reload();
        let n = app.session.data.as_ref().unwrap().stages.iter().position(|s| s.id == stage.id).unwrap();
        // Numbered as the Alt key that files a line under it.
        let prompt = format!(" · {} Aftercare", n + 1);
        assert!(render(&app, 120, 40).contains(&prompt), "{}", render(&app, 120, 40));
        start(&mut app);
        capture_lines(&mut app, &["Call back after a repair"]);
        app.handle_event(with(char::from(b'1' + n as u8), KeyModifiers::ALT));
        assert!(!render(&app, 120, 40).contains(&prompt), "the gap closed");
    }

    #[test]
    fn the_gap_prompts_are_what_coverage_says_on_the_full_requirements() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        let p = app.session.data.as_ref().unwrap().project.clone();
        // Empty a stage and an outcome so there is something to find.
        app.session.store.add_stage(p.id, "Aftercare", "").unwrap();
        app.session
            .store
            .add_outcome(
                p.id,
                OutcomeFields {
                    statement: "Repairs done in one visit".into(),
                    metric: Metric::Fcr,
                    baseline: None,
                    target: None,
                    unit: String::new(),
                },
            )
            .unwrap();
        app.reload();
        let d = app.session.data.as_ref().unwrap();
        let shown = app.session.gaps.clone();
        let full: Vec<Requirement> = app
            .session
            .store
            .requirements(&p, &RequirementFilter::default())
            .unwrap()
            .into_iter()
            .map(|r| r.requirement)
            .collect();
        let c = elicit::analysis::coverage(&d.stages, &d.outcomes, &d.stakeholders, &d.interviews, full.iter());
        // Numbered as Alt-1..9 use them.
        let stage_names: Vec<String> = c
            .stages_without_requirements
            .iter()
            .map(|s| {
                let at = d.stages.iter().position(|x| x.id == *s).unwrap();
                format!("{} {}", at + 1, d.stages[at].name)
            })
            .collect();
        let outcome_names: Vec<String> =
            c.outcomes_without_requirements.iter().map(|o| d.outcome(Some(*o)).unwrap().statement.clone()).collect();
        assert_eq!(shown.stages, stage_names);
        assert_eq!(shown.outcomes, outcome_names);
        assert_eq!(shown.departments, c.departments_not_interviewed);
        assert!(shown.stages.iter().any(|s| s.ends_with(" Aftercare")), "{:?}", shown.stages);
        assert!(shown.outcomes.contains(&"Repairs done in one visit".to_string()));
    }

    #[test]
    fn snapshots_of_the_capture_screen() {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let db = TempDb::new();
            let mut app = demo_app(&db);
            app.size = (w, h);
            app.update(Action::Screen(2));
            app.status.current = None;
            insta::assert_snapshot!(format!("capture_idle_{w}x{h}"), render(&app, w, h));
            start(&mut app);
            capture_lines(&mut app, &["Refund to the original card", "Show stock in the app", "Split a bill"]);
            app.handle_event(with('3', KeyModifiers::ALT));
            app.handle_event(with('m', KeyModifiers::ALT));
            type_text(&mut app, "Ana: the till freezes at noon");
            app.handle_event(with('n', KeyModifiers::CONTROL));
            type_text(&mut app, "half a tho");
            app.status.current = None;
            assert_eq!(app.screen, Screen::Capture);
            insta::assert_snapshot!(format!("capture_running_{w}x{h}"), render(&app, w, h));
        }
    }
}

/// What the capture box must never lose or misfile (issue 10, item 6).
mod capture_box_losses {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use elicit::tui::app::App;
    use elicit::tui::forms::FormView;
    use elicit::tui::picker::Picker;
    use elicit::tui::theme::Theme;

    use super::tui::{capture_lines, demo_app, key, render, start, type_text, with};
    use super::*;

    fn app_with_interview(db: &TempDb) -> App {
        let mut s = Store::open(&db.path).unwrap();
        elicit::demo::load(&mut s).unwrap();
        let p = s.resolve_project(Some("SHOP")).unwrap();
        let people: Vec<StakeholderId> = s.stakeholders(p.id).unwrap().iter().take(1).map(|x| x.id).collect();
        s.start_interview(p.id, "Call-centre lead", InterviewMode::Video, &people).unwrap();
        let app = App::new(s, None, Theme { color: false }).unwrap();
        assert_eq!(app.screen, elicit::tui::app::Screen::Capture, "an open interview lands on Capture");
        app
    }

    fn alt(c: char) -> Event {
        with(c, KeyModifiers::ALT)
    }

    #[test]
    fn a_line_longer_than_a_title_is_saved_whole() {
        let db = TempDb::new();
        let mut app = app_with_interview(&db);
        let spoken = format!(
            "When a customer calls about a bill they want the agent to see the last three bills at once. {}",
            "They also said that the agent should not have to ask for the account number twice ".repeat(3)
        );
        type_text(&mut app, &spoken);
        app.handle_event(key(KeyCode::Enter));
        let last = app.screens.capture.last.expect("captured");
        let r = app.session.store.requirement(last).unwrap();
        assert_eq!(
            r.title,
            "When a customer calls about a bill they want the agent to see the last three bills at once."
        );
        assert_eq!(r.statement, clean_line(&spoken), "every word is kept");
        assert!(app.screens.capture.text().is_empty(), "the box is ready for the next line");
    }

    #[test]
    fn a_quick_key_with_a_line_typed_saves_it_and_acts_on_it_not_on_the_previous_one() {
        let db = TempDb::new();
        let mut app = app_with_interview(&db);
        type_text(&mut app, "Refund to the original card");
        app.handle_event(key(KeyCode::Enter));
        let previous = app.screens.capture.last.unwrap();
        let before = app.session.store.requirement(previous).unwrap();
        type_text(&mut app, "Callback when the queue is long");
        app.handle_event(alt('3'));
        app.handle_event(alt('m'));
        let new = app.screens.capture.last.unwrap();
        assert_ne!(new, previous, "the typed line was saved first");
        let r = app.session.store.requirement(new).unwrap();
        let third = app.session.data.as_ref().unwrap().stages[2].id;
        assert_eq!(
            (r.title.as_str(), r.stage, r.moment_of_truth),
            ("Callback when the queue is long", Some(third), true)
        );
        let after = app.session.store.requirement(previous).unwrap();
        assert_eq!(
            (after.stage, after.moment_of_truth, after.version),
            (before.stage, before.moment_of_truth, before.version)
        );
        assert!(app.screens.capture.text().is_empty(), "nothing glued onto old text");
    }

    #[test]
    fn ending_the_interview_with_a_line_in_the_box_asks_what_to_do_with_it() {
        let db = TempDb::new();
        let mut app = app_with_interview(&db);
        let project = app.session.data.as_ref().unwrap().project.id;
        type_text(&mut app, "Agents need the order history");
        app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL)));
        assert!(app.top::<Picker>().is_some(), "it asks");
        // Esc: the interview goes on and the line stays.
        app.handle_event(key(KeyCode::Esc));
        assert!(app.session.store.open_interview(project).unwrap().is_some());
        assert_eq!(app.screens.capture.text(), "Agents need the order history");
        // Asked again: keep it as a note, then end.
        app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL)));
        app.handle_event(key(KeyCode::Down));
        app.handle_event(key(KeyCode::Enter));
        assert!(app.session.store.open_interview(project).unwrap().is_none(), "ended");
        let ended = app
            .session
            .data
            .as_ref()
            .unwrap()
            .interviews
            .iter()
            .find(|i| i.title == "Call-centre lead")
            .unwrap()
            .clone();
        assert!(ended.notes.contains("Agents need the order history"), "{:?}", ended.notes);
        assert!(
            app.session.store.draft(project, elicit::tui::capture::DRAFT_CAPTURE).unwrap().is_none(),
            "no draft left"
        );
    }

    #[test]
    fn after_a_crash_the_line_comes_back_with_its_stage() {
        let db = TempDb::new();
        let mut app = app_with_interview(&db);
        type_text(&mut app, "First line");
        app.handle_event(key(KeyCode::Enter));
        app.handle_event(alt('4'));
        type_text(&mut app, "Half a thou");
        app.autosave_draft();
        let fourth = app.session.data.as_ref().unwrap().stages[3].id;
        drop(app);
        // A new workbench on the same file, as after a crash.
        let app = App::new(Store::open(&db.path).unwrap(), None, Theme { color: false }).unwrap();
        assert_eq!(app.screens.capture.text(), "Half a thou");
        assert_eq!(app.screens.capture.stage, Some(fourth), "new lines still go to the stage chosen");
    }

    /// The captured requirement titled `title`, as saved.
    fn saved(app: &App, title: &str) -> Requirement {
        let d = app.session.data.as_ref().unwrap();
        let all = app.session.store.requirements(&d.project, &RequirementFilter::default()).unwrap();
        all.into_iter().map(|r| r.requirement).find(|r| r.title == title).unwrap()
    }

    #[test]
    fn an_earlier_line_is_marked_with_up_and_the_alt_keys_act_on_it() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["First need", "Second need", "Third need"]);
        app.handle_event(key(KeyCode::Up));
        app.handle_event(key(KeyCode::Up));
        // One key per MoSCoW value, on the marked line only.
        app.handle_event(with('u', KeyModifiers::ALT));
        assert_eq!(saved(&app, "First need").priority, Priority::Must);
        assert_eq!(saved(&app, "Third need").priority, Priority::Should, "the newest is untouched");
        app.handle_event(key(KeyCode::Down));
        app.handle_event(with('w', KeyModifiers::ALT));
        assert_eq!(saved(&app, "Second need").priority, Priority::Wont);
        app.handle_event(with('c', KeyModifiers::ALT));
        assert_eq!(saved(&app, "Second need").priority, Priority::Could);
        let screen = render(&app, 120, 40);
        assert!(screen.lines().any(|l| l.contains('›') && l.contains("Second need")), "the mark shows: {screen}");
        // Up/Down go no further than the first and the last line.
        for _ in 0..5 {
            app.handle_event(key(KeyCode::Up));
        }
        app.handle_event(with('h', KeyModifiers::ALT));
        assert_eq!(saved(&app, "First need").priority, Priority::Should);
        // A new line is marked as it is captured.
        capture_lines(&mut app, &["Fourth need"]);
        app.handle_event(with('u', KeyModifiers::ALT));
        assert_eq!(saved(&app, "Fourth need").priority, Priority::Must);
    }

    #[test]
    fn the_marked_line_stays_in_view_in_a_long_interview() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        let lines: Vec<String> = (1..=30).map(|n| format!("Need number {n}")).collect();
        capture_lines(&mut app, &lines.iter().map(String::as_str).collect::<Vec<_>>());
        for _ in 0..28 {
            app.handle_event(key(KeyCode::Up));
        }
        let screen = render(&app, 100, 30);
        assert!(screen.lines().any(|l| l.contains('›') && l.contains("Need number 2 ")), "{screen}");
    }

    #[test]
    fn ctrl_u_clears_the_line_and_the_note_form_saves_on_enter() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        type_text(&mut app, "Not what she meant");
        app.handle_event(with('u', KeyModifiers::CONTROL));
        assert_eq!(app.screens.capture.text(), "");
        // The notes pane's `a` opens the one-line note form; Enter saves it.
        app.handle_event(key(KeyCode::Tab));
        type_text(&mut app, "a");
        assert!(app.top::<FormView>().is_some());
        type_text(&mut app, "Ana: weekends are the busiest");
        app.handle_event(key(KeyCode::Enter));
        assert!(app.overlays.is_empty(), "saved and closed: {}", render(&app, 100, 30));
        let open = app.session.store.open_interview(app.session.data.as_ref().unwrap().project.id).unwrap().unwrap();
        assert!(open.notes.contains("weekends are the busiest"), "{}", open.notes);
    }

    #[test]
    fn the_stage_picker_numbers_the_stages_as_alt_keys_do() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["A need"]);
        app.handle_event(with('s', KeyModifiers::ALT));
        let p = app.top::<Picker>().expect("the stage picker");
        let d = app.session.data.as_ref().unwrap();
        assert_eq!(p.items[1].1, format!("2 {}", d.stages[1].name));
    }

    #[test]
    fn a_new_outcome_is_written_from_the_outcome_picker_and_linked() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["Refund in one visit"]);
        app.handle_event(with('o', KeyModifiers::ALT));
        let last = app.top::<Picker>().unwrap().items.len();
        for _ in 0..last {
            app.handle_event(key(KeyCode::Down));
        }
        app.handle_event(key(KeyCode::Enter));
        assert!(app.top::<FormView>().is_some(), "{}", render(&app, 120, 40));
        type_text(&mut app, "Refunds settled at the first visit");
        app.handle_event(with('s', KeyModifiers::CONTROL));
        assert!(app.overlays.is_empty(), "{}", render(&app, 120, 40));
        let d = app.session.data.as_ref().unwrap();
        let outcome = d.outcomes.iter().find(|o| o.statement == "Refunds settled at the first visit").expect("saved");
        assert_eq!(saved(&app, "Refund in one visit").outcomes, vec![outcome.id]);
        assert!(app.status.current.as_ref().unwrap().text.contains("linked to SHOP-"));
    }

    #[test]
    fn enter_with_nothing_to_pick_links_nothing_and_says_so() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["A need"]);
        app.handle_event(with('o', KeyModifiers::ALT));
        // A search that matches nothing, then Enter.
        type_text(&mut app, "zzzzqqq");
        app.handle_event(key(KeyCode::Enter));
        assert!(app.status.current.as_ref().unwrap().text.contains("no outcome was linked"));
        assert!(saved(&app, "A need").outcomes.is_empty());
    }

    #[test]
    fn space_selects_in_a_multi_pick_until_a_search_is_typed() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["A need"]);
        app.handle_event(with('o', KeyModifiers::ALT));
        app.handle_event(key(KeyCode::Char(' ')));
        assert_eq!(app.top::<Picker>().unwrap().chosen.len(), 1, "Space selects");
        type_text(&mut app, "checkout abandon");
        assert_eq!(app.top::<Picker>().unwrap().query, "checkout abandon", "and is a space in a search");
        app.handle_event(key(KeyCode::Tab));
        assert_eq!(app.top::<Picker>().unwrap().chosen.len(), 2, "Tab selects while searching");
    }

    #[test]
    fn a_whole_read_back_is_signed_off_from_the_interview_held() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["Refund in one visit", "Print the return label at home"]);
        app.handle_event(with('e', KeyModifiers::CONTROL));
        app.handle_event(key(KeyCode::Char('y')));
        app.handle_event(key(KeyCode::Enter));
        let view = app.top::<elicit::tui::capture::InterviewView>().expect("the interview opens");
        let ids: Vec<RequirementId> = view.captured.iter().map(|(id, _)| *id).collect();
        let interview = app.session.data.as_ref().unwrap().interviews.last().unwrap().clone();
        type_text(&mut app, "c");
        assert!(app.top::<FormView>().is_some(), "the sign-off form: {}", render(&app, 120, 40));
        // The interview's own stakeholders come first; the answer is "changed", with a note.
        app.handle_event(key(KeyCode::Tab));
        app.handle_event(key(KeyCode::Right));
        app.handle_event(key(KeyCode::Tab));
        type_text(&mut app, "label must be printable at the post office too");
        app.handle_event(with('s', KeyModifiers::CONTROL));
        assert!(app.top::<FormView>().is_none(), "{:?}", app.status.current);
        for id in &ids {
            let s = app.session.store.sign_off(*id).unwrap();
            assert_eq!(s.answers.len(), 1);
            assert_eq!(s.answers[0].verdict, Verdict::Changed);
            assert!(interview.stakeholders.contains(&s.answers[0].stakeholder), "one of the interview's people");
            assert_eq!(s.answers[0].note, "label must be printable at the post office too");
        }
        assert!(app.status.current.as_ref().is_some_and(|m| m.text.contains("2 requirement(s) changed by")));
    }

    #[test]
    fn an_interview_held_opens_with_its_notes_and_requirements_and_can_go_on() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        capture_lines(&mut app, &["Refund in one visit", "Print the return label at home"]);
        app.handle_event(with('e', KeyModifiers::CONTROL));
        app.handle_event(key(KeyCode::Char('y')));
        assert!(app.overlays.is_empty(), "ended: {}", render(&app, 120, 40));
        // The newest interview is first in the list of those held: Enter opens it.
        app.handle_event(key(KeyCode::Enter));
        let view = app.top::<elicit::tui::capture::InterviewView>().expect("the interview opens");
        assert_eq!(view.captured.len(), 2);
        let screen = render(&app, 120, 40);
        assert!(screen.contains("Till pains") && screen.contains("Refund in one visit"), "{screen}");
        assert!(screen.contains("Requirements captured (2)"), "{screen}");
        // Its notes can be edited.
        type_text(&mut app, "e");
        assert!(app.top::<FormView>().is_some());
        type_text(&mut app, "Ana: the label printer is often broken");
        app.handle_event(with('s', KeyModifiers::CONTROL));
        assert!(app.top::<elicit::tui::capture::InterviewView>().is_some(), "back to the interview");
        assert!(render(&app, 120, 40).contains("label printer is often broken"));
        // x writes the read-back for the stakeholder.
        let out = db.dir.path().join("readback.md");
        type_text(&mut app, "x");
        {
            let form = app.top_mut::<FormView>().expect("the read-back form");
            *form.form.field_mut(elicit::tui::message::FieldId::Path).unwrap() =
                elicit::tui::form::Field::line(elicit::tui::message::FieldId::Path, "Save to", out.to_str().unwrap());
        }
        app.handle_event(with('s', KeyModifiers::CONTROL));
        let page = std::fs::read_to_string(&out).expect("written");
        assert!(page.contains("# What we heard: Till pains") && page.contains("Refund in one visit"), "{page}");
        assert!(app.status.current.as_ref().unwrap().text.contains("written to"));
        // Enter on a requirement shows it in Requirements.
        app.handle_event(key(KeyCode::Down));
        app.handle_event(key(KeyCode::Enter));
        assert!(app.overlays.is_empty());
        assert_eq!(app.screen, elicit::tui::app::Screen::Requirements);
        let shown = app.selected_requirement().unwrap();
        assert_eq!(shown, saved(&app, "Print the return label at home").id);
        // Reopened, it records again: a second session of the same interview.
        app.handle_event(key(KeyCode::Char('2')));
        app.handle_event(key(KeyCode::Enter));
        type_text(&mut app, "r");
        let d = app.session.data.as_ref().unwrap();
        let open = app.session.store.open_interview(d.project.id).unwrap().expect("open again");
        assert_eq!(open.title, "Till pains");
        assert!(render(&app, 120, 40).contains("recording"));
        capture_lines(&mut app, &["A third need, later"]);
        assert_eq!(saved(&app, "A third need, later").interview, Some(open.id));
    }

    #[test]
    fn a_weak_line_says_why_before_enter_and_enter_still_saves_it() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        type_text(&mut app, "The app shall be fast and easy to use, etc.");
        let live = &app.screens.capture.live;
        assert!(live.iter().any(|f| f.text == "fast"), "{live:?}");
        assert!(live.iter().any(|f| f.text == "etc."), "{live:?}");
        let screen = render(&app, 120, 40);
        assert!(screen.contains("\"fast\": vague or unverifiable term"), "shown under the box: {screen}");
        // It never blocks: Enter saves the line as it is, and the box (and its finding) clears.
        app.handle_event(key(KeyCode::Enter));
        assert_eq!(saved(&app, "The app shall be fast and easy to use, etc.").statement, "");
        assert!(app.screens.capture.live.is_empty());
        // A line that reads well gets no finding.
        type_text(&mut app, "The checkout shall show the delivery charge before payment.");
        assert!(app.screens.capture.live.is_empty(), "{:?}", app.screens.capture.live);
    }

    #[test]
    fn a_line_that_repeats_a_requirement_says_so_and_links_to_it_instead_of_adding() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        app.wait_for(elicit::tui::session::Session::assessing);
        let d = app.session.data.as_ref().unwrap();
        let shop5 = d.rows.iter().find(|r| r.seq == 5).unwrap().id;
        let before = app.session.store.requirement(shop5).unwrap();
        let count = app.session.store.requirement_count(d.project.id).unwrap();
        // The demo's SHOP-5, in other words ("displays" for "shows", "the store the shopper picked").
        type_text(&mut app, "Every product page shall display the stock level at the shopper's chosen store");
        let repeat = app.screens.capture.repeat.clone().expect("a repeat is noticed while typing");
        assert_eq!(repeat.id, shop5);
        let screen = render(&app, 120, 40);
        assert!(screen.contains("≈ looks like SHOP-5"), "{screen}");
        assert!(screen.contains("Alt-l links to it instead"), "the key is named: {screen}");
        // A line about something else is not taken for it.
        app.handle_event(with('u', KeyModifiers::CONTROL));
        type_text(&mut app, "Refunds go back to the card used for the order");
        assert_eq!(app.screens.capture.repeat, None);
        app.handle_event(with('u', KeyModifiers::CONTROL));
        type_text(&mut app, "Every product page shall display the stock level at the shopper's chosen store");
        app.handle_event(alt('l'));
        let d = app.session.data.as_ref().unwrap();
        assert_eq!(app.session.store.requirement_count(d.project.id).unwrap(), count, "nothing added");
        let after = app.session.store.requirement(shop5).unwrap();
        let open = app.session.store.open_interview(d.project.id).unwrap().unwrap();
        for who in &open.stakeholders {
            assert!(after.sources.contains(who), "heard again from the interview's people");
        }
        assert!(before.sources.iter().all(|s| after.sources.contains(s)), "no source lost");
        assert!(open.notes.contains("(repeats SHOP-5)"), "the words are kept: {}", open.notes);
        // What was heard in this interview, and so its read-back and a whole read-back's sign-off, has it.
        let heard = app.session.store.interview_heard(open.id).unwrap();
        assert!(heard.iter().any(|(id, _)| *id == shop5), "{heard:?}");
        let rb = elicit::report::readback::build(&app.session.store, &d.project, &open).unwrap();
        assert!(rb.groups.iter().flat_map(|g| &g.items).any(|i| i.id == "SHOP-5"), "in the read-back");
        assert!(app.screens.capture.text().is_empty(), "the box is ready for the next line");
        assert!(app.status.current.as_ref().is_some_and(|s| s.text.contains("Linked to SHOP-5")));
        // One undo takes it all back.
        app.session.store.undo(d.project.id).unwrap();
        let undone = app.session.store.requirement(shop5).unwrap();
        assert_eq!(undone.sources, before.sources);
        let open = app.session.store.open_interview(d.project.id).unwrap().unwrap();
        assert!(!open.notes.contains("(repeats SHOP-5)"));
        // Alt-l with no repeat links nothing and says so.
        type_text(&mut app, "Refunds go back to the card used for the order");
        app.handle_event(alt('l'));
        assert!(app.status.current.as_ref().is_some_and(|s| s.text.contains("Nothing to link")));
        assert_eq!(app.screens.capture.text(), "Refunds go back to the card used for the order");
    }

    #[test]
    fn quitting_while_an_interview_records_asks_how() {
        let db = TempDb::new();
        let mut app = demo_app(&db);
        start(&mut app);
        app.handle_event(key(KeyCode::Esc));
        type_text(&mut app, "q");
        assert!(!app.should_quit, "it asks first");
        assert!(app.top::<Picker>().is_some(), "{}", render(&app, 100, 30));
        app.handle_event(key(KeyCode::Esc));
        assert!(!app.should_quit && app.overlays.is_empty(), "Esc goes back to the interview");
        type_text(&mut app, "q");
        app.handle_event(key(KeyCode::Enter));
        assert!(app.should_quit);
        let d = app.session.data.as_ref().unwrap();
        let open = app.session.store.open_interview(d.project.id).unwrap().expect("still open");
        let running = app.session.store.running_timer(d.project.id).unwrap();
        assert!(running.is_none_or(|t| t.interview != Some(open.id)), "paused: its timer no longer runs");
    }
}

mod pty {
    use serde_json::{Value, json};

    use super::*;
    use crate::e2e::Session;

    const ENTER: &str = "\r";
    const DOWN: &str = "\x1b[B";
    const TAB: &str = "\t";
    const ESC: &str = "\x1b";
    const CTRL_S: &str = "\x13";
    const CTRL_E: &str = "\x05";

    fn alt(c: char) -> String {
        format!("\x1b{c}")
    }

    /// A project with three stakeholders and one outcome, set up through the command line.
    fn project() -> TempDb {
        let db = TempDb::new();
        ok(&db.path, &["init", "--key", "CAP", "--name", "Capture"]);
        for (name, dept) in [("Ana Ruiz", "Stores"), ("Ben Ode", "Finance"), ("Cy Lam", "Legal")] {
            ok(&db.path, &["stakeholder", "add", name, "--department", dept]);
        }
        ok(&db.path, &["outcome", "add", "Refunds paid within 3 days", "--metric", "time"]);
        db
    }

    fn capture(s: &mut Session, n: usize, line: &str) {
        s.send(line);
        s.send(ENTER);
        s.wait_for(&format!("Captured CAP-{n}."));
    }

    fn list(db: &TempDb) -> Value {
        serde_json::from_str(&ok(&db.path, &["list", "--format", "json"])).unwrap()
    }

    #[test]
    fn an_interview_captured_in_the_terminal_is_attributed_and_timed() {
        let db = project();
        let mut s = Session::start(&db.path, 30, 110);
        s.wait_for("CAP");
        s.send("2");
        s.wait_for("No interview running");
        s.send("n");
        s.wait_for("Start an interview");
        s.send("Till pains");
        s.send(TAB);
        s.send(TAB);
        s.send(ENTER);
        s.wait_for("+ New stakeholder");
        s.send(" ");
        s.send(DOWN);
        s.send(" ");
        s.send(ENTER);
        s.wait_for("Ana Ruiz (Stores); Ben Ode (Finance)");
        s.send(CTRL_S);
        s.wait_for("recording");
        capture(&mut s, 1, "Refund to the original card");
        capture(&mut s, 2, "Show the refund status online");
        // Stage 2 and the outcome on the second line, without leaving the box.
        s.send(&alt('2'));
        s.wait_for("new lines go there too");
        s.send(&alt('o'));
        s.wait_for("Outcomes of the last line");
        s.send(ENTER);
        s.wait_for("Linked: ");
        capture(&mut s, 3, "Email a receipt");
        capture(&mut s, 4, "Pay by bank transfer");
        s.send(&alt('1'));
        s.wait_for("new lines go there too");
        s.send(&alt('o'));
        s.wait_for("Outcomes of the last line");
        s.send(ENTER);
        s.wait_for("Linked: ");
        capture(&mut s, 5, "Keep the basket for a week");
        s.send(CTRL_E);
        s.wait_for("End the interview");
        s.send("y");
        s.wait_for("Interview ended");
        s.wait_for("5 requirement(s) captured");
        s.send("q");
        assert_eq!(s.exit_code(), 0);

        let reqs = list(&db);
        let reqs = reqs.as_array().unwrap();
        assert_eq!(reqs.len(), 5);
        let stages: Vec<&str> = reqs.iter().map(|r| r["stage"].as_str().unwrap()).collect();
        let mut store = Store::open(&db.path).unwrap();
        let p = store.resolve_project(None).unwrap();
        let names: Vec<String> = store.stages(p.id).unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(stages, [&names[0], &names[1], &names[1], &names[0], &names[0]]);
        for (i, r) in reqs.iter().enumerate() {
            assert_eq!(r["interview"], "Till pains");
            assert_eq!(r["sources"], json!(["Ana Ruiz", "Ben Ode"]));
            let linked = if i == 1 || i == 3 { json!(["Refunds paid within 3 days"]) } else { json!([]) };
            assert_eq!(r["outcomes"], linked, "{}", r["id"]);
        }
        // The interview's time is one closed requirements entry linked to it.
        let interview = store.interviews(p.id).unwrap().pop().unwrap();
        assert!(interview.ended_at.is_some());
        let entries = store.time_entries(p.id).unwrap();
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!((e.activity, e.interview), (Activity::Requirements, Some(interview.id)));
        assert_eq!((e.started_at, e.ended_at), (interview.started_at, interview.ended_at));
        // And `time report` counts those minutes as requirements time.
        let report: Value = serde_json::from_str(&ok(&db.path, &["time", "report", "--format", "json"])).unwrap();
        let minutes = e.ended_at.unwrap().duration_since(e.started_at).as_secs_f64() / 60.0;
        let reported = report["requirements_hours"].as_f64().unwrap() * 60.0;
        assert!((reported - minutes).abs() < 0.01, "{report}");
        assert_eq!(report["total_hours"], report["requirements_hours"], "{report}");
    }

    #[test]
    fn kill_9_while_typing_keeps_every_saved_line_and_offers_the_half_line_back() {
        let db = project();
        ok(&db.path, &["interview", "start", "--title", "Crash", "--stakeholder", "Ana", "--stakeholder", "Cy"]);
        let mut s = Session::start(&db.path, 30, 100);
        // An interview left running opens on the Capture screen.
        s.wait_for("recording");
        for (n, line) in ["One", "Two", "Three", "Four", "Five"].iter().enumerate() {
            capture(&mut s, n + 1, line);
        }
        s.send("Half a li");
        eventually("the half line to be autosaved", || draft_holds(&db.path, "Half a li"));
        s.child.kill().expect("kill -9");
        let _ = s.child.wait();

        let reqs = list(&db);
        let titles: Vec<&str> = reqs.as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["One", "Two", "Three", "Four", "Five"]);
        let mut s = Session::start(&db.path, 30, 100);
        s.wait_for("back in the box");
        s.wait_for("Half a li");
        s.send("ne");
        s.send(ENTER);
        s.wait_for("Captured CAP-6.");
        s.send(ESC);
        s.send("q");
        // Quitting while the interview records asks how: pausing stops its timer.
        s.wait_for("is recording");
        s.send(ENTER);
        assert_eq!(s.exit_code(), 0);
        let reqs = list(&db);
        assert_eq!(reqs[5]["title"], "Half a line");
        assert_eq!(reqs[5]["sources"], json!(["Ana Ruiz", "Cy Lam"]));
        // Saved: the draft is gone, so a third start offers nothing.
        let mut store = Store::open(&db.path).unwrap();
        let p = store.resolve_project(None).unwrap();
        assert!(store.draft(p.id, elicit::tui::capture::DRAFT_CAPTURE).unwrap().is_none());
    }
}
