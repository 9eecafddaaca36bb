//! Reposition goals (`PUT /users/{user_guid}/goals/reposition`): "This
//! endpoint repositions goal priority levels. If one goal is set to a
//! lower priority, then any other goals need to be adjusted accordingly"
//! (the Platform specs); a goal's `position` is "The priority of the goal
//! in relation to multiple goals" (MX's Goals Overview,
//! <https://docs.mx.com/api-reference/platform-api/reference/goals>). The
//! answer (RepositionResponseBody) lists the goals at their new positions.
//!
//! Assumptions (MX is silent): positions run 1, 2, … over all the user's
//! goals; each goal named moves to its position, the others keep their
//! order around them (a goal never positioned comes after the positioned
//! ones, in creation order); a named goal that is not the user's is a 404.

use serde_json::{json, Value};

use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::store::{text, Record};

/// `PUT /users/{user_guid}/goals/reposition`.
pub fn reposition(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let user = [("user_guid".to_string(), call.param("user_guid").to_string())];
    let mut goals: Vec<Record> = world.store.select("goals", &user).cloned().collect();
    // Stable: goals never positioned keep their creation order, last.
    goals.sort_by_key(|g| {
        g.get("position")
            .and_then(Value::as_i64)
            .unwrap_or(i64::MAX)
    });
    let mut moves = wanted(call)?;
    moves.sort_by_key(|(_, position)| *position);
    let mut moved = Vec::new();
    for (guid, _) in &moves {
        let at = goals
            .iter()
            .position(|g| text(g, "guid") == Some(guid))
            .ok_or_else(|| Fail::not_found("goal", guid))?;
        moved.push(goals.remove(at));
    }
    for (goal, (_, position)) in moved.into_iter().zip(&moves) {
        let at = usize::try_from(position - 1).unwrap_or(0).min(goals.len());
        goals.insert(at, goal);
    }
    let mut answer = Vec::new();
    for (goal, position) in goals.iter_mut().zip(1..) {
        goal.insert("position".into(), json!(position));
        answer.push(Value::Object(goal.clone()));
        world.store.put("goals", goal.clone());
    }
    Ok(call.list(answer, None))
}

/// The (goal GUID, position) pairs the request asks for.
fn wanted(call: &Call<'_>) -> Result<Vec<(String, i64)>, Fail> {
    let goals = call
        .body
        .as_ref()
        .and_then(|b| b.get("goals"))
        .and_then(Value::as_array)
        .ok_or_else(|| Fail::new(400, "goals is required"))?;
    let mut seen = std::collections::HashSet::new();
    goals
        .iter()
        .map(|g| {
            let guid = g.get("guid").and_then(Value::as_str);
            let position = g.get("position").and_then(Value::as_i64);
            match (guid, position) {
                (Some(guid), _) if !seen.insert(guid) => {
                    Err(Fail::new(400, format!("goal {guid} is named twice")))
                }
                (Some(guid), Some(p)) if p >= 1 => Ok((guid.to_string(), p)),
                _ => Err(Fail::new(
                    400,
                    "each goal needs a guid and a position from 1",
                )),
            }
        })
        .collect()
}
