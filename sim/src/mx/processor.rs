//! The Platform API's processor-token flow. A client asks for a one-time
//! authorization code scoped to one user, member and account
//! (`POST /authorization_code`); a processor exchanges it, with its own
//! `processor_id` and `api_key` (HTTP Basic), for an access token
//! (`POST /token`); the token is the bearer credential of the processor
//! operations, which answer the scoped account's data.
//!
//! MX's pages: the operations' descriptions in both Platform specs, and the
//! How-to Guide for Processors
//! (<https://docs.mx.com/products/connectivity/instant-account-verification/processor-token/processor-guide>):
//! "The authorization code used in this request is one-time use", "Every
//! `access_token` expires after 60 days", and for balances "a request to
//! gather (aggregate) the information, followed by a request to read the
//! information".

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::grants::{Scope, Token};
use super::world::{JobKind, World};
use crate::engine::call::{Answer, Call, Fail};
use crate::store::{text, Record};
use crate::time::rfc3339;

/// The operation id of `POST /token` (the Platform overlays add it): the
/// only operation the processor's Basic credentials open.
pub const TOKEN_OPERATION: &str = "requestProcessorToken";

/// "Every `access_token` expires after 60 days" (the processor guide).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 86_400);

/// A fresh code or token: 32 random bytes, URL-safe base64 (MX's examples
/// are 42 to 45 such characters: `9nN-9D8_4Z3WYazx7-zXfmqsD3jwgL_2W927Sb3otI`).
fn secret() -> String {
    let mut bytes = uuid::Uuid::new_v4().as_bytes().to_vec();
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The processor's GUID (`payment_processor_guid`, `PPR-…`). Assumption:
/// MX documents no way to read it; the simulator has one processor, whose
/// GUID it derives from its `processor_id` (the same on every start).
fn processor_guid(processor_id: &str) -> String {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        (salt, processor_id).hash(&mut h);
        h.finish()
    };
    format!("PPR-{}", uuid::Uuid::from_u64_pair(half(1), half(2)))
}

/// Parses `user-guid:USR-… member-guid:MBR-… account-guid:ACT-… read-protected`
/// (the spec's example). Assumption: MX documents only that one form; a
/// scope must name the three GUIDs once each (the processor operations
/// read one account), bare words are features (`read-protected`) and are
/// kept, any other `key:value` is refused with 400.
pub fn parse_scope(text: &str) -> Result<Scope, Fail> {
    let mut guids: [Option<&str>; 3] = [None; 3];
    for item in text.split_whitespace() {
        let Some((key, value)) = item.split_once(':') else {
            continue;
        };
        let slot = match key {
            "user-guid" => 0,
            "member-guid" => 1,
            "account-guid" => 2,
            _ => return Err(Fail::new(400, format!("scope: {key} is not a scope item"))),
        };
        if value.is_empty() || guids[slot].replace(value).is_some() {
            return Err(Fail::new(400, format!("scope: one {key} is needed")));
        }
    }
    let [Some(user), Some(member), Some(account)] = guids else {
        return Err(Fail::new(
            400,
            "scope must name user-guid, member-guid and account-guid",
        ));
    };
    Ok(Scope {
        user: user.to_string(),
        member: member.to_string(),
        account: account.to_string(),
        text: text.trim().to_string(),
    })
}

/// The record of `table` with `guid` whose `field` is `owner`: a record of
/// another owner is not found, as on MX's nested routes.
fn owned<'w>(
    world: &'w World,
    table: &str,
    what: &str,
    guid: &str,
    field: &str,
    owner: &str,
) -> Result<&'w Record, Fail> {
    world
        .store
        .get(table, guid)
        .filter(|r| text(r, field) == Some(owner))
        .ok_or_else(|| Fail::not_found(what, guid))
}

