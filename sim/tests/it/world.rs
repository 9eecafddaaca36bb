//! One world: every route reads the same records, Nexus and Atrium share
//! them, and MX's list and widget rules.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::helpers::*;

fn guids(v: &Value, key: &str) -> HashSet<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .iter()
        .map(|r| r["guid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_connected_members_data_is_the_same_through_every_route() {
    let sim = start().await;
    let u = user(&sim).await;
    let m = member(&sim, &u, "password").await;
    let before = get(&sim, &format!("/users/{u}/members/{m}/accounts")).await;
    assert!(
        before["accounts"].as_array().unwrap().is_empty(),
        "no data before it connects"
    );
    settle().await;
    let get = |p: String| {
        let sim = &sim;
        async move {
            let a = atrium(sim, "GET", &p, None).await;
            assert_eq!(a.status, 200, "{p}: {a:?}");
            a.json()
        }
    };
    let by_member = get(format!("/users/{u}/members/{m}/accounts")).await;
    let by_user = get(format!("/users/{u}/accounts")).await;
    assert_eq!(guids(&by_member, "accounts"), guids(&by_user, "accounts"));
    let types: HashSet<&str> = by_user["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        HashSet::from(["CHECKING", "SAVINGS", "CREDIT_CARD", "INVESTMENT"])
    );
    let account = by_user["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "CHECKING")
        .unwrap();
    let a = account["guid"].as_str().unwrap();
    // Every documented property is present, null where there is no value.
    assert!(account.as_object().unwrap().contains_key("death_benefit"));
    assert!(account["death_benefit"].is_null());
    assert_eq!(
        get(format!("/users/{u}/accounts/{a}")).await["account"]["guid"],
        a
    );
    assert_eq!(
        get(format!("/users/{u}/members/{m}/accounts/{a}")).await["account"]["member_guid"],
        m.as_str()
    );

    let all_tx = get(format!("/users/{u}/transactions")).await;
    let member_tx = get(format!("/users/{u}/members/{m}/transactions")).await;
    assert_eq!(
        guids(&all_tx, "transactions"),
        guids(&member_tx, "transactions")
    );
    let account_tx = get(format!("/users/{u}/accounts/{a}/transactions")).await;
    let tx = &account_tx["transactions"][0];
    assert_eq!(tx["account_guid"], a);
    let t = tx["guid"].as_str().unwrap();
    assert_eq!(
        get(format!("/users/{u}/transactions/{t}")).await["transaction"]["amount"],
        tx["amount"]
    );
    let merchant = tx["merchant_guid"].as_str().unwrap();
    assert_eq!(
        get(format!("/merchants/{merchant}")).await["merchant"]["guid"],
        merchant
    );
    let locations = get(format!("/merchants/{merchant}/merchant_locations")).await;
    let l = locations["merchant_locations"][0]["guid"].as_str().unwrap();
    assert_eq!(
        get(format!("/merchants/{merchant}/merchant_locations/{l}")).await["merchant_location"]
            ["merchant_guid"],
        merchant
    );

    let holdings = get(format!("/users/{u}/holdings")).await;
    assert_eq!(holdings["holdings"].as_array().unwrap().len(), 2);
    let h = holdings["holdings"][0].clone();
    let inv = h["account_guid"].as_str().unwrap();
    assert_eq!(
        guids(
            &get(format!("/users/{u}/accounts/{inv}/holdings")).await,
            "holdings"
        ),
        guids(&holdings, "holdings")
    );
    assert_eq!(
        guids(
            &get(format!("/users/{u}/members/{m}/holdings")).await,
            "holdings"
        ),
        guids(&holdings, "holdings")
    );
    assert_eq!(
        get(format!(
            "/users/{u}/holdings/{}",
            h["guid"].as_str().unwrap()
        ))
        .await["holding"]["symbol"],
        h["symbol"]
    );

    let numbers = get(format!("/users/{u}/members/{m}/account_numbers")).await;
    assert_eq!(
        numbers["account_numbers"].as_array().unwrap().len(),
        2,
        "checking and savings"
    );
    let by_account = get(format!("/users/{u}/accounts/{a}/account_numbers")).await;
    assert_eq!(
        by_account["account_numbers"][0]["routing_number"],
        "091000019"
    );
    let owners = get(format!("/users/{u}/members/{m}/account_owners")).await;
    assert_eq!(owners["account_owners"].as_array().unwrap().len(), 4);

    let statements = get(format!("/users/{u}/members/{m}/statements")).await;
    let s = statements["statements"][0].clone();
    let read = get(format!(
        "/users/{u}/members/{m}/statements/{}",
        s["guid"].as_str().unwrap()
    ))
    .await;
    assert_eq!(
        read["statement"]["uri"], s["uri"],
        "the Read statement page's key, `statement`"
    );
    // Another user's routes do not see them.
    let other = user(&sim).await;
    assert!(get(format!("/users/{other}/accounts")).await["accounts"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        status(&sim, "GET", &format!("/users/{other}/accounts/{a}")).await,
        404
    );
}

#[tokio::test]
async fn nexus_and_atrium_are_one_world() {
    let sim = start().await;
    let body = json!({ "member": { "institution_guid": MXBANK_GUID,
        "credentials": [{ "credential_guid": LOGIN, "value": "u" }, { "credential_guid": PASSWORD, "value": "p" }] } });
    let a = nexus(&sim, "POST", "/members", Some(body.clone())).await;
    assert_eq!(a.status, 200, "{a:?}");
    let g = a.json()["member"]["guid"].as_str().unwrap().to_string();
    // Atrium sees the Nexus member under the demo user.
    let r = read_member(&sim, mx_sim::DEMO_USER_GUID, &g).await;
    assert_eq!(r["institution_code"], "mxbank");
    // Duplicates: Nexus's 422 with code 4220.
    let d = nexus(&sim, "POST", "/members", Some(body.clone())).await;
    assert_eq!(d.status, 422);
    assert_eq!(d.json()["error"]["code"], 4220);
    // Deleting the demo user through Atrium ends the Nexus session.
    let del = atrium(
        &sim,
        "DELETE",
        &format!("/users/{}", mx_sim::DEMO_USER_GUID),
        None,
    )
    .await;
    assert_eq!(del.status, 204);
    assert!(
        sim.record("members", &g).is_none(),
        "its members went with it"
    );
    let mut other = body.clone();
    other["member"]["credentials"][1]["value"] = json!("another");
    let a = nexus(&sim, "POST", "/members", Some(other)).await;
    assert_eq!(a.status, 401, "{a:?}");
    assert_eq!(a.json()["error"]["code"], 4011);
}

#[tokio::test]
async fn atrium_duplicates_are_409_and_the_26th_member_405() {
    let sim = start().await;
    let u = user(&sim).await;
    member(&sim, &u, "password").await;
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{u}/members"),
        Some(mxbank_member("password")),
    )
    .await;
    assert_eq!(a.status, 409);
    for i in 1..25 {
        member(&sim, &u, &format!("p{i}")).await;
    }
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{u}/members"),
        Some(mxbank_member("p25")),
    )
    .await;
    assert_eq!(a.status, 405);
    assert!(error_of(&a, JSON).contains("25"));
}

#[tokio::test]
async fn institutions_filter_by_supports_and_name() {
    let sim = start().await;
    let codes = |v: Value| -> Vec<String> {
        v["institutions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect()
    };
    let all = codes(get(&sim, "/institutions").await);
    assert_eq!(all.len(), mx_sim::INSTITUTIONS.len());
    for feature in [
        "supports_account_identification",
        "supports_account_statement",
        "supports_account_verification",
        "supports_transaction_history",
    ] {
        let got = codes(get(&sim, &format!("/institutions?{feature}=true")).await);
        let want: Vec<String> = get(&sim, "/institutions").await["institutions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i[feature] == true)
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, want, "{feature}");
        assert!(got.len() < all.len(), "{feature} filters something out");
    }
    let both = codes(
        get(
            &sim,
            "/institutions?supports_account_statement=true&supports_transaction_history=true",
        )
        .await,
    );
    assert_eq!(both, vec!["mxbank"]);
    assert_eq!(
        codes(get(&sim, "/institutions?name=chase").await),
        vec!["chase"]
    );
}

#[tokio::test]
async fn records_per_page_follows_mx() {
    let sim = start().await;
    for _ in 0..30 {
        user(&sim).await;
    }
    let per = |q: &'static str| {
        let sim = &sim;
        async move {
            let v = atrium(sim, "GET", &format!("/users?{q}"), None)
                .await
                .json();
            (
                v["pagination"]["per_page"].as_i64().unwrap(),
                v["users"].as_array().unwrap().len(),
                v["pagination"]["total_entries"].as_i64().unwrap(),
            )
        }
    };
    assert_eq!(per("").await, (25, 25, 31));
    assert_eq!(per("records_per_page=1000").await, (1000, 31, 31));
    assert_eq!(
        per("records_per_page=1001").await,
        (25, 25, 31),
        "above the maximum: 25"
    );
    assert_eq!(
        per("records_per_page=2").await,
        (10, 10, 31),
        "below the minimum: 10"
    );
    assert_eq!(per("records_per_page=10&page=4").await, (10, 1, 31));
    let i = get(&sim, "/institutions?records_per_page=101").await;
    assert_eq!(i["pagination"]["per_page"], 25, "institutions: at most 100");
    let i = get(&sim, "/institutions?records_per_page=100").await;
    assert_eq!(i["pagination"]["per_page"], 100);
}

#[tokio::test]
async fn the_connect_widget_url_works_once_and_expires() {
    let sim = mx_sim::start_with(
        mx_sim::Config {
            widget_lifetime: std::time::Duration::from_millis(1000),
            ..mx_sim::Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let u = user(&sim).await;
    let path = format!("/users/{u}/connect_widget_url");
    let ask = || atrium(&sim, "POST", &path, Some(json!({ "config": {} })));
    let a = ask().await;
    assert_eq!(a.status, 200, "{a:?}");
    let url = a.json()["user"]["connect_widget_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.starts_with(&format!("http://{}/", sim.addr())));
    assert_eq!(send("GET", &url, &[], None).await.status, 200);
    assert_eq!(send("GET", &url, &[], None).await.status, 410, "one-time");
    let url = ask().await.json()["user"]["connect_widget_url"]
        .as_str()
        .unwrap()
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(send("GET", &url, &[], None).await.status, 410, "expired");
    let a = atrium(
        &sim,
        "POST",
        "/users/USR-nope/connect_widget_url",
        Some(json!({ "config": {} })),
    )
    .await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn status_changes_are_recorded_for_webhooks() {
    let sim = start().await;
    let u = user(&sim).await;
    let m = member(&sim, &u, "UNAUTHORIZED").await;
    settle().await;
    let statuses: Vec<String> = sim
        .events()
        .iter()
        .filter(|e| e["member_guid"] == m.as_str())
        .map(|e| e["connection_status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, vec!["CREATED", "DENIED"]);
    assert!(sim
        .events()
        .iter()
        .all(|e| e["action"] == "CHANGED" && e["user_guid"] == u.as_str()
            || e["member_guid"] != m.as_str()));
}

#[tokio::test]
async fn the_config_never_shows_its_secrets() {
    let config = mx_sim::Config {
        api_key: "sekrit-key".into(),
        client_id: "sekrit-id".into(),
        session_token: "sekrit-token".into(),
        ..mx_sim::Config::default()
    };
    let shown = format!("{config:?}");
    assert!(!shown.contains("sekrit"), "{shown}");
    let sim = mx_sim::start_with(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    assert!(!format!("{sim:?}").contains("sekrit"));
}

#[tokio::test]
async fn transactions_are_bounded_by_from_and_to_date() {
    let sim = start().await;
    let u = user(&sim).await;
    member(&sim, &u, "password").await;
    settle().await;
    let all = get(
        &sim,
        &format!("/users/{u}/transactions?records_per_page=1000"),
    )
    .await;
    let dates: Vec<String> = all["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["date"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    let (lo, hi) = (&sorted[0], &sorted[sorted.len() - 1]);
    assert_ne!(lo, hi, "the test data spans days");
    let q = format!("/users/{u}/transactions?records_per_page=1000&from_date={hi}&to_date={hi}");
    let some = atrium(&sim, "GET", &q, None).await.json();
    let want = dates.iter().filter(|d| *d == hi).count();
    assert_eq!(some["transactions"].as_array().unwrap().len(), want);
    assert_eq!(some["pagination"]["total_entries"], want);
}

#[tokio::test]
async fn nexus_connection_status_only_at_test_institutions_and_only_known_ones() {
    let sim = start().await;
    let test_bank = "INS-f1a3285d-e855-b68f-6aa7-8ae775c0e0e9";
    let a = nexus(
        &sim,
        "POST",
        "/members",
        Some(json!({ "member": { "institution_guid": test_bank, "connection_status": "LOCKED" } })),
    )
    .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.json()["member"]["connection_status"], "LOCKED");
    let a = nexus(
        &sim,
        "POST",
        "/members",
        Some(json!({ "member": { "institution_guid": test_bank, "connection_status": "SLEEPY" } })),
    )
    .await;
    assert_eq!(a.status, 400);
    let a = nexus(
        &sim,
        "POST",
        "/members",
        Some(
            json!({ "member": { "institution_guid": MXBANK_GUID, "connection_status": "LOCKED",
        "credentials": [{ "credential_guid": PASSWORD, "value": "x" }] } }),
        ),
    )
    .await;
    assert_eq!(a.status, 400);
    assert!(error_of(&a, NEXUS_JSON).contains("test institution"));
    let a = nexus(
        &sim,
        "POST",
        "/members",
        Some(json!({ "member": { "institution_guid": "INS-nope",
        "credentials": [{ "credential_guid": PASSWORD, "value": "x" }] } })),
    )
    .await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].clone()),
        (422, json!(4220)),
        "MX: 4220 covers an unknown institution_guid"
    );
}

/// A status set at a test institution is the member's status even for an
/// OAuth member (only credentials override it, Nexus spec); the OAuth
/// window is still handed out.
#[tokio::test]
async fn a_nexus_status_set_at_a_test_institution_wins_over_oauth_pending() {
    let sim = start().await;
    let test_bank = "INS-f1a3285d-e855-b68f-6aa7-8ae775c0e0e9";
    let a = nexus(
        &sim,
        "POST",
        "/members",
        Some(json!({ "member": { "institution_guid": test_bank,
        "connection_status": "CHALLENGED", "is_oauth": true } })),
    )
    .await;
    assert_eq!(a.status, 200, "{a:?}");
    let m = a.json()["member"].clone();
    assert_eq!(m["connection_status"], "CHALLENGED", "{m}");
    assert!(m["oauth_window_uri"].as_str().is_some(), "{m}");
    let guid = m["guid"].as_str().unwrap();
    let snap = sim.member_snapshot(guid).unwrap();
    assert_eq!(snap["record"]["connection_status"], "CHALLENGED", "{snap}");
}

#[tokio::test]
async fn thirty_two_concurrent_clients_lose_no_write() {
    let sim = std::sync::Arc::new(start().await);
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let sim = sim.clone();
            tokio::spawn(async move {
                let a = atrium(
                    &sim,
                    "POST",
                    "/users",
                    Some(json!({ "user": { "identifier": format!("c{i}") } })),
                )
                .await;
                assert_eq!(a.status, 200);
                a.json()["user"]["guid"].as_str().unwrap().to_string()
            })
        })
        .collect();
    let mut made = HashSet::new();
    for t in tasks {
        made.insert(t.await.unwrap());
    }
    let listed = get(&sim, "/users?records_per_page=100").await;
    let listed = guids(&listed, "users");
    assert_eq!(made.len(), 32);
    assert!(made.is_subset(&listed));
    assert_eq!(listed.len(), 33, "and the demo user");
}
