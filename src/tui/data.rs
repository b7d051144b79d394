//! The view model: what the screens show, loaded from the store after each change (never while drawing),
//! and the requirement index that sorts and fuzzy-filters in memory.

use std::collections::HashMap;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::domain::*;
use crate::store::{Result, Store};

/// Projects up to this many requirements load in one go; bigger ones show a first page at once and load
/// the full list in the background, so the first frame never waits for 100,000 rows.
pub const LOAD_AT_ONCE: i64 = 20_000;
/// Rows shown while the full list of a big project loads.
const FIRST_PAGE: usize = 300;

/// The big per-requirement lists of a project.
pub struct Lists {
    /// Live requirements in id order.
    pub rows: Vec<RequirementSummary>,
    pub outcome_links: Vec<(RequirementId, OutcomeId)>,
    pub source_links: Vec<(RequirementId, StakeholderId)>,
    /// Per row: "ID title", what the fuzzy filter scores.
    pub haystacks: Vec<String>,
    /// Per row: the statement in lower case, searched for the filter's words.
    pub statements: Vec<String>,
}

/// The filter's view of one row: "ID title" and the lower-cased statement. The row gives its statement up:
/// the filter keeps the lower-cased copy and the detail pane reads the full record, so 100,000 statements
/// are held once, not twice.
fn search_text(key: &ProjectKey, row: &mut RequirementSummary) -> (String, String) {
    let statement = std::mem::take(&mut row.statement).to_lowercase();
    (format!("{} {}", human_id(key, row.seq), row.title), statement)
}

impl Lists {
    fn from_rows(key: &ProjectKey, mut rows: Vec<RequirementSummary>) -> Lists {
        let (haystacks, statements) = rows.iter_mut().map(|r| search_text(key, r)).unzip();
        Lists { rows, outcome_links: Vec::new(), source_links: Vec::new(), haystacks, statements }
    }

    /// Loads every live requirement with its links (three queries, joined in memory) and the filter's text.
    pub fn load(store: &Store, project: &Project) -> Result<Lists> {
        let (key, project) = (&project.key, project.id);
        let mut rows = store.requirement_summaries(project, None)?;
        let outcome_links = store.outcome_links(project)?;
        let source_links = store.source_links(project)?;
        let mut first: HashMap<RequirementId, (OutcomeId, u32)> = HashMap::with_capacity(outcome_links.len());
        for (r, o) in &outcome_links {
            first.entry(*r).and_modify(|e| e.1 += 1).or_insert((*o, 1));
        }
        for row in &mut rows {
            if let Some((o, n)) = first.get(&row.id) {
                row.outcome = Some(*o);
                row.outcome_count = *n;
            }
        }
        let mut lists = Lists::from_rows(key, rows);
        lists.outcome_links = outcome_links;
        lists.source_links = source_links;
        Ok(lists)
    }
}

/// Everything about the current project the screens draw from.
pub struct ProjectData {
    pub project: Project,
    pub stages: Vec<JourneyStage>,
    pub outcomes: Vec<Outcome>,
    pub stakeholders: Vec<Stakeholder>,
    pub interviews: Vec<Interview>,
    /// The project's time entries, oldest first; replaced only through [`ProjectData::set_time`].
    pub time: Vec<TimeEntry>,
    /// Totals of the finished entries and the index of the running one, kept with `time` so the header
    /// (drawn every frame on every screen) adds one entry to a sum instead of walking all of them.
    closed_time: crate::analysis::TimeTotals,
    /// When the latest finished entry ends: a running timer that started before it may overlap them.
    closed_until: Option<Timestamp>,
    /// The departments the project expects to hear from.
    pub departments: Vec<String>,
    /// The finished time entries that overlap another one (their shared time is counted once).
    pub overlapping: std::collections::HashSet<TimeEntryId>,
    running: Option<usize>,
    /// Live requirements in id order (only the first page until `complete`).
    pub rows: Vec<RequirementSummary>,
    pub outcome_links: Vec<(RequirementId, OutcomeId)>,
    pub source_links: Vec<(RequirementId, StakeholderId)>,
    /// Kept in step with `rows`: see [`Lists::haystacks`] and [`Lists::statements`].
    pub haystacks: Vec<String>,
    pub statements: Vec<String>,
    /// The number of live requirements (while loading: at least this many).
    pub total: usize,
    /// False while the full lists of a big project are still loading.
    pub complete: bool,
    /// Goes up whenever `rows` changes, so caches built from them know they are stale.
    pub revision: u64,
    /// The quality lint with the project's own words and rules, for the checks made as the analyst types.
    pub linter: crate::analysis::lint::Linter,
    /// The project's lint settings the linter was built from (it is rebuilt only when they change).
    lint_settings: LintSettings,
    /// The stakeholders' answers about each requirement that has any (the small table of sign-off).
    pub confirmations: HashMap<RequirementId, Vec<Confirmation>>,
    /// Per stakeholder, how many requirements heard from them they have not signed off, most first (see
    /// `ProjectData::count_awaiting`); counted when the data changes, never while drawing.
    pub awaiting: Vec<(StakeholderId, usize)>,
}

