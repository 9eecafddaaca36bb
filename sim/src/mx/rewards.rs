//! MX's rewards of a member (MX's Rewards Endpoints,
//! <https://docs.mx.com/other/rewards/rewards-endpoints>): "Calling [fetch
//! rewards] initiates an aggregation-type event which will gather the
//! member's rewards information, as well as account and transaction
//! information"; then List Rewards and Read Rewards answer what it
//! gathered.
//!
//! `POST …/members/{member_guid}/fetch_rewards` starts an aggregation (the
//! jobs' rules: 202 while one runs, 409 while another type runs) and asks
//! for the rewards; when the aggregation connects the member, its rewards
//! are there.
//!
//! Assumption (MX is silent on a member's programs): an MX Bank credit
//! card earns points, a balance and a part of it expiring in 90 days.

use std::time::{Duration, SystemTime};

use serde_json::json;

use super::lists::object;
use super::world::World;
use crate::store::{guid, text};
use crate::time::rfc3339;

/// The table of the fetches asked for and not yet gathered (by member).
const ASKED: &str = "reward_fetches";

/// (balance, balance type, description, days to expiry)
const PROGRAM: &[(f64, &str, &str, Option<u64>)] = &[
    (15230.0, "BALANCE", "Rewards points", None),
    (
        1200.0,
        "EXPIRING_BALANCE",
        "Rewards points expiring",
        Some(90),
    ),
];

/// Asks for the rewards of `member`: gathered when it next connects (the
/// aggregation `fetch_rewards` starts).
pub fn ask(world: &mut World, member: &str) {
    world.store.put(
        ASKED,
        object(json!({ "guid": member, "member_guid": member })),
    );
}

/// The member connected: the rewards a fetch asked for are gathered.
pub fn gather(world: &mut World, member_guid: &str) {
    // Nothing refers to a fetch: removing it takes nothing else with it.
    if world
        .store
        .remove_cascade(ASKED, member_guid, "reward_fetch_guid")
        .is_none()
    {
        return;
    }
    let f = [("member_guid".to_string(), member_guid.to_string())];
    if world.store.count("rewards", &f) > 0 {
        return;
    }
    let cards: Vec<(String, String)> = world
        .store
        .select("accounts", &f)
        .filter(|a| text(a, "type") == Some("CREDIT_CARD"))
        .filter_map(|a| {
            Some((
                text(a, "guid")?.to_string(),
                text(a, "user_guid")?.to_string(),
            ))
        })
        .collect();
    let now = SystemTime::now();
    for (account, user) in cards {
        for &(balance, balance_type, description, expires) in PROGRAM {
            let expires_on = expires
                .map(|days| rfc3339(now + Duration::from_secs(days * 86_400))[..10].to_string());
            world.store.put(
                "rewards",
                object(json!({
                    "guid": guid("RWD"), "user_guid": user, "member_guid": member_guid,
                    "account_guid": account, "balance": balance, "balance_type": balance_type,
                    "unit_type": "POINTS", "description": description, "expires_on": expires_on,
                    "created_at": rfc3339(now), "updated_at": rfc3339(now),
                })),
            );
        }
    }
}
