//! The Platform's processor-token flow over raw HTTP, in both versions: a
//! client's authorization code, the processor's token for it (its own
//! Basic credentials), and the bearer operations answering the scoped
//! account's data (MX's How-to Guide for Processors,
//! https://docs.mx.com/products/connectivity/instant-account-verification/processor-token/processor-guide).

use base64::Engine as _;
use mx_sim::spec::Scheme;
use mx_sim::{Operation, Simulator};
use serde_json::{json, Value};

use crate::every_operation::Known;
use crate::helpers::*;
use crate::platform::{basic, Version, V20111101, VERSIONS};

/// `Basic base64(user:password)`.
fn basic_of(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// The demo processor's Basic credentials.
fn processor() -> String {
    basic_of(mx_sim::DEMO_PROCESSOR_ID, mx_sim::DEMO_PROCESSOR_API_KEY)
}

/// A request to `/platform` in version `v` with `authorization`, its JSON
/// `Accept`, and a JSON body when given.
async fn call(
    sim: &Simulator,
    v: Version,
    method: &str,
    path_and_query: &str,
    authorization: &str,
    body: Option<Value>,
) -> Answer {
    let mut headers = vec![
        ("Authorization", authorization),
        ("Accept", v.json),
        ("Accept-Version", v.version),
    ];
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    send(
        method,
        &format!("{}{path_and_query}", sim.platform_base_url()),
        &headers,
        body.map(|b| b.to_string().into_bytes()),
    )
    .await
}

/// MX's scope form: `user-guid:… member-guid:… account-guid:… read-protected`.
pub fn scope(user: &str, member: &str, account: &str) -> String {
    format!("user-guid:{user} member-guid:{member} account-guid:{account} read-protected")
}

/// A client's `POST /authorization_code` for `scope`.
async fn ask_code(sim: &Simulator, v: Version, scope: &str) -> Answer {
    let body = json!({ "authorization_code": { "scope": scope } });
    call(sim, v, "POST", "/authorization_code", &basic(), Some(body)).await
}

/// A code for `scope` (the request must succeed).
pub async fn code(sim: &Simulator, v: Version, scope: &str) -> String {
    let a = ask_code(sim, v, scope).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.media, v.json);
    let code = a.json()["authorization_code"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("a code: {a:?}"))
        .to_string();
    assert!(code.len() >= 40, "{code}");
    code
}

/// `POST /token?grant_type=authorization_code&code=…` with `authorization`.
async fn exchange(sim: &Simulator, v: Version, code: &str, authorization: &str) -> Answer {
    let path = format!("/token?grant_type=authorization_code&code={code}");
    call(sim, v, "POST", &path, authorization, None).await
}

/// A processor's bearer token for `scope` (code, then exchange).
pub async fn token(sim: &Simulator, v: Version, scope: &str) -> String {
    let code = code(sim, v, scope).await;
    let a = exchange(sim, v, &code, &processor()).await;
    assert_eq!(a.status, 200, "{a:?}");
    a.json()["access_token"].as_str().unwrap().to_string()
}

/// A user with a connected MX Bank member; its checking account.
async fn connected(sim: &Simulator) -> (String, String, Value) {
    let u = user(sim).await;
    let m = member(sim, &u, "password").await;
    settle().await;
    let accounts = get(sim, &format!("/users/{u}/members/{m}/accounts")).await;
    let checking = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "CHECKING")
        .expect("a checking account")
        .clone();
    (u, m, checking)
}

#[tokio::test]
async fn a_code_yields_a_token_that_reads_the_scoped_account_in_both_versions() {
    for v in VERSIONS {
        the_flow_of(v).await;
    }
}