impl ProjectData {
    /// Loads a project's view model; a big project gets its first page only (see [`LOAD_AT_ONCE`]).
    pub fn load(store: &Store, project: Project) -> Result<ProjectData> {
        let id = project.id;
        // Counting 100,000 rows takes longer than a frame; counting up to the threshold does not.
        let total = store.requirement_count_up_to(id, LOAD_AT_ONCE + 1)?;
        let (lists, complete) = if total <= LOAD_AT_ONCE {
            (Lists::load(store, &project)?, true)
        } else {
            (Lists::from_rows(&project.key, store.requirement_summaries(id, Some(FIRST_PAGE))?), false)
        };
        let lint_settings = store.lint_settings(id)?;
        let mut data = ProjectData {
            stages: store.stages(id)?,
            outcomes: store.outcomes(id)?,
            stakeholders: store.stakeholders(id)?,
            interviews: store.interviews(id)?,
            time: Vec::new(),
            closed_time: Default::default(),
            closed_until: None,
            overlapping: Default::default(),
            departments: store.departments(id)?,
            running: None,
            rows: lists.rows,
            outcome_links: lists.outcome_links,
            source_links: lists.source_links,
            haystacks: lists.haystacks,
            statements: lists.statements,
            total: total as usize,
            complete,
            revision: 0,
            linter: crate::analysis::lint::Linter::new(&lint_settings),
            lint_settings,
            confirmations: by_requirement(store.confirmations(id)?),
            awaiting: Vec::new(),
            project,
        };
        data.awaiting = data.count_awaiting();
        data.reload_time(store)?;
        Ok(data)
    }

    /// Reads the time entries again (after a timer, an interview or another process changed them).
    pub fn reload_time(&mut self, store: &Store) -> Result<()> {
        self.set_time(store.time_entries(self.project.id)?);
        Ok(())
    }

    /// Replaces the time entries and what is derived from them.
    pub fn set_time(&mut self, time: Vec<TimeEntry>) {
        self.running = time.iter().rposition(|e| e.ended_at.is_none());
        // Finished entries do not depend on "now", so any moment will do.
        let finished = time.iter().filter(|e| e.ended_at.is_some());
        self.closed_time = crate::analysis::time_totals(finished, Timestamp::UNIX_EPOCH);
        self.closed_until = time.iter().filter_map(|e| e.ended_at).max();
        // A running timer is taken to end where the finished entries end: it overlaps them only if it
        // started before that (its own flag, which changes as it runs, is not kept).
        let until = self.closed_until.unwrap_or(Timestamp::UNIX_EPOCH);
        let flags = crate::analysis::overlapping_entries(&time, until);
        self.overlapping =
            time.iter().zip(flags).filter(|(e, o)| *o && e.ended_at.is_some()).map(|(e, _)| e.id).collect();
        self.time = time;
    }

    /// The running timer, if any.
    /// Reloads everything from the store; `false` when the project is big and its full lists are to be
    /// loaded in the background (the rows on screen stay until then).
    pub fn reload(&mut self, store: &Store) -> Result<bool> {
        self.reload_small(store)?;
        self.reload_time(store)?;
        if store.requirement_count_up_to(self.project.id, LOAD_AT_ONCE + 1)? > LOAD_AT_ONCE {
            // The answers may have changed; the rows follow in the background (and count again then).
            self.awaiting = self.count_awaiting();
            return Ok(false);
        }
        self.complete_with(Lists::load(store, &self.project)?);
        Ok(true)
    }