/// The scoped account, checked to be the member's and the member the
/// user's (404 otherwise, naming the first that is not found).
fn scoped_account<'w>(world: &'w World, scope: &Scope) -> Result<&'w Record, Fail> {
    if world.store.get("users", &scope.user).is_none() {
        return Err(Fail::not_found("user", &scope.user));
    }
    owned(
        world,
        "members",
        "member",
        &scope.member,
        "user_guid",
        &scope.user,
    )?;
    owned(
        world,
        "accounts",
        "account",
        &scope.account,
        "member_guid",
        &scope.member,
    )
}

/// A scope a client may grant: its records exist and belong together, and
/// its member is verified ("Before requesting an authorization code which
/// includes a member in the scope, clients must have verified that
/// member", the spec). Assumption: MX does not say what it answers
/// otherwise; a member counts as verified once it has connected (its
/// account numbers exist from then on, as a verification gathers them),
/// and an unverified one is refused with 400.
fn check_grant(world: &World, scope: &Scope) -> Result<(), Fail> {
    scoped_account(world, scope)?;
    if !world
        .members
        .get(&scope.member)
        .is_some_and(|rt| rt.data_loaded)
    {
        return Err(Fail::new(
            400,
            format!(
                "member {} has not been verified: verify it before requesting an authorization code",
                scope.member
            ),
        ));
    }
    Ok(())
}

/// Issues a one-time code for `scope`.
fn issue_code(world: &mut World, scope: Scope) -> Result<String, Fail> {
    check_grant(world, &scope)?;
    let code = secret();
    world.processor.codes.insert(code.clone(), scope);
    Ok(code)
}

/// `POST /authorization_code` (a client, Basic):
/// `{"authorization_code": {"scope": "…"}}` → `{"authorization_code": {"code": "…"}}`.
pub fn authorization_code(world: &mut World, call: &Call<'_>) -> Answer {
    let text = call
        .wrapped()
        .and_then(|o| o.get("scope"))
        .and_then(Value::as_str)
        .ok_or_else(|| Fail::new(400, "authorization_code.scope is required"))?;
    let code = issue_code(world, parse_scope(text)?)?;
    Ok(call.one(200, json!({ "code": code })))
}

/// v20111101's deprecated `POST /payment_processor_authorization_code`:
/// the same code from the user, member and account GUIDs of its body,
/// answered as `{"payment_processor_authorization_code":
/// {"authorization_code": "…"}}`. Assumption: MX does not say what scope
/// such a code has; it is the three GUIDs, without features.
pub fn payment_processor_authorization_code(world: &mut World, call: &Call<'_>) -> Answer {
    let body = call.inner();
    let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    let text = format!(
        "user-guid:{} member-guid:{} account-guid:{}",
        field("user_guid"),
        field("member_guid"),
        field("account_guid")
    );
    let code = issue_code(world, parse_scope(&text)?)?;
    Ok(call.one(200, json!({ "authorization_code": code })))
}

/// `POST /token?grant_type=authorization_code&code=…` (the processor,
/// Basic): the code is used up, the token answered as the processor guide
/// shows it (`expires_at` null, as in its example; the token still ends
/// after [`TOKEN_LIFETIME`]).
///
/// Assumption: MX documents no error for a bad exchange. As OAuth 2.0
/// answers a token request (RFC 6749 §5.2: `invalid_grant`,
/// `unsupported_grant_type`), an unknown or used code and another grant
/// type are 400, in the API's error shape.
pub fn token(world: &mut World, call: &Call<'_>) -> Answer {
    if call.query_str("grant_type") != Some("authorization_code") {
        return Err(Fail::new(400, "grant_type must be authorization_code"));
    }
    let code = call.query_str("code").unwrap_or_default();
    let scope =
        world.processor.codes.remove(code).ok_or_else(|| {
            Fail::new(400, "the authorization code is unknown or was already used")
        })?;
    scoped_account(world, &scope)?;
    let access_token = secret();
    let answer = json!({
        "access_token": access_token,
        "expires_at": null,
        "scope": scope.text,
        "token_type": "Bearer",
    });
    world.processor.tokens.insert(
        access_token,
        Token {
            scope,
            processor_guid: processor_guid(&call.config.processor_id),
            expires: SystemTime::now() + TOKEN_LIFETIME,
        },
    );
    Ok(call.one(200, answer))
}

