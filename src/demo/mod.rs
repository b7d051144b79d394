//! `elicit demo`: loads the sample project of [`data`] in one transaction, so it is all there or not at all.
//!
//! Time entries are generated: six weeks of weekdays before "now", with the requirements share falling from
//! about 45% to about 18% as the programme moves into build, around 30% overall.

pub mod data;

use jiff::{SignedDuration, ToSpan};

use crate::domain::*;
use crate::journeys;
use crate::store::{
    NewInterview, NewProject, NewTimeEntry, OutcomeFields, Result, StakeholderFields, Store, StoreError,
};

/// What `load` did.
pub struct DemoLoad {
    pub project: Project,
    /// True when the demo project was already there (nothing was added).
    pub already_existed: bool,
}

/// Share of each week's time spent on requirements, oldest week first.
const WEEKLY_SHARE: [f64; 6] = [0.45, 0.38, 0.32, 0.27, 0.22, 0.18];
/// Hours logged on a working day.
const DAY_HOURS: f64 = 8.0;

/// Creates the demo project unless a project with its key already exists.
pub fn load(store: &mut Store) -> Result<DemoLoad> {
    let key: ProjectKey = data::PROJECT_KEY.parse()?;
    if let Some(project) = store.project_by_key(&key)? {
        return Ok(DemoLoad { project, already_existed: true });
    }
    let template = journeys::template("retail")?;
    let now = store.now();
    let id = ProjectId::new();
    store.write(Some(id), |tx| {
        tx.insert_project(
            id,
            &NewProject {
                key: key.clone(),
                name: data::PROJECT_NAME.into(),
                description: data::PROJECT_DESCRIPTION.into(),
                journey: template.name.clone(),
                stages: template.stages.iter().map(|s| (s.name.clone(), s.description.clone())).collect(),
                planned_hours: Some(data::PLANNED_HOURS),
                target_min: 0.25,
                target_max: 0.40,
            },
        )?;
        let stage_rows: Vec<(String, StageId)> = tx.stage_ids(id)?;
        let stages: Vec<(&str, StageId)> = stage_rows.iter().map(|(n, i)| (n.as_str(), *i)).collect();
        let mut outcomes = Vec::new();
        for o in data::OUTCOMES {
            let fields = OutcomeFields {
                statement: o.statement.into(),
                metric: o.metric,
                baseline: Some(o.baseline),
                target: Some(o.target),
                unit: o.unit.into(),
            };
            outcomes.push((o.statement, tx.insert_outcome(id, fields)?));
        }
        let mut people = Vec::new();
        for s in data::STAKEHOLDERS {
            let fields = StakeholderFields {
                name: s.name.into(),
                role: s.role.into(),
                department: s.department.into(),
                organisation: s.organisation.into(),
                contact: s.contact.into(),
                notes: s.notes.into(),
            };
            people.push((s.name, tx.insert_stakeholder(id, fields)?));
        }
        let find = |list: &[(&str, StakeholderId)], name: &str| lookup(list, name, "stakeholder");
        let mut interviews = Vec::new();
        for i in data::INTERVIEWS {
            let start = day_start(now, i.days_ago) + SignedDuration::from_hours(i64::from(i.hour));
            let end = start + SignedDuration::from_mins(i.minutes);
            let stakeholders = i.stakeholders.iter().map(|n| find(&people, n)).collect::<Result<_>>()?;
            let new = NewInterview {
                title: i.title.into(),
                mode: i.mode,
                started_at: start,
                ended_at: Some(end),
                notes: i.notes.into(),
                stakeholders,
            };
            let interview = tx.insert_interview(id, &new)?;
            tx.insert_time_entry(
                id,
                &NewTimeEntry {
                    activity: Activity::Requirements,
                    started_at: start,
                    ended_at: Some(end),
                    interview: Some(interview),
                    note: format!("Interview: {}", i.title),
                },
            )?;
            interviews.push((i.title, interview, start, end));
        }
        for r in data::REQUIREMENTS {
            let new = NewRequirement {
                title: r.title.into(),
                statement: r.statement.into(),
                kind: r.kind,
                priority: r.priority,
                status: r.status,
                stage: (!r.stage.is_empty()).then(|| lookup(&stages, r.stage, "stage")).transpose()?,
                interview: (!r.interview.is_empty())
                    .then(|| {
                        interviews
                            .iter()
                            .find(|i| i.0 == r.interview)
                            .map(|i| i.1)
                            .ok_or_else(|| StoreError::NotFound(format!("demo interview {:?}", r.interview)))
                    })
                    .transpose()?,
                channel: r.channel,
                pain_point: r.pain_point,
                moment_of_truth: r.moment_of_truth,
                acceptance: r.acceptance.into(),
                rationale: r.rationale.into(),
                quote: String::new(),
                external_ref: String::new(),
                outcomes: r.outcomes.iter().map(|o| lookup(&outcomes, o, "outcome")).collect::<Result<_>>()?,
                sources: r.sources.iter().map(|s| find(&people, s)).collect::<Result<_>>()?,
                tags: r.tags.iter().map(|t| t.to_string()).collect(),
            }
            .validated()?;
            tx.insert_requirement(id, &new)?;
        }
        let busy: Vec<(Timestamp, Timestamp)> = interviews.iter().map(|i| (i.2, i.3)).collect();
        for entry in working_time(now, &busy) {
            tx.insert_time_entry(id, &entry)?;
        }
        Ok(())
    })?;
    Ok(DemoLoad { project: store.project(id)?, already_existed: false })
}

