//! The interactive workbench (ratatui + crossterm). Keys become actions through the keymap; the app hands
//! each to the component that has the keyboard (an overlay, else the screen), which changes its own state
//! and returns an effect the app applies; [`ui::draw`] renders the state without changing it.
//!
//! The terminal is restored on every way out: a normal quit, an error, a panic (hook), and SIGTERM/SIGHUP
//! (flags checked by the event loop).

pub mod action;
pub mod app;
pub mod bulk;
pub mod capture;
pub mod component;
pub mod conflict;
pub mod data;
mod export;
pub mod findings;
pub mod form;
pub mod forms;
pub mod gaps;
pub mod globals;
pub mod jobs;
pub mod keymap;
pub mod layout;
pub mod message;
pub mod overlays;
pub mod picker;
pub mod quality;
pub mod screens;
pub mod session;
pub mod status;
pub mod theme;
pub mod ui;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::SetTitle;

use crate::store::Store;
use app::App;
use theme::Theme;

/// Runs the workbench on `store` until the user quits; the terminal is restored whatever happens.
pub fn run(store: Store, project: Option<&str>, settings: &crate::config::Settings) -> anyhow::Result<()> {
    // A keymap file with a mistake stops here, before the terminal is touched, with what to fix.
    if let Some(path) = &settings.keymap {
        keymap::install(keymap::load(path)?);
    }
    let mut app = App::new(store, project, Theme { color: settings.color })?;
    app.session.author = settings.author.clone();
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    spawn_watchdog(Arc::clone(&stop));
    let mut terminal = ratatui::init();
    // ratatui's hook restores raw mode and the screen; mouse capture and paste mode are ours to undo.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let _guard = Guard;
    execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    spawn_reader(app.session.event_sender());
    let result = event_loop(&mut terminal, &mut app, &stop);
    // Save what the user was typing before leaving, whatever the reason.
    app.autosave_draft();
    // A big export still being written is let finish, so leaving never cuts a file short.
    app.wait_for(session::Session::writing);
    // Changes waiting for another process to let go of the file get a last chance; what still cannot be
    // written is said once the terminal is back.
    let lost = app.session.finish_waiting(Duration::from_secs(5));
    if lost > 0 && result.is_ok() {
        anyhow::bail!(
            "{lost} change(s) made just before quitting were not written: another elicit kept the database busy"
        );
    }
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App, stop: &AtomicBool) -> anyhow::Result<()> {
    let mut title = String::new();
    // Draw after events and changes, and when the running timer's second ticks over; an idle screen with
    // no timer is not redrawn at all (the poll below blocks, so there is no busy loop either way).
    let mut dirty = true;
    let mut drawn_second = None;
    loop {
        let wanted = match &app.session.data {
            Some(d) => format!("elicit: {} {}", d.project.key, app.screen.title()),
            None => "elicit".to_owned(),
        };
        if wanted != title {
            execute!(std::io::stdout(), SetTitle(&wanted))?;
            title = wanted;
        }
        let second = app.session.timer_second();
        if dirty || second != drawn_second {
            terminal.draw(|f| ui::draw(f, app))?;
            dirty = false;
            drawn_second = second;
        }
        if let Some(event) = app.session.next_event(Duration::from_millis(250)) {
            dirty = true;
            app.handle(event);
            // Handle what is already queued (fast typing, pastes) before drawing again, but only so much:
            // the stop flag must still be seen.
            let mut drained = 0;
            while drained < 256 && !app.should_quit && !stop.load(Ordering::Relaxed) {
                let Some(event) = app.session.next_event(Duration::ZERO) else { break };
                app.handle(event);
                drained += 1;
            }
        }
        dirty |= app.tick();
        if app.should_quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
    }
}

/// Reads the terminal's events on a thread of its own into the event loop's queue, where finished jobs
/// arrive too, so the loop waits on one queue for both.
fn spawn_reader(send: std::sync::mpsc::SyncSender<jobs::Event>) {
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            if send.send(jobs::Event::Terminal(event)).is_err() {
                break;
            }
        }
    });
}

/// Ends the process when a stop signal is not acted on within two seconds.
///
/// When the terminal goes away (a closed window, a killed tmux session, a dropped SSH link) crossterm's
/// reader can loop forever on a tty that reads as end-of-file, so the event loop never gets back to the stop
/// flag that SIGHUP or SIGTERM set, and the process would spin at full CPU indefinitely. The typed text is
/// safe regardless: drafts are autosaved every half second.
fn spawn_watchdog(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
        }
        // A healthy event loop sees the flag within a quarter of a second and returns, and the process ends.
        std::thread::sleep(Duration::from_secs(2));
        let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
        std::process::exit(1);
    });
}

/// Undoes the terminal setup when dropped: on return, on `?`, and during unwinding.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        let mut out = std::io::stdout();
        let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste, SetTitle(""));
        ratatui::restore();
        let _ = out.flush();
    }
}
