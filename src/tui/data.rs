//! The view model: what the screens show, loaded from the store after each change (never while drawing),
//! and the requirement index that sorts and fuzzy-filters in memory.

use std::cell::Cell;
use std::collections::HashMap;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::domain::*;
use crate::store::{Result, Store};

/// Everything about the current project the screens draw from.
pub struct ProjectData {
    pub project: Project,
    pub stages: Vec<JourneyStage>,
    pub outcomes: Vec<Outcome>,
    pub stakeholders: Vec<Stakeholder>,
    pub interviews: Vec<Interview>,
    pub time: Vec<TimeEntry>,
    /// Live requirements in id order.
    pub rows: Vec<RequirementSummary>,
    pub outcome_links: Vec<(RequirementId, OutcomeId)>,
    pub source_links: Vec<(RequirementId, StakeholderId)>,
}

impl ProjectData {
    /// Loads a project's view model.
    pub fn load(store: &Store, project: Project) -> Result<ProjectData> {
        let id = project.id;
        Ok(ProjectData {
            stages: store.stages(id)?,
            outcomes: store.outcomes(id)?,
            stakeholders: store.stakeholders(id)?,
            interviews: store.interviews(id)?,
            time: store.time_entries(id)?,
            rows: store.requirement_summaries(id)?,
            outcome_links: store.outcome_links(id)?,
            source_links: store.source_links(id)?,
            project,
        })
    }

    /// Reloads the small tables and links, keeping the requirement rows (patched one by one).
    pub fn reload_small(&mut self, store: &Store) -> Result<()> {
        let id = self.project.id;
        self.project = store.project(id)?;
        self.stages = store.stages(id)?;
        self.outcomes = store.outcomes(id)?;
        self.stakeholders = store.stakeholders(id)?;
        self.interviews = store.interviews(id)?;
        self.time = store.time_entries(id)?;
        self.outcome_links = store.outcome_links(id)?;
        self.source_links = store.source_links(id)?;
        Ok(())
    }

    /// Replaces, inserts or removes one requirement row after a change to it.
    pub fn patch_row(&mut self, store: &Store, id: RequirementId) -> Result<()> {
        let fresh = store.requirement_summary(id)?;
        let at = self.rows.iter().position(|r| r.id == id);
        match (at, fresh) {
            (Some(i), Some(row)) => self.rows[i] = row,
            (Some(i), None) => {
                self.rows.remove(i);
            }
            (None, Some(row)) => {
                let i = self.rows.partition_point(|r| r.seq < row.seq);
                self.rows.insert(i, row);
            }
            (None, None) => {}
        }
        Ok(())
    }

    pub fn stage(&self, id: Option<StageId>) -> Option<&JourneyStage> {
        id.and_then(|id| self.stages.iter().find(|s| s.id == id))
    }

    pub fn stage_index(&self, id: Option<StageId>) -> Option<usize> {
        id.and_then(|id| self.stages.iter().position(|s| s.id == id))
    }

    pub fn outcome(&self, id: Option<OutcomeId>) -> Option<&Outcome> {
        id.and_then(|id| self.outcomes.iter().find(|o| o.id == id))
    }

    pub fn human_id(&self, seq: i64) -> String {
        human_id(&self.project.key, seq)
    }

    /// Requirements linked to each outcome.
    pub fn requirements_per_outcome(&self) -> HashMap<OutcomeId, Vec<RequirementId>> {
        let mut out: HashMap<OutcomeId, Vec<RequirementId>> = HashMap::new();
        for (r, o) in &self.outcome_links {
            out.entry(*o).or_default().push(*r);
        }
        out
    }

    /// Requirements sourced from each stakeholder.
    pub fn requirements_per_stakeholder(&self) -> HashMap<StakeholderId, Vec<RequirementId>> {
        let mut out: HashMap<StakeholderId, Vec<RequirementId>> = HashMap::new();
        for (r, s) in &self.source_links {
            out.entry(*s).or_default().push(*r);
        }
        out
    }

    /// Interviews each stakeholder took part in.
    pub fn interviews_per_stakeholder(&self) -> HashMap<StakeholderId, usize> {
        let mut out = HashMap::new();
        for i in &self.interviews {
            for s in &i.stakeholders {
                *out.entry(*s).or_insert(0) += 1;
            }
        }
        out
    }

    /// Requirements time over all logged time, a running timer counted up to `now`; `None` without time.
    pub fn requirements_share(&self, now: Timestamp) -> Option<f64> {
        let (mut req, mut all) = (0.0, 0.0);
        for e in &self.time {
            let end = e.ended_at.unwrap_or(now).max(e.started_at);
            let secs = end.duration_since(e.started_at).as_secs_f64();
            all += secs;
            if e.activity == Activity::Requirements {
                req += secs;
            }
        }
        (all > 0.0).then(|| req / all)
    }

    /// Where a share sits against the project's band.
    pub fn band_verdict(&self, share: f64) -> std::cmp::Ordering {
        if share < self.project.target_min {
            std::cmp::Ordering::Less
        } else if share > self.project.target_max {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }
}

/// The columns the requirements table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Title,
    Stage,
    Outcome,
    Priority,
    Status,
}

