//! One file per screen: its drawing and the actions that belong to it.

pub mod capture;
pub mod journey;
pub mod outcomes;
pub mod overview;
pub mod requirements;
pub mod stakeholders;
pub mod time;
