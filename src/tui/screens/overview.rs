//! Dashboard: the project at a glance (Capture and Time have their own modules).

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph};

use crate::analysis::Verdict;
use crate::domain::*;
use crate::tui::action::Action;
use crate::tui::component::{Component, Ctx, Effect, View};
use crate::tui::data::ProjectData;
use crate::tui::keymap::Mode;

/// The share line shared by the header and the dashboard.
pub fn share_text(d: &ProjectData, now: Timestamp) -> (String, Option<Verdict>) {
    let totals = d.time_totals(now);
    let (min, max) = (d.project.target_min, d.project.target_max);
    match (totals.share(), totals.judged(min, max)) {
        // Too little time for a verdict: the share so far, and when it will be judged.
        (Some(s), None) => (
            format!(
                "{:.0}% so far ({} min logged; judged from {:.0} h)",
                s * 100.0,
                (totals.total_hours * 60.0).floor(),
                crate::analysis::MEANINGFUL_HOURS
            ),
            None,
        ),
        (Some(s), Some(v)) => {
            let word = match v {
                Verdict::Below => "below",
                Verdict::Inside => "inside",
                Verdict::Above => "above",
            };
            (
                format!(
                    "{:.0}% requirements ({word} {:.0}–{:.0}%)",
                    s * 100.0,
                    d.project.target_min * 100.0,
                    d.project.target_max * 100.0
                ),
                Some(v),
            )
        }
        (None, _) => ("no time logged yet".into(), None),
    }
}

/// The Dashboard: it only shows, so it has no state of its own.
#[derive(Debug, Default)]
pub struct DashboardScreen;

impl Component for DashboardScreen {
    fn mode(&self) -> Mode {
        Mode::Overview
    }

    fn update(&mut self, _ctx: &mut Ctx<'_>, _action: Action) -> Effect {
        Effect::None
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw_dashboard(frame, area, view);
    }
}

fn draw_dashboard(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let (d, now, theme) = (view.data, view.now, view.theme);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(3), Constraint::Min(4)])
        .split(area);
    let (text, verdict) = share_text(d, now);
    let ratio = d.requirements_share(now).unwrap_or(0.0).clamp(0.0, 1.0);
    let gauge = Gauge::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Time spent understanding the customer ", theme.title())),
        )
        .gauge_style(theme.band(verdict))
        .ratio(ratio)
        .label(text);
    frame.render_widget(gauge, rows[0]);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Length(22), Constraint::Fill(1), Constraint::Fill(1)])
        .split(rows[1]);
    let count = |f: &dyn Fn(&RequirementSummary) -> bool| d.rows.iter().filter(|r| f(r)).count();
    let mut lines = vec![Line::styled(format!("{} requirements", d.rows.len()), theme.title())];
    for s in Status::ALL {
        lines.push(Line::raw(format!("{:<12}{:>5}", s.to_string(), count(&|r| r.status == *s))));
    }
    lines.push(Line::raw(""));
    for p in Priority::ALL {
        lines.push(Line::raw(format!("{:<12}{:>5}", p.to_string(), count(&|r| r.priority == *p))));
    }
    lines.push(Line::raw(""));
    match view.quality {
        Some(q) => {
            let style = if q.errors > 0 { theme.warn() } else { theme.ok() };
            // Two lines, so they show in a 24-line terminal too.
            lines.push(Line::styled(format!("Quality {:.0}/100", q.score), style));
            lines.push(Line::raw(format!("✗{} ⚠{} ·{}", q.errors, q.warnings, q.infos)));
        }
        None if d.total > crate::tui::quality::ASSESS_AT_MOST => {
            lines.push(Line::styled("Quality:", theme.dim()));
            lines.push(Line::styled("`elicit lint`", theme.dim()));
            lines.push(Line::styled("(a project this big", theme.dim()));
            lines.push(Line::styled("is checked there)", theme.dim()));
        }
        None => lines.push(Line::styled("Quality: checking…", theme.dim())),
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Status and priority ", theme.title()))),
        cols[0],
    );
    crate::tui::capture::draw_gaps(frame, cols[1], " Coverage gaps ", view.gaps, theme);
    let by_activity = crate::analysis::hours_by_activity(&d.time, now);
    // Summing no hours gives -0.0, which would print as "-0.0 h"; adding 0.0 makes it plain zero.
    let total: f64 = by_activity.iter().map(|(_, h)| h).sum::<f64>() + 0.0;
    let departments = crate::tui::screens::stakeholders::departments(d);
    let mut lines = vec![
        Line::raw(format!("Interviews held: {}", d.interviews.len())),
        Line::raw(format!(
            "Departments heard: {} of {}",
            departments.iter().filter(|d| d.interviewed > 0).count(),
            departments.len()
        )),
        Line::raw(""),
        Line::styled(format!("Time logged: {total:.1} h"), theme.dim()),
    ];
    for (activity, h) in &by_activity {
        lines.push(Line::raw(format!("  {:<12}{h:>6.1}h {:>3.0}%", activity.to_string(), h / total * 100.0)));
    }
    if let Some(p) = d.project.planned_hours.filter(|p| *p > 0.0) {
        lines.push(Line::raw(format!("  planned {p:.0} h, {:.0}% used", total / p * 100.0)));
    }
    if let Some(q) = view.quality.filter(|q| !q.interviews.is_empty()) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Weakest interviews", theme.dim()));
        let room = usize::from(cols[2].width.saturating_sub(2));
        for (title, score, n) in q.interviews.iter().take(3) {
            lines.push(Line::raw(fit(&format!("  {score:>3.0}  {} ({n})", terminal_safe(title, true)), room)));
        }
    }
    // Who still has requirements to sign off: what to read back next.
    let waiting: Vec<(&Stakeholder, usize)> =
        d.awaiting.iter().filter_map(|(id, n)| d.stakeholders.iter().find(|s| s.id == *id).map(|s| (s, *n))).collect();
    if !waiting.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Awaiting sign-off", theme.dim()));
        let room = usize::from(cols[2].width.saturating_sub(2));
        for (s, n) in waiting.iter().take(3) {
            lines.push(Line::raw(fit(&format!("  {n:>3}  {}", terminal_safe(&s.name, true)), room)));
        }
        if waiting.len() > 3 {
            let more = format!("  and {} more (Stakeholders, 6)", waiting.len() - 3);
            lines.push(Line::styled(fit(&more, room), theme.dim()));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(format!("★ {} moments of truth", count(&|r| r.moment_of_truth))));
    lines.push(Line::raw(format!("! {} pain points", count(&|r| r.pain_point))));
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Interviews and time ", theme.title()))),
        cols[2],
    );
}