    /// Reloads what one change touched: the small tables, and the time entries (`time`) or one row.
    pub fn refresh(&mut self, store: &Store, time: bool, id: Option<RequirementId>) -> Result<()> {
        self.reload_small(store)?;
        match (time, id) {
            (true, _) => self.reload_time(store)?,
            (false, Some(id)) => self.patch_row(store, id)?,
            (false, None) => {}
        }
        self.awaiting = self.count_awaiting();
        Ok(())
    }

    /// The running timer's elapsed whole seconds at `now` (else an open interview's, whose length Capture
    /// shows): the screen changes when this does.
    pub fn timer_second(&self, now: Timestamp) -> Option<i64> {
        let start = self
            .running_timer()
            .map(|e| e.started_at)
            .or_else(|| self.interviews.iter().find(|i| i.ended_at.is_none()).map(|i| i.started_at))?;
        Some(now.duration_since(start).as_secs())
    }

    pub fn running_timer(&self) -> Option<&TimeEntry> {
        self.running.and_then(|i| self.time.get(i))
    }

    /// Installs the full lists once they have loaded.
    pub fn complete_with(&mut self, lists: Lists) {
        self.total = lists.rows.len();
        self.rows = lists.rows;
        self.outcome_links = lists.outcome_links;
        self.source_links = lists.source_links;
        self.haystacks = lists.haystacks;
        self.statements = lists.statements;
        self.complete = true;
        self.revision += 1;
        self.awaiting = self.count_awaiting();
    }

    /// Reloads the small tables (project, stages, outcomes, stakeholders, interviews), not the big lists.
    pub fn reload_small(&mut self, store: &Store) -> Result<()> {
        let id = self.project.id;
        self.project = store.project(id)?;
        self.stages = store.stages(id)?;
        self.outcomes = store.outcomes(id)?;
        self.stakeholders = store.stakeholders(id)?;
        self.interviews = store.interviews(id)?;
        self.confirmations = by_requirement(store.confirmations(id)?);
        self.departments = store.departments(id)?;
        // The project's lint words and rules may have been changed meanwhile (`elicit settings`).
        let settings = store.lint_settings(id)?;
        if settings != self.lint_settings {
            self.linter = crate::analysis::lint::Linter::new(&settings);
            self.lint_settings = settings;
        }
        Ok(())
    }