async fn the_flow_of(v: Version) {
    let sim = start().await;
    let (u, m, account) = connected(&sim).await;
    let a = account["guid"].as_str().unwrap();
    let scope = scope(&u, &m, a);

    // The client's code, the processor's token (the guide's answer).
    let code = code(&sim, v, &scope).await;
    let t = exchange(&sim, v, &code, &processor()).await;
    assert_eq!(t.status, 200, "{t:?}");
    assert_eq!(t.media, v.json);
    let t = t.json();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], json!(scope));
    assert_eq!(t["expires_at"], Value::Null);
    let bearer = format!("Bearer {}", t["access_token"].as_str().unwrap());
    // One-time use.
    let again = exchange(&sim, v, &code, &processor()).await;
    assert_eq!(again.status, 400, "{again:?}");
    assert!(error_of(&again, v.json).contains("already used"));

    // Account numbers: the account's own, as Atrium lists them.
    let numbers = get(&sim, &format!("/users/{u}/accounts/{a}/account_numbers")).await;
    let number = numbers["account_numbers"][0].clone();
    let got = call(&sim, v, "GET", "/account/account_numbers", &bearer, None).await;
    assert_eq!(got.status, 200, "{got:?}");
    let list = got.json()["account_numbers"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0]["guid"].as_str().unwrap().starts_with("ACN-"));
    assert_eq!(list[0]["account_guid"], json!(a));
    assert_eq!(
        (list[0]["user_guid"].clone(), list[0]["member_guid"].clone()),
        (json!(u), json!(m))
    );
    // Strings, digit for digit (the overlays: the specs' integer loses the
    // routing number's leading zero).
    assert_eq!(list[0]["account_number"], number["account_number"]);
    assert_eq!(list[0]["routing_number"], number["routing_number"]);
    assert!(list[0]["routing_number"].as_str().unwrap().starts_with('0'));

    // The payment account: name, type, balances, unmasked numbers.
    let got = call(&sim, v, "GET", "/payment_account", &bearer, None).await;
    assert_eq!(got.status, 200, "{got:?}");
    let pa = got.json()["payment_account"].clone();
    assert_eq!(pa["account_guid"], json!(a));
    assert_eq!(pa["account_name"], account["name"]);
    assert_eq!(pa["account_type"], account["type"]);
    assert_eq!(pa["balance"], account["balance"]);
    assert_eq!(pa["available_balance"], account["available_balance"]);
    assert_eq!(pa["account_number"], number["account_number"]);
    assert_eq!(pa["routing_number"], number["routing_number"]);

    // The owners (the spec's `/account/transactions`).
    let owners = get(&sim, &format!("/users/{u}/members/{m}/account_owners")).await;
    let owner = owners["account_owners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["account_guid"] == json!(a))
        .unwrap()
        .clone();
    let got = call(&sim, v, "GET", "/account/transactions", &bearer, None).await;
    assert_eq!(got.status, 200, "{got:?}");
    let body = got.json();
    let list = body["account_owners"].as_array().unwrap();
    assert_eq!(list.len(), 1, "only the scoped account's: {list:?}");
    assert_eq!(list[0]["guid"], owner["guid"]);
    assert_eq!(list[0]["owner_name"], owner["owner_name"]);
    assert_eq!(body["pagination"]["total_entries"], 1);

    // The real-time balance: a balance job on the member, answered with it.
    let got = call(&sim, v, "POST", "/account/check_balance", &bearer, None).await;
    assert_eq!(got.status, 200, "{got:?}");
    assert_eq!(got.json()["member"]["guid"], json!(m));
    assert_eq!(got.json()["member"]["is_being_aggregated"], true);
    assert_eq!(sim.member_snapshot(&m).unwrap()["job"], "Balance");
}

#[tokio::test]
async fn only_the_processor_gets_a_token_and_only_a_token_opens_the_processor_operations() {
    let sim = start().await;
    let (u, m, account) = connected(&sim).await;
    let scope = scope(&u, &m, account["guid"].as_str().unwrap());
    for v in VERSIONS {
        let code = code(&sim, v, &scope).await;
        // The client's Basic credentials do not get a token, and the code
        // stays usable.
        let a = exchange(&sim, v, &code, &basic()).await;
        assert_eq!(a.status, 401, "{a:?}");
        assert!(error_of(&a, v.json).contains("Basic"));
        let wrong = basic_of(mx_sim::DEMO_PROCESSOR_ID, "wrong");
        assert_eq!(exchange(&sim, v, &code, &wrong).await.status, 401);
        let a = exchange(&sim, v, &code, &processor()).await;
        assert_eq!(a.status, 200, "{a:?}");
        // The processor's Basic credentials are not a client's.
        let a = ask_code_as(&sim, v, &scope, &processor()).await;
        assert_eq!(a.status, 401, "{a:?}");
        // Another grant type, an unknown code: 400.
        let path = format!("/token?grant_type=client_credentials&code={code}");
        let a = call(&sim, v, "POST", &path, &processor(), None).await;
        assert_eq!(a.status, 400, "{a:?}");
        assert_eq!(exchange(&sim, v, "nope", &processor()).await.status, 400);
        // A wrong bearer, the client's Basic, the old session token: 401.
        for auth in [
            "Bearer not-a-token".to_string(),
            basic(),
            format!("Bearer {}", mx_sim::DEMO_SESSION_TOKEN),
            format!("Bearer {code}"),
        ] {
            for (method, path) in [
                ("GET", "/account/account_numbers"),
                ("POST", "/account/check_balance"),
                ("GET", "/payment_account"),
                ("GET", "/account/transactions"),
            ] {
                let a = call(&sim, v, method, path, &auth, None).await;
                assert_eq!(a.status, 401, "{auth} {path}: {a:?}");
                assert!(error_of(&a, v.json).contains("Bearer"));
            }
        }
    }
}

