//! Integration tests in one binary (so the crate links once): the store on real SQLite files, and the
//! real `elicit` binary driven through its command line.

// Tests fail loudly by design: unwrap and expect are how they say what broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod capture;
mod cli;
mod common;
mod data_trust;
mod e2e;
mod hostile;
mod kill;
mod lint;
mod props;
mod report;
mod reqif_samples;
mod restore;
mod shell;
mod signoff;
mod store;
mod time;
mod time_tui;
mod tui;
