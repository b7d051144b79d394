//! Time screen: entries grouped by day (newest first, with day totals), totals by activity, the
//! requirements share per week as bars against the band, and the trend. Keys start (s) and stop (S) a timer, log
//! time by hand, edit and delete entries.
//!
//! Only the rows that fit are laid out, so a project with 50,000 entries draws as fast as one with ten.

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::analysis;
use crate::domain::*;
use crate::store::{NewTimeEntry, Store, StoreError, TimeEntryPatch};
use crate::tui::action::Action;
use crate::tui::component::{Component, Ctx, Effect, OverlayCtx, View};
use crate::tui::data::ProjectData;
use crate::tui::form::{Field, Form};
use crate::tui::forms::{FormPurpose, FormView, SaveOutcome, in_project};
use crate::tui::keymap::{Mode, keys_for};
use crate::tui::message::{Choice, FieldId, Purpose, Question};
use crate::tui::overlays::Confirm;
use crate::tui::picker::Picker;
use crate::tui::theme::Theme;

/// The Time screen: which entry is selected (0 = newest) and the first entry drawn.
#[derive(Debug, Default)]
pub struct TimeScreen {
    pub selected: usize,
    /// The first entry drawn: moved in `update` only as far as keeps the selection in view, so the list
    /// does not jump; drawing adjusts a copy (after a resize) and never writes it.
    offset: usize,
    /// Lines the entries panel had at the last action, for scrolling after a reload.
    height: usize,
    /// The entry to select once the data is reloaded after a change made here.
    follow: Option<TimeEntryId>,
}

impl TimeScreen {
    /// The selected time entry, if any.
    pub fn selected_entry<'d>(&self, d: &'d ProjectData) -> Option<&'d TimeEntry> {
        nth_newest(d, self.selected)
    }

    /// Selects `id` once the data holds it (after the reload that follows a change).
    pub fn follow(&mut self, id: TimeEntryId) {
        self.follow = Some(id);
    }

    /// The first entry to draw in a panel of `height` lines: the stored offset, moved just enough to show
    /// the selection.
    fn view_offset(&self, d: &ProjectData, height: usize) -> usize {
        let selected = self.selected.min(d.time.len().saturating_sub(1));
        let mut offset = self.offset.min(selected).max(selected.saturating_sub(height));
        while offset < selected && lines_between(d, offset, selected) > height {
            offset += 1;
        }
        offset
    }

    fn scroll(&mut self, d: &ProjectData) {
        self.offset = self.view_offset(d, self.height.max(1));
    }

    /// Starts a timer for `activity` (the running one stops at the same moment).
    pub fn start_timer(&mut self, ctx: &mut Ctx<'_>, activity: Activity) -> Effect {
        match ctx.store.switch_timer(ctx.data.project.id, activity, "") {
            Ok((started, stopped)) => {
                self.follow(started.id);
                let mut msg = format!("Timer started: {activity}");
                if let Some(s) = stopped {
                    msg.push_str(&format!(
                        " (stopped {} after {})",
                        s.activity,
                        format_hm(length(&s, started.started_at))
                    ));
                }
                Effect::Then(vec![Effect::Reload, Effect::Info(msg)])
            }
            Err(e) => Effect::error(e),
        }
    }

    fn stop_timer(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        match ctx.store.stop_timer(ctx.data.project.id) {
            Ok(Some(s)) => {
                let msg =
                    format!("Stopped {} after {}", timer_label(ctx.data, &s), format_hm(length(&s, ctx.store.now())));
                Effect::Then(vec![Effect::Reload, Effect::Info(msg)])
            }
            Ok(None) => Effect::Error(format!(
                "No timer is running; press {} to start one.",
                keys_for(Mode::Time, Action::StartTimer)
            )),
            Err(e) => Effect::error(e),
        }
    }

    /// Deletes a time entry after the user said yes.
    fn delete(&mut self, ctx: &mut Ctx<'_>, id: TimeEntryId) -> Effect {
        match ctx.store.delete_time_entry(id) {
            Ok(e) => Effect::Then(vec![
                Effect::Reload,
                Effect::Info(format!(
                    "Deleted the {} entry from {} {}. Press {} to undo.",
                    e.activity,
                    format_minute(e.started_at),
                    zone_label(),
                    keys_for(Mode::Global, Action::Undo)
                )),
            ]),
            Err(e) => Effect::error(e),
        }
    }
}

