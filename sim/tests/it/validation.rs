//! Each check of the engine answers MX's JSON error in the API's media
//! type, never text/plain (the fuzzer's findings).

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_missing_or_wrong_credential_is_401_in_each_api() {
    let sim = start().await;
    let url = format!("{}/users", sim.atrium_base_url());
    let a = send(
        "GET",
        &url,
        &[
            ("MX-API-Key", "wrong"),
            ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
            ("Accept", JSON),
        ],
        None,
    )
    .await;
    assert_eq!(a.status, 401);
    assert!(error_of(&a, JSON).contains("MX-API-KEY"));
    let a = send("GET", &url, &[("Accept", JSON)], None).await;
    assert_eq!(a.status, 401);
    let url = format!("{}/members", sim.nexus_base_url());
    let a = send(
        "POST",
        &url,
        &[("MD-SESSION-TOKEN", "nope"), ("Accept", NEXUS_JSON)],
        None,
    )
    .await;
    assert_eq!(a.status, 401);
    error_of(&a, NEXUS_JSON);
    assert_eq!(
        a.json()["error"]["code"],
        4010,
        "Nexus errors carry a 4-digit code"
    );
}

#[tokio::test]
async fn an_accept_without_the_vendor_type_is_406_and_the_pdf_wants_its_own() {
    let sim = start().await;
    let url = format!("{}/institutions", sim.atrium_base_url());
    for accept in [
        "application/json",
        "*/*",
        "application/vnd.mx.atrium.v1+pdf",
    ] {
        let a = send(
            "GET",
            &url,
            &[
                ("MX-API-Key", mx_sim::DEMO_API_KEY),
                ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
                ("Accept", accept),
            ],
            None,
        )
        .await;
        assert_eq!(a.status, 406, "{accept}");
        assert!(error_of(&a, JSON).contains("application/vnd.mx.atrium.v1+json"));
    }
    let u = user(&sim).await;
    let m = member(&sim, &u, "password").await;
    settle().await;
    let statements = get(&sim, &format!("/users/{u}/members/{m}/statements")).await;
    let uri = statements["statements"][0]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("{}{uri}", sim.atrium_base_url());
    let auth = [
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
    ];
    let a = send("GET", &url, &[auth[0], auth[1], ("Accept", JSON)], None).await;
    assert_eq!(a.status, 406, "the PDF route wants the PDF media type");
    let a = send(
        "GET",
        &url,
        &[
            auth[0],
            auth[1],
            ("Accept", "application/vnd.mx.atrium.v1+pdf"),
        ],
        None,
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.media, "application/vnd.mx.atrium.v1+pdf");
    assert!(a.bytes.starts_with(b"%PDF-1.4") && a.bytes.ends_with(b"%%EOF\n"));
}

#[tokio::test]
async fn a_bad_query_type_enum_or_path_is_400_json_in_the_vendor_type() {
    let sim = start().await;
    for q in [
        "records_per_page=ten",
        "page=1.5",
        "supports_oauth=maybe&supports_account_statement=yes",
    ] {
        let a = atrium(&sim, "GET", &format!("/institutions?{q}"), None).await;
        assert_eq!(a.status, 400, "{q}: {a:?}");
        assert!(error_of(&a, JSON).contains("invalid parameter"), "{q}");
    }
}

