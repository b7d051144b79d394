//! Every quality finding of the project, the most serious first, then those analysts accepted; Enter
//! shows the requirement, `a` accepts a finding with a reason (on an accepted one: counts it again).
//!
//! The rows come from the project's latest assessment each time, so an acceptance shows as soon as the
//! assessment after it is in.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use crate::analysis::lint::Severity;
use crate::domain::{fit, terminal_safe};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView, Selection};
use crate::tui::form::{Field, Form};
use crate::tui::forms::{FormPurpose, FormView, SaveOutcome};
use crate::tui::keymap::{self, Mode, keys_for};
use crate::tui::message::FieldId;
use crate::tui::overlays::centered;
use crate::tui::quality::{FindingRow, Quality};

/// The findings view: which row is selected (the rows are the assessment's).
#[derive(Debug, Default)]
pub struct Findings {
    selected: Selection,
}

impl Findings {
    pub fn new() -> Box<Findings> {
        Box::new(Findings::default())
    }

    /// The rows as listed: the open findings, then the accepted ones.
    pub fn rows(quality: &Quality) -> impl Iterator<Item = &FindingRow> {
        quality.list.iter().chain(&quality.accepted)
    }

    /// The selected row.
    pub fn selected<'q>(&self, quality: Option<&'q Quality>) -> Option<&'q FindingRow> {
        Findings::rows(quality?).nth(self.selected.index)
    }

    fn accept(&self, ctx: &mut OverlayCtx<'_>) -> Effect {
        let Some(row) = self.selected(ctx.quality) else { return Effect::None };
        let f = &row.finding;
        if row.accepted.is_some() {
            return match ctx.store.withdraw_acceptance(row.requirement, f.rule.as_str(), f.field.as_str(), &f.subject())
            {
                Ok(_) => Effect::Then(vec![
                    Effect::Refresh(Some(row.requirement)),
                    Effect::Info(format!("{} counts again on {}.", f.rule.as_str(), human(ctx, row.seq))),
                ]),
                Err(e) => Effect::error(e),
            };
        }
        let what = if f.text.is_empty() { f.rule.as_str().to_owned() } else { format!("{:?}", f.text) };
        let title = format!("Accept {what} on {}", human(ctx, row.seq));
        let reason =
            Field::line(FieldId::Reason, "Reason", "").with_help("why it stays as it is (the report shows it)");
        let purpose = FormPurpose::AcceptFinding {
            requirement: row.requirement,
            rule: f.rule.as_str().to_owned(),
            field: f.field.as_str().to_owned(),
            subject: f.subject(),
        };
        Effect::Push(FormView::saved_by(Form::new(&title, vec![reason]), purpose, save_acceptance))
    }
}

fn human(ctx: &OverlayCtx<'_>, seq: i64) -> String {
    ctx.data.map_or_else(|| seq.to_string(), |d| d.human_id(seq))
}

/// Saves the reason form: the finding is accepted on its requirement.
fn save_acceptance(
    ctx: &mut OverlayCtx<'_>,
    form: &mut Form,
    purpose: &FormPurpose,
) -> Result<SaveOutcome, StoreError> {
    let FormPurpose::AcceptFinding { requirement, rule, field, subject } = purpose else {
        return Ok(SaveOutcome::Invalid);
    };
    let reason = form.text(FieldId::Reason);
    if reason.trim().is_empty() {
        form.set_error(FieldId::Reason, "say why it is accepted: the report shows the reason".to_owned());
        return Ok(SaveOutcome::Invalid);
    }
    ctx.store.accept_finding(*requirement, rule, field, subject, &reason)?;
    let undo = keys_for(Mode::Global, Action::Undo);
    Ok(SaveOutcome::Saved(Effect::Then(vec![
        Effect::Refresh(Some(*requirement)),
        Effect::Info(format!("Accepted: it no longer counts against the requirement ({undo} undoes).")),
    ])))
}

impl Overlay for Findings {
    fn mode(&self) -> Mode {
        Mode::Findings
    }

    fn update(&mut self, ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        match action {
            Action::Cancel => Effect::Close,
            Action::Open => self.selected(ctx.quality).map_or(Effect::None, |r| Effect::ShowRequirement(r.requirement)),
            Action::AcceptFinding => self.accept(ctx),
            _ => {
                let n = ctx.quality.map_or(0, |q| q.list.len() + q.accepted.len());
                self.selected.apply(action, n);
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 120, body.height.saturating_sub(2));
        frame.render_widget(Clear, area);
        let (Some(d), Some(q)) = (view.data, view.quality) else { return };
        let width = usize::from(area.width.saturating_sub(2));
        let items: Vec<ListItem<'_>> = Findings::rows(q)
            .map(|r| {
                let f = &r.finding;
                let (label, style) = match (&r.accepted, f.severity) {
                    (Some(_), _) => ("accepted", theme.dim()),
                    (None, Severity::Error) => ("error", theme.error()),
                    (None, Severity::Warning) => ("warning", theme.warn()),
                    (None, Severity::Info) => ("info", theme.dim()),
                };
                // Where it is, when not in the statement: "easy" in the title and "easy to use" in the
                // statement are two findings, not one twice.
                let field = match f.field {
                    crate::analysis::lint::Field::Title | crate::analysis::lint::Field::Acceptance => {
                        format!(" ({})", f.field.as_str())
                    }
                    _ => String::new(),
                };
                let at = if f.text.is_empty() {
                    String::new()
                } else {
                    format!(" \"{}\"{field}", terminal_safe(&f.text, true))
                };
                // An accepted one says why it stays, before what the rule says of it.
                let tail = match &r.accepted {
                    Some(a) => format!(
                        "{} (accepted by {}) · {}",
                        terminal_safe(&a.reason, true),
                        terminal_safe(&a.by, true),
                        f.message
                    ),
                    None => format!("{} · {}", f.message, f.hint),
                };
                let said = format!(" {:<9} {}{at}: {tail}", d.human_id(r.seq), f.rule.as_str());
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{label:<8}"), style),
                    Span::raw(fit(&said, width.saturating_sub(8))),
                ]))
            })
            .collect();
        let empty = items.is_empty();
        let accepted = if q.accepted.is_empty() { String::new() } else { format!(", {} accepted", q.accepted.len()) };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(format!(" Quality findings ({}{accepted}) ", q.list.len()), theme.title()))
            .title_bottom(Span::styled(fit(&format!(" {} ", keymap::hint_line(Mode::Findings)), width), theme.dim()));
        let selected = self.selected.index.min(items.len().saturating_sub(1));
        let mut state = ListState::default().with_selected((!empty).then_some(selected));
        frame.render_stateful_widget(List::new(items).block(block).highlight_style(theme.selected()), area, &mut state);
        if empty {
            let inner = Rect { x: area.x + 2, y: area.y + 1, width: area.width.saturating_sub(4), height: 1 };
            frame.render_widget(
                Paragraph::new(Span::styled("No findings: every requirement reads well.", theme.ok())),
                inner,
            );
        }
    }
}
