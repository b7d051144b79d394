//! The conflict view: an edit form's save found that someone else (another workbench, `elicit edit`)
//! changed the same requirement since the form opened. Fields changed on one side only were merged; for
//! each field both sides changed, the analyst sees their value and their own side by side and keeps one. Nothing is written until they save their choices.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::action::Action;
use super::component::{Ctx, Effect, Overlay, OverlayCtx, OverlayView};
use super::data::ProjectData;
use super::keymap::Mode;
use super::overlays::centered;
use super::theme::Theme;
use crate::domain::*;
use crate::store::StoreError;

/// A save waiting for the analyst's choice per conflicting field.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The requirement as the form started from it.
    pub base: Requirement,
    /// What is saved now (their version).
    pub theirs: Requirement,
    /// The form's values.
    pub mine: Requirement,
    /// The merge of the three.
    pub merge: Merge,
    /// Per conflicting field (in `merge.conflicts` order): keep mine rather than theirs.
    pub keep_mine: Vec<bool>,
    pub selected: usize,
}

/// What the view comes to after an action.
enum ConflictStep {
    /// Stay open (a choice moved).
    Stay,
    /// Close the view and go back to the form; nothing was written.
    Back,
    /// Written: close the view and the form, then apply the effect.
    Saved(Effect),
    /// Someone changed it yet again: show this new conflict instead.
    Again(Box<Conflict>),
    /// Not written (the database was busy, or the requirement is gone): the view and the form stay, so
    /// nothing typed is lost; the message says why.
    Failed(String),
}

impl Conflict {
    /// The merge of an edit (`mine`, started from `base`) against what is saved now (`theirs`).
    pub fn new(base: Requirement, theirs: Requirement, mine: Requirement) -> Conflict {
        let merge = merge(&base, &theirs, &mine);
        let keep_mine = vec![false; merge.conflicts.len()];
        Conflict { base, theirs, mine, merge, keep_mine, selected: 0 }
    }

    /// Handles one action of the view.
    fn step(&mut self, ctx: &mut Ctx<'_>, action: Action) -> ConflictStep {
        let last = self.keep_mine.len().saturating_sub(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Left | Action::Right => {
                if let Some(k) = self.keep_mine.get_mut(self.selected) {
                    *k = action == Action::Right;
                }
            }
            Action::Cancel => return ConflictStep::Back,
            Action::Save => return self.save(ctx),
            _ => {}
        }
        ConflictStep::Stay
    }

    /// Writes the merged changes with the choices made, only if nobody changed the requirement again.
    fn save(&self, ctx: &mut Ctx<'_>) -> ConflictStep {
        let mut patch = self.merge.patch.clone();
        for (f, mine) in self.merge.conflicts.iter().zip(&self.keep_mine) {
            if *mine {
                f.take(&mut patch, &self.mine);
            }
        }
        let id = ctx.data.human_id(self.theirs.seq);
        match ctx.store.update_requirement_if(self.theirs.id, Some(self.theirs.version), patch) {
            Ok(_) => {
                let kept = self.keep_mine.iter().filter(|k| **k).count();
                ConflictStep::Saved(Effect::Then(vec![
                    Effect::Refresh(Some(self.theirs.id)),
                    Effect::Info(format!(
                        "Saved {id}: yours kept in {kept} of {} conflicting field(s), their other changes kept.",
                        self.keep_mine.len()
                    )),
                ]))
            }
            Err(StoreError::Changed { .. }) => match ctx.store.requirement(self.theirs.id) {
                Ok(now) => ConflictStep::Again(Box::new(Conflict::new(self.base.clone(), now, self.mine.clone()))),
                Err(e) => ConflictStep::Failed(format!("Not saved: {e}")),
            },
            Err(e) => ConflictStep::Failed(format!("Not saved: {e}")),
        }
    }

