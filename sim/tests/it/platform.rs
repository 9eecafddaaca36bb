//! The Platform API under `/platform`, both versions: chosen by
//! `Accept-Version` (a call without it is refused), HTTP Basic (client id :
//! API key), each version's `Accept`, the same world as Atrium, and every
//! operation of each version served.

use base64::Engine as _;
use mx_sim::Operation;
use serde_json::{json, Value};

use crate::every_operation::{call, learn, members, order, Known};
use crate::helpers::*;

pub const VENDOR: &str = "application/vnd.mx.api.v1+json";

/// One version of the Platform API, as a client reaches it.
#[derive(Debug, Clone, Copy)]
pub struct Version {
    /// The simulator's name of it (`Simulator::operations`).
    pub api: &'static str,
    /// Its `Accept-Version`.
    pub version: &'static str,
    /// The `Accept` of its JSON answers.
    pub json: &'static str,
    /// How many operations MX's spec of it has.
    pub operations: usize,
}

pub const V20111101: Version = Version {
    api: "platform-v20111101",
    version: "v20111101",
    json: VENDOR,
    operations: 167,
};

pub const V20250224: Version = Version {
    api: "platform-v20250224",
    version: "v20250224",
    json: "application/json",
    operations: 170,
};

pub const VERSIONS: [Version; 2] = [V20111101, V20250224];

/// The version the simulator's API `api` is, if it is one.
pub fn version_of(api: &str) -> Option<Version> {
    VERSIONS.into_iter().find(|v| v.api == api)
}

/// `Basic base64(client id:API key)` of the default simulator.
pub fn basic() -> String {
    let pair = format!("{}:{}", mx_sim::DEMO_CLIENT_ID, mx_sim::DEMO_API_KEY);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// The `Authorization` an operation needs: `prepared` (the processor-token
/// operations' credentials, `processor::prepare`), else the client's Basic.
pub fn auth<'a>(
    prepared: Option<&'a crate::processor::Prepared>,
    basic: &'a str,
) -> Vec<(&'static str, &'a str)> {
    match prepared {
        Some(p) => vec![("Authorization", p.authorization.as_str())],
        None => vec![("Authorization", basic)],
    }
}

/// What a version answers (and is asked for) where its spec says plain
/// `application/json`: v20111101's vendor type, v20250224's JSON.
pub fn vendor<'a>(api: &str, media: &'a str) -> &'a str {
    match version_of(api) {
        Some(v) if media == "application/json" => v.json,
        _ => media,
    }
}

/// A request to `/platform` with `headers` and the version's
/// `Accept-Version`.
async fn platform(
    sim: &mx_sim::Simulator,
    v: Version,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let mut headers = headers.to_vec();
    headers.push(("Accept-Version", v.version));
    send(
        method,
        &format!("{}{path}", sim.platform_base_url()),
        &headers,
        None,
    )
    .await
}

/// MX's migration guide: since 2026-08-12 every Platform call carries
/// `Accept-Version`. Without it, or with a version MX does not serve, the
/// simulator refuses with 406 ("The request didn't specify a valid API
/// version", MX's errors page) before anything else, naming the versions.
#[tokio::test]
async fn a_call_without_a_valid_accept_version_is_refused() {
    let sim = start().await;
    let u = user(&sim).await;
    let basic = basic();
    let url = format!("{}/users/{u}", sim.platform_base_url());
    for (version, says) in [
        (None, "Accept-Version is required"),
        (
            Some("v20990101"),
            "Accept-Version v20990101 is not a version",
        ),
        (Some(""), "Accept-Version  is not a version"),
    ] {
        let mut headers = vec![("Authorization", basic.as_str()), ("Accept", VENDOR)];
        headers.extend(version.map(|v| ("Accept-Version", v)));
        let a = send("GET", &url, &headers, None).await;
        assert_eq!(a.status, 406, "{version:?}: {a:?}");
        let message = error_of(&a, "application/json");
        assert!(message.contains(says), "{message}");
        assert!(
            message.contains("v20111101") && message.contains("v20250224"),
            "{message}"
        );
    }
    // The same request with either version is served: the header, not the
    // path, picks the version.
    for v in VERSIONS {
        let a = platform(
            &sim,
            v,
            "GET",
            &format!("/users/{u}"),
            &[("Authorization", &basic), ("Accept", v.json)],
        )
        .await;
        assert_eq!(a.status, 200, "{v:?}: {a:?}");
        assert_eq!(a.media, v.json);
    }
}

