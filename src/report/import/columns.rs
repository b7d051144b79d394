//! The default mapping of CSV and Excel columns and values to requirement fields: one table of column names
//! (elicit's own, Jira's, Azure DevOps', Doorstop's and StrictDoc's) and one of value vocabularies, used
//! both to read files and to print `import --help`, so the help is the mapping.
//!
//! Column names are matched ignoring case, spaces, dashes and underscores (`Issue key`, `issue_key` and
//! `ISSUE-KEY` are one name). Jira's `Custom field (NAME)` is matched by NAME; a repeated column
//! (`Labels`, `Labels`, or `Labels.1`, or Azure DevOps' `Title 1`, `Title 2`) is one field whose cells are
//! merged. `--map-column` and `--map-value` come before both tables.

use super::model::Target;

/// What a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Field(Target),
    /// elicit's human id (`SHOP-7`): finds the requirement a row updates; another tool's id
    /// (Azure DevOps' `ID`) becomes the external reference.
    Id,
    /// elicit's UUID: finds the requirement a row updates.
    Uuid,
    /// elicit's own bookkeeping (`version`, `created_at`): read by nobody.
    Ignore,
    /// Kept as a `Name: value` line in the rationale.
    Note,
}

impl Column {
    /// The name `--map-column` and the summary use.
    pub fn name(self) -> &'static str {
        match self {
            Column::Field(t) => t.name(),
            Column::Id => "id",
            Column::Uuid => "uuid",
            Column::Ignore => "ignore",
            Column::Note => "note",
        }
    }

    /// The column named `name` (a field name, `id`, `uuid`, `ignore` or `note`).
    pub fn parse(name: &str) -> Option<Column> {
        let wanted = normalise(name);
        [Column::Id, Column::Uuid, Column::Ignore, Column::Note]
            .into_iter()
            .chain(Target::ALL.into_iter().map(Column::Field))
            .find(|c| normalise(c.name()) == wanted)
    }
}

/// The default column names per field, with the tools that write them (for `import --help`).
pub(crate) const DEFAULT_COLUMNS: &[(Column, &[&str])] = &[
    // elicit; Azure DevOps ("ID")
    (Column::Id, &["id"]),
    (Column::Uuid, &["uuid"]),
    // Jira "Summary"; StrictDoc "TITLE"; Azure DevOps "Title", "Title 1".."Title n"; Doorstop "header"
    (Column::Field(Target::Title), &["title", "name", "summary", "header", "heading", "requirement"]),
    // Jira and Azure DevOps "Description"; Doorstop "text"; StrictDoc "STATEMENT"
    (Column::Field(Target::Statement), &["statement", "description", "text", "object text", "requirement text"]),
    // Jira "Issue Type"; Azure DevOps "Work Item Type"
    (Column::Field(Target::Kind), &["kind", "type", "issue type", "work item type", "requirement type"]),
    (Column::Field(Target::Priority), &["priority", "moscow"]),
    // Jira and StrictDoc "Status"; Azure DevOps "State"
    (Column::Field(Target::Status), &["status", "state"]),
    (Column::Field(Target::Stage), &["stage", "journey stage"]),
    (Column::Field(Target::Outcomes), &["outcomes", "outcome"]),
    (Column::Field(Target::Sources), &["sources", "source", "stakeholders", "stakeholder"]),
    (Column::Field(Target::Interview), &["interview"]),
    (Column::Field(Target::Channel), &["channel", "touchpoint"]),
    (Column::Field(Target::PainPoint), &["pain point"]),
    (Column::Field(Target::MomentOfTruth), &["moment of truth"]),
    // Jira "Labels" (one column per label); Azure DevOps "Tags" ("a; b")
    (Column::Field(Target::Tags), &["tags", "tag", "labels", "label", "keywords"]),
    // Azure DevOps "Acceptance Criteria"; Jira "Custom field (Acceptance Criteria)"
    (Column::Field(Target::Acceptance), &["acceptance", "acceptance criteria"]),
    // StrictDoc "RATIONALE"
    (Column::Field(Target::Rationale), &["rationale", "justification"]),
    (Column::Field(Target::Quote), &["quote"]),
    // Jira "Issue key"; Doorstop "uid"; StrictDoc "UID"
    (Column::Field(Target::ExternalRef), &["external ref", "external id", "issue key", "key", "uid"]),
    (Column::Ignore, &["version", "created at", "updated at"]),
];

/// The default value vocabularies: (field, [(value in the file, elicit's value)]). elicit's own values are
/// always read as themselves, before this table.
pub(crate) const DEFAULT_VALUES: &[(Target, &[(&str, &str)])] = &[
    (
        Target::Kind,
        &[
            // Jira issue types and Azure DevOps work item types: all state a need.
            ("story", "functional"),
            ("user story", "functional"),
            ("product backlog item", "functional"),
            ("requirement", "functional"),
            ("feature", "functional"),
            ("new feature", "functional"),
            ("epic", "functional"),
            ("task", "functional"),
            ("sub-task", "functional"),
            ("improvement", "functional"),
            ("bug", "functional"),
            ("functional requirement", "functional"),
            ("non-functional requirement", "quality"),
            ("non-functional", "quality"),
            ("business rule", "business-rule"),
        ],
    ),
    (
        Target::Priority,
        &[
            // Jira
            ("highest", "must"),
            ("blocker", "must"),
            ("critical", "must"),
            ("high", "must"),
            ("major", "should"),
            ("medium", "should"),
            ("low", "could"),
            ("minor", "could"),
            ("lowest", "wont"),
            ("trivial", "wont"),
            // Azure DevOps
            ("1", "must"),
            ("2", "should"),
            ("3", "could"),
            ("4", "wont"),
        ],
    ),
    (
        Target::Status,
        &[
            // Jira
            ("to do", "draft"),
            ("open", "draft"),
            ("backlog", "draft"),
            ("in review", "proposed"),
            ("selected for development", "approved"),
            ("in progress", "approved"),
            ("done", "implemented"),
            ("won't do", "rejected"),
            // Azure DevOps
            ("new", "draft"),
            ("active", "approved"),
            ("resolved", "implemented"),
            ("closed", "verified"),
            ("removed", "rejected"),
            // StrictDoc
            ("obsolete", "rejected"),
            ("deprecated", "rejected"),
        ],
    ),
];