impl Component for TimeScreen {
    fn mode(&self) -> Mode {
        Mode::Time
    }

    fn update(&mut self, ctx: &mut Ctx<'_>, action: Action) -> Effect {
        let d = ctx.data;
        self.height = entries_height(ctx.area);
        let last = d.time.len().saturating_sub(1);
        let s = &mut self.selected;
        let effect = match action {
            Action::Up => {
                *s = s.saturating_sub(1);
                Effect::None
            }
            Action::Down => {
                *s = (*s + 1).min(last);
                Effect::None
            }
            Action::PageUp => {
                *s = s.saturating_sub(10);
                Effect::None
            }
            Action::PageDown => {
                *s = (*s + 10).min(last);
                Effect::None
            }
            Action::First => {
                *s = 0;
                Effect::None
            }
            Action::Last => {
                *s = last;
                Effect::None
            }
            Action::StartTimer => {
                let items = Activity::ALL.iter().map(|a| (Choice::Activity(*a), a.to_string())).collect();
                let current = d.running_timer().map(|e| Choice::Activity(e.activity)).into_iter().collect();
                Picker::new("Start a timer for", items, false, current, Purpose::StartTimer).open()
            }
            Action::StopTimer => self.stop_timer(ctx),
            Action::New => time_form(ctx.store.now(), None),
            Action::Edit | Action::Open => {
                self.selected_entry(d).map_or(Effect::None, |e| time_form(ctx.store.now(), Some(e)))
            }
            Action::Delete => match self.selected_entry(d) {
                Some(e) => {
                    let message = format!(
                        "Delete the {} entry of {} from {} {}? ({} undoes)",
                        e.activity,
                        format_hm(length(e, ctx.store.now())),
                        format_minute(e.started_at),
                        zone_label(),
                        keys_for(Mode::Global, Action::Undo)
                    );
                    Effect::Push(Confirm::new(message, Question::DeleteTimeEntry(e.id)))
                }
                None => Effect::None,
            },
            _ => Effect::None,
        };
        self.scroll(d);
        effect
    }

    fn picked(&mut self, ctx: &mut Ctx<'_>, purpose: Purpose, choices: Vec<Choice>) -> Effect {
        match (purpose, choices.first()) {
            (Purpose::StartTimer, Some(Choice::Activity(activity))) => self.start_timer(ctx, *activity),
            _ => Effect::None,
        }
    }

