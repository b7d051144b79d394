//! Changing many requirements at once (the workbench's multi-select, `elicit set`): one transaction and
//! one change-log action, so the whole change is saved or none of it, and one undo takes it back.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use super::history::{Link, read_links};
use super::{Entity, Result, Store, StoreError, opt_text, text};
use crate::domain::*;

/// A change to many requirements; what is `None` or empty is left as it is. Links and tags are added and
/// removed one by one rather than replaced, so each requirement keeps the ones the change does not name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BulkEdit {
    /// The stage to move them to (`Some(None)` takes them out of any stage).
    pub stage: Option<Option<StageId>>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// Outcomes to link each requirement to (after those it already has).
    pub link_outcomes: Vec<OutcomeId>,
    /// Outcomes to unlink.
    pub unlink_outcomes: Vec<OutcomeId>,
    /// Tags to add (cleaned as every tag is: lower case, words joined by `-`).
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
}

impl BulkEdit {
    /// True when the edit would change nothing anywhere.
    pub fn is_empty(&self) -> bool {
        *self == BulkEdit::default()
    }
}

/// What a bulk edit did, by requirement, in the order they were named.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BulkEdited {
    /// Requirements that changed (each got a new version).
    pub changed: Vec<RequirementId>,
    /// Requirements that already had every value given.
    pub unchanged: Vec<RequirementId>,
}

/// `old` with `remove` taken out and `add` appended where missing (each value once).
fn edited<T: PartialEq + Clone>(old: &[T], add: &[T], remove: &[T]) -> Vec<T> {
    let mut out: Vec<T> = old.iter().filter(|v| !remove.contains(v)).cloned().collect();
    for v in add {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

impl Store {
    /// Applies `edit` to every requirement of `project` in `ids` (a repeated id counts once) as one action.
    /// Refuses, changing nothing, when the edit is empty or an id is deleted or of another project, or a
    /// stage or outcome is not a live one of the project.
    pub fn bulk_edit(&mut self, project: ProjectId, ids: &[RequirementId], edit: &BulkEdit) -> Result<BulkEdited> {
        if edit.is_empty() {
            return Err(
                ValidationError::new("nothing to change; give a stage, status, priority, outcome or tag").into()
            );
        }
        if ids.is_empty() {
            return Err(ValidationError::new("name at least one requirement to change").into());
        }
        let clean = |tags: &[String]| tags.iter().map(|t| tag(t)).collect::<Result<Vec<String>, ValidationError>>();
        let (add_tags, remove_tags) = (clean(&edit.add_tags)?, clean(&edit.remove_tags)?);
        let link: Vec<String> = edit.link_outcomes.iter().map(ToString::to_string).collect();
        let unlink: Vec<String> = edit.unlink_outcomes.iter().map(ToString::to_string).collect();
        let mut seen = HashSet::new();
        let ids: Vec<RequirementId> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        self.write(Some(project), |tx| {
            tx.check_links(project, edit.stage.flatten(), None, &edit.link_outcomes, &[])?;
            let mut done = BulkEdited::default();
            for id in ids {
                let key = id.to_string();
                let row: Option<(Option<String>, i64, ProjectKey)> = tx
                    .conn()
                    .query_row(
                        "SELECT r.deleted_at, r.seq, p.key FROM requirement r JOIN project p ON p.id = r.project_id
                         WHERE r.id = ?1 AND r.project_id = ?2",
                        params![key, project],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                match row {
                    None => return Err(StoreError::NotFound(format!("no requirement {id} in this project"))),
                    Some((Some(_), seq, key)) => {
                        return Err(StoreError::Conflict(format!(
                            "{} is deleted; `elicit undo` can restore it",
                            human_id(&key, seq)
                        )));
                    }
                    Some(_) => {}
                }
                let e = Entity::Requirement;
                let mut changed = false;
                if let Some(stage) = edit.stage {
                    changed |= tx.set(e, &key, "stage_id", opt_text(stage))?;
                }
                if let Some(status) = edit.status {
                    changed |= tx.set(e, &key, "status", text(status))?;
                }
                if let Some(priority) = edit.priority {
                    changed |= tx.set(e, &key, "priority", text(priority))?;
                }
                if !link.is_empty() || !unlink.is_empty() {
                    let old = read_links(tx.conn(), Link::Outcomes, &key)?;
                    changed |= tx.write_links(Link::Outcomes, &key, &edited(&old, &link, &unlink))?;
                }
                if !add_tags.is_empty() || !remove_tags.is_empty() {
                    let old = read_links(tx.conn(), Link::Tags, &key)?;
                    changed |= tx.write_links(Link::Tags, &key, &edited(&old, &add_tags, &remove_tags))?;
                }
                if changed {
                    tx.touch_requirement(&key)?;
                    done.changed.push(id);
                } else {
                    done.unchanged.push(id);
                }
            }
            Ok(done)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::edited;

    #[test]
    fn an_edited_list_keeps_its_order_and_each_value_once() {
        assert_eq!(edited(&["a", "b", "c"], &["d", "a"], &["b"]), ["a", "c", "d"]);
        assert_eq!(edited::<&str>(&[], &["x", "x"], &[]), ["x"]);
    }
}
