//! The one store both APIs read and write: tables of JSON records by GUID,
//! in creation order, with an index of their references (`user_guid`,
//! `member_guid`, …) so that a route filtered by its parents reads only the
//! parents' records, however large the store grows.

use std::collections::HashMap;

use indexmap::{IndexMap, IndexSet};
use serde_json::{Map, Value};

/// A stored record: a JSON object with at least a `guid`.
pub type Record = Map<String, Value>;

/// (table, reference field, referenced GUID) → the records' GUIDs, in
/// creation order.
type RefIndex = HashMap<(String, String, String), IndexSet<String>>;

#[derive(Debug, Default)]
pub struct Store {
    tables: HashMap<String, IndexMap<String, Record>>,
    refs: RefIndex,
}

/// The reference fields of a record: its `*_guid` string fields. A record
/// whose references change is stored again with `put` (which re-indexes
/// it); `get_mut` callers must keep them.
fn references(r: &Record) -> impl Iterator<Item = (&str, &str)> {
    r.iter().filter_map(|(k, v)| {
        (k != "guid" && k.ends_with("_guid"))
            .then(|| v.as_str().map(|v| (k.as_str(), v)))
            .flatten()
    })
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
        let owned = |(f, v): (&str, &str)| (f.to_string(), v.to_string());
        let added: Vec<(String, String)> = references(&record).map(owned).collect();
        let old = self
            .tables
            .entry(table.to_string())
            .or_default()
            .insert(guid.clone(), record);
        if let Some(old) = old {
            let new = self.tables[table][&guid].clone();
            self.unindex(table, &guid, &old, Some(&new));
        }
        for (field, value) in added {
            self.refs
                .entry((table.to_string(), field, value))
                .or_default()
                .insert(guid.clone());
        }
    }

    /// Drops the index entries of `old` that `new` (if any) no longer has.
    fn unindex(&mut self, table: &str, guid: &str, old: &Record, new: Option<&Record>) {
        for (field, value) in references(old) {
            if new.is_some_and(|n| text(n, field) == Some(value)) {
                continue;
            }
            let key = (table.to_string(), field.to_string(), value.to_string());
            if let Some(set) = self.refs.get_mut(&key) {
                set.shift_remove(guid);
                if set.is_empty() {
                    self.refs.remove(&key);
                }
            }
        }
    }

    /// The records of `table` whose fields equal `filters`, in order: read
    /// through the reference index when a filter is a `*_guid` field.
    pub fn select<'a>(
        &'a self,
        table: &str,
        filters: &'a [(String, String)],
    ) -> Box<dyn Iterator<Item = &'a Record> + 'a> {
        let Some(t) = self.tables.get(table) else {
            return Box::new(std::iter::empty());
        };
        let matches = move |r: &&Record| filters.iter().all(|(k, v)| text(r, k) == Some(v));
        let indexed = filters
            .iter()
            .find(|(k, _)| k != "guid" && k.ends_with("_guid"));
        match indexed {
            Some((k, v)) => {
                let key = (table.to_string(), k.clone(), v.clone());
                Box::new(
                    self.refs
                        .get(&key)
                        .into_iter()
                        .flatten()
                        .filter_map(move |g| t.get(g))
                        .filter(matches),
                )
            }
            None => Box::new(t.values().filter(matches)),
        }
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
        let record = self.tables.get_mut(table)?.shift_remove(guid)?;
        self.unindex(table, guid, &record, None);
        let mut gone = vec![(table.to_string(), guid.to_string())];
        let names: Vec<String> = self.tables.keys().cloned().collect();
        for name in names {
            let key = (name.clone(), field.to_string(), guid.to_string());
            let Some(referring) = self.refs.remove(&key) else {
                continue;
            };
            for g in referring {
                if let Some(r) = self.tables.get_mut(&name).and_then(|t| t.shift_remove(&g)) {
                    self.unindex(&name, &g, &r, None);
                    gone.push((name.clone(), g));
                }
            }
        }
        Some(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(v: Value) -> Record {
        v.as_object().unwrap().clone()
    }

    fn guids<'a>(it: impl Iterator<Item = &'a Record>) -> Vec<&'a str> {
        it.map(|r| text(r, "guid").unwrap()).collect()
    }

    #[test]
    fn the_reference_index_answers_as_a_scan_would_through_puts_and_cascades() {
        let mut s = Store::default();
        for (m, u) in [("M1", "U1"), ("M2", "U2"), ("M3", "U1")] {
            s.put(
                "members",
                rec(serde_json::json!({"guid": m, "user_guid": u})),
            );
        }
        s.put(
            "accounts",
            rec(serde_json::json!({"guid": "A1", "user_guid": "U1", "member_guid": "M3"})),
        );
        let by = |s: &Store, t: &str, k: &str, v: &str| {
            let f = [(k.to_string(), v.to_string())];
            guids(s.select(t, &f))
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(by(&s, "members", "user_guid", "U1"), ["M1", "M3"]);
        // A replaced record moves in the index.
        s.put(
            "members",
            rec(serde_json::json!({"guid": "M1", "user_guid": "U2"})),
        );
        assert_eq!(by(&s, "members", "user_guid", "U1"), ["M3"]);
        assert_eq!(by(&s, "members", "user_guid", "U2"), ["M2", "M1"]);
        // A filter on a field that is not a reference still scans.
        s.put(
            "members",
            rec(serde_json::json!({"guid": "M4", "user_guid": "U1", "name": "x"})),
        );
        let f = [("name".to_string(), "x".to_string())];
        assert_eq!(guids(s.select("members", &f)), ["M4"]);
        // Removing a member removes what refers to it, and its index entries.
        let gone = s.remove_cascade("members", "M3", "member_guid").unwrap();
        assert_eq!(gone.len(), 2, "{gone:?}");
        assert!(s.get("accounts", "A1").is_none());
        assert_eq!(by(&s, "members", "user_guid", "U1"), ["M4"]);
        assert!(by(&s, "accounts", "member_guid", "M3").is_empty());
        assert!(by(&s, "accounts", "user_guid", "U1").is_empty());
    }
}
