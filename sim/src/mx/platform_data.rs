//! The rules of the Platform's data domains, where the generic rules
//! cannot answer from the stored records: the Platform's names of stored
//! collections (holdings), lists of what a record is about (insights),
//! lists MX pages or derives (categories, rewards, microdeposits,
//! notifications), answers computed from the request (enhance, split),
//! reads by number or of "current" (spending plans), verifiable
//! credentials; and the user's own records the generic rules would make
//! hollow (manual records, merges, generated budgets, goal positions, the
//! cash flow profile, a tag's transactions) and MX's lists of institutions
//! for a client. Both Platform versions' paths are compiled to the same
//! templates (`{user_identifier}` → `{user_guid}`), so one rule serves
//! both.

use super::world::World;
use super::{
    budgets, cash_flow, categories, enhance, goals, holdings, insights, institutions, manual,
    merge, microdeposits, notifications, repeating, rewards, spending_plan, split, taggings, vc,
    Rule,
};
use crate::engine::call::{Answer, Call};

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
        ("POST", "/users/{user_guid}/members/{member_guid}/fetch_rewards", _) => fetch_rewards,
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
        ("PUT", "/micro_deposits/{micro_deposit_guid}/verify", _) => microdeposits::verify,
        ("GET", t, _) if t.starts_with("/vc/users/{user_guid}/") => vc::credential,
        _ => return own_records(method, template),
    })
}

/// The rule for a route of the user's own records, or of MX's lists of
/// institutions for the client, if any.
fn own_records(method: &str, template: &str) -> Option<Rule> {
    const USER: &str = "/users/{user_guid}";
    let sub = template.strip_prefix(USER);
    Some(match (method, template, sub) {
        ("GET", "/institutions/favorites", _) => institutions::favorites,
        ("GET", "/managed_institutions", _) => institutions::managed,
        ("GET", _, Some("/investment_holdings_deactivate")) => holdings::deactivate,
        ("GET", _, Some("/account_verifications")) => microdeposits::verifications,
        ("POST", _, Some("/accounts")) => manual::create_account,
        ("POST", _, Some("/accounts/{account_guid}/transactions")) => manual::create_transaction,
        ("POST", _, Some("/accounts/merge")) => merge::merge,
        ("POST", _, Some("/budgets/generate")) => budgets::generate,
        ("PUT", _, Some("/goals/reposition")) => goals::reposition,
        ("GET", _, Some("/monthly_cash_flow_profile")) => cash_flow::read,
        ("PUT", _, Some("/monthly_cash_flow_profile")) => cash_flow::update,
        ("GET", _, Some("/tags/{tag_guid}/transactions")) => taggings::transactions,
        _ => return None,
    })
}

/// A transaction's split: by user, or (v20250224) by member and account.
fn is_split(template: &str) -> bool {
    template.starts_with("/users/{user_guid}/")
        && template.ends_with("/transactions/{transaction_guid}/split")
}

/// `POST /users/{user_guid}/members/{member_guid}/fetch_rewards`: an
/// aggregation (the jobs' rules: 202 while one runs, 409 while another
/// type runs) after which the member's rewards are there.
fn fetch_rewards(world: &mut World, call: &Call<'_>) -> Answer {
    let reply = super::jobs::run(world, call)?;
    rewards::ask(world, call.param("member_guid"));
    Ok(reply)
}
