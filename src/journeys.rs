//! Journey templates shipped in `assets/journeys/`, embedded in the binary.

use serde::Deserialize;

/// One stage of a template.
#[derive(Debug, Clone, Deserialize)]
pub struct TemplateStage {
    pub name: String,
    pub description: String,
}

/// A customer-journey template: ordered stages with one-line descriptions.
#[derive(Debug, Clone, Deserialize)]
pub struct JourneyTemplate {
    pub name: String,
    pub title: String,
    pub description: String,
    pub stages: Vec<TemplateStage>,
}

const SOURCES: &[(&str, &str)] = &[
    ("retail", include_str!("../assets/journeys/retail.json")),
    ("b2b-saas", include_str!("../assets/journeys/b2b-saas.json")),
    ("banking", include_str!("../assets/journeys/banking.json")),
    ("healthcare", include_str!("../assets/journeys/healthcare.json")),
];

/// The template used when none is named.
pub const DEFAULT_TEMPLATE: &str = "retail";

/// Every shipped template, in a stable order.
pub fn templates() -> Vec<JourneyTemplate> {
    SOURCES.iter().filter_map(|(_, json)| serde_json::from_str(json).ok()).collect()
}

/// The names of the shipped templates.
pub fn template_names() -> Vec<&'static str> {
    SOURCES.iter().map(|(name, _)| *name).collect()
}

/// The template with this name (case-insensitive); the error lists the valid names.
pub fn template(name: &str) -> Result<JourneyTemplate, crate::domain::ValidationError> {
    let wanted = name.trim().to_ascii_lowercase();
    templates().into_iter().find(|t| t.name == wanted).ok_or_else(|| {
        crate::domain::ValidationError::new(format!(
            "unknown journey template {name:?}; templates: {}, or none",
            template_names().join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_with_five_to_eight_unique_stages() {
        for (name, json) in SOURCES {
            let t: JourneyTemplate = match serde_json::from_str(json) {
                Ok(t) => t,
                Err(e) => panic!("{name}: {e}"),
            };
            assert_eq!(&t.name, name);
            assert!((5..=8).contains(&t.stages.len()), "{name}");
            let mut names: Vec<String> = t.stages.iter().map(|s| s.name.to_lowercase()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), t.stages.len(), "{name} has duplicate stage names");
            assert!(t.stages.iter().all(|s| !s.description.trim().is_empty()), "{name}");
        }
        assert_eq!(templates().len(), SOURCES.len());
    }
}
