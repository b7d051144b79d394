//! An interview held, opened from Capture's list: who, when, how long, its notes and the requirements
//! captured in it. The notes can be edited, and the interview resumed (or reopened, once ended).

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::{is_paused, names};
use crate::domain::*;
use crate::report::readback::{self, ReadbackFormat};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::component::{Effect, Overlay, OverlayCtx, OverlayView, Screen, Selection};
use crate::tui::form::{Field, Form};
use crate::tui::forms::{FormPurpose, FormView, SaveOutcome, in_project};
use crate::tui::keymap::{self, Mode};
use crate::tui::message::FieldId;
use crate::tui::overlays::centered;

/// One interview, its captured requirements (id, number) and the one selected.
#[derive(Debug)]
pub struct InterviewView {
    pub interview: InterviewId,
    pub captured: Vec<(RequirementId, i64)>,
    selected: Selection,
}

impl InterviewView {
    /// The view of `interview`, with what was captured in it.
    pub fn open(store: &crate::store::Store, interview: InterviewId) -> Effect {
        match store.interview_heard(interview) {
            Ok(captured) => {
                Effect::Push(Box::new(InterviewView { interview, captured, selected: Selection::default() }))
            }
            Err(e) => Effect::error(e),
        }
    }

    fn notes_form(&self, notes: &str) -> Effect {
        let field = Field::text(FieldId::Notes, "Notes", notes).with_help("one note a line; \"Name: words\" says who");
        let form = Form::new("Interview notes", vec![field]);
        Effect::Push(FormView::saved_by(form, FormPurpose::InterviewNotes(self.interview), save_notes))
    }

    /// Resumes a paused interview, or reopens an ended one; the Capture screen then has it.
    fn resume(ctx: &mut OverlayCtx<'_>, interview: &Interview) -> Effect {
        let result = match (interview.ended_at, ctx.data) {
            (Some(_), _) => ctx.store.reopen_interview(interview.id),
            (None, Some(d)) if is_paused(d, interview) => ctx.store.resume_interview(interview.project_id),
            (None, _) => return Effect::Info("It is recording already.".into()),
        };
        match result {
            Ok(i) => Effect::Then(vec![
                Effect::Close,
                Effect::ReloadTime,
                Effect::Show(Screen::Capture),
                Effect::Info(format!("Interview {:?} goes on; its requirements time is running.", i.title)),
            ]),
            Err(e) => Effect::error(e),
        }
    }
}

/// The formats of a read-back, as the form offers them.
const FORMATS: [(ReadbackFormat, &str); 2] = [
    (ReadbackFormat::Md, "Markdown, for an e-mail (.md)"),
    (ReadbackFormat::Html, "A page to print or attach (.html)"),
];

/// The read-back form: the format and a proposed file in the folder elicit was started from.
fn readback_form(ctx: &OverlayCtx<'_>, interview: &Interview) -> Effect {
    let Some(d) = ctx.data else { return Effect::None };
    let slug: String = interview
        .title
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let date = local_date(interview.started_at);
    let name = format!("{}-readback-{slug}-{date}.md", d.project.key);
    let path = crate::tui::export::base_dir().join(name).display().to_string();
    let fields = vec![
        Field::choice(FieldId::Format, "Format", FORMATS.iter().map(|(_, l)| (*l).to_owned()).collect(), 0)
            .with_help(format!("{} choose", crate::tui::forms::choose_keys())),
        Field::line(FieldId::Path, "Save to", &path).with_help("~/ is your home folder"),
    ];
    let mut form = Form::new(format!("Read back {:?}", interview.title), fields);
    form.intro = vec!["What was heard, by stage, in the stakeholder's words, with the open questions.".into()];
    Effect::Push(FormView::saved_by(form, FormPurpose::Readback(interview.id), save_readback))
}

fn save_readback(ctx: &mut OverlayCtx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    let FormPurpose::Readback(id) = purpose else { return Ok(SaveOutcome::Invalid) };
    let id = *id;
    in_project(ctx, |ctx| {
        let (format, _) = FORMATS[form.choice(FieldId::Format).min(FORMATS.len() - 1)];
        let mut typed = form.text(FieldId::Path).trim().to_owned();
        if typed.is_empty() {
            form.set_error(FieldId::Path, "give a file to save to".to_owned());
            return Ok(SaveOutcome::Invalid);
        }
        // The proposed name follows the format.
        if format == ReadbackFormat::Html && typed.ends_with(".md") {
            typed = format!("{}.html", typed.trim_end_matches(".md"));
        }
        let path = crate::tui::export::resolve(&typed);
        if path.is_dir() {
            form.set_error(FieldId::Path, format!("{} is a folder; add a file name", path.display()));
            return Ok(SaveOutcome::Invalid);
        }
        let interview = ctx.store.interview(id)?;
        let written = readback::build(ctx.store, &ctx.data.project, &interview)
            .and_then(|page| readback::write_file(ctx.store, &page, format, &path));
        if let Err(e) = written {
            form.set_error(FieldId::Path, clean_line(&e.to_string()));
            return Ok(SaveOutcome::Invalid);
        }
        let said = clean_line(&format!("Read-back of {:?} written to {}", interview.title, path.display()));
        Ok(SaveOutcome::Saved(Effect::Info(said)))
    })
}

