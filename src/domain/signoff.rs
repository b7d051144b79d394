//! Sign-off: what the stakeholders said when their requirements were read back to them.
//!
//! Every answer is kept; the newest answer of each stakeholder is the one that counts. Whether a requirement
//! changed after an answer is the requirement's version having moved on since (every edit, undo or lost
//! stage raises it), so it holds whatever the clocks of the machines involved said.

use serde::{Deserialize, Serialize};

use super::*;

/// One stakeholder's answer about one requirement, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub id: ConfirmationId,
    pub requirement: RequirementId,
    pub stakeholder: StakeholderId,
    /// The stakeholder's name as it is now.
    pub stakeholder_name: String,
    pub verdict: Verdict,
    pub note: String,
    /// The requirement's version the stakeholder answered about.
    pub version: i64,
    /// When the answer was recorded.
    pub at: Timestamp,
}

/// Where a requirement stands overall, from the newest answer of each stakeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignOffState {
    /// Nobody has answered yet.
    Unconfirmed,
    /// Everyone who answered confirmed it.
    Confirmed,
    /// Someone asked for a change (and nobody rejected it).
    ChangeAsked,
    /// Someone rejected it.
    Rejected,
}

impl SignOffState {
    /// The words users read.
    pub fn as_str(self) -> &'static str {
        match self {
            SignOffState::Unconfirmed => "unconfirmed",
            SignOffState::Confirmed => "confirmed",
            SignOffState::ChangeAsked => "change asked",
            SignOffState::Rejected => "rejected",
        }
    }
}

impl std::fmt::Display for SignOffState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A requirement's sign-off: the newest answer of each stakeholder who answered, against its version now.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignOff {
    /// The newest answer of each stakeholder, by stakeholder name.
    pub answers: Vec<Confirmation>,
    /// The requirement's version now.
    pub version: i64,
}

impl SignOff {
    /// The sign-off of a requirement at `version` from every answer about it (any order): the newest answer
    /// of each stakeholder is kept (the later one where two share a time, as recorded last).
    pub fn from_answers(version: i64, answers: impl IntoIterator<Item = Confirmation>) -> SignOff {
        let mut newest: Vec<Confirmation> = Vec::new();
        for a in answers {
            match newest.iter_mut().find(|n| n.stakeholder == a.stakeholder) {
                Some(n) if (a.at, a.id) > (n.at, n.id) => *n = a,
                Some(_) => {}
                None => newest.push(a),
            }
        }
        newest.sort_by_key(|a| a.stakeholder_name.to_lowercase());
        SignOff { answers: newest, version }
    }

    /// The overall state: rejected beats a change asked, which beats confirmed.
    pub fn state(&self) -> SignOffState {
        let has = |v: Verdict| self.answers.iter().any(|a| a.verdict == v);
        if self.answers.is_empty() {
            SignOffState::Unconfirmed
        } else if has(Verdict::Rejected) {
            SignOffState::Rejected
        } else if has(Verdict::Changed) {
            SignOffState::ChangeAsked
        } else {
            SignOffState::Confirmed
        }
    }

    /// Whether the requirement was edited after any of the answers that count.
    pub fn changed_since(&self) -> bool {
        self.answers.iter().any(|a| a.version < self.version)
    }

    /// Confirmed by everyone who answered, and not edited since.
    pub fn is_confirmed(&self) -> bool {
        self.state() == SignOffState::Confirmed && !self.changed_since()
    }

    /// Whether it still has to be (re)confirmed: nobody answered, a change was asked, or it was edited since
    /// an answer. A rejection not followed by an edit is an answer, not a gap.
    pub fn needs_confirmation(&self) -> bool {
        match self.state() {
            SignOffState::Unconfirmed | SignOffState::ChangeAsked => true,
            SignOffState::Confirmed | SignOffState::Rejected => self.changed_since(),
        }
    }

    /// The newest answer of one stakeholder, if any.
    pub fn answer_of(&self, stakeholder: StakeholderId) -> Option<&Confirmation> {
        self.answers.iter().find(|a| a.stakeholder == stakeholder)
    }