/// Both versions share one world and answer in their own shapes: a user
/// made through v20111101 is read through v20250224 (and by its partner id
/// there, v20250224's `{user_identifier}`).
#[tokio::test]
async fn both_versions_share_one_world() {
    let sim = start().await;
    let basic = basic();
    let created = send(
        "POST",
        &format!("{}/users", sim.platform_base_url()),
        &[
            ("Authorization", &basic),
            ("Accept", VENDOR),
            ("Accept-Version", "v20111101"),
            ("Content-Type", "application/json"),
        ],
        Some(
            json!({"user": {"id": "partner-7", "email": "a@example.com"}})
                .to_string()
                .into_bytes(),
        ),
    )
    .await;
    assert_eq!(created.status, 200, "{created:?}");
    let guid = created.json()["user"]["guid"].as_str().unwrap().to_string();
    for id in [guid.as_str(), "partner-7"] {
        let a = platform(
            &sim,
            V20250224,
            "GET",
            &format!("/users/{id}"),
            &[("Authorization", &basic), ("Accept", "application/json")],
        )
        .await;
        assert_eq!(a.status, 200, "{id}: {a:?}");
        assert_eq!(a.media, "application/json");
        assert_eq!(a.json()["user"]["guid"], json!(guid), "{id}");
        assert_eq!(a.json()["user"]["id"], json!("partner-7"));
    }
    // v20111101 names users by guid only.
    let a = platform(
        &sim,
        V20111101,
        "GET",
        "/users/partner-7",
        &[("Authorization", &basic), ("Accept", VENDOR)],
    )
    .await;
    assert_eq!(a.status, 404, "{a:?}");
}

#[tokio::test]
async fn basic_auth_and_each_versions_accept_are_checked() {
    for v in VERSIONS {
        basic_auth_and_the_accept_of(v).await;
    }
}

async fn basic_auth_and_the_accept_of(v: Version) {
    let sim = start().await;
    let u = user(&sim).await;
    let path = format!("/users/{u}");
    let basic = basic();
    let ok = platform(
        &sim,
        v,
        "GET",
        &path,
        &[("Authorization", &basic), ("Accept", v.json)],
    )
    .await;
    assert_eq!(ok.status, 200, "{ok:?}");
    assert_eq!(ok.media, v.json);
    // The Atrium user is the Platform user.
    assert_eq!(ok.json()["user"]["guid"], json!(u));

    let wrong = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:wrong", mx_sim::DEMO_CLIENT_ID))
    );
    for headers in [
        vec![("Accept", v.json)],
        vec![("Authorization", wrong.as_str()), ("Accept", v.json)],
        // Atrium's headers are not the Platform's auth.
        vec![
            ("MX-API-Key", mx_sim::DEMO_API_KEY),
            ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
            ("Accept", v.json),
        ],
    ] {
        let a = platform(&sim, v, "GET", &path, &headers).await;
        assert_eq!(a.status, 401, "{headers:?}: {a:?}");
        assert!(error_of(&a, v.json).contains("Basic"));
    }
    // Atrium's Accept, or the other version's: 406.
    let other = if v.json == VENDOR {
        "application/json"
    } else {
        VENDOR
    };
    for accept in [JSON, other] {
        let a = platform(
            &sim,
            v,
            "GET",
            &path,
            &[("Authorization", &basic), ("Accept", accept)],
        )
        .await;
        assert_eq!(a.status, 406, "{accept}: {a:?}");
    }
    // An operation the spec answers as application/json is asked for and
    // answered in the version's JSON type.
    let a = platform(
        &sim,
        v,
        "GET",
        &format!("/users/{u}/members/nope/oauth_window_uri"),
        &[("Authorization", &basic), ("Accept", v.json)],
    )
    .await;
    assert_ne!(a.status, 406, "{a:?}");
}

#[tokio::test]
async fn every_operation_of_v20111101_answers_a_documented_2xx() {
    every_operation_answers(V20111101).await;
}

#[tokio::test]
async fn every_operation_of_v20250224_answers_a_documented_2xx() {
    every_operation_answers(V20250224).await;
}

