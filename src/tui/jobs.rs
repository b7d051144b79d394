//! Work off the event loop's thread, and the one event type the loop waits on: a key and a finished job
//! arrive the same way, so a finished job wakes the loop at once.
//!
//! Three kinds of job run here: loading the full lists of a big project (on a read-only connection of its
//! own), assessing its quality (with the index of statements the capture box compares a line with) and
//! writing a file (a big export, a backup). A reload asked for while a load runs does not start a
//! second load: it is remembered and run once the first ends. Switching projects cancels a load: its
//! result, when it comes, is dropped.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use super::component::Job;
use super::data::Lists;
use crate::domain::Project;
use crate::store::{Store, StoreError};

/// What the event loop waits for.
pub enum Event {
    /// A key, a click, a paste, a resize.
    Terminal(crossterm::event::Event),
    /// A job finished.
    Done(Done),
}

/// A finished job.
pub enum Done {
    /// The full lists of a big project, from the load numbered `generation`.
    Lists { generation: u64, result: Result<Lists, StoreError> },
    /// A file written (what to say) or not (why).
    File(Result<String, String>),
    /// The quality of the whole project, from the assessment numbered `generation`.
    Quality { generation: u64, result: Result<Box<super::quality::Assessment>, StoreError> },
}

/// The jobs running and the queue their results (and the terminal's events) arrive on.
pub struct Jobs {
    send: SyncSender<Event>,
    receive: Receiver<Event>,
    /// The number of the load whose result is wanted; a result with another number is stale.
    generation: u64,
    loading: bool,
    /// A reload was asked for while a load ran: what to load once it ends.
    again: Option<(PathBuf, Project)>,
    writing: bool,
    /// The quality assessment: which is wanted, whether one runs, and what to assess once it ends.
    quality_generation: u64,
    assessing: bool,
    assess_again: Option<(PathBuf, Project)>,
}

impl Default for Jobs {
    fn default() -> Self {
        // Bounded, so a terminal that floods events (one gone away can read as endless input) blocks its
        // reader instead of growing the queue without limit.
        let (send, receive) = sync_channel(1024);
        Jobs {
            send,
            receive,
            generation: 0,
            loading: false,
            again: None,
            writing: false,
            quality_generation: 0,
            assessing: false,
            assess_again: None,
        }
    }
}

impl Jobs {
    /// Where the terminal's events go in.
    pub fn sender(&self) -> SyncSender<Event> {
        self.send.clone()
    }

    /// Loads `project`'s full lists from the database at `path` on another thread, unless a load is
    /// running already: then this one runs after it.
    pub fn load_lists(&mut self, path: PathBuf, project: Project) {
        if self.loading {
            self.again = Some((path, project));
            return;
        }
        self.loading = true;
        self.generation += 1;
        let (generation, send) = (self.generation, self.send.clone());
        std::thread::spawn(move || {
            let result = Store::open_to_read(&path).and_then(|store| Lists::load(&store, &project));
            let _ = send.send(Event::Done(Done::Lists { generation, result }));
        });
    }

    /// Forgets the running load and assessment (another project is loaded): their results will be dropped.
    pub fn cancel_lists(&mut self) {
        self.generation += 1;
        self.loading = false;
        self.again = None;
        self.quality_generation += 1;
        self.assessing = false;
        self.assess_again = None;
    }

    /// Assesses the quality of `project` in the database at `path` on another thread; asked for while one
    /// runs, it runs once more after it (so a burst of changes costs two assessments, not one each).
    pub fn assess(&mut self, path: PathBuf, project: Project) {
        if self.assessing {
            self.assess_again = Some((path, project));
            return;
        }
        self.assessing = true;
        self.quality_generation += 1;
        let (generation, send) = (self.quality_generation, self.send.clone());
        std::thread::spawn(move || {
            let result = Store::open_to_read(&path)
                .and_then(|store| {
                    store.set_cache_kib(2048)?;
                    super::quality::assess(&store, &project)
                })
                .map(Box::new);
            let _ = send.send(Event::Done(Done::Quality { generation, result }));
        });
    }

    /// Whether the assessment `generation` is the one wanted; starts the one asked for meanwhile.
    pub fn quality_arrived(&mut self, generation: u64) -> bool {
        if generation != self.quality_generation {
            return false;
        }
        self.assessing = false;
        if let Some((path, project)) = self.assess_again.take() {
            self.assess(path, project);
        }
        true
    }

    /// Whether a quality assessment runs.
    pub fn assessing(&self) -> bool {
        self.assessing
    }

    /// Whether the lists of load `generation` are the ones wanted; starts the reload asked for meanwhile.
    pub fn lists_arrived(&mut self, generation: u64) -> bool {
        if generation != self.generation {
            return false;
        }
        self.loading = false;
        if let Some((path, project)) = self.again.take() {
            self.load_lists(path, project);
        }
        true
    }

    /// Whether a load of the lists is running.
    pub fn loading(&self) -> bool {
        self.loading
    }

    /// Writes a file on another thread.
    pub fn write_file(&mut self, job: Job) {
        self.writing = true;
        let send = self.send.clone();
        let work = job.work;
        std::thread::spawn(move || {
            // A panic on the writer's thread would otherwise leave the workbench waiting for it forever.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .unwrap_or_else(|_| Err("the file was not written: its thread stopped unexpectedly".into()));
            let _ = send.send(Event::Done(Done::File(result)));
        });
    }

    /// Notes that the file job ended.
    pub fn file_written(&mut self) {
        self.writing = false;
    }

    /// Whether a file is being written.
    pub fn writing(&self) -> bool {
        self.writing
    }

    /// The next event, waiting at most `timeout`.
    pub fn next(&self, timeout: Duration) -> Option<Event> {
        self.receive.recv_timeout(timeout).ok()
    }

    /// The next event if one is queued.
    pub fn try_next(&self) -> Option<Event> {
        self.receive.try_recv().ok()
    }
}
