//! The transactions of a tag (List transactions by tag,
//! `GET /users/{user_guid}/tags/{tag_guid}/transactions`): "all
//! transactions that have been assigned to a particular tag using the
//! create tagging endpoint" (the Platform specs). A tagging ties a tag to
//! a transaction (`tag_guid`, `transaction_guid`); an update of its
//! `tag_guid` moves the transaction to the other tag.

use std::collections::HashSet;

use super::world::World;
use crate::engine::call::{Answer, Call};
use crate::engine::generic;
use crate::store::text;

/// `GET /users/{user_guid}/tags/{tag_guid}/transactions`: the user's
/// transactions a tagging puts under the tag, with the list's query
/// filters, paged.
pub fn transactions(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let user = [("user_guid".to_string(), call.param("user_guid").to_string())];
    let by_tag = [
        user[0].clone(),
        ("tag_guid".to_string(), call.param("tag_guid").to_string()),
    ];
    let tagged: HashSet<String> = world
        .store
        .select("taggings", &by_tag)
        .filter_map(|t| text(t, "transaction_guid").map(str::to_string))
        .collect();
    let keep = |t: &crate::store::Record| text(t, "guid").is_some_and(|g| tagged.contains(g));
    Ok(generic::list_of(world, call, "transactions", &user, keep))
}