    fn answered(&mut self, ctx: &mut Ctx<'_>, question: Question, yes: bool) -> Effect {
        match (question, yes) {
            (Question::DeleteTimeEntry(id), true) => self.delete(ctx, id),
            _ => Effect::None,
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let (entries_area, totals_area, weeks_area) = panels(area);
        draw_totals(frame, totals_area, view.data, view.now, view.theme);
        draw_weeks(frame, weeks_area, view.data, view.now, view.theme);
        draw_entries(frame, entries_area, self, view.data, view.now, view.theme);
    }

    fn data_changed(&mut self, d: &ProjectData) {
        if let Some(id) = self.follow.take()
            && let Some(i) = d.time.iter().position(|e| e.id == id)
        {
            self.selected = d.time.len() - 1 - i;
        }
        self.selected = self.selected.min(d.time.len().saturating_sub(1));
        self.scroll(d);
    }

    fn click(&mut self, d: &ProjectData, body: Rect, x: u16, y: u16) {
        let (entries, _, _) = panels(body);
        // Inside the border: the same lines the last frame drew, from the same offset.
        if x <= entries.x || x + 1 >= entries.x + entries.width || y <= entries.y || y + 1 >= entries.y + entries.height
        {
            return;
        }
        let height = entries_height(body);
        let line = usize::from(y - entries.y - 1);
        if let Some((Some(k), None)) = entry_lines(d, self.view_offset(d, height), height).get(line).copied() {
            self.selected = k;
            self.height = height;
            self.scroll(d);
        }
    }
}

/// Lines inside the entries panel of a Time screen drawn in `body`.
fn entries_height(body: Rect) -> usize {
    usize::from(panels(body).0.height.saturating_sub(2)).max(1)
}

/// The entry at `k` in newest-first order.
fn nth_newest(d: &ProjectData, k: usize) -> Option<&TimeEntry> {
    d.time.len().checked_sub(k + 1).and_then(|i| d.time.get(i))
}

fn day_of(t: Timestamp) -> Date {
    local_date(t)
}

fn length(e: &TimeEntry, now: Timestamp) -> jiff::SignedDuration {
    e.ended_at.unwrap_or(now).max(e.started_at).duration_since(e.started_at)
}

/// The length an entry shows beside its times: from its start minute to its end minute, as the list
/// writes them, so "15:00–15:40" reads 0:40 (not 0:39 for a start at 15:00:50) and a day's lines add up
/// to its total.
fn shown_length(e: &TimeEntry, now: Timestamp) -> jiff::SignedDuration {
    let minute = |t: Timestamp| t.as_second().div_euclid(60);
    let end = e.ended_at.unwrap_or(now).max(e.started_at);
    jiff::SignedDuration::from_mins(minute(end) - minute(e.started_at))
}

/// What the running timer is for: the interview's title when it belongs to one, else the activity.
pub fn timer_label(d: &ProjectData, e: &TimeEntry) -> String {
    e.interview
        .and_then(|id| d.interviews.iter().find(|i| i.id == id))
        .map_or_else(|| e.activity.to_string(), |i| terminal_safe(&i.title, true))
}

/// The running timer as the header shows it: `● requirements 0:12:05`.
pub fn header_timer(d: &ProjectData, now: Timestamp) -> Option<String> {
    let e = d.running_timer()?;
    let secs = now.duration_since(e.started_at).as_secs().max(0);
    Some(format!("● {} {}:{:02}:{:02}", timer_label(d, e), secs / 3600, secs / 60 % 60, secs % 60))
}

/// The form for logging time by hand, or editing an entry.
pub fn time_form(now: Timestamp, edit: Option<&TimeEntry>) -> Effect {
    let activities: Vec<String> = Activity::ALL.iter().map(ToString::to_string).collect();
    // A new entry defaults to the hour just past, the usual "I forgot to start the timer" case.
    let (activity, start, duration, note) = match edit {
        Some(e) => (
            e.activity,
            format_minute(e.started_at),
            e.ended_at.map(|end| format_duration(end.duration_since(e.started_at))).unwrap_or_default(),
            e.note.clone(),
        ),
        None => (
            Activity::Requirements,
            format_minute(now - jiff::SignedDuration::from_hours(1)),
            "1h".into(),
            String::new(),
        ),
    };
    let running = edit.is_some_and(|e| e.ended_at.is_none());
    // Times are typed in the display zone, as the screen shows them.
    let (start_label, end_label) =
        if zone_label() == "UTC" { ("Start (UTC)", "End (UTC)") } else { ("Start (local)", "End (local)") };
    let fields = vec![
        Field::choice(
            FieldId::Activity,
            "Activity",
            activities,
            Activity::ALL.iter().position(|a| *a == activity).unwrap_or(0),
        )
        .with_help(format!("{} choose", crate::tui::forms::choose_keys())),
        Field::line(FieldId::Start, start_label, &start).with_help("e.g. 2026-11-20 09:00"),
        Field::line(FieldId::Duration, "Duration", &duration)
            .with_help("e.g. 90m, 1h30m, 2.5h; or leave empty and give End"),
        Field::line(FieldId::End, end_label, "").with_help(if running {
            "leave Duration and End empty to keep the timer running"
        } else {
            "instead of a duration, e.g. 2026-11-20 10:30"
        }),
        Field::line(FieldId::Note, "Note", &note),
    ];
    let (title, purpose) = match edit {
        Some(e) if running => (format!("Edit the running {} timer", e.activity), FormPurpose::EditTimeEntry(e.id)),
        Some(e) => ("Edit time entry".to_owned(), FormPurpose::EditTimeEntry(e.id)),
        None => ("Log time".to_owned(), FormPurpose::NewTimeEntry),
    };
    Effect::Push(FormView::saved_by(Form::new(title, fields), purpose, save_time_form))
}

fn save_time_form(ctx: &mut OverlayCtx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    in_project(ctx, |ctx| match save_time_entry(ctx.store, ctx.data, form, purpose)? {
        Some((id, message)) => {
            Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Reload, Effect::ShowTimeEntry(id), Effect::Info(message)])))
        }
        None => Ok(SaveOutcome::Invalid),
    })
}

