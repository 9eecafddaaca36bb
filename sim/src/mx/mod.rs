//! MX's behaviour on top of the specs, hand-written from MX's documentation
//! and independent of the specs (so a wrong spec still fails a test).
//! Operations are found by method and path template; everything else is
//! answered by the engine's generic resource rules.

pub mod data;
pub mod institutions;
pub mod jobs;
pub mod member;
pub mod members;
pub mod mxbank;
pub mod pdf;
pub mod webhooks;
pub mod windows;

use serde_json::{json, Value};

use crate::api::Dialect;
use crate::config::DEMO_USER_GUID;
use crate::engine::call::{Answer, Call, Fail, Rule, Rules};
use crate::store::text;
use crate::world::World;

/// MX's rules, as the engine calls them.
pub fn rules() -> Rules {
    Rules {
        find: rule,
        settle: jobs::settle,
        resolve,
    }
}

/// The stored key of a record named by another of its identifiers:
/// v20250224's `{institution_identifier}` is "the `institution_code` or
/// the institution `guid`" (institutions are keyed by code); its
/// `{user_identifier}`, `{member_identifier}`, … "the `id` you defined or
/// the MX-defined `guid`" (records are keyed by guid).
fn resolve(world: &World, table: &str, value: &str) -> Option<String> {
    if table == "institutions" {
        return institutions::by_guid(value).map(|i| i.code.to_string());
    }
    if world.store.get(table, value).is_some() {
        return None;
    }
    world
        .store
        .select(table, &[("id".to_string(), value.to_string())])
        .find_map(|r| text(r, "guid").map(str::to_string))
}

/// The rule MX's behaviour has for an operation, if any.
pub fn rule(api: Dialect, method: &str, template: &str) -> Option<Rule> {
    const M: &str = "/users/{user_guid}/members/{member_guid}";
    let member_sub = template.strip_prefix(M);
    Some(match (api, method, template, member_sub) {
        (Dialect::Nexus, "POST", "/members", _) => members::create_nexus,
        (Dialect::Atrium, "GET", "/institutions", _) => institutions::list,
        (Dialect::Atrium, "GET", "/institutions/{institution_code}", _) => institutions::read,
        (Dialect::Atrium, "GET", "/institutions/{institution_code}/credentials", _) => {
            institutions::credentials
        }
        (Dialect::Atrium, "POST", "/users", _) => create_user,
        (Dialect::Atrium, "POST", "/users/{user_guid}/members", _) => members::create_atrium,
        (Dialect::Atrium, "POST", "/users/{user_guid}/connect_widget_url", _) => {
            windows::connect_widget_url
        }
        (Dialect::Atrium, "POST", "/users/{user_guid}/widget_urls", _) => windows::widget_url,
        (Dialect::Atrium, "POST", "/transactions/cleanse_and_categorize", _) => data::cleanse,
        (Dialect::Atrium, "PUT", _, Some("")) => members::update,
        (Dialect::Atrium, "POST", _, Some(action))
            if jobs::of_action(action.trim_start_matches('/')).is_some() =>
        {
            jobs::run
        }
        (Dialect::Atrium, "GET", _, Some("/challenges")) => members::challenges,
        (Dialect::Atrium, "PUT", _, Some("/resume")) => members::resume,
        (Dialect::Atrium, "GET", _, Some("/status")) => members::status,
        (Dialect::Atrium, "GET", _, Some("/credentials")) => members::credentials,
        (Dialect::Atrium, "GET", _, Some("/oauth_window_uri")) => members::oauth_window_uri,
        (Dialect::Atrium, "GET", _, Some("/statements/{statement_guid}.pdf")) => pdf::download,
        _ => return None,
    })
}

/// Atrium `POST /users`: an identifier is unique (409).
fn create_user(world: &mut World, call: &Call<'_>) -> Answer {
    let mut user = call.inner();
    if let Some(id) = user.get("identifier").and_then(Value::as_str) {
        if world
            .store
            .select("users", &[])
            .any(|u| text(u, "identifier") == Some(id))
        {
            return Err(Fail::new(
                409,
                format!("a user with identifier {id} already exists"),
            ));
        }
    }
    if !user.get("is_disabled").is_some_and(Value::is_boolean) {
        user.insert("is_disabled".into(), json!(false));
    }
    user.insert("guid".into(), json!(crate::store::guid("USR")));
    let reply = call.one(200, Value::Object(user.clone()));
    world.store.put("users", user);
    Ok(reply)
}

/// The world a simulator starts with: merchants, and the demo user (whose
/// session Nexus uses) when `seed` is set.
pub fn seed(world: &mut World, seed: bool) {
    data::seed_merchants(world);
    if seed {
        let mut user = serde_json::Map::new();
        user.insert("guid".into(), json!(DEMO_USER_GUID));
        user.insert("identifier".into(), json!("demo-user"));
        user.insert("is_disabled".into(), json!(false));
        world.store.put("users", user);
        world.session_user = Some(DEMO_USER_GUID.into());
    }
}
