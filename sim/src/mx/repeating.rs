//! MX's repeating transactions: the transactions MX expects to repeat
//! "based on historical patterns" (the Platform spec's `recurrence_type`),
//! found when a member first connects, and the read of one
//! (`GET /users/{user_guid}/repeating_transactions/{repeating_transaction_guid}`),
//! which MX answers as a list (`repeating_transactions`, its schema).
//! Repeating Transactions guide:
//! <https://docs.mx.com/api-reference/platform-api/reference/repeating-transactions-overview>.
//!
//! Assumption (MX does not say which of a user's transactions repeat): the
//! paycheck on the checking account is INCOME every other week (the
//! recurrence type the spec's example uses), and the Amazon purchase on
//! the credit card a monthly SUBSCRIPTION.

use std::time::Duration;

use serde_json::{json, Value};

use super::lists::object;
use super::owner::Owner;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::store::{guid, text, Record};
use crate::time::rfc3339;

/// (account type, merchant name, repeating type, recurrence, days apart)
const PATTERNS: &[(&str, &str, &str, &str, u64)] = &[
    ("CHECKING", "Acme Payroll", "INCOME", "EVERY_OTHER_WEEK", 14),
    ("CREDIT_CARD", "Amazon", "SUBSCRIPTION", "EVERY_MONTH", 30),
];

/// The member's transaction at `merchant` on its account of type `kind`.
fn transaction_of(world: &World, owner: &Owner, kind: &str, merchant: &str) -> Option<Record> {
    let f = [("member_guid".to_string(), owner.member_guid.clone())];
    let account = world
        .store
        .select("accounts", &f)
        .find(|a| text(a, "type") == Some(kind))
        .and_then(|a| text(a, "guid"))?
        .to_string();
    let f = [("account_guid".to_string(), account)];
    let found = world
        .store
        .select("transactions", &f)
        .find(|t| text(t, "description") == Some(merchant))
        .cloned();
    found
}

/// A member's repeating transactions, when it first connects.
pub fn create(world: &mut World, owner: &Owner) {
    for &(kind, merchant, typ, recurrence, days) in PATTERNS {
        let Some(t) = transaction_of(world, owner, kind, merchant) else {
            continue;
        };
        let last = text(&t, "date").unwrap_or_default().to_string();
        let next = rfc3339(owner.now + Duration::from_secs(days * 86_400));
        world.store.put(
            "repeating_transactions",
            object(json!({
                "guid": guid("RPT"), "user_guid": owner.user_guid,
                "member_guid": owner.member_guid, "account_guid": t.get("account_guid"),
                "merchant_guid": t.get("merchant_guid"), "description": t.get("description"),
                "amount": t.get("amount"), "transaction_type": t.get("type"),
                "repeating_transaction_type": typ, "recurrence_type": recurrence,
                "last_posted_date": last, "predicted_occurs_on": next.get(..10),
            })),
        );
    }
}

/// `GET /users/{user_guid}/repeating_transactions/{repeating_transaction_guid}`:
/// the one repeating transaction, in the list MX's schema answers.
pub fn read(world: &mut World, call: &Call<'_>) -> Answer {
    let (table, id) = generic::addressed(&world.store, call)?;
    let r = world
        .store
        .get(table, id)
        .ok_or_else(|| Fail::not_found("repeating_transaction", id))?;
    Ok(call.list(vec![Value::Object(r.clone())], None))
}