/// Validates and saves the time form; field problems are marked on the form and nothing is written.
/// Returns the entry saved and the message to show (`None`: invalid, see the form).
fn save_time_entry(
    store: &mut Store,
    d: &ProjectData,
    form: &mut Form,
    purpose: &FormPurpose,
) -> Result<Option<(TimeEntryId, String)>, StoreError> {
    let project = d.project.id;
    let now = store.now();
    let editing = match purpose {
        FormPurpose::EditTimeEntry(id) => Some(store.time_entry(*id)?),
        _ => None,
    };
    let activity = Activity::ALL[form.choice(FieldId::Activity).min(Activity::ALL.len() - 1)];
    let start = match parse_moment(&form.text(FieldId::Start)) {
        Ok(Moment::At(t)) => Some(t),
        Ok(Moment::Day(day)) => {
            form.set_error(FieldId::Start, Some(format!("give a time too, e.g. {day} 09:00")));
            None
        }
        Err(e) => {
            form.set_error(FieldId::Start, Some(e.to_string()));
            None
        }
    };
    let (duration_text, end_text) = (form.text(FieldId::Duration), form.text(FieldId::End));
    let duration = match duration_text.trim() {
        "" => None,
        t => parse_duration(t).map_err(|e| form.set_error(FieldId::Duration, Some(e.to_string()))).ok(),
    };
    let end = match end_text.trim() {
        "" => None,
        t => match parse_moment(t) {
            Ok(m) => Some(m.at_hour(END_OF_WORKING_DAY)),
            Err(e) => {
                form.set_error(FieldId::End, Some(e.to_string()));
                None
            }
        },
    };
    if form.has_errors() {
        return Ok(None);
    }
    let Some(start) = start else { return Ok(None) };
    let ended_at = match (duration, end) {
        (Some(_), Some(_)) => {
            form.set_error(FieldId::End, "give a duration or an end, not both".to_owned());
            return Ok(None);
        }
        (Some(len), None) => Some(start.checked_add(len).map_err(|e| ValidationError::new(e.to_string()))?),
        (None, Some(end)) => Some(end),
        (None, None) if editing.as_ref().is_some_and(|e| e.ended_at.is_none()) => None,
        (None, None) => {
            form.set_error(FieldId::Duration, "give a duration, e.g. 1h30m, or an end".to_owned());
            return Ok(None);
        }
    };
    check_entry_times(start, ended_at, now)?;
    let note = form.text(FieldId::Note);
    let saved = match editing {
        Some(e) => store.update_time_entry(
            e.id,
            TimeEntryPatch {
                activity: Some(activity),
                started_at: Some(start),
                ended_at: Some(ended_at),
                note: Some(note),
            },
        )?,
        None => store
            .add_time_entry(project, NewTimeEntry { activity, started_at: start, ended_at, interview: None, note })?,
    };
    let message = match purpose {
        FormPurpose::EditTimeEntry(_) => format!("Saved the {} entry.", saved.activity),
        _ => format!(
            "Logged {} of {} on {}.",
            format_hm(length(&saved, now)),
            saved.activity,
            local_date(saved.started_at)
        ),
    };
    Ok(Some((saved.id, message)))
}

/// Where the three panels go: (entries, totals by activity, weekly shares). Shared with mouse clicks.
fn panels(area: Rect) -> (Rect, Rect, Rect) {
    if area.width >= 100 {
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Min(46), Constraint::Length(50)])
            .split(area);
        let right = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(12), Constraint::Min(5)])
            .split(cols[1]);
        (cols[0], right[0], right[1])
    } else {
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(11), Constraint::Min(4)])
            .split(area);
        let top = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
            .split(rows[0]);
        (rows[1], top[0], top[1])
    }
}

fn percent(f: f64) -> String {
    format!("{:.0}%", f * 100.0)
}

