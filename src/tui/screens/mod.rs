//! One file per screen: its drawing and the actions that belong to it. [`Screens`] holds one of each.

pub mod journey;
pub mod narrow;
pub mod outcomes;
pub mod overview;
pub mod requirements;
pub mod stakeholders;
pub mod time;

use super::component::{Component, Screen};
use super::data::ProjectData;
use super::layout::{Areas, tab_at};

/// The screens, each a component owning its state.
#[derive(Default)]
pub struct Screens {
    pub dashboard: overview::DashboardScreen,
    pub capture: super::capture::CaptureScreen,
    pub requirements: requirements::RequirementsScreen,
    pub journey: journey::JourneyScreen,
    pub outcomes: outcomes::OutcomesScreen,
    pub stakeholders: stakeholders::StakeholdersScreen,
    pub time: time::TimeScreen,
}

impl Screens {
    /// A left click at `(x, y)` in a frame laid out as `areas`: a tab switches `shown` to its screen, a click
    /// in the body goes to the screen shown there.
    pub fn click(&mut self, shown: &mut Screen, data: &ProjectData, areas: Areas, (x, y): (u16, u16)) {
        if y == areas.tabs.y {
            if let Some(i) = tab_at(x, areas.tabs.width) {
                *shown = Screen::ALL[i];
                self.requirements.filtering = false;
            }
        } else if areas.body.contains((x, y).into()) {
            self.get_mut(*shown).click(data, areas.body, x, y);
        }
    }

    /// The component that draws and handles `screen`.
    pub fn get(&self, screen: Screen) -> &dyn Component {
        match screen {
            Screen::Dashboard => &self.dashboard,
            Screen::Capture => &self.capture,
            Screen::Requirements => &self.requirements,
            Screen::Journey => &self.journey,
            Screen::Outcomes => &self.outcomes,
            Screen::Stakeholders => &self.stakeholders,
            Screen::Time => &self.time,
        }
    }

    /// As [`Screens::get`], to change.
    pub fn get_mut(&mut self, screen: Screen) -> &mut dyn Component {
        match screen {
            Screen::Dashboard => &mut self.dashboard,
            Screen::Capture => &mut self.capture,
            Screen::Requirements => &mut self.requirements,
            Screen::Journey => &mut self.journey,
            Screen::Outcomes => &mut self.outcomes,
            Screen::Stakeholders => &mut self.stakeholders,
            Screen::Time => &mut self.time,
        }
    }
}
