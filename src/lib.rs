//! elicit: a terminal workbench for requirements gathering during stakeholder interviews.
//!
//! Layers, each knowing only those below it: [`domain`] (plain types), [`store`] (SQLite),
//! and the front ends [`cli`] and the TUI.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod journeys;
pub mod report;
pub mod store;
pub mod tui;
