//! What the rules of the Platform's data domains share: records built
//! from JSON, and lists answered in pages with MX's `pagination`.

use serde_json::Value;

use super::world::World;
use crate::engine::call::{Call, Reply};
use crate::engine::generic::Resources;
use crate::store::Record;

/// A record from a JSON object (an empty one from anything else).
pub fn object(v: Value) -> Record {
    match v {
        Value::Object(o) => o,
        _ => Record::new(),
    }
}

/// `records` as the operation's list, one page of them with MX's
/// `pagination` (MX's lists carry it even where the operation takes no
/// `page` parameter: its answer schema documents it, e.g. List rewards).
pub fn paged(world: &World, call: &Call<'_>, records: Vec<Value>) -> Reply {
    let total = records.len();
    let (skip, take, pagination) = world.page(call, total);
    call.list(
        records.into_iter().skip(skip).take(take).collect(),
        Some(pagination),
    )
}

/// The stored records of `table` whose GUIDs are listed in `guids`, in
/// that order (missing ones left out).
pub fn by_guids(world: &World, table: &str, guids: &[Value]) -> Vec<Value> {
    guids
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|g| world.store.get(table, g))
        .map(|r| Value::Object(r.clone()))
        .collect()
}