fn draw_totals(frame: &mut Frame<'_>, area: Rect, d: &ProjectData, now: Timestamp, theme: &Theme) {
    let p = &d.project;
    let r = analysis::time_report_of(&d.time, now, p.target_min, p.target_max, p.planned_hours);
    let band = format!("{}–{}", percent(r.band_min), percent(r.band_max));
    let share = match (r.share, r.verdict) {
        (Some(s), Some(v)) => {
            format!("{} requirements ({} {band})", percent(s), v.describe().replace(" the target band", ""))
        }
        _ => format!("share: none yet (band {band})"),
    };
    let mut lines = vec![Line::styled(share, theme.band(r.verdict))];
    for a in &r.activities {
        let of_all = if r.total_hours > 0.0 { a.hours / r.total_hours } else { 0.0 };
        lines.push(Line::raw(format!("{:<13}{:>7.1} h {:>4}", a.activity.to_string(), a.hours, percent(of_all))));
    }
    let mut total = format!("{:<13}{:>7.1} h", "total", r.total_hours);
    if let (Some(planned), Some(used)) = (r.planned_hours, r.planned_used) {
        // The longest wording that fits: narrow terminals get the short one.
        let room = usize::from(area.width.saturating_sub(2));
        let long = format!("{total}  {} of {planned:.0} h planned", percent(used));
        let short = format!("total {:.1} h, {} of plan", r.total_hours, percent(used));
        total = if long.chars().count() <= room { long } else { short };
    }
    lines.push(Line::styled(total, theme.title()));
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" By activity ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_weeks(frame: &mut Frame<'_>, area: Rect, d: &ProjectData, now: Timestamp, theme: &Theme) {
    let (min, max) = (d.project.target_min, d.project.target_max);
    let block =
        Block::default().borders(Borders::ALL).title(Span::styled(" Requirements share per week ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let weeks = analysis::weekly_shares(&d.time, now);
    if weeks.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled("No time logged yet.", theme.dim())), inner);
        return;
    }
    let mut lines = Vec::new();
    let trend = analysis::share_trend(&weeks, 4);
    let trend_line = match trend {
        Some(t) => Line::from(vec![
            Span::raw("Trend: "),
            Span::styled(format!("{} {}", t.trend.arrow(), t.trend.word()), theme.title()),
            Span::raw(format!(" {} → {} ({} wk)", percent(t.from), percent(t.to), t.weeks)),
        ]),
        None => Line::styled("Trend: needs two weeks with time", theme.dim()),
    };
    // Rows for bars: all but the legend and trend lines; the newest weeks win when space is short.
    let rows = usize::from(inner.height).saturating_sub(2).max(1);
    let bar_width = usize::from(inner.width).saturating_sub(12).max(4);
    let top = weeks.iter().filter_map(|w| w.share()).fold(max + 0.1, f64::max).min(1.0);
    // Round the scale up to a tenth, so the axis reads in round numbers.
    let scale = ((top * 10.0).ceil() / 10.0).max(0.1);
    for w in weeks.iter().skip(weeks.len().saturating_sub(rows)) {
        let share = w.share();
        let style = theme.band(share.map(|s| analysis::verdict(s, min, max)));
        let mut spans = vec![Span::styled(w.week_start.strftime("%m-%d ").to_string(), theme.dim())];
        let mut bar = String::new();
        let mut band = String::new();
        let mut cells: Vec<(char, bool)> = Vec::with_capacity(bar_width);
        for c in 0..bar_width {
            let v = (c as f64 + 0.5) / bar_width as f64 * scale;
            let filled = share.is_some_and(|s| v <= s);
            let in_band = (min..=max).contains(&v);
            cells.push(match (filled, in_band) {
                (true, true) => ('▓', true),
                (true, false) => ('█', true),
                (false, true) => ('░', false),
                (false, false) => (' ', false),
            });
        }
        // Group runs of filled and empty cells into two styled spans each.
        for (ch, filled) in cells {
            if filled {
                bar.push(ch);
            } else {
                band.push(ch);
            }
        }
        spans.push(Span::styled(bar, style));
        spans.push(Span::styled(band, theme.dim()));
        spans.push(Span::raw(format!(" {:>4}", share.map_or("-".into(), percent))));
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(
        format!("      ░ band {}–{}, scale 0–{}", percent(min), percent(max), percent(scale)),
        theme.dim(),
    ));
    lines.push(trend_line);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The lines drawn for entries `from..` (newest-first), day headers included, at most `height` lines.
