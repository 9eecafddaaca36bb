//! MX's behaviour on top of the specs, hand-written from MX's documentation
//! and independent of the specs (so a wrong spec still fails a test).
//! Operations are found by method and path template; everything else is
//! answered by the engine's generic resource rules.

pub mod budgets;
pub mod cash_flow;
pub mod categories;
pub mod credentials;
pub mod credit_cards;
pub mod data;
pub mod enhance;
pub mod goals;
pub mod grants;
pub mod holdings;
pub mod insights;
pub mod institutions;
pub mod jobs;
pub mod lists;
pub mod manual;
pub mod member;
pub mod members;
pub mod merge;
pub mod microdeposits;
pub mod mxbank;
pub mod notifications;
pub mod owner;
pub mod paging;
pub mod pdf;
pub mod platform_data;
pub mod processor;
pub mod repeating;
pub mod rewards;
pub mod spending_plan;
pub mod split;
pub mod statuses;
pub mod taggings;
pub mod vc;
pub mod webhooks;
pub mod windows;
pub mod world;

use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::{json, Value};

use crate::api::{ApiDef, Dialect};
use crate::config::{Config, DEMO_USER_GUID};
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::engine::rules::{Credential, Rules};
use crate::spec::Operation;
use crate::store::text;
use world::World;

/// A hand-written rule for an operation.
pub type Rule = fn(&mut World, &Call<'_>) -> Answer;

/// MX: its world (the records, the members' MX state, jobs, one-time
/// windows, events) and its rules, behind the engine's [`Rules`] seam.
#[derive(Debug)]
pub struct Mx {
    world: Mutex<World>,
    config: Config,
}

impl Mx {
    /// MX with `config`'s seed (merchants, and the demo user when
    /// `config.seed`); webhooks are queued when a webhook URL is set.
    pub fn new(config: Config) -> Mx {
        let mut world = World::default();
        seed(&mut world, config.seed);
        if config.webhook.is_some() {
            world.outbox = Some(Vec::new());
        }
        Mx {
            world: Mutex::new(world),
            config,
        }
    }

    /// The world, after letting the jobs due by now finish.
    pub fn world(&self) -> MutexGuard<'_, World> {
        // Every rule completes under the lock, so a poisoned lock (a panic
        // elsewhere) still holds a consistent world.
        let mut world = self.world.lock().unwrap_or_else(|p| p.into_inner());
        jobs::settle(&mut world, Instant::now());
        world
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl Rules for Mx {
    fn accepts(&self, api: &ApiDef, op: &Operation, credential: &Credential<'_>) -> bool {
        credentials::accepts(&self.config, &self.world(), api, op, credential)
    }

    fn resolve(&self, op: &Operation, params: Vec<(String, String)>) -> Vec<(String, String)> {
        if op.ids.is_empty() {
            return params;
        }
        let world = self.world();
        let pairs = op.template.pairs();
        params
            .into_iter()
            .map(|(name, value)| {
                let key = pairs
                    .iter()
                    .find(|(_, p)| *p == name)
                    .filter(|_| op.ids.contains(&name))
                    .and_then(|(table, _)| resolve(&world, table, &value));
                (name, key.unwrap_or(value))
            })
            .collect()
    }

    /// Nexus's session is the demo user's: it ends with that user (MX's
    /// error code 4011).
    fn admit(&self, api: &ApiDef, _: &Operation) -> Result<(), Fail> {
        if api.session_of_demo_user && !self.world().session_is_live() {
            return Err(Fail::coded(
                401,
                4011,
                "the session's user no longer exists: the session has ended",
            ));
        }
        Ok(())
    }

    fn clamps(&self, _: &Operation, param: &str) -> bool {
        paging::clamps(param)
    }

    fn answer(&self, call: &Call<'_>) -> Answer {
        let mut world = self.world();
        match rule(call.api.dialect, &call.op.method, &call.op.template.text) {
            Some(rule) => rule(&mut world, call),
            None => generic::answer(&mut *world, call),
        }
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
        (Dialect::Atrium, "POST", "/transactions/cleanse_and_categorize", _) => enhance::cleanse,
        // The Platform's processor-token flow (processor.rs).
        (Dialect::Atrium, "POST", "/authorization_code", _) => processor::authorization_code,
        (Dialect::Atrium, "POST", "/payment_processor_authorization_code", _) => {
            processor::payment_processor_authorization_code
        }
        (Dialect::Atrium, "POST", "/token", _) => processor::token,
        (Dialect::Atrium, "GET", "/tokens", _) => processor::list_tokens,
        (Dialect::Atrium, "GET", "/account/account_numbers", _) => processor::account_numbers,
        (Dialect::Atrium, "POST", "/account/check_balance", _) => processor::check_balance,
        (Dialect::Atrium, "GET", "/payment_account", _) => processor::payment_account,
        (Dialect::Atrium, "GET", "/account/transactions", _) => processor::account_owners,
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
        (Dialect::Atrium, ..) => return platform_data::rule(method, template),
        _ => return None,
    })
}

/// Atrium `POST /users`: an identifier is unique (409).
fn create_user(world: &mut World, call: &Call<'_>) -> Answer {
    // MX cannot create a user from nothing: `{"user": {}}` makes one (every
    // field optional), a body without `user` is a 400 (the Platform specs
    // do not mark the wrapper required; Atrium's does).
    let mut user = call.record()?;
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

/// The world a simulator starts with: merchants, MX's default categories,
/// MX's credit card products, and the demo user (whose session Nexus
/// uses) when `seed` is set.
fn seed(world: &mut World, seed: bool) {
    data::seed_merchants(world);
    categories::seed(world);
    credit_cards::seed(world);
    if seed {
        let mut user = serde_json::Map::new();
        user.insert("guid".into(), json!(DEMO_USER_GUID));
        user.insert("identifier".into(), json!("demo-user"));
        user.insert("is_disabled".into(), json!(false));
        world.store.put("users", user);
        world.session_user = Some(DEMO_USER_GUID.into());
    }
}