    /// One line for lists and cards: "confirmed by Ana Ruiz", "rejected by Sam (changed since
    /// confirmation)", "unconfirmed". No dates: each front end writes those its own way.
    pub fn label(&self) -> String {
        if self.answers.is_empty() {
            return SignOffState::Unconfirmed.to_string();
        }
        let by = |v: Verdict| -> Vec<&str> {
            self.answers.iter().filter(|a| a.verdict == v).map(|a| a.stakeholder_name.as_str()).collect()
        };
        let mut parts = Vec::new();
        for verdict in Verdict::ALL {
            let names = by(*verdict);
            if !names.is_empty() {
                parts.push(format!("{} by {}", verdict.describe(), names.join(", ")));
            }
        }
        let mut out = parts.join("; ");
        if self.changed_since() {
            out.push_str(" (changed since confirmation)");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(who: StakeholderId, name: &str, verdict: Verdict, version: i64, second: i64) -> Confirmation {
        Confirmation {
            id: ConfirmationId::new(),
            requirement: RequirementId::default(),
            stakeholder: who,
            stakeholder_name: name.into(),
            verdict,
            note: String::new(),
            version,
            at: Timestamp::from_second(1_800_000_000 + second).unwrap(),
        }
    }

    #[test]
    fn the_newest_answer_of_each_stakeholder_counts() {
        let (ana, sam) = (StakeholderId::new(), StakeholderId::new());
        let s = SignOff::from_answers(
            2,
            [
                answer(sam, "Sam", Verdict::Confirmed, 2, 30),
                answer(ana, "Ana", Verdict::Changed, 1, 10),
                answer(ana, "Ana", Verdict::Confirmed, 2, 20),
            ],
        );
        assert_eq!(s.answers.iter().map(|a| a.stakeholder_name.as_str()).collect::<Vec<_>>(), ["Ana", "Sam"]);
        assert_eq!(s.answer_of(ana).map(|a| a.verdict), Some(Verdict::Confirmed));
        assert_eq!(s.state(), SignOffState::Confirmed);
        assert!(s.is_confirmed() && !s.needs_confirmation());
        assert_eq!(s.label(), "confirmed by Ana, Sam");
    }

    #[test]
    fn an_edit_after_an_answer_needs_a_new_one_and_says_so() {
        let ana = StakeholderId::new();
        let s = SignOff::from_answers(3, [answer(ana, "Ana", Verdict::Confirmed, 2, 0)]);
        assert!(s.changed_since() && !s.is_confirmed() && s.needs_confirmation());
        assert_eq!(s.label(), "confirmed by Ana (changed since confirmation)");
        let rejected = SignOff::from_answers(2, [answer(ana, "Ana", Verdict::Rejected, 2, 0)]);
        assert_eq!(rejected.state(), SignOffState::Rejected);
        assert!(!rejected.needs_confirmation(), "a rejection is an answer");
        let none = SignOff::from_answers(1, []);
        assert_eq!((none.state(), none.label().as_str()), (SignOffState::Unconfirmed, "unconfirmed"));
        assert!(none.needs_confirmation());
    }

    #[test]
    fn a_rejection_outweighs_a_change_which_outweighs_a_confirmation() {
        let (ana, sam, bo) = (StakeholderId::new(), StakeholderId::new(), StakeholderId::new());
        let mixed = [
            answer(ana, "Ana", Verdict::Confirmed, 1, 0),
            answer(sam, "Sam", Verdict::Changed, 1, 0),
            answer(bo, "Bo", Verdict::Rejected, 1, 0),
        ];
        assert_eq!(SignOff::from_answers(1, mixed.clone()).state(), SignOffState::Rejected);
        let s = SignOff::from_answers(1, mixed[..2].to_vec());
        assert_eq!(s.state(), SignOffState::ChangeAsked);
        assert_eq!(s.label(), "confirmed by Ana; change asked by Sam");
    }
}
