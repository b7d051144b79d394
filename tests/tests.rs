//! Integration tests in one binary (so the crate links once): the store on real SQLite files, and the
//! real `elicit` binary driven through its command line.

mod cli;
mod common;
mod store;