fn entry_lines(d: &ProjectData, from: usize, height: usize) -> Vec<(Option<usize>, Option<Date>)> {
    let mut out = Vec::with_capacity(height);
    let mut day: Option<Date> = None;
    let mut k = from;
    while out.len() < height {
        let Some(e) = nth_newest(d, k) else { break };
        let this = day_of(e.started_at);
        if day != Some(this) {
            out.push((Some(k), Some(this)));
            day = Some(this);
            if out.len() >= height {
                break;
            }
        }
        out.push((Some(k), None));
        k += 1;
    }
    out
}

/// Lines needed to show entries `from..=to` with their day headers.
fn lines_between(d: &ProjectData, from: usize, to: usize) -> usize {
    let mut n = 0;
    let mut day = None;
    for k in from..=to {
        let Some(e) = nth_newest(d, k) else { break };
        let this = day_of(e.started_at);
        if day != Some(this) {
            n += 1;
            day = Some(this);
        }
        n += 1;
    }
    n
}

/// Hours logged on `day`, counting each entry on the day it started (an entry across midnight counts whole
/// on its first day, as it is listed there).
fn day_total(d: &ProjectData, day: Date, around: usize, now: Timestamp) -> jiff::SignedDuration {
    let mut total = jiff::SignedDuration::ZERO;
    let same = |k: usize| nth_newest(d, k).filter(|e| day_of(e.started_at) == day);
    let mut k = around;
    while let Some(e) = same(k) {
        total += shown_length(e, now);
        k += 1;
    }
    let mut k = around;
    while k > 0 {
        k -= 1;
        let Some(e) = same(k) else { break };
        total += shown_length(e, now);
    }
    total
}

fn draw_entries(frame: &mut Frame<'_>, area: Rect, time: &TimeScreen, d: &ProjectData, now: Timestamp, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Entries by day ({}) ", d.time.len()), theme.title()));
    let block = match d.overlapping.len() {
        0 => block,
        n => block.title_bottom(Span::styled(
            format!(" * {n} overlap another entry: their shared time counts once "),
            theme.warn(),
        )),
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if d.time.is_empty() {
        let hint = format!(
            "No time logged yet. Press {} to start a timer, or {} to log time by hand.",
            keys_for(Mode::Time, Action::StartTimer),
            keys_for(Mode::Time, Action::New)
        );
        frame.render_widget(Paragraph::new(Span::styled(hint, theme.dim())), inner);
        return;
    }
    let height = usize::from(inner.height).max(1);
    let selected = time.selected.min(d.time.len() - 1);
    let offset = time.view_offset(d, height);
    let width = usize::from(inner.width);
    let mut lines = Vec::with_capacity(height);
    for (entry, day) in entry_lines(d, offset, height) {
        if let Some(day) = day {
            let total = format_hm(day_total(d, day, entry.unwrap_or(offset), now));
            let label = day.strftime("%a %Y-%m-%d").to_string();
            let pad = width.saturating_sub(label.chars().count() + total.chars().count() + 1);
            lines.push(Line::styled(format!("{label}{}{total} ", " ".repeat(pad)), theme.title()));
            continue;
        }
        let Some(k) = entry else { continue };
        let Some(e) = nth_newest(d, k) else { continue };
        let end = e.ended_at.map_or("now  ".to_owned(), format_clock);
        let mark = if e.ended_at.is_none() {
            "● "
        } else if d.overlapping.contains(&e.id) {
            "* "
        } else {
            ""
        };
        let text = format!(
            "  {}–{end} {:>5}  {mark}{:<12} {}",
            format_clock(e.started_at),
            format_hm(shown_length(e, now)),
            e.activity.to_string(),
            terminal_safe(&e.note, true)
        );
        let text = fit(&text, width);
        let style = if k == selected {
            theme.selected()
        } else if e.ended_at.is_none() {
            theme.warn()
        } else {
            theme.base()
        };
        let pad = width.saturating_sub(text.chars().count());
        lines.push(Line::styled(format!("{text}{}", " ".repeat(pad)), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