fn lookup<T: Copy>(list: &[(&str, T)], name: &str, what: &str) -> Result<T> {
    list.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, id)| *id)
        .ok_or_else(|| StoreError::NotFound(format!("the demo data names an unknown {what} {name:?}")))
}

/// Midnight UTC, `days_ago` days before `now`.
fn day_start(now: Timestamp, days_ago: i64) -> Timestamp {
    let day = now.to_zoned(jiff::tz::TimeZone::UTC).date() - days_ago.days();
    day.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()).unwrap_or(now)
}

/// Six weeks of weekday time entries ending yesterday, laid around the interviews (`busy`), whose time
/// counts towards each day's requirements hours.
fn working_time(now: Timestamp, busy: &[(Timestamp, Timestamp)]) -> Vec<NewTimeEntry> {
    let mut out = Vec::new();
    for days_ago in (1..=42).rev() {
        let start = day_start(now, days_ago);
        let weekday = start.to_zoned(jiff::tz::TimeZone::UTC).weekday();
        if matches!(weekday, jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday) {
            continue;
        }
        let week = ((42 - days_ago) / 7).clamp(0, 5) as usize;
        let share = WEEKLY_SHARE[week];
        let day_end = start + SignedDuration::from_hours(24);
        let interview_hours: f64 = busy
            .iter()
            .filter(|(a, _)| *a >= start && *a < day_end)
            .map(|(a, b)| b.duration_since(*a).as_secs_f64() / 3600.0)
            .sum();
        let requirements = (DAY_HOURS * share - interview_hours).max(0.0);
        let rest = DAY_HOURS * (1.0 - share);
        // Early weeks lean to design and management, later weeks to build and test.
        let late = week as f64 / 5.0;
        let blocks = [
            (Activity::Requirements, requirements, "Analysis and write-up"),
            (Activity::Design, rest * (0.35 - 0.2 * late), "Solution design"),
            (Activity::Build, rest * (0.15 + 0.35 * late), "Build"),
            (Activity::Test, rest * (0.05 + 0.15 * late), "Testing"),
            (Activity::Management, rest * (0.35 - 0.25 * late), "Planning and status"),
            (Activity::Other, rest * (0.10 - 0.05 * late), "Admin"),
        ];
        let mut cursor = start + SignedDuration::from_hours(8);
        for (activity, hours, note) in blocks {
            let mut left = SignedDuration::from_secs((hours * 3600.0).round() as i64);
            while left > SignedDuration::from_mins(1) {
                // Skip over an interview in progress at the cursor.
                if let Some((_, end)) = busy.iter().find(|(a, b)| *a <= cursor && cursor < *b) {
                    cursor = *end;
                    continue;
                }
                let next_busy = busy.iter().filter(|(a, _)| *a > cursor).map(|(a, _)| *a).min();
                let mut piece = left;
                if let Some(a) = next_busy {
                    piece = piece.min(a.duration_since(cursor));
                }
                out.push(NewTimeEntry {
                    activity,
                    started_at: cursor,
                    ended_at: Some(cursor + piece),
                    interview: None,
                    note: note.into(),
                });
                cursor += piece;
                left -= piece;
            }
        }
    }
    out
}