fn save_notes(ctx: &mut OverlayCtx<'_>, form: &mut Form, purpose: &FormPurpose) -> Result<SaveOutcome, StoreError> {
    let FormPurpose::InterviewNotes(id) = purpose else { return Ok(SaveOutcome::Invalid) };
    let id = *id;
    in_project(ctx, |ctx| {
        let notes = form.text(FieldId::Notes);
        if let Err(e) = long_text("interview notes", &notes) {
            form.set_error(FieldId::Notes, e.to_string());
            return Ok(SaveOutcome::Invalid);
        }
        ctx.store.set_interview_notes(id, &notes)?;
        Ok(SaveOutcome::Saved(Effect::Then(vec![Effect::Refresh(None), Effect::Info("Notes saved.".into())])))
    })
}

impl Overlay for InterviewView {
    fn mode(&self) -> Mode {
        Mode::Interview
    }

    fn update(&mut self, ctx: &mut OverlayCtx<'_>, action: Action) -> Effect {
        let Some(interview) = ctx.data.and_then(|d| d.interviews.iter().find(|i| i.id == self.interview)).cloned()
        else {
            return Effect::Close;
        };
        match action {
            Action::Cancel => Effect::Close,
            Action::Open => {
                self.captured.get(self.selected.index).map_or(Effect::None, |(id, _)| Effect::ShowRequirement(*id))
            }
            Action::Edit => self.notes_form(&interview.notes),
            Action::PauseResume => InterviewView::resume(ctx, &interview),
            Action::Export => readback_form(ctx, &interview),
            // The whole read-back at once: what one of its stakeholders said of every line captured.
            Action::SignOff => match ctx.data {
                Some(d) => {
                    let ids: Vec<RequirementId> = self.captured.iter().map(|(id, _)| *id).collect();
                    if ids.is_empty() {
                        return Effect::Info("Nothing was captured in this interview to sign off.".into());
                    }
                    crate::tui::bulk::sign_off_form(d, &ids, Some(&interview.stakeholders))
                }
                None => Effect::None,
            },
            _ => {
                self.selected.apply(action, self.captured.len());
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, body: Rect, view: &OverlayView<'_>) {
        let theme = view.theme;
        let area = centered(body, 100, body.height);
        frame.render_widget(Clear, area);
        let Some(d) = view.data else { return };
        let Some(i) = d.interviews.iter().find(|i| i.id == self.interview) else { return };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border())
            .title(Span::styled(format!(" {} ", terminal_safe(&i.title, true)), theme.title()))
            .title_bottom(Span::styled(
                fit(&format!(" {} ", keymap::hint_line(Mode::Interview)), usize::from(area.width.saturating_sub(2))),
                theme.dim(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(3), Constraint::Fill(1), Constraint::Fill(1)])
            .split(inner);
        let end =
            i.ended_at.map_or_else(|| "still open".to_owned(), |t| format!("{} {}", format_clock(t), zone_label()));
        let minutes = i.ended_at.unwrap_or(view.now).duration_since(i.started_at).as_mins().max(0);
        let state = match i.ended_at {
            Some(_) => format!("{minutes} min"),
            None if is_paused(d, i) => "paused".into(),
            None => "recording".into(),
        };
        let head = vec![
            Line::from(vec![
                Span::styled(i.mode.to_string(), theme.key()),
                Span::raw(format!("  {} – {end}  ·  {state}", format_minute(i.started_at))),
            ]),
            Line::raw(format!("With {}", names(d, &i.stakeholders))),
        ];
        frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), parts[0]);
        let notes: Vec<Line<'_>> =
            crate::store::note_lines(&i.notes).into_iter().map(|n| Line::raw(terminal_safe(n, true))).collect();
        let notes_title = format!(" Notes ({}) ", notes.len());
        let notes = if notes.is_empty() { vec![Line::styled("No notes.", theme.dim())] } else { notes };
        let block = Block::default().borders(Borders::TOP).title(Span::styled(notes_title, theme.title()));
        frame.render_widget(Paragraph::new(notes).block(block).wrap(Wrap { trim: false }), parts[1]);
        let items: Vec<ListItem<'_>> = self
            .captured
            .iter()
            .map(|(id, seq)| {
                let at = d.rows.partition_point(|r| r.seq < *seq);
                let title = d.rows.get(at).filter(|r| r.id == *id).map_or("…", |r| r.title.as_str());
                ListItem::new(format!("{:<9} {}", d.human_id(*seq), terminal_safe(title, true)))
            })
            .collect();
        let empty = items.is_empty();
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(format!(" Requirements captured ({}) ", self.captured.len()), theme.title()));
        let mut state = ListState::default().with_selected((!empty).then_some(self.selected.index));
        frame.render_stateful_widget(
            List::new(items).block(block).highlight_style(theme.selected()),
            parts[2],
            &mut state,
        );
        if empty {
            let inner = Rect { y: parts[2].y + 1, height: 1, ..parts[2] };
            frame.render_widget(Paragraph::new(Span::styled("None captured in it.", theme.dim())), inner);
        }
    }
}