/// Does `token` match the GUIDs `filter` names (an empty one matches all)?
fn matches(token: &Token, filter: &Map<String, Value>) -> bool {
    let s = &token.scope;
    [
        ("user_guid", &s.user),
        ("member_guid", &s.member),
        ("account_guid", &s.account),
    ]
    .into_iter()
    .all(|(k, v)| match filter.get(k).and_then(Value::as_str) {
        Some(want) if !want.is_empty() => want == v,
        _ => true,
    })
}

/// `GET /tokens` (a client, Basic): "a list of tokens that exist for a
/// user, member, or account", the body's `scope` naming them. Assumption:
/// without a body, every token; an expired token stays listed with
/// `active: false`; `expires_at` is its end (60 days after it was issued).
pub fn list_tokens(world: &mut World, call: &Call<'_>) -> Answer {
    let filter = call.inner();
    let now = SystemTime::now();
    let mut tokens: Vec<(&String, &Token)> = world
        .processor
        .tokens
        .iter()
        .filter(|(_, t)| matches(t, &filter))
        .collect();
    tokens.sort_by_key(|(_, t)| t.expires);
    let items = tokens
        .into_iter()
        .map(|(access_token, t)| {
            json!({
                "access_token": access_token,
                "active": t.expires > now,
                "expires_at": rfc3339(t.expires),
                "payment_processor_guid": t.processor_guid,
            })
        })
        .collect();
    Ok(call.list(items, None))
}

/// The scope of the call's bearer token (the engine let only a live one
/// through; 401 if it expired since).
fn bearer_scope(world: &World, call: &Call<'_>) -> Result<Scope, Fail> {
    let token = call
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    world
        .processor
        .live(token, SystemTime::now())
        .map(|t| t.scope.clone())
        .ok_or_else(|| Fail::new(401, "the access token is invalid or has expired"))
}

/// The records of `table` that belong to the scoped account.
fn of_account(world: &World, table: &str, scope: &Scope) -> Vec<Value> {
    let filter = [("account_guid".to_string(), scope.account.clone())];
    world
        .store
        .select(table, &filter)
        .map(|r| Value::Object(r.clone()))
        .collect()
}

/// `GET /account/account_numbers` (bearer): the scoped account's numbers.
pub fn account_numbers(world: &mut World, call: &Call<'_>) -> Answer {
    let scope = bearer_scope(world, call)?;
    scoped_account(world, &scope)?;
    Ok(call.list(of_account(world, "account_numbers", &scope), None))
}

/// `GET /payment_account` (bearer): the scoped account's name, type,
/// balances and its (unmasked) account and routing numbers.
pub fn payment_account(world: &mut World, call: &Call<'_>) -> Answer {
    let scope = bearer_scope(world, call)?;
    let account = scoped_account(world, &scope)?;
    let numbers = of_account(world, "account_numbers", &scope);
    let number = |k: &str| numbers.first().and_then(|n| n.get(k)).cloned();
    let field = |k: &str| account.get(k).cloned().unwrap_or(Value::Null);
    let record = json!({
        "account_guid": scope.account,
        "member_guid": scope.member,
        "user_guid": scope.user,
        "account_name": field("name"),
        "account_type": field("type"),
        "account_number": number("account_number"),
        "routing_number": number("routing_number"),
        "transit_number": number("transit_number"),
        "available_balance": field("available_balance"),
        "balance": field("balance"),
        "created_at": field("created_at"),
        "updated_at": field("updated_at"),
    });
    Ok(call.one(200, record))
}

/// `POST /account/check_balance` (bearer): starts a balance job on the
/// scoped member and answers the member ("a request to gather (aggregate)
/// the information, followed by a request to read the information", the
/// processor guide). Assumption: the spec documents only 200; while any
/// job runs on the member, no other starts and the member is answered as
/// it is.
pub fn check_balance(world: &mut World, call: &Call<'_>) -> Answer {
    let scope = bearer_scope(world, call)?;
    scoped_account(world, &scope)?;
    if !world.jobs.contains_key(&scope.member) {
        super::jobs::start(world, &scope.member, JobKind::Balance, call.config);
    }
    Ok(call.one(200, super::member::record(world, &scope.member)))
}

