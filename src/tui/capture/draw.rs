//! The Capture screen: with no interview running, the interviews held and how to start one; while one
//! runs, the capture box, the lines captured in it, its notes, and the gap prompts beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

use super::{CaptureFocus, CaptureScreen, is_paused, open_interview};
use crate::analysis::coverage::NoGaps;
use crate::analysis::lint::PairKind;
use crate::domain::*;
use crate::store::{note_lines, split_note};
use crate::tui::action::Action;
use crate::tui::component::View;
use crate::tui::data::ProjectData;
use crate::tui::gaps::Gaps;
use crate::tui::keymap::{Mode, key_described, keys_for};
use crate::tui::theme::Theme;

/// Draws the Capture screen into `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, c: &CaptureScreen, view: &View<'_>) {
    let (d, theme, now) = (view.data, view.theme, view.now);
    // The gap panel goes beside the work where there is room, else below it.
    let side = if area.width >= 100 { 34 } else { 27 };
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Min(30), Constraint::Length(side)])
        .split(area);
    match open_interview(d) {
        Some(i) => draw_running(frame, cols[0], c, d, i, now, theme),
        None => draw_idle(frame, cols[0], c, d, now, theme),
    }
    draw_gaps(frame, cols[1], " Ask about ", view.gaps, theme);
}

pub(super) fn names(d: &ProjectData, people: &[StakeholderId]) -> String {
    people
        .iter()
        .filter_map(|s| d.stakeholders.iter().find(|x| x.id == *s).map(|x| terminal_safe(&x.name, true)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn draw_idle(frame: &mut Frame<'_>, area: Rect, c: &CaptureScreen, d: &ProjectData, now: Timestamp, theme: &Theme) {
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(4), Constraint::Min(3)])
        .split(area);
    let intro = vec![
        Line::from(vec![
            Span::styled(keys_for(Mode::CaptureIdle, Action::New), theme.key()),
            Span::raw(" start an interview: title, mode and who takes part. "),
            Span::styled(keys_for(Mode::CaptureIdle, Action::Open), theme.key()),
            Span::raw(" opens one held below."),
        ]),
        Line::styled("Its requirements timer runs until you pause or end it.", theme.dim()),
    ];
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" No interview running ", theme.title()));
    frame.render_widget(Paragraph::new(intro).block(block).wrap(Wrap { trim: true }), parts[0]);

    // Narrow terminals drop the year so the names keep some room.
    let (when, when_width) = if area.width >= 80 { ("%Y-%m-%d %H:%M", 16) } else { ("%m-%d %H:%M", 11) };
    let widths = [
        Constraint::Length(when_width),
        Constraint::Min(12),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Min(8),
    ];
    let (w, widths) = crate::tui::layout::table_columns(parts[1], &widths);
    let rows: Vec<Row<'_>> = d
        .interviews
        .iter()
        .rev()
        .map(|i| {
            // From its start minute to its end minute, as the times read (13:42–15:00 is 78 min).
            let minute = |t: Timestamp| t.as_second().div_euclid(60);
            let minutes = (minute(i.ended_at.unwrap_or(now)) - minute(i.started_at)).max(0);
            Row::new(vec![
                Cell::from(shown(i.started_at).strftime(when).to_string()),
                Cell::from(fit(&terminal_safe(&i.title, true), w[1])),
                Cell::from(i.mode.to_string()),
                Cell::from(format!("{minutes} min")),
                Cell::from(fit(&names(d, &i.stakeholders), w[4])),
            ])
        })
        .collect();
    let when = format!("When ({})", zone_label());
    let header = Row::new([when.as_str(), "Interview", "Mode", "Length", "Stakeholders"]).style(theme.dim());
    let empty = rows.is_empty();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Interviews held ({}) ", d.interviews.len()), theme.title()));
    let mut state = TableState::default().with_selected((!empty).then_some(c.held.index));
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    frame.render_stateful_widget(table, parts[1], &mut state);
    if empty {
        let inner = Rect { x: parts[1].x + 2, y: parts[1].y + 2, width: parts[1].width.saturating_sub(4), height: 1 };
        frame.render_widget(Paragraph::new(Span::styled("No interviews recorded yet.", theme.dim())), inner);
    }
}

