//! The generic resource rules, inferred from path and method, for every
//! operation MX's rules do not take over: POST on a collection creates, GET
//! lists (paginated) or reads, PUT merges, DELETE deletes, and any other
//! POST/PUT on a resource's sub-path answers the resource. Path parameters
//! named `*_guid` are fields of the records, so every route over a table
//! reads the same records.

use serde_json::Value;

use super::call::{Answer, Call, Fail, Reply};
use crate::store::{guid, prefix, Record, Store};

/// What the generic rules act on: the records, and what the rules on top
/// decide for them (what a removal takes with it, how a list is paged).
pub trait Resources {
    fn store(&self) -> &Store;
    fn store_mut(&mut self) -> &mut Store;
    /// Removes a record and what refers to it (`field` names the
    /// reference, `user_guid` for a user).
    fn remove(&mut self, table: &str, guid: &str, field: &str) -> bool;
    /// The page of a list of `total` records a paged call gets: the
    /// records to skip, the records to take, and the answer's
    /// `pagination`.
    fn page(&self, call: &Call<'_>, total: usize) -> (usize, usize, Value);
}

/// The lowest documented 2xx of the operation.
fn success(call: &Call<'_>) -> u16 {
    call.op.answers.first().map_or(200, |a| a.status)
}

/// The path's `*_guid` parameters, as record filters.
pub fn filters(call: &Call<'_>) -> Vec<(String, String)> {
    call.params
        .iter()
        .filter(|(k, _)| k.ends_with("_guid"))
        .cloned()
        .collect()
}

/// Checks that each `collection/{param}` of the path names a stored record
/// consistent with the parameters before it; answers the last one's
/// (table, GUID, parameter).
pub fn resolve<'c>(
    store: &Store,
    call: &'c Call<'_>,
) -> Result<Option<(&'c str, &'c str, &'c str)>, Fail> {
    let mut last = None;
    let mut before: Vec<(&str, &str)> = Vec::new();
    for (table, param) in call.op.template.pairs() {
        let id = call.param(param);
        let record = store
            .get(table, id)
            .ok_or_else(|| Fail::not_found(param.trim_end_matches("_guid"), id))?;
        for (p, v) in &before {
            if record
                .get(*p)
                .and_then(Value::as_str)
                .is_some_and(|x| x != *v)
            {
                return Err(Fail::not_found(param.trim_end_matches("_guid"), id));
            }
        }
        before.push((param, id));
        last = Some((table, id, param));
    }
    Ok(last)
}

fn one_of(call: &Call<'_>, status: u16, r: &Record) -> Reply {
    call.one(status, Value::Object(r.clone()))
}

/// Does a bodyless POST under `parent` act on the parent (a job: its answer
/// wraps the parent's record, `member` for `members`) rather than create a
/// record of the collection (the Platform's spending plans, answered
/// unwrapped)?
fn answers_parent(call: &Call<'_>, parent: Option<(&str, &str, &str)>) -> bool {
    let Some((table, _, _)) = parent else {
        return false;
    };
    call.record_key(success(call))
        .is_some_and(|key| table == key || table.strip_suffix('s') == Some(key))
}

pub fn answer(world: &mut impl Resources, call: &Call<'_>) -> Answer {
    let parent = resolve(world.store(), call)?;
    let t = &call.op.template;
    let method = call.op.method.as_str();
    if t.ends_with_param() {
        let (table, id, param) = parent.ok_or_else(|| Fail::new(404, "no resource"))?;
        return match method {
            "DELETE" => {
                world.remove(table, id, param);
                Ok(match call.op.answers.first() {
                    Some(a) if a.schema.is_some() => Reply::Json(a.status, Value::Null),
                    Some(a) => Reply::Empty(a.status),
                    None => Reply::Empty(204),
                })
            }
            "PUT" | "PATCH" => {
                let changes = call.inner();
                let r = world
                    .store_mut()
                    .get_mut(table, id)
                    .ok_or_else(|| Fail::not_found(table, id))?;
                for (k, v) in changes {
                    if k != "guid" && !k.ends_with("_guid") {
                        r.insert(k, v);
                    }
                }
                Ok(one_of(call, success(call), r))
            }
            _ => {
                let r = world
                    .store()
                    .get(table, id)
                    .ok_or_else(|| Fail::not_found(table, id))?;
                Ok(one_of(call, success(call), r))
            }
        };
    }
    let collection = t.last_literal().unwrap_or("records");
    let wrapped = call.wrapped().is_some();
    match (method, parent) {
        ("GET", _) => {
            let filters = filters(call);
            let (from, to) = (call.query_str("from_date"), call.query_str("to_date"));
            // `from_date` / `to_date` bound the records' `date` (ISO dates
            // compare as text).
            let in_range = |r: &&Record| {
                let date = r.get("date").and_then(Value::as_str);
                from.is_none_or(|f| date.is_some_and(|d| d >= f))
                    && to.is_none_or(|t| date.is_some_and(|d| d <= t))
            };
            let records = || world.store().select(collection, &filters).filter(in_range);
            let items = records().map(|r| Value::Object(r.clone()));
            if call.is_paged() {
                let (skip, take, pagination) = world.page(call, records().count());
                Ok(call.list(items.skip(skip).take(take).collect(), Some(pagination)))
            } else {
                Ok(call.list(items.collect(), None))
            }
        }
        ("POST", _) if wrapped || !answers_parent(call, parent) => {
            let mut record = call.inner();
            record.insert("guid".into(), Value::String(guid(&prefix(collection))));
            for (k, v) in filters(call) {
                record.insert(k, Value::String(v));
            }
            let status = success(call);
            let reply = one_of(call, status, &record);
            world.store_mut().put(collection, record);
            Ok(reply)
        }
        (_, Some((table, id, _))) => {
            let r = world
                .store()
                .get(table, id)
                .ok_or_else(|| Fail::not_found(table, id))?;
            Ok(one_of(call, success(call), r))
        }
        _ => Err(Fail::new(
            400,
            format!("{method} {} has nothing to act on", t.text),
        )),
    }
}
