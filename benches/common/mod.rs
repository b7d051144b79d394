//! What the workbench benchmarks share: the generated 100,000-requirement project and time formatting.

use std::time::Duration;

use elicit::domain::*;
use elicit::store::{NewProject, OutcomeFields, StakeholderFields, Store};

/// Requirements in the generated project.
pub const N: usize = 100_000;

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Builds a project of [`N`] requirements across the retail journey, with outcomes and stakeholders.
pub fn generate(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open(path)?;
    let template = elicit::journeys::template("retail")?;
    let project = store.create_project(NewProject {
        key: "BIG".parse()?,
        name: "Benchmark".into(),
        description: String::new(),
        journey: template.name.clone(),
        stages: template.stages.iter().map(|s| (s.name.clone(), s.description.clone())).collect(),
        planned_hours: None,
        target_min: 0.25,
        target_max: 0.4,
    })?;
    let stages = store.stages(project.id)?;
    let mut outcomes = Vec::new();
    for (i, s) in
        ["Refunds paid sooner", "Fewer repeat calls", "Higher NPS", "Less checkout abandonment"].iter().enumerate()
    {
        let o = store.add_outcome(
            project.id,
            OutcomeFields {
                statement: (*s).into(),
                metric: Metric::ALL[i],
                baseline: Some(10.0),
                target: Some(20.0),
                unit: "%".into(),
            },
        )?;
        outcomes.push(o.id);
    }
    // Capture starts interviews with these people.
    for (name, dept) in [("Ana Ruiz", "Stores"), ("Ben Ode", "Finance"), ("Cy Lam", "Legal")] {
        let fields = StakeholderFields { name: name.into(), department: dept.into(), ..Default::default() };
        store.add_stakeholder(project.id, fields)?;
    }
    let nouns =
        ["refund", "parcel", "locker", "basket", "invoice", "voucher", "store", "courier", "receipt", "account"];
    let verbs = ["track", "cancel", "change", "confirm", "show", "email", "split", "reserve", "return", "price"];
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..N {
        let (n, v) = (nouns[i % nouns.len()], verbs[(i / 7) % verbs.len()]);
        batch.push(NewRequirement {
            title: format!("Customer can {v} the {n} online #{i}"),
            statement: format!(
                "The service shall let a customer {v} their {n} from the web and the app within two minutes, case {i}."
            ),
            priority: Priority::ALL[i % 4],
            status: Status::ALL[i % 7],
            stage: Some(stages[i % stages.len()].id),
            outcomes: vec![outcomes[i % outcomes.len()]],
            moment_of_truth: i % 17 == 0,
            ..Default::default()
        });
        if batch.len() == 10_000 {
            store.add_requirements(project.id, std::mem::take(&mut batch))?;
        }
    }
    if !batch.is_empty() {
        store.add_requirements(project.id, batch)?;
    }
    Ok(())
}
