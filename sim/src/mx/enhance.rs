//! MX's cleansing and categorizing of transactions it is sent but does not
//! store: Atrium's `POST /transactions/cleanse_and_categorize` and the
//! Platform's `POST /transactions/enhance`. "Each transaction you provide
//! will be categorized, given a cleansed description, and possibly
//! assigned one or more classifications, merchants, or merchant locations.
//! Enhanced transactions are not persisted or stored by MX" (MX's Enhance
//! Transactions page,
//! <https://docs.mx.com/other/business-suite/enhance-business-transactions>).
//!
//! The simulator knows the merchants it seeds (`data::merchant_in`): a
//! description naming one gets its name, category and location; any other
//! is Uncategorized, its description kept.

use serde_json::{json, Value};

use super::categories;
use super::data::{location_of, merchant_in};
use super::lists::object;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::store::Record;

/// "This endpoint is limited to 100 transactions per request" (MX's
/// Enhance Transactions page). Assumption: more are refused with 400.
const MAX_ENHANCED: usize = 100;

/// MX's categorization of a transaction `description`: the category (and
/// its top-level category), the cleansed description, the merchant and
/// its location, and the flags.
pub fn categorized(description: &str) -> Record {
    let merchant = merchant_in(description);
    let filed = categories::by_name(merchant.map_or("Uncategorized", |m| m.category));
    let income = filed.as_ref().is_some_and(|c| c.top_name == "Income");
    object(json!({
        "category": filed.as_ref().map(|c| c.name),
        "category_guid": filed.as_ref().map(|c| &c.guid),
        "top_level_category": filed.as_ref().map(|c| c.top_name),
        "top_level_category_guid": filed.as_ref().map(|c| &c.top_guid),
        "description": merchant.map_or(description, |m| m.name),
        "original_description": description,
        "merchant_guid": merchant.map(|m| m.guid),
        "merchant_location_guid": merchant.map(|m| location_of(m.guid)),
        "is_income": income, "is_expense": !income, "is_bill_pay": false,
        "is_direct_deposit": income, "is_fee": false, "is_international": false,
        "is_overdraft_fee": false, "is_payroll_advance": false, "is_subscription": false,
    }))
}

/// The request's `transactions`, each as sent and as MX categorizes it.
fn each_categorized(call: &Call<'_>) -> Vec<Value> {
    call.body
        .as_ref()
        .and_then(|b| b.get("transactions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            let description = t
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let mut r = object(t.clone());
            r.extend(categorized(description));
            Value::Object(r)
        })
        .collect()
}

/// Atrium `POST /transactions/cleanse_and_categorize`: each transaction
/// with a category and flags from its description.
pub fn cleanse(_: &mut World, call: &Call<'_>) -> Answer {
    Ok(call.list(each_categorized(call), None))
}

/// The Platform's `POST /transactions/enhance`: each transaction sent
/// echoed (its `id`, amount, type, memo, …) with MX's categorization.
/// Assumption: `categorized_by` and `described_by`, MX's codes for how it
/// categorized and described, stay null (MX does not document the codes).
pub fn enhance(_: &mut World, call: &Call<'_>) -> Answer {
    let out = each_categorized(call);
    if out.len() > MAX_ENHANCED {
        return Err(Fail::new(
            400,
            format!("at most {MAX_ENHANCED} transactions can be enhanced per request"),
        ));
    }
    Ok(call.list(out, None))
}
