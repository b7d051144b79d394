//! EARS (Easy Approach to Requirements Syntax, Mavin et al.): which of the five patterns a statement follows.
//!
//! Judged on the leading clauses only, as the templates put them: `When <trigger>, the <system> shall ...`,
//! `While <state>, ...`, `Where <feature is included>, ...`, `If <trigger>, then ...`, two or more of these
//! together (complex), or no keyword and a short subject before "shall" (ubiquitous). Without "shall" a
//! statement is not EARS.

use serde::Serialize;

use super::text::{Kind, Token, tokenize};

/// The EARS pattern of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ears {
    Ubiquitous,
    EventDriven,
    StateDriven,
    OptionalFeature,
    UnwantedBehaviour,
    Complex,
    NotEars,
}

impl Ears {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ears::Ubiquitous => "ubiquitous",
            Ears::EventDriven => "event-driven",
            Ears::StateDriven => "state-driven",
            Ears::OptionalFeature => "optional-feature",
            Ears::UnwantedBehaviour => "unwanted-behaviour",
            Ears::Complex => "complex",
            Ears::NotEars => "not-ears",
        }
    }

    /// Every value.
    pub const ALL: [Ears; 7] = [
        Ears::Ubiquitous,
        Ears::EventDriven,
        Ears::StateDriven,
        Ears::OptionalFeature,
        Ears::UnwantedBehaviour,
        Ears::Complex,
        Ears::NotEars,
    ];

    /// The template a statement of this pattern starts from (the edit form offers the five simple ones).
    pub fn template(self) -> &'static str {
        match self {
            Ears::Ubiquitous => "The <system> shall <response>.",
            Ears::EventDriven => "When <trigger>, the <system> shall <response>.",
            Ears::StateDriven => "While <state>, the <system> shall <response>.",
            Ears::OptionalFeature => "Where <feature is included>, the <system> shall <response>.",
            Ears::UnwantedBehaviour => "If <unwanted condition>, then the <system> shall <response>.",
            Ears::Complex => "While <state>, when <trigger>, the <system> shall <response>.",
            Ears::NotEars => "",
        }
    }
}

impl std::fmt::Display for Ears {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Ears {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ears::ALL.iter().copied().find(|e| e.as_str() == s.trim()).ok_or_else(|| format!("unknown EARS pattern {s:?}"))
    }
}

const ESCAPES: &[&str] = &[
    "possible",
    "appropriate",
    "applicable",
    "necessary",
    "practicable",
    "practical",
    "feasible",
    "needed",
    "required",
];

/// The EARS pattern of `text`.
pub fn classify(text: &str) -> Ears {
    classify_tokens(&tokenize(text))
}

/// The EARS pattern of a text already split into tokens.
pub(super) fn classify_tokens(t: &[Token]) -> Ears {
    let Some(shall) = t.iter().position(|x| x.is("shall")) else { return Ears::NotEars };
    let mut kinds = Vec::new();
    for i in 0..shall {
        let clause_start = i == 0 || (t[i - 1].kind == Kind::Symbol && t[i - 1].lower == ",");
        if !clause_start {
            continue;
        }
        let kind = match t[i].lower.as_str() {
            "when" => Ears::EventDriven,
            "while" => Ears::StateDriven,
            "where" => {
                if t.get(i + 1).is_some_and(|n| ESCAPES.contains(&n.lower.as_str())) {
                    return Ears::NotEars;
                }
                Ears::OptionalFeature
            }
            "if" => Ears::UnwantedBehaviour,
            _ => {
                if i == 0 {
                    // No keyword first: a short subject straight before "shall" is ubiquitous.
                    let subject = &t[..shall];
                    let words = subject.iter().filter(|x| x.kind == Kind::Word).count();
                    let clean =
                        subject.iter().all(|x| x.kind != Kind::Symbol || matches!(x.lower.as_str(), "'" | "’" | "-"));
                    return if (1..=8).contains(&words) && clean { Ears::Ubiquitous } else { Ears::NotEars };
                }
                continue;
            }
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    match kinds.len() {
        0 => Ears::NotEars,
        1 => kinds[0],
        _ => Ears::Complex,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_patterns_and_complex() {
        assert_eq!(classify("The checkout shall accept gift cards."), Ears::Ubiquitous);
        assert_eq!(classify("When a payment is declined, the checkout shall keep the basket."), Ears::EventDriven);
        assert_eq!(
            classify("While the shopper is signed in, the app shall show the points balance."),
            Ears::StateDriven
        );
        assert_eq!(
            classify("Where the store offers collection, the app shall show a collect option."),
            Ears::OptionalFeature
        );
        assert_eq!(
            classify("If the card is declined, then the checkout shall show the reason."),
            Ears::UnwantedBehaviour
        );
        assert_eq!(classify("While offline, when a sale is made, the till shall queue the receipt."), Ears::Complex);
    }

    #[test]
    fn not_ears() {
        assert_eq!(classify("Customers should be able to reach an agent."), Ears::NotEars);
        assert_eq!(classify("Where possible, the app shall cache pages."), Ears::NotEars);
        assert_eq!(classify("Fast checkout"), Ears::NotEars);
        assert_eq!(classify("Once the order ships, the system shall email the customer."), Ears::NotEars);
    }
}