async fn every_operation_answers(v: Version) {
    let sim = start().await;
    let m = members(&sim).await;
    let (u, connected, challenged) = (m.user.clone(), m.connected.clone(), m.challenged.clone());
    let mut known = Known::new();
    known.insert("user_guid".into(), u.clone());
    known.insert("member_guid".into(), connected.clone());
    known.insert("institution_code".into(), "mxbank".into());
    let auth = basic();
    let headers = [("Authorization", auth.as_str()), ("Accept", v.json)];
    let account = format!("/users/{u}/members/{connected}/accounts");
    learn(
        &mut known,
        &sim,
        v.api,
        &platform(&sim, v, "GET", &account, &headers).await.json(),
    );
    // Transactions of that very account, so that nested routes agree.
    let account_guid = known["account_guid"].clone();
    for path in [
        format!("/users/{u}/accounts/{account_guid}/transactions"),
        format!("/users/{u}/members/{connected}/statements"),
        "/merchants".to_string(),
        // The Platform's data of the connected member (platform_data.rs).
        format!("/users/{u}/investment_holdings"),
        format!("/users/{u}/insights"),
        format!("/users/{u}/repeating_transactions"),
        format!("/users/{u}/spending_plans"),
    ] {
        let a = platform(&sim, v, "GET", &path, &headers).await;
        assert_eq!(a.status, 200, "{path}: {a:?}");
        learn(&mut known, &sim, v.api, &a.json());
    }
    let plan = known["spending_plan_guid"].clone();
    let path = format!("/users/{u}/spending_plans/{plan}/spending_plan_accounts");
    learn(
        &mut known,
        &sim,
        v.api,
        &platform(&sim, v, "GET", &path, &headers).await.json(),
    );

    // Managed members, their accounts and transactions are their own
    // collections under the same parameter names: their GUIDs come only
    // from their own creates.
    let mut managed = Known::new();
    managed.insert("user_guid".into(), u.clone());
    let mut ops = sim.operations(v.api);
    assert_eq!(
        ops.len(),
        v.operations,
        "MX's {} operations of {} are routed",
        v.operations,
        v.version
    );
    // Deleting a member or the user deletes what hangs under it: last.
    let cascades = |op: &Operation| {
        op.method == "DELETE"
            && [
                "/users/{user_guid}",
                "/users/{user_guid}/members/{member_guid}",
                "/users/{user_guid}/accounts/{account_guid}",
            ]
            .contains(&op.template.text.as_str())
    };
    ops.sort_by_key(|op| (cascades(op), order(op)));
    let mut served = 0;
    let mut unseeded = std::collections::BTreeSet::new();
    for (n, op) in ops.iter().enumerate() {
        let is_managed = op.template.text.contains("/managed_members");
        let scope = if is_managed { &mut managed } else { &mut known };
        let mut k = scope.clone();
        let sub = m.pick_member(op, &mut k);
        if op.method == "PUT" && sub == "resume" {
            let basic = basic();
            let c = platform(
                &sim,
                v,
                "GET",
                &format!("/users/{u}/members/{challenged}/challenges"),
                &[("Authorization", &basic), ("Accept", v.json)],
            )
            .await;
            assert_eq!(c.status, 200, "challenges: {c:?}");
            let guid = c.json()["challenges"][0]["guid"]
                .as_str()
                .unwrap()
                .to_string();
            let body =
                json!({ "member": { "challenges": [{ "guid": guid, "value": "correct" }] } });
            let a = send(
                "PUT",
                &format!(
                    "{}/users/{u}/members/{challenged}/resume",
                    sim.platform_base_url()
                ),
                &[
                    ("Authorization", &basic),
                    ("Accept", v.json),
                    ("Accept-Version", v.version),
                    ("Content-Type", "application/json"),
                ],
                Some(body.to_string().into_bytes()),
            )
            .await;
            assert_eq!(a.status, 202, "resume, as the Platform documents: {a:?}");
            served += 1;
            continue;
        }
        if op.method == "POST" && !op.template.ends_with_param() && sub != "members" {
            settle().await;
        }
        let missing: Vec<&str> = op
            .template
            .pairs()
            .into_iter()
            .map(|(_, param)| param)
            .filter(|param| !k.contains_key(*param))
            .collect();
        if !missing.is_empty() {
            // A record nothing in the simulated world hands out (a catalog
            // MX fills, e.g. credit card products): the engine serves the
            // route and answers an unknown GUID 404 in the API's shape.
            let mut path = op.template.text.clone();
            for (name, v) in &k {
                path = path.replace(&format!("{{{name}}}"), v);
            }
            for param in &missing {
                let unknown = if param.ends_with("_number") {
                    "999"
                } else {
                    "GUID-unknown"
                };
                path = path.replace(&format!("{{{param}}}"), unknown);
            }
            let basic = basic();
            let a = send(
                &op.method,
                &format!("{}{path}", sim.platform_base_url()),
                &[
                    ("Authorization", basic.as_str()),
                    ("Accept", v.json),
                    ("Accept-Version", v.version),
                    ("Content-Type", "application/json"),
                ],
                op.body
                    .as_ref()
                    .map(|b| b.schema.example().to_string().into_bytes()),
            )
            .await;
            assert_eq!(a.status, 404, "{} {path}: {a:?}", op.method);
            assert!(error_of(&a, v.json).contains("was not found"), "{a:?}");
            unseeded.extend(missing.iter().map(|p| p.to_string()));
            served += 1;
            continue;
        }
        if let Some(body) = users_own(&sim, v, op, &k).await {
            call_with(&sim, v, op, &k, body).await;
            served += 1;
            continue;
        }
        if op.method == "POST" && op.template.text.ends_with("/split") {
            // MX: a split transaction can't be split again until it is
            // un-split (Delete Split Transactions); v20250224's two split
            // routes split the same transaction.
            let (basic, t) = (basic(), &k["transaction_guid"]);
            let path = format!("/users/{u}/transactions/{t}/split");
            let headers = [("Authorization", basic.as_str()), ("Accept", v.json)];
            let a = platform(&sim, v, "DELETE", &path, &headers).await;
            assert_eq!(a.status, 204, "unsplit first: {a:?}");
        }
        call(&sim, v.api, op, &mut k, n).await;
        if op.method == "POST" && !op.template.ends_with_param() {
            let scope = if is_managed { &mut managed } else { &mut known };
            for (key, v) in k {
                scope.entry(key).or_insert(v);
            }
        }
        served += 1;
    }
    assert_eq!(served, v.operations);
    // What the simulated world does not hold yet (MX's catalogs and the
    // Platform-only data): a new entry here is a record the simulator
    // should learn to make.
    let unseeded: Vec<&str> = unseeded.iter().map(String::as_str).collect();
    assert_eq!(
        unseeded,
        [
            "credit_card_product_guid",
            "iteration_number",
            "merchant_location_guid",
            "reward_guid",
        ]
    );
}