fn draw_running(
    frame: &mut Frame<'_>,
    area: Rect,
    c: &CaptureScreen,
    d: &ProjectData,
    i: &Interview,
    now: Timestamp,
    theme: &Theme,
) {
    let notes = note_lines(&i.notes);
    let notes_height = if area.height >= 24 { 8 } else { 5 };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(5), Constraint::Min(3), Constraint::Length(notes_height)])
        .split(area);

    // The box, titled with the interview and its state.
    let minutes = now.duration_since(i.started_at).as_mins().max(0);
    let state = if is_paused(d, i) { "❚❚ paused" } else { "● recording" };
    let title = format!(
        " {} · {} · {minutes} min · {} · {state} ",
        terminal_safe(&i.title, true),
        i.mode,
        names(d, &i.stakeholders)
    );
    let stage = d.stage(c.stage).map_or_else(|| "no stage".to_owned(), |s| terminal_safe(&s.name, true));
    let focused = c.focus == CaptureFocus::Box;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()))
        .title_bottom(Span::styled(format!(" new lines go to: {stage} "), theme.dim()));
    if parts[0].width >= 80 {
        let k = |a| keys_for(Mode::Capture, a);
        let leave = key_described(Mode::Capture, Action::SwitchFocus, "leave");
        let keys = format!(" {} pause · {} end · {} leave ", k(Action::PauseResume), k(Action::StopInterview), leave);
        block = block.title_bottom(Line::styled(keys, theme.dim()).right_aligned());
    }
    if focused {
        block = block.border_style(theme.focus_border());
    }
    let inner = block.inner(parts[0]);
    frame.render_widget(block, parts[0]);
    let mut editor = c.input.clone();
    editor.set_cursor_style(if focused { theme.selected() } else { ratatui::style::Style::default() });
    if editor.is_empty() {
        editor.set_placeholder_text(format!(
            "type what you hear; {} saves it as a requirement",
            keys_for(Mode::Capture, Action::Save)
        ));
        editor.set_placeholder_style(theme.dim());
    }
    let line = Rect { height: 1, ..inner };
    frame.render_widget(&editor, line);
    // Under the line, live: why it reads weak, and how to say it better.
    if let Some(f) = c.live.first() {
        let (mark, style) = match f.severity {
            crate::analysis::lint::Severity::Error => ("✗", theme.error()),
            crate::analysis::lint::Severity::Warning => ("⚠", theme.warn()),
            crate::analysis::lint::Severity::Info => ("·", theme.dim()),
        };
        let more = match c.live.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        let said = format!("{mark} \"{}\": {}{more} · {}", terminal_safe(&f.text, true), f.message, f.hint);
        let below = Rect { y: inner.y + 1, height: 1, ..inner };
        frame.render_widget(Paragraph::new(Span::styled(fit(&said, usize::from(below.width)), style)), below);
    }
    // And whether it says again what is already there: link it instead of adding a second.
    if let Some(r) = &c.repeat
        && inner.height >= 3
    {
        let other = d.human_id(r.seq);
        let title =
            d.row(r.id, r.seq).map(|row| format!(" \"{}\"", terminal_safe(&row.title, true))).unwrap_or_default();
        let said = match r.kind {
            PairKind::Duplicate => format!(
                "≈ looks like {other} · {} links to it instead of adding ·{title}",
                keys_for(Mode::Capture, Action::LinkRepeat)
            ),
            PairKind::Conflict => format!("⚠ may conflict with {other}{title}: {}", r.reason),
        };
        let below = Rect { y: inner.y + 2, height: 1, ..inner };
        frame.render_widget(Paragraph::new(Span::styled(fit(&said, usize::from(below.width)), theme.warn())), below);
    }

    // The captured lines, newest at the bottom, the last one marked.
    let height = usize::from(parts[1].height.saturating_sub(2));
    // Newest at the bottom; a line marked further up scrolls into view.
    let marked = c.captured.iter().position(|(id, _)| c.last == Some(*id)).unwrap_or(c.captured.len());
    let first = c.captured.len().saturating_sub(height).min(marked);
    let items: Vec<ListItem<'_>> = c.captured[first..]
        .iter()
        .map(|(id, seq)| {
            let mark = if c.last == Some(*id) { "›" } else { " " };
            let Some(r) = d.row(*id, *seq) else {
                return ListItem::new(format!("{mark} {:<8} …", d.human_id(*seq)));
            };
            let stage = d.stage(r.stage).map_or("-".to_owned(), |s| terminal_safe(&s.name, true));
            let outcome = d.outcome(r.outcome).map_or(String::new(), |o| {
                let more = if r.outcome_count > 1 { format!(" +{}", r.outcome_count - 1) } else { String::new() };
                format!("  → {}{more}", terminal_safe(&o.statement, true))
            });
            let flags =
                format!("{}{}", if r.moment_of_truth { "★" } else { " " }, if r.pain_point { "!" } else { " " });
            ListItem::new(Line::from(vec![
                Span::styled(mark, theme.key()),
                Span::raw(format!(" {:<8} ", d.human_id(r.seq))),
                Span::styled(format!("{} {:<6} ", pad(&stage, 12), r.priority.to_string()), theme.dim()),
                Span::styled(flags, theme.warn()),
                Span::raw(format!(" {}", terminal_safe(&r.title, true))),
                Span::styled(outcome, theme.dim()),
            ]))
        })
        .collect();
    let empty = items.is_empty();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Captured in this interview ({}) ", c.captured.len()), theme.title()));
    frame.render_widget(List::new(items).block(block), parts[1]);
    if empty {
        let inner = Rect { x: parts[1].x + 2, y: parts[1].y + 1, width: parts[1].width.saturating_sub(4), height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(
                    &format!(
                        "Nothing yet. {}/{}/{} then act on the last line.",
                        keys_for(Mode::Capture, Action::PickStage),
                        keys_for(Mode::Capture, Action::PickOutcome),
                        keys_for(Mode::Capture, Action::CyclePriority)
                    ),
                    usize::from(inner.width),
                ),
                theme.dim(),
            )),
            inner,
        );
    }

    // The notes pane: each note on one line, cut with … where the pane is narrow.
    let room = usize::from(parts[2].width.saturating_sub(2 + 6));
    let items: Vec<ListItem<'_>> = notes
        .iter()
        .map(|n| {
            let (time, text) = split_note(n);
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<6}", time.unwrap_or("")), theme.dim()),
                Span::raw(fit(&terminal_safe(text, true), room)),
            ]))
        })
        .collect();
    let focused = c.focus == CaptureFocus::Notes;
    let notes_key = |a| keys_for(Mode::CaptureNotes, a);
    let hint = if focused {
        format!(
            " {} → requirement · {} add · {} back ",
            notes_key(Action::NoteToRequirement),
            notes_key(Action::AddNote),
            notes_key(Action::SwitchFocus)
        )
    } else {
        format!(
            " {} notes · {} saves the box as a note ",
            keys_for(Mode::Capture, Action::SwitchFocus),
            keys_for(Mode::Capture, Action::AddNote)
        )
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Notes ({}) ", notes.len()), theme.title()))
        .title_bottom(Span::styled(hint, theme.dim()));
    if focused {
        block = block.border_style(theme.focus_border());
    }
    let empty = items.is_empty();
    let mut state = ListState::default().with_selected((focused && !empty).then_some(c.note_selected));
    frame.render_stateful_widget(List::new(items).block(block).highlight_style(theme.selected()), parts[2], &mut state);
    if empty {
        let inner = Rect { x: parts[2].x + 2, y: parts[2].y + 1, width: parts[2].width.saturating_sub(4), height: 1 };
        frame.render_widget(Paragraph::new(Span::styled("No notes yet.", theme.dim())), inner);
    }
}

