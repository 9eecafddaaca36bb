//! The rules of the Platform's data domains, where the generic rules
//! cannot answer from the stored records: the Platform's names of stored
//! collections (holdings), lists of what a record is about (insights),
//! lists MX pages or derives (categories, rewards, microdeposits,
//! notifications), answers computed from the request (enhance, split),
//! reads by number or of "current" (spending plans), and verifiable
//! credentials. Both Platform versions' paths are compiled to the same
//! templates (`{user_identifier}` → `{user_guid}`), so one rule serves
//! both.

use super::{
    categories, enhance, holdings, insights, microdeposits, notifications, repeating, rewards,
    spending_plan, split, vc, Rule,
};

/// A spending plan's path, which its iterations' routes extend.
const PLAN: &str = "/users/{user_guid}/spending_plans/{spending_plan_guid}";

/// The rule for a Platform data route (Atrium dialect), if any.
pub fn rule(method: &str, template: &str) -> Option<Rule> {
    let plan_sub = template.strip_prefix(PLAN);
    Some(match (method, template, plan_sub) {
        ("GET", t, _) if holdings::is_platform(t) => holdings::platform,
        ("GET", "/categories/default" | "/users/{user_guid}/categories/default", _) => {
            categories::defaults
        }
        ("GET", "/users/{user_guid}/categories", _) => categories::of_user,
        ("GET", t, _) if t.starts_with("/users/{user_guid}/insights/{insight_guid}/") => {
            insights::associated
        }
        (
            "GET",
            "/users/{user_guid}/accounts/{account_guid}/insights"
            | "/users/{user_guid}/transactions/{transaction_guid}/insights",
            _,
        ) => insights::about,
        ("POST", "/users/{user_guid}/members/{member_guid}/fetch_rewards", _) => rewards::fetch,
        ("GET", "/users/{user_guid}/members/{member_guid}/rewards", _) => rewards::list,
        ("POST", "/users/{user_guid}/spending_plans", _) => spending_plan::create,
        ("GET", _, Some("/iterations/current")) => spending_plan::current,
        ("GET", _, Some("/iterations/{iteration_number}")) => spending_plan::numbered,
        ("POST", _, Some("/iterations/current/iteration_items")) => spending_plan::create_item,
        ("PUT", _, Some("/iterations/current/iteration_items/{iteration_item_guid}")) => {
            spending_plan::update_item
        }
        ("GET", "/users/{user_guid}/repeating_transactions/{repeating_transaction_guid}", _) => {
            repeating::read
        }
        ("GET", "/users/{user_guid}/notifications", _) => notifications::list,
        ("POST", "/users/{user_guid}/notifications", _) => notifications::create_by_api,
        ("POST", "/transactions/enhance", _) => enhance::enhance,
        ("POST", t, _) if is_split(t) => split::create,
        ("DELETE", t, _) if is_split(t) => split::delete,
        ("POST", "/users/{user_guid}/micro_deposits", _) => microdeposits::create,
        ("GET", "/users/{user_guid}/micro_deposits", _) => microdeposits::list,
        ("PUT", "/micro_deposits/{micro_deposit_guid}/verify", _) => microdeposits::verify,
        ("GET", t, _) if t.starts_with("/vc/users/{user_guid}/") => vc::credential,
        _ => return None,
    })
}

/// A transaction's split: by user, or (v20250224) by member and account.
fn is_split(template: &str) -> bool {
    template.starts_with("/users/{user_guid}/")
        && template.ends_with("/transactions/{transaction_guid}/split")
}