/// `GET /account/transactions` (bearer): the spec names it "Get account
/// owner information" and answers `account_owners` (ProcessorOwnerBody),
/// with pagination: the scoped account's owners, as the spec wants.
pub fn account_owners(world: &mut World, call: &Call<'_>) -> Answer {
    let scope = bearer_scope(world, call)?;
    scoped_account(world, &scope)?;
    let owners = of_account(world, "account_owners", &scope);
    let total = owners.len();
    let (page, pagination) =
        super::paging::page(call, owners.into_iter(), total, super::paging::MAX_PER_PAGE);
    Ok(call.list(page, Some(pagination)))
}

#[cfg(test)]
mod tests {
    use super::super::grants::Grants;
    use super::*;

    const SCOPE: &str = "user-guid:USR-1 member-guid:MBR-2 account-guid:ACT-3 read-protected";

    #[test]
    fn a_scope_names_the_three_guids_once() {
        let s = parse_scope(SCOPE).unwrap();
        assert_eq!((s.user.as_str(), s.member.as_str()), ("USR-1", "MBR-2"));
        assert_eq!((s.account.as_str(), s.text.as_str()), ("ACT-3", SCOPE));
        for bad in [
            "user-guid:USR-1 member-guid:MBR-2",
            "user-guid:USR-1 member-guid:MBR-2 account-guid:",
            "user-guid:USR-1 user-guid:USR-2 member-guid:MBR-2 account-guid:ACT-3",
            "user-guid:USR-1 member-guid:MBR-2 account-guid:ACT-3 bank-guid:B",
            "",
        ] {
            assert_eq!(parse_scope(bad).unwrap_err().status, 400, "{bad}");
        }
    }

    #[test]
    fn a_token_ends_after_its_lifetime() {
        let mut grants = Grants::default();
        let issued = SystemTime::now();
        grants.tokens.insert(
            "t".into(),
            Token {
                scope: parse_scope(SCOPE).unwrap(),
                processor_guid: processor_guid("p"),
                expires: issued + TOKEN_LIFETIME,
            },
        );
        assert!(grants.live("t", issued).is_some());
        assert!(grants.live("t", issued + TOKEN_LIFETIME).is_none());
        assert!(grants.live("other", issued).is_none());
        assert!(!format!("{grants:?}").contains("\"t\""));
    }

    /// A world with a user, its member and the member's account, the
    /// member never connected (no MX state: its data was never loaded).
    fn world() -> World {
        let mut world = World::default();
        let record = |v: Value| v.as_object().cloned().unwrap_or_default();
        world.store.put("users", record(json!({ "guid": "USR-1" })));
        world.store.put(
            "members",
            record(json!({ "guid": "MBR-2", "user_guid": "USR-1" })),
        );
        world.store.put(
            "accounts",
            record(json!({ "guid": "ACT-3", "member_guid": "MBR-2", "user_guid": "USR-1" })),
        );
        world
    }

    #[test]
    fn a_code_needs_a_verified_member() {
        let scope = parse_scope(SCOPE).unwrap();
        let fail = check_grant(&world(), &scope).unwrap_err();
        assert_eq!(fail.status, 400);
        assert!(
            fail.message.contains("has not been verified"),
            "{}",
            fail.message
        );
        // Records that do not belong together are not found first.
        let mut other = scope.clone();
        other.account = "ACT-9".into();
        assert_eq!(check_grant(&world(), &other).unwrap_err().status, 404);
    }

    #[test]
    fn the_processor_guid_is_stable_per_processor() {
        assert_eq!(processor_guid("a"), processor_guid("a"));
        assert_ne!(processor_guid("a"), processor_guid("b"));
        assert!(processor_guid("a").starts_with("PPR-"));
    }
}
