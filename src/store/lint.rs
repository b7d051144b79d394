//! A project's lint settings, kept in the `setting` table: `lint.<project uuid>.words.<list>` holds the
//! words added to one list (one a line), `lint.<project uuid>.off` the rules switched off (one a line).
//! Which list and rule names exist is the lint's business (`analysis::lint`); the store keeps text.

use rusqlite::params;

use super::{Result, Store};
use crate::domain::{LintSettings, ProjectId};

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
