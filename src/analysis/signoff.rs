//! Sign-off per stakeholder: how the requirements someone is a source of stand with them, counted once here
//! for the report and the Dashboard alike.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::{Confirmation, Requirement, RequirementId, SignOff, StakeholderId, Verdict};

/// How one stakeholder's requirements (those they are a source of) stand with them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StakeholderSignOff {
    /// They confirmed it, and it has not changed since.
    pub confirmed: usize,
    /// They asked for a change.
    pub change_asked: usize,
    pub rejected: usize,
    /// No answer from them yet, or it changed after they answered.
    pub awaiting: usize,
    /// "3 confirmed, 1 awaiting"; "" when they are the source of nothing.
    pub label: String,
}

impl StakeholderSignOff {
    /// Requirements still to be confirmed by them: no answer yet, changed since their answer, or a change
    /// they asked for (a rejection is an answer).
    pub fn unconfirmed(&self) -> usize {
        self.awaiting + self.change_asked
    }
}

/// How the live `requirements` that `stakeholder` is a source of stand with them: their own newest answer
/// (from `sign_offs`, as [`crate::store::Store::sign_offs`] gives them), judged against each requirement's
/// version now.
pub fn stakeholder_sign_off<'a>(
    requirements: impl IntoIterator<Item = &'a Requirement>,
    sign_offs: &HashMap<RequirementId, SignOff>,
    stakeholder: StakeholderId,
) -> StakeholderSignOff {
    let theirs = requirements
        .into_iter()
        .filter(|r| r.deleted_at.is_none() && r.sources.contains(&stakeholder))
        .map(|r| (r.id, r.version));
    answers_of(theirs, |id| sign_offs.get(&id).and_then(|s| s.answer_of(stakeholder)))
}

/// As [`stakeholder_sign_off`], from what a caller holds: the (id, version now) of the requirements the
/// stakeholder is a source of, and their newest answer about each.
pub fn answers_of<'c>(
    requirements: impl IntoIterator<Item = (RequirementId, i64)>,
    answer: impl Fn(RequirementId) -> Option<&'c Confirmation>,
) -> StakeholderSignOff {
    let mut out = StakeholderSignOff::default();
    for (id, version) in requirements {
        match answer(id) {
            Some(a) if a.version < version => out.awaiting += 1,
            Some(a) => match a.verdict {
                Verdict::Confirmed => out.confirmed += 1,
                Verdict::Changed => out.change_asked += 1,
                Verdict::Rejected => out.rejected += 1,
            },
            None => out.awaiting += 1,
        }
    }
    let parts: Vec<String> = [
        (out.confirmed, "confirmed"),
        (out.change_asked, "change asked"),
        (out.rejected, "rejected"),
        (out.awaiting, "awaiting"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    out.label = parts.join(", ");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    #[test]
    fn each_stakeholder_is_judged_by_their_own_newest_answer_against_the_version_now() {
        let p = ProjectId::new();
        let (ana, sam) = (StakeholderId::new(), StakeholderId::new());
        let req = |version: i64| Requirement {
            title: "t".into(),
            version,
            sources: vec![ana, sam],
            ..Requirement::unsaved(p, Timestamp::UNIX_EPOCH)
        };
        let (a, b, c) = (req(1), req(2), req(1));
        let answer = |r: &Requirement, who: StakeholderId, verdict: Verdict, version: i64| Confirmation {
            id: ConfirmationId::new(),
            requirement: r.id,
            stakeholder: who,
            stakeholder_name: String::new(),
            verdict,
            note: String::new(),
            version,
            at: Timestamp::UNIX_EPOCH,
        };
        let sign_offs: HashMap<RequirementId, SignOff> = [
            (
                a.id,
                SignOff::from_answers(
                    1,
                    [answer(&a, ana, Verdict::Confirmed, 1), answer(&a, sam, Verdict::Rejected, 1)],
                ),
            ),
            (b.id, SignOff::from_answers(2, [answer(&b, ana, Verdict::Confirmed, 1)])),
            (c.id, SignOff::from_answers(1, [answer(&c, ana, Verdict::Changed, 1)])),
        ]
        .into();
        let of_ana = stakeholder_sign_off([&a, &b, &c], &sign_offs, ana);
        assert_eq!((of_ana.confirmed, of_ana.change_asked, of_ana.awaiting), (1, 1, 1), "b changed since");
        assert_eq!(of_ana.label, "1 confirmed, 1 change asked, 1 awaiting");
        assert_eq!(of_ana.unconfirmed(), 2);
        let of_sam = stakeholder_sign_off([&a, &b, &c], &sign_offs, sam);
        assert_eq!((of_sam.rejected, of_sam.awaiting, of_sam.unconfirmed()), (1, 2, 2));
        assert_eq!(stakeholder_sign_off([], &sign_offs, sam), StakeholderSignOff::default());
    }
}