    /// Draws the view into `area`.
    fn render(&self, frame: &mut Frame<'_>, area: Rect, d: &ProjectData, theme: &Theme) {
        frame.render_widget(Clear, area);
        let id = d.human_id(self.theirs.seq);
        let merged: Vec<&str> = ReqField::ALL
            .iter()
            .filter(|f| !self.merge.conflicts.contains(f) && f.differs(&self.base, &self.theirs))
            .map(|f| f.label())
            .collect();
        let mut lines = vec![
            Line::raw(format!(
                "Someone else saved {id} (now version {}) while you were editing it.",
                self.theirs.version
            )),
            Line::styled(
                if merged.is_empty() {
                    "Choose, for each field below, whose words to keep; nothing is saved until you do.".to_owned()
                } else {
                    format!("Their changes to {} are kept. Choose for each field below.", merged.join(", "))
                },
                theme.dim(),
            ),
            Line::raw(""),
        ];
        let width = usize::from(area.width.saturating_sub(14)).max(10);
        for (i, (f, mine)) in self.merge.conflicts.iter().zip(&self.keep_mine).enumerate() {
            let marker = if i == self.selected { "▸ " } else { "  " };
            lines.push(Line::styled(format!("{marker}{}", f.label()), theme.title()));
            for (label, r, chosen) in [("theirs", &self.theirs, !*mine), ("yours ", &self.mine, *mine)] {
                let style = if chosen { theme.selected() } else { theme.dim() };
                let mark = if chosen { "✓" } else { " " };
                for (n, part) in wrapped(&field_text(d, r, *f), width, 3).into_iter().enumerate() {
                    let lead = if n == 0 { format!("  {mark} {label}  ") } else { " ".repeat(12) };
                    lines.push(Line::from(vec![Span::raw(lead), Span::styled(part, style)]));
                }
            }
            lines.push(Line::raw(""));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(format!(" {id} changed while you edited it "), theme.title()));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}

/// One field of `r` as the analyst reads it: names for stages, outcomes and stakeholders.
fn field_text(d: &ProjectData, r: &Requirement, f: ReqField) -> String {
    let text = match f {
        ReqField::Title => r.title.clone(),
        ReqField::Statement => r.statement.clone(),
        ReqField::Acceptance => r.acceptance.clone(),
        ReqField::Rationale => r.rationale.clone(),
        ReqField::Stage => d.stage(r.stage).map_or_else(|| "(no stage)".to_owned(), |s| s.name.clone()),
        ReqField::Outcomes => r
            .outcomes
            .iter()
            .filter_map(|o| d.outcome(Some(*o)))
            .map(|o| o.statement.clone())
            .collect::<Vec<_>>()
            .join("; "),
        ReqField::Sources => r
            .sources
            .iter()
            .filter_map(|s| d.stakeholders.iter().find(|x| x.id == *s))
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        ReqField::Priority => r.priority.to_string(),
        ReqField::Status => r.status.to_string(),
        ReqField::Kind => r.kind.to_string(),
        ReqField::Channel => r.channel.map_or_else(|| "none".to_owned(), |c| c.to_string()),
        ReqField::Tags => r.tags.join(", "),
        ReqField::PainPoint => if r.pain_point { "yes" } else { "no" }.to_owned(),
        ReqField::MomentOfTruth => if r.moment_of_truth { "yes" } else { "no" }.to_owned(),
    };
    let text = terminal_safe(&text, true);
    if text.is_empty() { "(empty)".to_owned() } else { text }
}

/// `text` in lines of at most `width` characters, at most `max` of them, the last marked "…" when cut.
fn wrapped(text: &str, width: usize, max: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = chars.chunks(width.max(1)).take(max).map(|c| c.iter().collect()).collect();
    if chars.len() > width.max(1) * max
        && let Some(last) = lines.last_mut()
    {
        last.pop();
        last.push('…');
    }
    lines
}

impl Overlay for Conflict {
    fn mode(&self) -> Mode {
        Mode::Conflict
    }

    fn update(&mut self, ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        let Some(mut ctx) = ctx.screen() else { return Effect::None };
        match self.step(&mut ctx, action) {
            ConflictStep::Stay => Effect::None,
            ConflictStep::Back => Effect::Close,
            ConflictStep::Failed(message) => Effect::Error(message),
            ConflictStep::Again(fresh) => {
                *self = *fresh;
                Effect::Error(
                    "It was changed again meanwhile: the choices below are against the newest version.".into(),
                )
            }
            // The view, then the form beneath it.
            ConflictStep::Saved(effect) => Effect::Then(vec![Effect::Close, Effect::CloseForm, effect]),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        if let Some(d) = view.data {
            self.render(frame, centered(body, 100, body.height), d, view.theme);
        }
    }
}