/// The coverage gaps as a panel: the Capture screen's prompts and the Dashboard's gaps are the same list.
pub(crate) fn draw_gaps(frame: &mut Frame<'_>, area: Rect, title: &str, gaps: &Gaps, theme: &Theme) {
    let mut lines = Vec::new();
    let section = |title: &str, items: &[String], empty: Option<NoGaps>, lines: &mut Vec<Line<'_>>| {
        if items.is_empty() {
            // A green "none" only when there was something to cover.
            match empty {
                Some(NoGaps::NothingDefined(words)) => {
                    lines.push(Line::styled(format!("{title}: {words}"), theme.dim()))
                }
                _ => lines.push(Line::styled(format!("✓ {title}: none"), theme.ok())),
            }
        } else {
            lines.push(Line::styled(format!("{title} ({}):", items.len()), theme.gap()));
            for i in items {
                lines.push(Line::raw(format!(" · {}", terminal_safe(i, true))));
            }
        }
        lines.push(Line::raw(""));
    };
    section("Stages, no requirement", &gaps.stages, gaps.empty[0], &mut lines);
    section("Outcomes, no requirement", &gaps.outcomes, gaps.empty[1], &mut lines);
    section("Departments not heard", &gaps.departments, gaps.empty[2], &mut lines);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}
