//! The Platform API under `/platform`: HTTP Basic (client id : API key),
//! its vendor `Accept`, the same world as Atrium, and every operation
//! served.

use base64::Engine as _;
use mx_sim::spec::Scheme;
use mx_sim::Operation;
use serde_json::json;

use crate::every_operation::{call, learn, members, order, Known};
use crate::helpers::*;

pub const VENDOR: &str = "application/vnd.mx.api.v1+json";

/// `Basic base64(client id:API key)` of the default simulator.
pub fn basic() -> String {
    let pair = format!("{}:{}", mx_sim::DEMO_CLIENT_ID, mx_sim::DEMO_API_KEY);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// The `Authorization` an operation needs: Basic, or the bearer token of
/// the processor-token operations.
pub fn auth<'a>(op: &Operation, basic: &'a str) -> Vec<(&'static str, &'a str)> {
    let bearer = op
        .security
        .first()
        .is_some_and(|alt| alt.iter().any(|s| matches!(s, Scheme::Bearer)));
    if bearer {
        vec![("Authorization", "Bearer demo-session-token")]
    } else {
        vec![("Authorization", basic)]
    }
}

/// What the Platform API answers (and is asked for) where its spec says
/// plain `application/json`: its vendor type.
pub fn vendor<'a>(api: &str, media: &'a str) -> &'a str {
    if api == "platform" && media == "application/json" {
        VENDOR
    } else {
        media
    }
}

async fn platform(
    sim: &mx_sim::Simulator,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Answer {
    send(
        method,
        &format!("{}{path}", sim.platform_base_url()),
        headers,
        None,
    )
    .await
}

#[tokio::test]
async fn basic_auth_and_the_vendor_accept_are_checked() {
    let sim = start().await;
    let u = user(&sim).await;
    let path = format!("/users/{u}");
    let basic = basic();
    let ok = platform(
        &sim,
        "GET",
        &path,
        &[("Authorization", &basic), ("Accept", VENDOR)],
    )
    .await;
    assert_eq!(ok.status, 200, "{ok:?}");
    assert_eq!(ok.media, VENDOR);
    // The Atrium user is the Platform user.
    assert_eq!(ok.json()["user"]["guid"], json!(u));

    let wrong = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:wrong", mx_sim::DEMO_CLIENT_ID))
    );
    for headers in [
        vec![("Accept", VENDOR)],
        vec![("Authorization", wrong.as_str()), ("Accept", VENDOR)],
        // Atrium's headers are not the Platform's auth.
        vec![
            ("MX-API-Key", mx_sim::DEMO_API_KEY),
            ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
            ("Accept", VENDOR),
        ],
    ] {
        let a = platform(&sim, "GET", &path, &headers).await;
        assert_eq!(a.status, 401, "{headers:?}: {a:?}");
        assert!(error_of(&a, VENDOR).contains("Basic"));
    }
    // Atrium's or plain JSON Accept: 406.
    for accept in [JSON, "application/json"] {
        let a = platform(
            &sim,
            "GET",
            &path,
            &[("Authorization", &basic), ("Accept", accept)],
        )
        .await;
        assert_eq!(a.status, 406, "{accept}: {a:?}");
    }
    // An operation the spec answers as application/json is asked for and
    // answered in the vendor type.
    let a = platform(
        &sim,
        "GET",
        &format!("/users/{u}/members/nope/oauth_window_uri"),
        &[("Authorization", &basic), ("Accept", VENDOR)],
    )
    .await;
    assert_ne!(a.status, 406, "{a:?}");
}

#[tokio::test]
async fn every_platform_operation_answers_a_documented_2xx() {
    let sim = start().await;
    let m = members(&sim).await;
    let (u, connected, challenged) = (m.user.clone(), m.connected.clone(), m.challenged.clone());
    let mut known = Known::new();
    known.insert("user_guid".into(), u.clone());
    known.insert("member_guid".into(), connected.clone());
    known.insert("institution_code".into(), "mxbank".into());
    let auth = basic();
    let headers = [("Authorization", auth.as_str()), ("Accept", VENDOR)];
    let account = format!("/users/{u}/members/{connected}/accounts");
    learn(
        &mut known,
        &sim,
        "platform",
        &platform(&sim, "GET", &account, &headers).await.json(),
    );
    // Transactions of that very account, so that nested routes agree.
    let account_guid = known["account_guid"].clone();
    for path in [
        format!("/users/{u}/accounts/{account_guid}/transactions"),
        format!("/users/{u}/members/{connected}/statements"),
        "/merchants".to_string(),
    ] {
        let a = platform(&sim, "GET", &path, &headers).await;
        assert_eq!(a.status, 200, "{path}: {a:?}");
        learn(&mut known, &sim, "platform", &a.json());
    }

    // Managed members, their accounts and transactions are their own
    // collections under the same parameter names: their GUIDs come only
    // from their own creates.
    let mut managed = Known::new();
    managed.insert("user_guid".into(), u.clone());
    let mut ops = sim.operations("platform");
    assert_eq!(ops.len(), 166, "MX's 166 Platform operations are routed");
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
                "GET",
                &format!("/users/{u}/members/{challenged}/challenges"),
                &[("Authorization", &basic), ("Accept", VENDOR)],
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
                    ("Accept", VENDOR),
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
                    ("Accept", VENDOR),
                    ("Content-Type", "application/json"),
                ],
                op.body
                    .as_ref()
                    .map(|b| b.schema.example().to_string().into_bytes()),
            )
            .await;
            assert_eq!(a.status, 404, "{} {path}: {a:?}", op.method);
            assert!(error_of(&a, VENDOR).contains("was not found"), "{a:?}");
            unseeded.extend(missing.iter().map(|p| p.to_string()));
            served += 1;
            continue;
        }
        call(&sim, "platform", op, &mut k, n).await;
        if op.method == "POST" && !op.template.ends_with_param() {
            let scope = if is_managed { &mut managed } else { &mut known };
            for (key, v) in k {
                scope.entry(key).or_insert(v);
            }
        }
        served += 1;
    }
    assert_eq!(served, 166);
    // What the simulated world does not hold yet (MX's catalogs and the
    // Platform-only data): a new entry here is a record the simulator
    // should learn to make.
    let unseeded: Vec<&str> = unseeded.iter().map(String::as_str).collect();
    assert_eq!(
        unseeded,
        [
            "credit_card_product_guid",
            "holding_guid",
            "insight_guid",
            "iteration_number",
            "merchant_location_guid",
            "repeating_transaction_guid",
            "reward_guid",
            "spending_plan_account_guid",
        ]
    );
}
