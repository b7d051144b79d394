//! A project's lint settings, kept in the `setting` table: `lint.<project uuid>.words.<list>` holds the
//! words added to one list (one a line), `lint.<project uuid>.off` the rules switched off (one a line).
//! Which list and rule names exist is the lint's business (`analysis::lint`); the store keeps text.
//!
//! Also the findings accepted on a requirement: a list per requirement (`requirement_accepted_finding`),
//! written and logged like its tags, so that one acceptance is one action for undo and history.

use std::collections::HashMap;

use rusqlite::params;

use super::history::Link;
use super::{Result, Store, StoreError};
use crate::domain::{
    AcceptedFinding, LintSettings, MAX_TEXT_CHARS, ProjectId, RequirementId, ValidationError, required_line,
};

fn prefix(project: ProjectId) -> String {
    format!("lint.{project}.")
}

fn words_key(project: ProjectId, list: &str) -> String {
    format!("{}words.{list}", prefix(project))
}

fn off_key(project: ProjectId) -> String {
    format!("{}off", prefix(project))
}

fn lines(value: &str) -> Vec<String> {
    value.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

impl Store {
    /// The lint settings of a project (empty when it has none).
    pub fn lint_settings(&self, project: ProjectId) -> Result<LintSettings> {
        let p = prefix(project);
        let mut stmt =
            self.connection().prepare("SELECT key, value FROM setting WHERE substr(key, 1, ?2) = ?1 ORDER BY key")?;
        let rows = stmt.query_map(params![p, p.chars().count() as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut settings = LintSettings::default();
        for row in rows {
            let (key, value) = row?;
            let rest = &key[p.len()..];
            if rest == "off" {
                settings.disabled_rules = lines(&value);
            } else if let Some(list) = rest.strip_prefix("words.") {
                settings.words.insert(list.to_owned(), lines(&value));
            }
        }
        Ok(settings)
    }

    /// Adds a word or phrase (lower-cased) to one of a project's word lists; false if it was there.
    pub fn add_lint_word(&mut self, project: ProjectId, list: &str, word: &str) -> Result<bool> {
        let word = word.trim().to_lowercase();
        let mut words = self.lint_settings(project)?.words.remove(list).unwrap_or_default();
        if word.is_empty() || words.contains(&word) {
            return Ok(false);
        }
        words.push(word);
        self.set_setting(&words_key(project, list), &words.join("\n"))?;
        Ok(true)
    }

    /// Removes a word from one of a project's word lists; false if it was not there.
    pub fn remove_lint_word(&mut self, project: ProjectId, list: &str, word: &str) -> Result<bool> {
        let word = word.trim().to_lowercase();
        let mut words = self.lint_settings(project)?.words.remove(list).unwrap_or_default();
        let before = words.len();
        words.retain(|w| *w != word);
        if words.len() == before {
            return Ok(false);
        }
        self.set_setting(&words_key(project, list), &words.join("\n"))?;
        Ok(true)
    }

    /// Switches a rule on or off for a project; false if it already was.
    pub fn set_lint_rule(&mut self, project: ProjectId, rule: &str, on: bool) -> Result<bool> {
        let mut off = self.lint_settings(project)?.disabled_rules;
        let was_on = !off.iter().any(|r| r == rule);
        if was_on == on {
            return Ok(false);
        }
        if on {
            off.retain(|r| r != rule);
        } else {
            off.push(rule.to_owned());
        }
        self.set_setting(&off_key(project), &off.join("\n"))?;
        Ok(true)
    }
}

fn parse_accepted(values: Vec<String>) -> Vec<AcceptedFinding> {
    // An entry this build cannot read (written by a newer one) is skipped, not an error.
    values.iter().filter_map(|v| serde_json::from_str(v).ok()).collect()
}

fn same(a: &AcceptedFinding, rule: &str, field: &str, subject: &str) -> bool {
    a.rule == rule && a.field == field && a.subject == subject
}

impl Store {
    /// The findings accepted on one requirement, in the order they were accepted.
    pub fn accepted_findings(&self, id: RequirementId) -> Result<Vec<AcceptedFinding>> {
        Ok(parse_accepted(self.links(Link::Accepted, &id.to_string())?))
    }

    /// The accepted findings of every requirement of a project (deleted ones too), for a backup.
    pub(crate) fn all_accepted_findings(
        &self,
        project: ProjectId,
    ) -> Result<HashMap<RequirementId, Vec<AcceptedFinding>>> {
        self.accepted_where(project, false)
    }

    /// The accepted findings of every live requirement of a project that has any.
    pub fn project_accepted_findings(
        &self,
        project: ProjectId,
    ) -> Result<HashMap<RequirementId, Vec<AcceptedFinding>>> {
        self.accepted_where(project, true)
    }

    fn accepted_where(&self, project: ProjectId, live: bool) -> Result<HashMap<RequirementId, Vec<AcceptedFinding>>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT a.requirement_id, a.finding FROM requirement_accepted_finding a
             JOIN requirement r ON r.id = a.requirement_id
             WHERE r.project_id = ?1 AND (?2 = 0 OR r.deleted_at IS NULL) ORDER BY a.requirement_id, a.position",
        )?;
        let rows =
            stmt.query_map(params![project, live], |r| Ok((r.get::<_, RequirementId>(0)?, r.get::<_, String>(1)?)))?;
        let mut out: HashMap<RequirementId, Vec<AcceptedFinding>> = HashMap::new();
        for row in rows {
            let (id, json) = row?;
            if let Ok(a) = serde_json::from_str(&json) {
                out.entry(id).or_default().push(a);
            }
        }
        Ok(out)
    }

    /// Accepts a finding on a requirement, with the reason (required): the lint stops counting it there.
    /// An earlier acceptance of the same finding is replaced. One action: undo withdraws it.
    pub fn accept_finding(
        &mut self,
        id: RequirementId,
        rule: &str,
        field: &str,
        subject: &str,
        reason: &str,
    ) -> Result<AcceptedFinding> {
        let r = self.requirement(id)?;
        if r.deleted_at.is_some() {
            return Err(StoreError::Conflict("that requirement is deleted".into()));
        }
        let reason = required_line("reason", reason, MAX_TEXT_CHARS)?;
        if rule.trim().is_empty() || field.trim().is_empty() {
            return Err(ValidationError::new("a finding is named by its rule and its field").into());
        }
        let accepted = AcceptedFinding {
            rule: rule.to_owned(),
            field: field.to_owned(),
            subject: subject.to_lowercase(),
            reason,
            by: self.actor.clone(),
            at: self.now(),
        };
        let mut list = self.accepted_findings(id)?;
        list.retain(|a| !same(a, &accepted.rule, &accepted.field, &accepted.subject));
        list.push(accepted.clone());
        self.write_accepted(r.project_id, id, &list)?;
        Ok(accepted)
    }

    /// Withdraws the acceptance of a finding (it counts again); false when there was none.
    pub fn withdraw_acceptance(&mut self, id: RequirementId, rule: &str, field: &str, subject: &str) -> Result<bool> {
        let r = self.requirement(id)?;
        let mut list = self.accepted_findings(id)?;
        let before = list.len();
        list.retain(|a| !same(a, rule, field, &subject.to_lowercase()));
        if list.len() == before {
            return Ok(false);
        }
        self.write_accepted(r.project_id, id, &list)?;
        Ok(true)
    }

    fn write_accepted(&mut self, project: ProjectId, id: RequirementId, list: &[AcceptedFinding]) -> Result<()> {
        let values: Vec<String> = list.iter().filter_map(|a| serde_json::to_string(a).ok()).collect();
        self.write(Some(project), |tx| tx.write_links(Link::Accepted, &id.to_string(), &values).map(drop))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewProject;

    fn project(store: &mut Store, key: &str) -> ProjectId {
        let p = store
            .create_project(NewProject {
                key: key.parse().expect("key"),
                name: key.into(),
                description: String::new(),
                journey: "retail".into(),
                stages: vec![],
                planned_hours: None,
                target_min: 0.25,
                target_max: 0.4,
            })
            .expect("project");
        p.id
    }

    #[test]
    fn words_and_rules_are_kept_per_project() {
        let mut store = Store::open_in_memory().expect("store");
        let a = project(&mut store, "AAA");
        let b = project(&mut store, "BBB");
        assert!(store.add_lint_word(a, "vague", "Snappy").expect("add"));
        assert!(!store.add_lint_word(a, "vague", "snappy").expect("add again"));
        assert!(store.add_lint_word(a, "vague", "zippy").expect("add"));
        assert!(store.set_lint_rule(a, "passive-voice", false).expect("off"));
        let s = store.lint_settings(a).expect("settings");
        assert_eq!(s.words["vague"], ["snappy", "zippy"]);
        assert_eq!(s.disabled_rules, ["passive-voice"]);
        assert_eq!(store.lint_settings(b).expect("settings"), LintSettings::default());
        assert!(store.remove_lint_word(a, "vague", "snappy").expect("remove"));
        assert!(store.set_lint_rule(a, "passive-voice", true).expect("on"));
        let s = store.lint_settings(a).expect("settings");
        assert_eq!(s.words["vague"], ["zippy"]);
        assert!(s.disabled_rules.is_empty());
    }
}
