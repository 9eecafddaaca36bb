//! The one store both APIs read and write: tables of JSON records by GUID,
//! in creation order.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// A stored record: a JSON object with at least a `guid`.
pub type Record = Map<String, Value>;

#[derive(Debug, Default)]
pub struct Store {
    tables: HashMap<String, IndexMap<String, Record>>,
}

/// A fresh MX-style GUID: `PREFIX-<uuid v4>`.
pub fn guid(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4())
}

/// The GUID prefix of a table's records (`accounts` → `ACT`): MX's for the
/// resources it has, else the first three letters of the name.
pub fn prefix(table: &str) -> String {
    let known = match table {
        "users" => "USR",
        "members" => "MBR",
        "accounts" => "ACT",
        "transactions" => "TRN",
        "holdings" => "HOL",
        "statements" => "STA",
        "merchants" => "MCH",
        "merchant_locations" => "MCL",
        "account_owners" => "ACO",
        "account_numbers" => "ACN",
        "institutions" => "INS",
        "jobs" => "JOB",
        "tags" => "TAG",
        "taggings" => "TGN",
        "categories" => "CAT",
        "goals" => "GOL",
        "budgets" => "BGT",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let p: String = table
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(3)
        .collect();
    if p.is_empty() {
        "REC".into()
    } else {
        p.to_ascii_uppercase()
    }
}

/// A record's string field.
pub fn text<'a>(r: &'a Record, field: &str) -> Option<&'a str> {
    r.get(field).and_then(Value::as_str)
}

impl Store {
    pub fn get(&self, table: &str, guid: &str) -> Option<&Record> {
        self.tables.get(table)?.get(guid)
    }

    pub fn get_mut(&mut self, table: &str, guid: &str) -> Option<&mut Record> {
        self.tables.get_mut(table)?.get_mut(guid)
    }

    /// Stores `record` (which has a `guid`), replacing any with that GUID.
    pub fn put(&mut self, table: &str, record: Record) {
        let guid = text(&record, "guid").unwrap_or_default().to_string();
        self.tables
            .entry(table.to_string())
            .or_default()
            .insert(guid, record);
    }

    /// The records of `table` whose fields equal `filters`, in order.
    pub fn select<'a>(
        &'a self,
        table: &str,
        filters: &'a [(String, String)],
    ) -> impl Iterator<Item = &'a Record> + 'a {
        self.tables
            .get(table)
            .into_iter()
            .flat_map(|t| t.values())
            .filter(move |r| filters.iter().all(|(k, v)| text(r, k) == Some(v)))
    }

    pub fn count(&self, table: &str, filters: &[(String, String)]) -> usize {
        self.select(table, filters).count()
    }

    /// Removes a record and, in every table, the records that refer to it
    /// by `field` (`user_guid`, `member_guid`, …). Answers the GUIDs removed
    /// per table, or `None` when it was not there.
    pub fn remove_cascade(
        &mut self,
        table: &str,
        guid: &str,
        field: &str,
    ) -> Option<Vec<(String, String)>> {
        self.tables.get_mut(table)?.shift_remove(guid)?;
        let mut gone = vec![(table.to_string(), guid.to_string())];
        for (name, t) in &mut self.tables {
            t.retain(|g, r| {
                let keep = text(r, field) != Some(guid);
                if !keep {
                    gone.push((name.clone(), g.clone()));
                }
                keep
            });
        }
        Some(gone)
    }
}
