//! What the fuzz targets share: the database an import starts from, and the checks on what it did.
//!
//! A fuzz target only learns of a panic, so every check here panics. Each input runs twice, strict (all or
//! nothing) and lenient (`skip_invalid` and `create_missing`), so that both the refusal and the write are
//! reached. `tests/props.rs` holds the same checks with shrinking and a few more (a failed import writes
//! nothing; no error comes from a database constraint).

use elicit::domain::*;
use elicit::report::{ImportFormat, ImportOptions, import};
use elicit::store::{NewProject, OutcomeFields, StakeholderFields, Store};

/// A new in-memory database with project SHOP: stages Discover and Buy, an outcome and a stakeholder, the
/// names the seed files use.
pub fn shop() -> Store {
    let mut store = Store::open_in_memory().expect("in-memory database");
    let mut new = NewProject::new("SHOP".parse().expect("key"), "Shop");
    new.stages = vec![("Discover".into(), String::new()), ("Buy".into(), String::new())];
    let p = store.create_project(new).expect("project");
    let outcome = OutcomeFields {
        statement: "Checkout under a minute".into(),
        metric: Metric::Time,
        baseline: None,
        target: None,
        unit: "min".into(),
    };
    store.add_outcome(p.id, outcome).expect("outcome");
    store
        .add_stakeholder(p.id, StakeholderFields { name: "Dana Reyes".into(), ..Default::default() })
        .expect("stakeholder");
    store
}

/// Bidi controls and the zero-width characters the sanitiser never keeps.
pub fn hidden(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Panics if `text` holds a control character other than those `allowed`, or a hidden character.
pub fn assert_clean(what: &str, text: &str, allowed: &[char]) {
    if let Some(c) = text.chars().find(|&c| (c.is_control() && !allowed.contains(&c)) || hidden(c)) {
        panic!("{what} holds {c:?}: {text:?}");
    }
}

/// The database an import starts from.
#[derive(Debug, Clone, Copy)]
pub enum Start {
    Empty,
    /// [`shop`].
    Shop,
}

/// A database as [`Start`] makes it, and its count of changed rows then.
struct Ready {
    store: Store,
    changes: i64,
}

fn total_changes(store: &Store) -> i64 {
    store.connection().query_row("SELECT total_changes()", [], |r| r.get(0)).expect("total_changes")
}

thread_local! {
    /// Databases no import has written to yet: making one (the migrations) costs more than most imports.
    static READY: std::cell::RefCell<[Option<Ready>; 2]> = const { std::cell::RefCell::new([None, None]) };
}

/// Runs `f` on a database as `start` makes it; keeps the database for the next input unless `f` wrote.
fn with_store(start: Start, f: impl FnOnce(&mut Store)) {
    let taken = READY.with(|r| r.borrow_mut()[start as usize].take());
    let mut ready = taken.unwrap_or_else(|| {
        let store = match start {
            Start::Empty => Store::open_in_memory().expect("in-memory database"),
            Start::Shop => shop(),
        };
        Ready { changes: total_changes(&store), store }
    });
    f(&mut ready.store);
    let now = total_changes(&ready.store);
    if now == ready.changes {
        READY.with(|r| r.borrow_mut()[start as usize] = Some(ready));
    }
}

/// Imports `data` into a database as `start` makes it, strictly and leniently, and checks the outcome: an
/// error says something, and every text cell of the database is clean afterwards.
pub fn check_import(format: ImportFormat, data: &[u8], start: Start) {
    for lenient in [false, true] {
        let options = ImportOptions {
            file_label: "input".into(),
            skip_invalid: lenient,
            create_missing: lenient,
            ..ImportOptions::default()
        };
        with_store(start, |store| match import(store, format, data, &options) {
            Err(e) => assert!(!e.to_string().trim().is_empty(), "an error without a message: {e:?}"),
            Ok(_) => assert_stored_text_clean(store),
        });
    }
}

fn assert_stored_text_clean(store: &Store) {
    let conn = store.connection();
    let mut tables = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .expect("tables");
    let tables: Vec<String> = tables.query_map([], |r| r.get(0)).expect("tables").flatten().collect();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select");
        let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let mut rows = stmt.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            for (i, column) in columns.iter().enumerate() {
                if let Ok(rusqlite::types::Value::Text(text)) = row.get::<_, rusqlite::types::Value>(i) {
                    assert_clean(&format!("{table}.{column}"), &text, &['\n', '\t']);
                }
            }
        }
    }
}
