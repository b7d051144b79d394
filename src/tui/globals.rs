//! The keys that work on every screen (the keymap's global block): what each comes to.

use super::action::Action;
use super::component::{Ctx, Effect, Screen};
use super::overlays::Help;

/// The effect of a global `action` pressed on `screen`, or `None` when the action is the screen's.
pub fn effect(action: Action, screen: Screen, ctx: &mut Ctx<'_>) -> Option<Effect> {
    Some(match action {
        Action::Quit => super::capture::quitting(ctx.data),
        Action::ForceQuit => Effect::Quit,
        Action::Help => Effect::Push(Box::new(Help::default())),
        Action::Screen(n) => {
            Screen::ALL.get(usize::from(n).saturating_sub(1)).map_or(Effect::None, |s| Effect::Show(*s))
        }
        Action::NextScreen => Effect::Show(screen.step(1)),
        Action::PrevScreen => Effect::Show(screen.step(-1)),
        Action::ProjectPicker => super::picker::projects(ctx.store, Some(ctx.data.project.id)),
        Action::Undo => match ctx.store.undo(ctx.data.project.id) {
            Ok(u) => Effect::Then(vec![Effect::Reload, Effect::Info(format!("Undid the {}", u.summary))]),
            Err(e) => Effect::error(e),
        },
        Action::Export => super::export::open_form(ctx),
        Action::Backup => super::export::ask_backup(ctx.store, ctx.writing),
        _ => return None,
    })
}
