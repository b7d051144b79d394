//! The open database and the project loaded from it, kept fresh: loading (a big project's full lists on
//! another connection), reloading after a change made here or by another process, the writes that wait
//! for another process to let go of the file, and the coverage gaps, worked out once per change.
//!
//! The session knows nothing of screens: each call that changes the data returns, and the app then tells
//! the screens (see `App::data_changed`).

use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use super::component::{Ctx, Effect, Job, OverlayCtx, Pending, Waiting};
use super::data::{Lists, ProjectData};
use super::gaps::Gaps;
use super::jobs::{Done, Event, Jobs};
use crate::domain::*;
use crate::store::{Store, StoreError};

/// How long a workbench write waits for another process's write: a moment, so that a lock held elsewhere
/// (a long import) never freezes drawing or typing; such a write fails at once with a plain message instead.
const WORKBENCH_BUSY_TIMEOUT: Duration = Duration::from_millis(40);

/// How often the session asks SQLite whether another process changed the file.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// What a finished job came to.
pub enum Finished {
    /// The full lists are in: the data changed.
    Lists,
    /// The lists of a load no longer wanted (another project is loaded): dropped.
    Stale,
    /// A file job ended; what to say.
    File(Effect),
    /// The project's quality is assessed.
    Quality,
}

/// The store, the loaded project and the work around them.
pub struct Session {
    pub store: Store,
    pub data: Option<ProjectData>,
    /// The coverage gaps of `data`, computed when it changes (Capture and Dashboard show them).
    pub gaps: Gaps,
    /// The author exports name (from the settings).
    pub author: String,
    /// The quality of the whole project, once assessed (in the background, after each change).
    pub quality: Option<super::quality::Quality>,
    /// The project's statements, for the capture box to say that a line repeats one (any size of project).
    pub repeats: Option<super::quality::Repeats>,
    jobs: Jobs,
    data_version: i64,
    last_poll: Instant,
    waiting: Waiting,
}

impl Session {
    /// A session on an open store, with no project loaded yet.
    pub fn new(mut store: Store) -> Result<Session, StoreError> {
        store.set_busy_timeout(WORKBENCH_BUSY_TIMEOUT)?;
        let data_version = store.data_version()?;
        Ok(Session {
            store,
            data: None,
            gaps: Gaps::default(),
            author: crate::config::author_from_env(),
            quality: None,
            repeats: None,
            jobs: Jobs::default(),
            data_version,
            last_poll: Instant::now(),
            waiting: Waiting::default(),
        })
    }

    /// Loads `project` (a big one's first page now, the rest in the background), dropping any load of the
    /// project before.
    pub fn load(&mut self, project: Project) -> Result<(), StoreError> {
        let data = ProjectData::load(&self.store, project)?;
        self.jobs.cancel_lists();
        let complete = data.complete;
        self.data = Some(data);
        self.quality = None;
        self.repeats = None;
        if !complete {
            self.load_lists();
        }
        Ok(())
    }