/// A header or value as the tables compare them: lower case, `_`, `-` and runs of white space as one space,
/// no byte-order mark.
pub(crate) fn normalise(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}').to_lowercase().replace(['_', '-'], " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The default column for a header, and the name it was found by (`Custom field (X)` is found by `X`, a
/// repeated `Labels.1` or `Title 2` by `labels` or `title`).
pub(crate) fn default_column(header: &str) -> Option<Column> {
    let name = normalise(header);
    let inner = name.strip_prefix("custom field (").and_then(|n| n.strip_suffix(')')).map(str::trim);
    let base = |n: &str| -> Option<String> {
        let (stem, digits) = n.rsplit_once([' ', '.'])?;
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| stem.trim().to_owned())
    };
    let find = |n: &str| DEFAULT_COLUMNS.iter().find(|(_, names)| names.contains(&n)).map(|(c, _)| *c);
    let n = inner.unwrap_or(&name);
    find(n).or_else(|| base(n).and_then(|b| find(&b))).or_else(|| base(&name).and_then(|b| find(&b)))
}

/// The default elicit value for `value` of `field`, if the vocabulary has one.
pub(crate) fn default_value(field: Target, value: &str) -> Option<&'static str> {
    let wanted = normalise(value);
    DEFAULT_VALUES
        .iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, values)| values.iter().find(|(from, _)| normalise(from) == wanted).map(|(_, to)| *to))
}

/// The text `import --help` ends with: the fields, the column names recognised for each, and the default
/// vocabularies, all from the tables above.
pub fn help() -> String {
    let mut out = String::from("CSV and Excel columns (any case; spaces, dashes and underscores alike):\n");
    for (column, names) in DEFAULT_COLUMNS {
        let what = match column {
            Column::Id => "id (elicit's SHOP-7 updates that requirement; another tool's id becomes external_ref)",
            Column::Uuid => "uuid (updates the requirement with that UUID)",
            Column::Ignore => "ignored (elicit's bookkeeping)",
            Column::Field(t) => t.name(),
            Column::Note => "note",
        };
        out.push_str(&format!("  {what}: {}\n", names.join(", ")));
    }
    out.push_str(
        "  Jira's \"Custom field (NAME)\" is matched by NAME. A repeated column (Labels, Labels.1; Title 1, \
         Title 2) fills one field: lists are joined, texts become paragraphs, the first value counts for the \
         others. Any other column is kept as a \"Column: value\" line in the rationale. Without a title \
         column, the title is the first line of the statement.\n\nDefault values (elicit's own values are \
         always understood):\n",
    );
    for (field, values) in DEFAULT_VALUES {
        let listed: Vec<String> = values.iter().map(|(from, to)| format!("{from}={to}")).collect();
        out.push_str(&format!("  {}: {}\n", field.name(), listed.join(", ")));
    }
    out.push_str(
        "\nRe-import: a row whose id (SHOP-7), uuid or external reference (external_ref, Issue key, uid) \
         matches an existing requirement updates it, only the fields that differ; --as-new adds it instead.",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_real_tools_are_found() {
        let field = |h: &str| default_column(h).map(Column::name);
        assert_eq!(field("Issue key"), Some("external_ref"));
        assert_eq!(field("\u{feff}ID"), Some("id"));
        assert_eq!(field("Work Item Type"), Some("kind"));
        assert_eq!(field("Title 3"), Some("title"));
        assert_eq!(field("Labels.2"), Some("tags"));
        assert_eq!(field("Custom field (Acceptance Criteria)"), Some("acceptance"));
        assert_eq!(field("acceptance_criteria"), Some("acceptance"));
        assert_eq!(field("Reporter"), None);
        assert_eq!(field("Custom field (Story Points)"), None);
    }

    #[test]
    fn vocabularies_map_other_tools_values() {
        assert_eq!(default_value(Target::Status, "In Progress"), Some("approved"));
        assert_eq!(default_value(Target::Priority, " 1 "), Some("must"));
        assert_eq!(default_value(Target::Kind, "User Story"), Some("functional"));
        assert_eq!(default_value(Target::Status, "Waiting"), None);
        // Every target value is one elicit reads.
        for (field, values) in DEFAULT_VALUES {
            for (_, to) in *values {
                let ok = match field {
                    Target::Kind => to.parse::<crate::domain::Kind>().is_ok(),
                    Target::Priority => to.parse::<crate::domain::Priority>().is_ok(),
                    _ => to.parse::<crate::domain::Status>().is_ok(),
                };
                assert!(ok, "{to}");
            }
        }
    }
}
