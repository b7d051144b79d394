//! The status line: what the last action came to, shown for a few seconds.

use std::time::{Duration, Instant};

/// How long a message stays.
const SHOWN_FOR: Duration = Duration::from_secs(8);

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The status line's message and when it was said.
#[derive(Debug, Clone, Default)]
pub struct StatusLine {
    pub current: Option<Status>,
    at: Option<Instant>,
}

impl StatusLine {
    /// Says how something went.
    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), false);
    }

    /// Says what failed (the workbench goes on).
    pub fn error(&mut self, e: impl std::fmt::Display) {
        self.say(e.to_string(), true);
    }

    fn say(&mut self, text: String, error: bool) {
        self.current = Some(Status { text, error });
        self.at = Some(Instant::now());
    }

    /// Clears a message shown long enough.
    pub fn expire(&mut self) {
        if self.at.is_some_and(|t| t.elapsed() > SHOWN_FOR) {
            *self = StatusLine::default();
        }
    }
}