#[tokio::test]
async fn bodies_are_checked_against_their_schema() {
    let sim = start().await;
    for (body, why) in [
        (
            json!({ "user": ["", "x", false, "m"] }),
            "user must be an object",
        ),
        (json!(["user"]), "the body must be an object"),
        (
            json!({ "user": { "is_disabled": "yes" } }),
            "user.is_disabled must be a boolean",
        ),
        (json!({ "user": null }), "user must not be null"),
        (json!({}), "user is required"),
    ] {
        let a = atrium(&sim, "POST", "/users", Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}");
        assert!(
            error_of(&a, JSON).contains(why),
            "{body}: {}",
            error_of(&a, JSON)
        );
    }
    let a = get(&sim, "/users").await;
    assert_eq!(
        a["users"].as_array().unwrap().len(),
        1,
        "only the demo user: nothing was created"
    );
    // Nexus: an enum value outside the spec's.
    let a = nexus(
        &sim,
        "POST",
        "/members",
        Some(json!({ "member": {
        "institution_guid": MXBANK_GUID, "use_cases": ["GAMBLING"],
        "credentials": [{ "credential_guid": PASSWORD, "value": "x" }] } })),
    )
    .await;
    assert_eq!(a.status, 400);
    assert!(error_of(&a, NEXUS_JSON).contains("must be one of MONEY_MOVEMENT, PFM"));
    assert_eq!(a.json()["error"]["code"], 4000);
    // Not JSON at all.
    let url = format!("{}/users", sim.atrium_base_url());
    let h = [
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
        ("Accept", JSON),
        ("Content-Type", "application/json"),
    ];
    let a = send("POST", &url, &h, Some(b"{user".to_vec())).await;
    assert_eq!(a.status, 400);
    error_of(&a, JSON);
}

#[tokio::test]
async fn a_body_needs_its_documented_content_type() {
    let sim = start().await;
    let url = format!("{}/users", sim.atrium_base_url());
    let body = Some(br#"{"user":{}}"#.to_vec());
    let base = [
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
        ("Accept", JSON),
    ];
    let a = send("POST", &url, &base, body.clone()).await;
    assert_eq!(a.status, 415);
    assert!(error_of(&a, JSON).contains("application/json"));
    let a = send(
        "POST",
        &url,
        &[base[0], base[1], base[2], ("Content-Type", "text/plain")],
        body.clone(),
    )
    .await;
    assert_eq!(a.status, 415);
    let a = send(
        "POST",
        &url,
        &[
            base[0],
            base[1],
            base[2],
            ("Content-Type", "application/json; charset=utf-8"),
        ],
        body,
    )
    .await;
    assert_eq!(a.status, 200, "parameters of the media type do not matter");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_json() {
    let sim = start().await;
    let big = format!(
        r#"{{"user":{{"metadata":"{}"}}}}"#,
        "x".repeat(sim.config().max_body_bytes + 1)
    );
    let url = format!("{}/users", sim.atrium_base_url());
    let h = [
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
        ("Accept", JSON),
        ("Content-Type", "application/json"),
    ];
    let a = send("POST", &url, &h, Some(big.into_bytes())).await;
    assert_eq!(a.status, 413);
    assert!(error_of(&a, JSON).contains("limit"));
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405_with_allow_all_json() {
    let sim = start().await;
    let a = atrium(&sim, "GET", "/nothing/here", None).await;
    assert_eq!(a.status, 404);
    error_of(&a, JSON);
    let a = nexus(&sim, "GET", "/nothing", None).await;
    assert_eq!(a.status, 404);
    assert_eq!(a.json()["error"]["code"], 4040);
    let a = send(
        "GET",
        &format!("http://{}/elsewhere", sim.addr()),
        &[],
        None,
    )
    .await;
    assert_eq!(a.status, 404);
    assert_eq!(a.media, "application/json");
    assert!(a.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("/atrium"));

    let a = atrium(&sim, "PATCH", "/users", None).await;
    assert_eq!(a.status, 405);
    assert_eq!(a.allow.as_deref(), Some("GET, POST"));
    error_of(&a, JSON);
    let a = nexus(&sim, "GET", "/members", None).await;
    assert_eq!(a.status, 405);
    assert_eq!(a.allow.as_deref(), Some("POST"));
    assert_eq!(a.json()["error"]["code"], 4050);
    let a = atrium(&sim, "DELETE", "/institutions/mxbank", None).await;
    assert_eq!((a.status, a.allow.as_deref()), (405, Some("GET")));
}
