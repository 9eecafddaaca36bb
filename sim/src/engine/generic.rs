//! The generic resource rules, inferred from path and method, for every
//! operation MX's rules do not take over: POST on a collection creates, GET
//! lists (paginated) or reads, PUT merges, DELETE deletes, and any other
//! POST/PUT on a resource's sub-path answers the resource. Path parameters
//! named `*_guid` are fields of the records, so every route over a table
//! reads the same records.

use serde_json::Value;

use super::call::{Answer, Call, Fail, Reply};
use crate::spec::{In, Kind};
use crate::store::{guid, prefix, Record, Store};

/// What the generic rules act on: the records, and what the rules on top
/// decide for them (what a removal takes with it, how a list is paged).
pub trait Resources {
    fn store(&self) -> &Store;
    fn store_mut(&mut self) -> &mut Store;
    /// Removes a record and what refers to it (`field` names the
    /// reference, `user_guid` for a user).
    fn remove(&mut self, table: &str, guid: &str, field: &str) -> bool;
    /// The page of a list of `total` records a call gets (the whole list
    /// where the operation is not paged): the records to skip, the records
    /// to take, and the answer's `pagination`.
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

/// The record the path names (its last `collection/{param}`), checked as
/// [`resolve`] checks it: its (table, GUID). A path naming none is a 404.
pub fn addressed<'c>(store: &Store, call: &'c Call<'_>) -> Result<(&'c str, &'c str), Fail> {
    let (table, id, _) = resolve(store, call)?.ok_or_else(|| Fail::new(404, "no record"))?;
    Ok((table, id))
}

/// May an update change the field `key` of the record its path names? Not
/// the record's own `guid`, nor the keys that tie it to the path's parents
/// (the path's parameters: `user_guid`, …); another reference
/// (`tag_guid`, `category_guid`) where the request's schema declares it,
/// so that a body cannot move a record under a parent its path does not
/// name.
fn changeable(call: &Call<'_>, key: &str) -> bool {
    if key == "guid" || call.params.iter().any(|(p, _)| p == key) {
        return false;
    }
    !key.ends_with("_guid") || call.declares(key)
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
                let mut r = world
                    .store()
                    .get(table, id)
                    .cloned()
                    .ok_or_else(|| Fail::not_found(table, id))?;
                for (k, v) in call.inner() {
                    if changeable(call, &k) {
                        r.insert(k, v);
                    }
                }
                let reply = one_of(call, success(call), &r);
                // Stored again (not changed in place): a changed reference
                // is one the store's index must follow.
                world.store_mut().put(table, r);
                Ok(reply)
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
        ("GET", _) => Ok(list(world, call, collection)),
        ("POST", _) if wrapped || !answers_parent(call, parent) => {
            let mut record = call.record()?;
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

/// A list of the collection's records: those of the path's parents, within
/// `from_date` / `to_date`, matching the query's field filters; paged as
/// the rules page it.
fn list(world: &impl Resources, call: &Call<'_>, collection: &str) -> Reply {
    list_of(world, call, collection, &filters(call), |_| true)
}

/// A list of the collection's records whose fields equal `filters` and
/// that `keep` keeps, within `from_date` / `to_date`, matching the query's
/// field filters; paged as the rules page it.
pub fn list_of(
    world: &impl Resources,
    call: &Call<'_>,
    collection: &str,
    filters: &[(String, String)],
    keep: impl Fn(&Record) -> bool,
) -> Reply {
    let fields = field_filters(call);
    let (from, to) = (call.query_str("from_date"), call.query_str("to_date"));
    // `from_date` / `to_date` bound the records' `date` (ISO dates compare
    // as text).
    let in_range = |r: &&Record| {
        let date = r.get("date").and_then(Value::as_str);
        from.is_none_or(|f| date.is_some_and(|d| d >= f))
            && to.is_none_or(|t| date.is_some_and(|d| d <= t))
    };
    let matching = |r: &&Record| {
        fields
            .iter()
            .all(|(field, wanted)| wanted.contains(&r.get(*field).unwrap_or(&Value::Null)))
    };
    let records = || {
        world
            .store()
            .select(collection, filters)
            .filter(|r| keep(r))
            .filter(in_range)
            .filter(matching)
    };
    let (skip, take, pagination) = world.page(call, records().count());
    let items = records().skip(skip).take(take);
    call.list(
        items.map(|r| Value::Object(r.clone())).collect(),
        Some(pagination),
    )
}

/// The query's filters on the records' fields: an array parameter naming a
/// field of the listed records (`category_guid[]`: `category_guid`), any
/// of its values, and its scalar twin (`category_guid`), that value: the
/// spec's pairs of "records with any of these" filters. Other query
/// parameters do not filter here (a `name` is a search, not a value).
fn field_filters<'c>(call: &'c Call<'_>) -> Vec<(&'c str, Vec<&'c Value>)> {
    let Some(Kind::Object { properties, .. }) = call.list_item().map(|s| &s.kind) else {
        return Vec::new();
    };
    let arrays = call
        .op
        .params
        .iter()
        .filter(|p| p.location == In::Query && matches!(p.schema.kind, Kind::Array(_)));
    let mut out = Vec::new();
    for p in arrays {
        let field = p.name.trim_end_matches("[]");
        if !properties.contains_key(field) {
            continue;
        }
        let twin = (field != p.name).then_some(field);
        for name in std::iter::once(p.name.as_str()).chain(twin) {
            match call.query.get(name) {
                Some(Value::Array(values)) => out.push((field, values.iter().collect())),
                Some(value) => out.push((field, vec![value])),
                None => {}
            }
        }
    }
    out
}