/// `POST /authorization_code` with `authorization`.
async fn ask_code_as(sim: &Simulator, v: Version, scope: &str, authorization: &str) -> Answer {
    let body = json!({ "authorization_code": { "scope": scope } });
    call(
        sim,
        v,
        "POST",
        "/authorization_code",
        authorization,
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_scope_must_name_records_that_belong_together_and_a_verified_member() {
    let sim = start().await;
    let (u, m, account) = connected(&sim).await;
    let a = account["guid"].as_str().unwrap().to_string();
    let (other_user, other_member, other_account) = connected(&sim).await;
    let other_account = other_account["guid"].as_str().unwrap().to_string();
    // A member that never connected (CHALLENGED) has no accounts to name
    // (processor.rs's unit tests refuse an unverified member's own).
    let unverified = member(&sim, &u, "challenge").await;
    settle().await;
    let accounts = get(&sim, &format!("/users/{u}/members/{unverified}/accounts")).await;
    assert_eq!(accounts["accounts"], json!([]), "{accounts}");
    for v in VERSIONS {
        for (s, status, says) in [
            (scope("USR-nope", &m, &a), 404, "user USR-nope"),
            (scope(&u, "MBR-nope", &a), 404, "member MBR-nope"),
            (scope(&u, &other_member, &a), 404, "member"),
            (scope(&other_user, &m, &a), 404, "member"),
            (scope(&u, &m, &other_account), 404, "account"),
            (scope(&u, &unverified, &a), 404, "account"),
            (
                format!("user-guid:{u} member-guid:{m}"),
                400,
                "account-guid",
            ),
            (
                format!("{} bank-guid:B", scope(&u, &m, &a)),
                400,
                "bank-guid",
            ),
        ] {
            let r = ask_code(&sim, v, &s).await;
            assert_eq!(r.status, status, "{s}: {r:?}");
            assert!(error_of(&r, v.json).contains(says), "{s}: {r:?}");
        }
    }
}

#[tokio::test]
async fn tokens_are_listed_for_their_user_member_or_account() {
    let sim = start().await;
    let (u, m, account) = connected(&sim).await;
    let a = account["guid"].as_str().unwrap();
    let (u2, m2, account2) = connected(&sim).await;
    let a2 = account2["guid"].as_str().unwrap();
    for v in VERSIONS {
        let t = token(&sim, v, &scope(&u, &m, a)).await;
        let t2 = token(&sim, v, &scope(&u2, &m2, a2)).await;
        for (filter, want) in [
            (json!({ "scope": { "user_guid": u } }), vec![t.clone()]),
            (json!({ "scope": { "member_guid": m2 } }), vec![t2.clone()]),
            (json!({ "scope": { "account_guid": a } }), vec![t.clone()]),
        ] {
            let r = call(&sim, v, "GET", "/tokens", &basic(), Some(filter.clone())).await;
            assert_eq!(r.status, 200, "{r:?}");
            let tokens = r.json()["tokens"].as_array().unwrap().clone();
            let got: Vec<&str> = tokens
                .iter()
                .map(|t| t["access_token"].as_str().unwrap())
                .collect();
            // Each version's tokens are in the one world: filter by ours.
            assert!(
                want.iter().all(|w| got.contains(&w.as_str())),
                "{filter}: {got:?}"
            );
            assert!(!got.contains(&if want[0] == t {
                t2.as_str()
            } else {
                t.as_str()
            }));
            for token in &tokens {
                assert_eq!(token["active"], true);
                assert!(token["payment_processor_guid"]
                    .as_str()
                    .unwrap()
                    .starts_with("PPR-"));
                assert!(token["expires_at"].as_str().is_some(), "{token}");
            }
        }
    }
}

#[tokio::test]
async fn the_deprecated_v20111101_code_is_exchanged_the_same_way() {
    let sim = start().await;
    let (u, m, account) = connected(&sim).await;
    let a = account["guid"].as_str().unwrap();
    let body = json!({ "payment_processor_authorization_code": {
        "user_guid": u, "member_guid": m, "account_guid": a,
    }});
    let r = call(
        &sim,
        V20111101,
        "POST",
        "/payment_processor_authorization_code",
        &basic(),
        Some(body),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    let code = r.json()["payment_processor_authorization_code"]["authorization_code"]
        .as_str()
        .unwrap()
        .to_string();
    let t = exchange(&sim, V20111101, &code, &processor()).await;
    assert_eq!(t.status, 200, "{t:?}");
    let bearer = format!("Bearer {}", t.json()["access_token"].as_str().unwrap());
    let got = call(&sim, V20111101, "GET", "/payment_account", &bearer, None).await;
    assert_eq!(got.json()["payment_account"]["account_guid"], json!(a));
    // Not a v20250224 operation.
    let r = call(
        &sim,
        crate::platform::V20250224,
        "POST",
        "/payment_processor_authorization_code",
        &basic(),
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, 404, "{r:?}");
}

#[tokio::test]
async fn the_processor_credentials_are_configured() {
    let config = mx_sim::Config {
        processor_id: "acme-processor".into(),
        processor_api_key: "acme-secret".into(),
        job_time: JOB,
        aggregation_time: JOB,
        ..mx_sim::Config::default()
    };
    let sim = mx_sim::start_with(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let (u, m, account) = connected(&sim).await;
    let scope = scope(&u, &m, account["guid"].as_str().unwrap());
    let v = crate::platform::V20250224;
    let code = code(&sim, v, &scope).await;
    assert_eq!(exchange(&sim, v, &code, &processor()).await.status, 401);
    let acme = basic_of("acme-processor", "acme-secret");
    assert_eq!(exchange(&sim, v, &code, &acme).await.status, 200);
    assert!(!format!("{:?}", sim.config()).contains("acme-secret"));
}

/// How the every-operation test calls a processor-token operation: the
/// `Authorization` it needs, its query and its body.
pub struct Prepared {
    pub authorization: String,
    pub query: String,
    pub body: Option<Value>,
}

/// The request of a processor-token operation, valid for the known user,
/// member and account: a client's code request with their scope, the
/// processor's exchange of a fresh code, a bearer operation with a fresh
/// token. `None` for the other operations.
pub async fn prepare(
    sim: &Simulator,
    v: Version,
    op: &Operation,
    known: &Known,
) -> Option<Prepared> {
    let (u, m, a) = (
        known.get("user_guid")?,
        known.get("member_guid")?,
        known.get("account_guid")?,
    );
    let scope = scope(u, m, a);
    let bearer = op
        .security
        .first()
        .is_some_and(|alt| alt.iter().any(|s| matches!(s, Scheme::Bearer)));
    let (authorization, query, body) = match op.id.as_str() {
        _ if bearer => (
            format!("Bearer {}", token(sim, v, &scope).await),
            String::new(),
            None,
        ),
        "requestAuthorizationCode" => (
            basic(),
            String::new(),
            Some(json!({ "authorization_code": { "scope": scope } })),
        ),
        "deprecatedRequestPaymentProcessorAuthorizationCode" => (
            basic(),
            String::new(),
            Some(json!({ "payment_processor_authorization_code": {
                "user_guid": u, "member_guid": m, "account_guid": a,
            }})),
        ),
        "requestProcessorToken" => (
            processor(),
            format!(
                "?grant_type=authorization_code&code={}",
                code(sim, v, &scope).await
            ),
            None,
        ),
        _ => return None,
    };
    Some(Prepared {
        authorization,
        query,
        body,
    })
}