    /// Reloads everything from the store. The rows on screen stay until the new ones are in, so a big
    /// project does not flicker back to its first page.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        let Some(data) = &mut self.data else { return Ok(()) };
        if !data.reload(&self.store)? {
            self.load_lists();
        }
        Ok(())
    }

    /// Reloads what one change touched: the small tables, and the time entries or one requirement's row.
    pub fn refresh(&mut self, time: bool, id: Option<RequirementId>) -> Result<(), StoreError> {
        match &mut self.data {
            Some(d) => d.refresh(&self.store, time, id),
            None => Ok(()),
        }
    }

    /// Adds a just-written requirement's row to the loaded rows: nothing else changes when a line is
    /// captured, so the project is not reloaded, which keeps Enter within a frame on big projects.
    /// Returns whether the row went at the end (else the rows were re-sorted).
    pub fn add_row(&mut self, id: RequirementId) -> Result<bool, StoreError> {
        let Some(d) = &mut self.data else { return Ok(false) };
        let before = d.rows.len();
        d.patch_row(&self.store, id)?;
        let appended = d.rows.len() == before + 1 && d.rows.last().is_some_and(|r| r.id == id);
        // The index the capture box compares lines with takes the new line at once (the next assessment,
        // at the next change, would be too late for a line said twice in a row).
        if let Some(repeats) = &mut self.repeats {
            let r = self.store.requirement(id)?;
            repeats.add(id, r.seq, crate::analysis::lint::compared_text(&r.title, &r.statement));
        }
        self.recompute_gaps();
        Ok(appended)
    }

    /// Starts loading the full lists of a big project on another connection (see [`Jobs`]).
    fn load_lists(&mut self) {
        let Some(data) = &mut self.data else { return };
        match self.store.path() {
            Some(path) => self.jobs.load_lists(path.to_path_buf(), data.project.clone()),
            // An in-memory store has no second connection: load here.
            None => {
                if let Ok(lists) = Lists::load(&self.store, &data.project) {
                    data.complete_with(lists);
                }
            }
        }
    }

    /// Takes in what a job finished with: the full lists (if still wanted), or a file written.
    pub fn finished(&mut self, done: Done) -> Result<Finished, StoreError> {
        match done {
            Done::Lists { generation, .. } if !self.jobs.lists_arrived(generation) => Ok(Finished::Stale),
            Done::Lists { result, .. } => {
                if let Some(d) = &mut self.data {
                    d.complete_with(result?);
                }
                Ok(Finished::Lists)
            }
            Done::File(result) => {
                self.jobs.file_written();
                Ok(Finished::File(result.map_or_else(Effect::Error, Effect::Info)))
            }
            Done::Quality { generation, .. } if !self.jobs.quality_arrived(generation) => Ok(Finished::Stale),
            Done::Quality { result, .. } => {
                let assessed = result?;
                (self.quality, self.repeats) = (assessed.quality, Some(assessed.repeats));
                Ok(Finished::Quality)
            }
        }
    }

    /// Whether another process changed the file since the last look (asked at most twice a second).
    pub fn changed_elsewhere(&mut self) -> Result<bool, StoreError> {
        if self.last_poll.elapsed() < POLL_EVERY {
            return Ok(false);
        }
        self.last_poll = Instant::now();
        let version = self.store.data_version()?;
        let changed = version != self.data_version;
        self.data_version = version;
        Ok(changed)
    }

    /// Starts assessing the project's quality again (see [`Jobs::assess`]); an in-memory store has no
    /// second connection, so its (small) project is assessed at once.
    pub fn assess(&mut self) {
        let Some(d) = &self.data else { return };
        // A big project's lists are still loading: it is assessed once they are in (the data changes then),
        // rather than reading the whole project twice at once.
        if !d.complete && self.jobs.loading() {
            return;
        }
        match self.store.path() {
            Some(path) => self.jobs.assess(path.to_path_buf(), d.project.clone()),
            None => {
                if let Ok(assessed) = super::quality::assess(&self.store, &d.project) {
                    (self.quality, self.repeats) = (assessed.quality, Some(assessed.repeats));
                }
            }
        }
    }

    /// Whether the quality assessment runs.
    pub fn assessing(&self) -> bool {
        self.jobs.assessing()
    }

    /// Recomputes the gaps of the loaded project.
    pub fn recompute_gaps(&mut self) {
        if let Some(d) = &self.data {
            self.gaps = super::gaps::compute_gaps(d);
        }
    }

    /// The context screens handle actions with, over `area`, when a project is loaded.
    pub fn ctx(&mut self, area: Rect) -> Option<Ctx<'_>> {
        let (data, writing) = (self.data.as_ref()?, self.jobs.writing());
        Some(Ctx {
            store: &mut self.store,
            data,
            area,
            writing,
            author: &self.author,
            quality: self.quality.as_ref(),
            repeats: self.repeats.as_ref(),
        })
    }

    /// The context overlays handle actions with, over `area`.
    pub fn overlay_ctx(&mut self, area: Rect) -> OverlayCtx<'_> {
        let (data, writing) = (self.data.as_ref(), self.jobs.writing());
        OverlayCtx { store: &mut self.store, data, area, writing, author: &self.author, quality: self.quality.as_ref() }
    }

    /// The running timer's elapsed whole seconds: the event loop redraws when this changes.
    pub fn timer_second(&self) -> Option<i64> {
        self.data.as_ref()?.timer_second(self.store.now())
    }

    /// Queues a write that found the file held by another process.
    pub fn wait(&mut self, write: Pending) {
        self.waiting.push(write);
    }

    /// Tries the waiting writes, in order (each at most every quarter second, unless `now`): the effects
    /// of those that went through.
    pub fn retry_waiting(&mut self, now: bool) -> Vec<Effect> {
        self.waiting.retry(&mut self.store, now)
    }

    /// Before leaving: gives the writes still waiting for the file up to `patience` to go through, and
    /// returns how many could not be written.
    pub fn finish_waiting(&mut self, patience: Duration) -> usize {
        let until = Instant::now() + patience;
        while self.is_waiting() && Instant::now() < until {
            if self.retry_waiting(true).is_empty() {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        self.waiting.len()
    }

    /// Whether a write is waiting for another process to let go of the file.
    pub fn is_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// How many writes wait.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Writes a file in the background.
    pub fn write_file(&mut self, job: Job) {
        self.jobs.write_file(job);
    }

    /// Whether a file is being written in the background.
    pub fn writing(&self) -> bool {
        self.jobs.writing()
    }

    /// Whether the full lists are still loading.
    pub fn loading(&self) -> bool {
        self.jobs.loading()
    }

    /// The next event, waiting at most `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.jobs.next(timeout)
    }

    /// Where the terminal's events go in.
    pub fn event_sender(&self) -> std::sync::mpsc::SyncSender<Event> {
        self.jobs.sender()
    }
}