impl SortKey {
    pub const ALL: [SortKey; 6] =
        [SortKey::Id, SortKey::Title, SortKey::Stage, SortKey::Outcome, SortKey::Priority, SortKey::Status];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Id => "id",
            SortKey::Title => "title",
            SortKey::Stage => "stage",
            SortKey::Outcome => "outcome",
            SortKey::Priority => "priority",
            SortKey::Status => "status",
        }
    }

    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }
}

/// Which requirement rows are shown, in which order, and which one is selected.
pub struct RequirementIndex {
    /// Indices into `ProjectData::rows`, in display order.
    pub visible: Vec<usize>,
    pub selected: usize,
    /// First row drawn; adjusted while drawing so the selection stays in view.
    pub offset: Cell<usize>,
    pub filter: String,
    /// The filter the current `visible` was computed for, to narrow incrementally while typing.
    applied_filter: String,
    pub sort: SortKey,
    pub reverse: bool,
    matcher: Matcher,
}

impl Default for RequirementIndex {
    fn default() -> Self {
        RequirementIndex {
            visible: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            filter: String::new(),
            applied_filter: String::new(),
            sort: SortKey::Id,
            reverse: false,
            matcher: Matcher::new(Config::DEFAULT),
        }
    }
}

/// The fuzzy pattern for a filter text (case-insensitive, smart Unicode normalisation).
pub fn pattern(filter: &str) -> Pattern {
    Pattern::new(filter, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy)
}

impl RequirementIndex {
    /// The selected row, if any.
    pub fn selected_row<'d>(&self, data: &'d ProjectData) -> Option<&'d RequirementSummary> {
        self.visible.get(self.selected).and_then(|&i| data.rows.get(i))
    }

    /// Recomputes `visible` after the rows, the filter or the sort changed, keeping the selected requirement
    /// selected when it is still shown.
    pub fn apply(&mut self, data: &ProjectData, keep: Option<RequirementId>) {
        let keep = keep.or_else(|| self.selected_row(data).map(|r| r.id));
        let filter = self.filter.trim().to_owned();
        if filter.is_empty() {
            self.visible = (0..data.rows.len()).collect();
            self.sort_visible(data);
        } else {
            // Typing more narrows the previous result, so only its rows need matching again.
            let narrowing = !self.applied_filter.is_empty()
                && filter.starts_with(&self.applied_filter)
                && self.visible.iter().all(|&i| i < data.rows.len());
            let candidates: Vec<usize> = if narrowing { self.visible.clone() } else { (0..data.rows.len()).collect() };
            let pat = pattern(&filter);
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize)> = Vec::with_capacity(candidates.len());
            for i in candidates {
                let row = &data.rows[i];
                let id = data.human_id(row.seq);
                let mut best = None;
                for text in [id.as_str(), row.title.as_str(), row.statement.as_str()] {
                    if let Some(s) = pat.score(Utf32Str::new(text, &mut buf), &mut self.matcher) {
                        best = best.max(Some(s));
                    }
                }
                if let Some(s) = best {
                    scored.push((s, i));
                }
            }
            // Best matches first; ties in id order.
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.visible = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.applied_filter = filter;
        self.selected = keep
            .and_then(|id| self.visible.iter().position(|&i| data.rows[i].id == id))
            .unwrap_or_else(|| self.selected.min(self.visible.len().saturating_sub(1)));
    }

    fn sort_visible(&mut self, data: &ProjectData) {
        let rows = &data.rows;
        let stage_pos: HashMap<StageId, i64> = data.stages.iter().map(|s| (s.id, s.position)).collect();
        let outcome_name: HashMap<OutcomeId, String> =
            data.outcomes.iter().map(|o| (o.id, o.statement.to_lowercase())).collect();
        match self.sort {
            SortKey::Id => {}
            SortKey::Title => {
                let keys: Vec<String> = rows.iter().map(|r| r.title.to_lowercase()).collect();
                self.visible.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
            }
            SortKey::Stage => self
                .visible
                .sort_by_key(|i| rows[*i].stage.and_then(|s| stage_pos.get(&s)).copied().unwrap_or(i64::MAX)),
            SortKey::Outcome => {
                let none = "\u{10FFFF}".to_owned();
                self.visible.sort_by(|a, b| {
                    let ka = rows[*a].outcome.and_then(|o| outcome_name.get(&o)).unwrap_or(&none);
                    let kb = rows[*b].outcome.and_then(|o| outcome_name.get(&o)).unwrap_or(&none);
                    ka.cmp(kb)
                })
            }
            SortKey::Priority => self.visible.sort_by_key(|i| rows[*i].priority),
            SortKey::Status => self.visible.sort_by_key(|i| rows[*i].status),
        }
        if self.reverse {
            self.visible.reverse();
        }
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Selects the row of requirement `id` if it is shown; returns whether it is.
    pub fn select(&mut self, data: &ProjectData, id: RequirementId) -> bool {
        match self.visible.iter().position(|&i| data.rows[i].id == id) {
            Some(p) => {
                self.selected = p;
                true
            }
            None => false,
        }
    }

    /// The first row to draw in a window of `height` rows so that the selection is visible.
    pub fn window_start(&self, height: usize) -> usize {
        let mut offset = self.offset.get();
        if self.selected < offset {
            offset = self.selected;
        } else if height > 0 && self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        offset = offset.min(self.visible.len().saturating_sub(height.max(1)));
        self.offset.set(offset);
        offset
    }
}
