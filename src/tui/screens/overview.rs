//! Dashboard and Capture: the project at a glance and its interviews. (Time has its own screen: time.rs.)

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Gauge, Paragraph, Row, Table, Wrap};

use crate::domain::*;
use crate::tui::app::App;
use crate::tui::data::ProjectData;
use crate::tui::theme::Theme;

fn hours(e: &TimeEntry, now: Timestamp) -> f64 {
    e.ended_at.unwrap_or(now).max(e.started_at).duration_since(e.started_at).as_secs_f64() / 3600.0
}

/// The share line shared by the header and the dashboard.
pub fn share_text(d: &ProjectData, now: Timestamp) -> (String, std::cmp::Ordering) {
    match d.requirements_share(now) {
        Some(s) => {
            let v = d.band_verdict(s);
            let word = match v {
                std::cmp::Ordering::Less => "below",
                std::cmp::Ordering::Equal => "inside",
                std::cmp::Ordering::Greater => "above",
            };
            (
                format!(
                    "{:.0}% requirements ({word} {:.0}–{:.0}%)",
                    s * 100.0,
                    d.project.target_min * 100.0,
                    d.project.target_max * 100.0
                ),
                v,
            )
        }
        None => ("no time logged yet".into(), std::cmp::Ordering::Equal),
    }
}

/// Coverage gaps: stages and outcomes without requirements, departments never interviewed.
pub fn gaps(d: &ProjectData) -> (Vec<String>, Vec<String>, Vec<String>) {
    let stages =
        d.stages.iter().filter(|s| !d.rows.iter().any(|r| r.stage == Some(s.id))).map(|s| s.name.clone()).collect();
    let per_outcome = d.requirements_per_outcome();
    let outcomes =
        d.outcomes.iter().filter(|o| !per_outcome.contains_key(&o.id)).map(|o| o.statement.clone()).collect();
    let interviewed = d.interviews_per_stakeholder();
    let mut heard: HashMap<&str, bool> = HashMap::new();
    for s in &d.stakeholders {
        if s.department.trim().is_empty() {
            continue;
        }
        *heard.entry(s.department.as_str()).or_insert(false) |= interviewed.contains_key(&s.id);
    }
    let mut depts: Vec<String> = heard.into_iter().filter(|(_, h)| !h).map(|(d, _)| d.to_owned()).collect();
    depts.sort();
    (stages, outcomes, depts)
}

pub fn draw_dashboard(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(d) = &app.data else { return };
    let now = app.store.now();
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
        .constraints([Constraint::Percentage(34), Constraint::Percentage(33), Constraint::Percentage(33)])
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
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Status and priority ", theme.title()))),
        cols[0],
    );
    let (stages, outcomes, depts) = gaps(d);
    let mut lines = Vec::new();
    let section = |title: &str, items: &[String], lines: &mut Vec<Line<'_>>| {
        if items.is_empty() {
            lines.push(Line::styled(format!("✓ {title}: none"), theme.ok()));
        } else {
            lines.push(Line::styled(format!("{title} ({}):", items.len()), theme.gap()));
            for i in items {
                lines.push(Line::raw(format!("  · {}", terminal_safe(i, true))));
            }
        }
    };
    section("Stages with no requirement", &stages, &mut lines);
    section("Outcomes with no requirement", &outcomes, &mut lines);
    section("Departments not interviewed", &depts, &mut lines);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Coverage gaps ", theme.title()))),
        cols[1],
    );
    let total: f64 = d.time.iter().map(|e| hours(e, now)).sum();
    let mut lines = vec![
        Line::raw(format!("Interviews held: {}", d.interviews.len())),
        Line::raw(format!(
            "Departments heard: {}",
            crate::tui::screens::stakeholders::departments(app).values().filter(|v| v.1 > 0).count()
        )),
        Line::raw(format!("Time logged: {total:.1} h")),
    ];
    if let Some(p) = d.project.planned_hours {
        lines.push(Line::raw(format!("Planned: {p:.0} h ({:.0}% used)", total / p * 100.0)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Moments of truth", theme.dim()));
    lines.push(Line::raw(format!(
        "  {} marked ★, {} pain points !",
        count(&|r| r.moment_of_truth),
        count(&|r| r.pain_point)
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Interviews and time ", theme.title()))),
        cols[2],
    );
}

pub fn draw_capture(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(d) = &app.data else { return };
    let now = app.store.now();
    let rows: Vec<Row<'_>> = d
        .interviews
        .iter()
        .rev()
        .map(|i| {
            let people: Vec<String> = i
                .stakeholders
                .iter()
                .filter_map(|s| d.stakeholders.iter().find(|x| x.id == *s).map(|x| terminal_safe(&x.name, true)))
                .collect();
            let minutes = i.ended_at.unwrap_or(now).duration_since(i.started_at).as_mins();
            let when = i.started_at.strftime("%Y-%m-%d %H:%M").to_string();
            let state = if i.ended_at.is_none() { "running" } else { "" };
            Row::new(vec![
                Cell::from(when),
                Cell::from(terminal_safe(&i.title, true)),
                Cell::from(i.mode.to_string()),
                Cell::from(format!("{minutes} min {state}")),
                Cell::from(people.join(", ")),
            ])
        })
        .collect();
    let header = Row::new(["When (UTC)", "Interview", "Mode", "Length", "Stakeholders"]).style(theme.dim());
    let widths = [
        Constraint::Length(16),
        Constraint::Min(20),
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Min(20),
    ];
    let empty = rows.is_empty();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Interviews ({}) ", d.interviews.len()), theme.title()));
    frame.render_widget(Table::new(rows, widths).header(header).block(block), area);
    if empty {
        let inner = Rect { x: area.x + 2, y: area.y + 2, width: area.width.saturating_sub(4), height: 1 };
        frame.render_widget(Paragraph::new(Span::styled("No interviews recorded yet.", theme.dim())), inner);
    }
}