    /// Replaces, inserts or removes one requirement row and its links after a change to it.
    pub fn patch_row(&mut self, store: &Store, id: RequirementId) -> Result<()> {
        let fresh = store.requirement_summary(id)?;
        self.revision += 1;
        let at = match &fresh {
            // Rows are in id order: a binary search finds the row without a scan of 100,000.
            Some((row, _, _)) => {
                let i = self.rows.partition_point(|r| r.seq < row.seq);
                self.rows.get(i).is_some_and(|r| r.id == id).then_some(i)
            }
            None => self.rows.iter().position(|r| r.id == id),
        };
        // A row that was not loaded has no links loaded either (they are kept in step with the rows).
        if at.is_some() {
            self.outcome_links.retain(|(r, _)| *r != id);
            self.source_links.retain(|(r, _)| *r != id);
        }
        match (at, fresh) {
            (at, Some((mut row, outcomes, sources))) => {
                row.outcome = outcomes.first().copied();
                row.outcome_count = outcomes.len() as u32;
                self.outcome_links.extend(outcomes.into_iter().map(|o| (id, o)));
                if at.is_none() {
                    // A new requirement (a captured line) awaits the sign-off of everyone it was heard from;
                    // counted here so that Enter in the capture box does not count every row again.
                    for s in &sources {
                        match self.awaiting.iter_mut().find(|(w, _)| w == s) {
                            Some(w) => w.1 += 1,
                            None => self.awaiting.push((*s, 1)),
                        }
                    }
                    self.awaiting.sort_by_key(|w| std::cmp::Reverse(w.1));
                }
                self.source_links.extend(sources.into_iter().map(|s| (id, s)));
                let (hay, statement) = search_text(&self.project.key, &mut row);
                match at {
                    Some(i) => {
                        self.rows[i] = row;
                        self.haystacks[i] = hay;
                        self.statements[i] = statement;
                    }
                    None => {
                        let i = self.rows.partition_point(|r| r.seq < row.seq);
                        self.rows.insert(i, row);
                        self.haystacks.insert(i, hay);
                        self.statements.insert(i, statement);
                        self.total += 1;
                    }
                }
            }
            (Some(i), None) => {
                self.rows.remove(i);
                self.haystacks.remove(i);
                self.statements.remove(i);
                self.total = self.total.saturating_sub(1);
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

    /// The sign-off of a requirement as its row stands: the newest answer of each stakeholder, against the
    /// row's version (so an edit since shows).
    pub fn sign_off(&self, row: &RequirementSummary) -> SignOff {
        SignOff::from_answers(row.version, self.confirmations.get(&row.id).cloned().unwrap_or_default())
    }

    /// How many requirements heard from `stakeholder` they have not signed off.
    pub fn awaiting_of(&self, stakeholder: StakeholderId) -> usize {
        self.awaiting.iter().find(|(s, _)| *s == stakeholder).map_or(0, |(_, n)| *n)
    }

    /// Per stakeholder, how many of the requirements heard from them are not signed off by them (no
    /// answer, a change asked, or changed since their answer; counted as the report and `stakeholder list`
    /// count them), most first; those with none left out. One pass over every row: for when the data
    /// changes.
    fn count_awaiting(&self) -> Vec<(StakeholderId, usize)> {
        let versions: HashMap<RequirementId, i64> = self.rows.iter().map(|r| (r.id, r.version)).collect();
        let per = self.requirements_per_stakeholder();
        let mut out: Vec<(&Stakeholder, usize)> = self
            .stakeholders
            .iter()
            .map(|s| {
                let theirs = per.get(&s.id).into_iter().flatten().filter_map(|r| Some((*r, *versions.get(r)?)));
                let newest = |r: RequirementId| {
                    self.confirmations.get(&r)?.iter().filter(|c| c.stakeholder == s.id).max_by_key(|c| (c.at, c.id))
                };
                (s, crate::analysis::answers_of(theirs, newest).unconfirmed())
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
        out.into_iter().map(|(s, n)| (s.id, n)).collect()
    }

    /// The loaded row of requirement `id`, whose number is `seq`.
    pub fn row(&self, id: RequirementId, seq: i64) -> Option<&RequirementSummary> {
        // Rows are in number order: a binary search finds one among 100,000 without a scan.
        let at = self.rows.partition_point(|r| r.seq < seq);
        self.rows.get(at).filter(|r| r.id == id)
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
        self.time_totals(now).share()
    }

    /// The hours logged up to `now`: the finished entries' sum plus the running timer (each moment once:
    /// a timer that overlaps finished entries is counted with them, not on top).
    pub fn time_totals(&self, now: Timestamp) -> crate::analysis::TimeTotals {
        let mut t = self.closed_time;
        if let Some(e) = self.running_timer() {
            if self.closed_until.is_some_and(|end| end > e.started_at) {
                return crate::analysis::time_totals(&self.time, now);
            }
            let running = crate::analysis::time_totals([e], now);
            t.requirements_hours += running.requirements_hours;
            t.total_hours += running.total_hours;
        }
        t
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
    /// First row drawn: moved in `update` only as far as keeps the selection in view, so the table does
    /// not jump; drawing reads it through [`RequirementIndex::window_start`].
    pub offset: usize,
    pub filter: String,
    pub sort: SortKey,
    pub reverse: bool,
    /// Only these requirements (the ones with quality findings, when that filter is on).
    pub only: Option<std::collections::HashSet<RequirementId>>,
    matcher: Matcher,
    search: SearchCache,
}

/// Filters matching more rows than this keep id order instead of being ranked (see `search`).
const RANK_AT_MOST: usize = 20_000;

/// True when every char of `needle` (lower case) appears in `hay` in order, ignoring case. Non-ASCII
/// text is compared after lower-casing, so "é" matches only "é"; nucleo's ranking handles the finer cases.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut wanted = needle.chars().peekable();
    for c in hay.chars() {
        let Some(&w) = wanted.peek() else { return true };
        let matches = if c.is_ascii() { c.to_ascii_lowercase() == w } else { c.to_lowercase().eq(std::iter::once(w)) };
        if matches {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

/// Recent filter results, so typing more narrows one and Backspace finds one again.
#[derive(Default)]
struct SearchCache {
    /// `ProjectData::revision` the results were computed for.
    revision: Option<u64>,
    /// (filter, matching rows best first), oldest first.
    results: Vec<(String, Vec<usize>)>,
}

impl Default for RequirementIndex {
    fn default() -> Self {
        RequirementIndex {
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            sort: SortKey::Id,
            reverse: false,
            only: None,
            matcher: Matcher::new(Config::DEFAULT),
            search: SearchCache::default(),
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
            self.visible = self.search(data, &filter);
        }
        if let Some(only) = &self.only {
            self.visible.retain(|&i| only.contains(&data.rows[i].id));
        }
        self.selected = keep
            .and_then(|id| self.visible.iter().position(|&i| data.rows[i].id == id))
            .unwrap_or_else(|| self.selected.min(self.visible.len().saturating_sub(1)));
    }

    /// Rows matching `filter`, best first: fuzzy on id and title, then rows whose statement holds every word.
    fn search(&mut self, data: &ProjectData, filter: &str) -> Vec<usize> {
        if self.search.revision != Some(data.revision) {
            self.search.results.clear();
            self.search.revision = Some(data.revision);
        }
        if let Some((_, hit)) = self.search.results.iter().find(|(f, _)| f == filter) {
            return hit.clone();
        }
        // Typing more only narrows: start from the longest earlier filter this one extends.
        let base = self
            .search
            .results
            .iter()
            .filter(|(f, _)| filter.starts_with(f.as_str()))
            .max_by_key(|(f, _)| f.len())
            .map(|(_, v)| v.clone());
        let candidates: Vec<usize> = base.unwrap_or_else(|| (0..data.rows.len()).collect());
        let words: Vec<String> = filter.to_lowercase().split_whitespace().map(str::to_owned).collect();
        // A cheap pass first: which rows match at all (each word a subsequence of "ID title", or contained
        // in the statement). Ranking by score is worth its cost only when the result is small enough to
        // read; a one- or two-letter filter matching most of 100,000 rows keeps id order instead.
        let matched: Vec<(usize, bool)> = candidates
            .into_iter()
            .filter_map(|i| {
                let hay = &data.haystacks[i];
                if words.iter().all(|w| is_subsequence(w, hay)) {
                    Some((i, true))
                } else {
                    let text = &data.statements[i];
                    words.iter().all(|w| text.contains(w.as_str())).then_some((i, false))
                }
            })
            .collect();
        let hit: Vec<usize> = if matched.len() > RANK_AT_MOST {
            matched.into_iter().map(|(i, _)| i).collect()
        } else {
            let pat = pattern(filter);
            let mut buf = Vec::new();
            // A statement-only match ranks after every title match.
            let mut scored: Vec<(u32, usize)> = matched
                .into_iter()
                .map(|(i, in_title)| {
                    let title_score =
                        in_title.then(|| pat.score(Utf32Str::new(&data.haystacks[i], &mut buf), &mut self.matcher));
                    (title_score.flatten().map_or(0, |s| s + 1), i)
                })
                .collect();
            scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.into_iter().map(|(_, i)| i).collect()
        };
        if self.search.results.len() >= 16 {
            self.search.results.remove(0);
        }
        self.search.results.push((filter.to_owned(), hit.clone()));
        hit
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

    /// Shows a row just appended to the end of `data.rows` (a new requirement) without recomputing the
    /// whole list, when no filter or sort order could place it anywhere but last.
    pub fn appended(&mut self, data: &ProjectData) {
        let last = data.rows.len().saturating_sub(1);
        if self.filter.trim().is_empty()
            && self.only.is_none()
            && self.sort == SortKey::Id
            && !self.reverse
            && self.visible.len() == last
        {
            self.visible.push(last);
        } else {
            self.apply(data, None);
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

    /// The first row to draw in a window of `height` rows: the stored offset, moved just enough to show the
    /// selection.
    pub fn window_start(&self, height: usize) -> usize {
        let mut offset = self.offset;
        if self.selected < offset {
            offset = self.selected;
        } else if height > 0 && self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        offset.min(self.visible.len().saturating_sub(height.max(1)))
    }
}

/// Answers grouped by the requirement they are about.
fn by_requirement(answers: Vec<Confirmation>) -> HashMap<RequirementId, Vec<Confirmation>> {
    let mut out: HashMap<RequirementId, Vec<Confirmation>> = HashMap::new();
    for a in answers {
        out.entry(a.requirement).or_default().push(a);
    }
    out
}