/// A valid body for an operation whose spec example names records MX's
/// rule needs to be the user's own: Reposition goals moves the user's
/// goals; Merge accounts takes two or more of the user's accounts and
/// deletes all but the one it answers (the known one, named first, is
/// kept; a manual account made here is merged into it).
async fn users_own(
    sim: &mx_sim::Simulator,
    v: Version,
    op: &Operation,
    k: &Known,
) -> Option<Value> {
    match op.id.as_str() {
        "repositionGoals" => Some(json!({ "goals": [{ "guid": k["goal_guid"], "position": 1 }] })),
        "mergeAccounts" => {
            let body = json!({ "account": { "account_type": "SAVINGS", "name": "Duplicate" } });
            let create = operation_named(sim, v, "createManualAccount");
            let made = call_with(sim, v, &create, k, body).await;
            let other = made["account"]["guid"].clone();
            Some(json!({ "account": { "account_guids": [k["account_guid"], other] } }))
        }
        _ => None,
    }
}

/// The version's operation `id`.
fn operation_named(sim: &mx_sim::Simulator, v: Version, id: &str) -> Operation {
    sim.operations(v.api)
        .into_iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("{} has no {id}", v.version))
}

/// Calls `op` (its path from `k`) with `body`; checks its documented 200
/// and schema; answers the body.
async fn call_with(
    sim: &mx_sim::Simulator,
    v: Version,
    op: &Operation,
    k: &Known,
    body: Value,
) -> Value {
    let mut path = op.template.text.clone();
    for (name, value) in k {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let basic = basic();
    let media = op
        .body
        .as_ref()
        .map_or("application/json".into(), |b| b.media[0].clone());
    let a = send(
        &op.method,
        &format!("{}{path}", sim.platform_base_url()),
        &[
            ("Authorization", basic.as_str()),
            ("Accept", v.json),
            ("Accept-Version", v.version),
            ("Content-Type", media.as_str()),
        ],
        Some(body.to_string().into_bytes()),
    )
    .await;
    assert_eq!(a.status, 200, "{} {path}: {a:?}", op.method);
    let value = a.json();
    let doc = op.answers.iter().find(|d| d.status == 200).unwrap();
    if let Some(schema) = &doc.schema {
        schema
            .validate(&value, "")
            .unwrap_or_else(|e| panic!("{}: the answer breaks its schema: {e}: {value}", op.id));
    }
    value
}
