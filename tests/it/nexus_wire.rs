//! The Nexus client on the wire, against a recording server on 127.0.0.1.

use crate::common::{serve, Recorded, Reply};
use mx_client::nexus::{types, Client, Environment};
use mx_client::{ConnectionStatus, Error};
use serde_json::json;

const NEXUS: &str = "application/vnd.mx.nexus.v1+json";
const TOKEN: &str = "CWforZl1Vn2vC_v6H4rnQRT1DoWpDouJAV-_5TBmiQRAtA8rsOG_BoajTiOSsL0A3bd";

/// The member of the doc page's response example: all 17 fields.
fn page_member() -> serde_json::Value {
    json!({
        "member": {
            "aggregated_at": "2016-10-13T18:07:57.000Z",
            "background_aggregation_is_disabled": false,
            "connection_status": "CONNECTED",
            "external_guid": null,
            "guid": "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b",
            "institution_code": "chase",
            "institution_guid": "INS-1572a04c-912b-59bf-5841-332c7dfafaef",
            "is_being_aggregated": false,
            "is_managed_by_user": false,
            "is_oauth": false,
            "is_user_created": true,
            "most_recent_job_guid": "JOB-d6bb804b-6d12-44f1-b0ad-403441c03372",
            "metadata": "\\\"credentials_last_refreshed_at\\\": \\\"2015-10-15\\\"",
            "name": "Chase Bank",
            "successfully_aggregated_at": "2016-10-13T17:57:38.000Z",
            "use_cases": ["PFM"],
            "user_guid": "USR-fa7537f3-48aa-a683-a02a-b18940482f54"
        }
    })
}

fn ok(_: &Recorded) -> Reply {
    Reply::json(200, NEXUS, page_member())
}

fn client(base: &str) -> Client {
    Client::from_environment(Environment::Custom(base.to_string()), TOKEN).unwrap()
}

/// The headers every Nexus request must carry, and those it must not.
fn assert_nexus_headers(r: &Recorded, with_body: bool) {
    assert_eq!(r.header("md-session-token"), Some(TOKEN));
    assert_eq!(r.header("accept"), Some(NEXUS));
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("mx-client/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(
        r.header("api-version"),
        None,
        "progenitor's api-version header leaked"
    );
    assert_eq!(r.headers.get_all("accept").iter().count(), 1);
    assert!(!r.header("accept").unwrap().contains("application/json"));
    if with_body {
        assert_eq!(r.header("content-type"), Some(NEXUS));
    } else {
        assert_eq!(r.header("content-type"), None);
    }
}

#[tokio::test]
async fn standard_member_sends_exactly_the_documented_request() {
    let server = serve(ok).await;
    let nexus = client(&server.base);
    let body = types::MemberCreateRequestBody::new(types::MemberCreateRequest {
        institution_guid: "INS-1572a04c-912b-59bf-5841-332c7dfafaef".into(),
        credentials: vec![
            types::MemberCreateRequestCredentialsItem {
                credential_guid: Some("CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667".into()),
                value: Some("ExampleUsername".into()),
                ..Default::default()
            },
            types::MemberCreateRequestCredentialsItem {
                credential_guid: Some("CRD-1ec152cd-e628-e81a-e852-d1e7104624da".into()),
                value: Some("Pa$$vv@Rd".into()),
                ..Default::default()
            },
        ],
        metadata: Some("Additional information".into()),
        use_cases: vec![mx_client::UseCase::Pfm],
        ..member_request()
    });
    nexus.create_member().body(body).send().await.unwrap();

    let r = server.only_request();
    assert_eq!(r.method, "POST");
    assert_eq!(r.uri, "/members");
    assert_nexus_headers(&r, true);
    assert_eq!(
        r.json(),
        json!({"member": {
            "institution_guid": "INS-1572a04c-912b-59bf-5841-332c7dfafaef",
            "credentials": [
                {"credential_guid": "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667", "value": "ExampleUsername"},
                {"credential_guid": "CRD-1ec152cd-e628-e81a-e852-d1e7104624da", "value": "Pa$$vv@Rd"}
            ],
            "metadata": "Additional information",
            "use_cases": ["PFM"]
        }})
    );
}

/// A request with only the required field set.
fn member_request() -> types::MemberCreateRequest {
    types::MemberCreateRequest::new("INS-1572a04c-912b-59bf-5841-332c7dfafaef")
}

#[tokio::test]
async fn oauth_member_sends_is_oauth_and_no_credentials_and_no_nulls() {
    let server = serve(ok).await;
    let body = types::MemberCreateRequestBody::new(types::MemberCreateRequest {
        is_oauth: Some(true),
        client_redirect_url: Some("https://example.com/oauth/done".into()),
        ..member_request()
    });
    client(&server.base)
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap();
    let r = server.only_request();
    assert_nexus_headers(&r, true);
    // Exactly these keys: unset optional fields are left out, never null.
    assert_eq!(
        String::from_utf8(r.body.clone()).unwrap(),
        r#"{"member":{"client_redirect_url":"https://example.com/oauth/done","institution_guid":"INS-1572a04c-912b-59bf-5841-332c7dfafaef","is_oauth":true}}"#
    );
}

#[tokio::test]
async fn skip_aggregation_and_every_optional_field_reach_the_wire() {
    let server = serve(ok).await;
    let body = types::MemberCreateRequestBody::new(types::MemberCreateRequest {
        background_aggregation_is_disabled: Some(true),
        connection_status: Some(ConnectionStatus::Challenged),
        external_guid: Some("partner-1".into()),
        referral_source: Some("APP".into()),
        skip_aggregation: Some(true),
        skip_webhook: Some(true),
        ui_message_webview_url_scheme: Some("myapp".into()),
        use_cases: vec![mx_client::UseCase::MoneyMovement, mx_client::UseCase::Pfm],
        ..member_request()
    });
    client(&server.base)
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.only_request().json(),
        json!({"member": {
            "background_aggregation_is_disabled": true,
            "connection_status": "CHALLENGED",
            "external_guid": "partner-1",
            "institution_guid": "INS-1572a04c-912b-59bf-5841-332c7dfafaef",
            "referral_source": "APP",
            "skip_aggregation": true,
            "skip_webhook": true,
            "ui_message_webview_url_scheme": "myapp",
            "use_cases": ["MONEY_MOVEMENT", "PFM"]
        }})
    );
}

#[tokio::test]
async fn the_page_example_response_decodes_field_by_field() {
    let server = serve(ok).await;
    let m = client(&server.base)
        .create_member()
        .body(types::MemberCreateRequestBody::new(member_request()))
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.aggregated_at.as_deref(), Some("2016-10-13T18:07:57.000Z"));
    assert_eq!(m.background_aggregation_is_disabled, Some(false));
    assert_eq!(m.connection_status, Some(ConnectionStatus::Connected));
    assert_eq!(m.external_guid, None);
    assert_eq!(
        m.guid.as_deref(),
        Some("MBR-7c6f361b-e582-15b6-60c0-358f12466b4b")
    );
    assert_eq!(m.institution_code.as_deref(), Some("chase"));
    assert_eq!(
        m.institution_guid.as_deref(),
        Some("INS-1572a04c-912b-59bf-5841-332c7dfafaef")
    );
    assert_eq!(m.is_being_aggregated, Some(false));
    assert_eq!(m.is_managed_by_user, Some(false));
    assert_eq!(m.is_oauth, Some(false));
    assert_eq!(m.is_user_created, Some(true));
    assert_eq!(
        m.most_recent_job_guid.as_deref(),
        Some("JOB-d6bb804b-6d12-44f1-b0ad-403441c03372")
    );
    assert_eq!(
        m.metadata.as_deref(),
        Some(r#"\"credentials_last_refreshed_at\": \"2015-10-15\""#)
    );
    assert_eq!(m.name.as_deref(), Some("Chase Bank"));
    assert_eq!(
        m.successfully_aggregated_at.as_deref(),
        Some("2016-10-13T17:57:38.000Z")
    );
    assert_eq!(m.use_cases, vec![mx_client::UseCase::Pfm]);
    assert_eq!(
        m.user_guid.as_deref(),
        Some("USR-fa7537f3-48aa-a683-a02a-b18940482f54")
    );
}

#[tokio::test]
async fn null_and_unknown_connection_statuses_decode() {
    let server = serve(|_| {
        Reply::json(
            200,
            NEXUS,
            json!({"member": {"guid": "MBR-1", "connection_status": "SOMETHING_NEW"}}),
        )
    })
    .await;
    let m = client(&server.base)
        .create_member()
        .body(types::MemberCreateRequestBody::new(member_request()))
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(
        m.connection_status,
        Some(ConnectionStatus::Unknown("SOMETHING_NEW".into()))
    );

    let server =
        serve(|_| Reply::json(200, NEXUS, json!({"member": {"connection_status": null}}))).await;
    let m = client(&server.base)
        .create_member()
        .body(types::MemberCreateRequestBody::new(member_request()))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(m.member.unwrap().connection_status, None);
}

#[tokio::test]
async fn skip_webhook_header_is_sent_only_through_skip_webhook() {
    let server = serve(ok).await;
    let nexus = client(&server.base);
    let body = types::MemberCreateRequestBody::new(member_request());
    nexus
        .skip_webhook()
        .create_member()
        .body(body.clone())
        .send()
        .await
        .unwrap();
    nexus.create_member().body(body).send().await.unwrap();
    let r = server.requests();
    assert_eq!(r[0].header("mx-skip-webhook"), Some("true"));
    assert_nexus_headers(&r[0], true);
    assert_eq!(r[1].header("mx-skip-webhook"), None);
}

#[tokio::test]
async fn an_error_answer_keeps_status_code_message_and_body() {
    let body = json!({"error": {"code": 4001, "message": "institution_guid is required"}});
    let sent = body.clone();
    let server = serve(move |_| Reply::json(400, NEXUS, sent.clone())).await;
    let err: Error = client(&server.base)
        .create_member()
        .body(types::MemberCreateRequestBody::new(member_request()))
        .send()
        .await
        .unwrap_err();
    let Error::BadRequest(api) = &err else {
        panic!("expected BadRequest, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code, Some(4001));
    assert_eq!(api.message.as_deref(), Some("institution_guid is required"));
    assert_eq!(api.operation, "createMember");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&api.body).unwrap(),
        body
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn expired_session_is_its_own_variant_and_4220_is_unprocessable() {
    let server = serve(|_| {
        Reply::json(
            401,
            NEXUS,
            json!({"error": {"code": 4011, "message": "Session expired"}}),
        )
    })
    .await;
    let err: Error = client(&server.base)
        .create_member()
        .body(types::MemberCreateRequestBody::new(member_request()))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::SessionExpired(ref e) if e.code == Some(4011)),
        "{err:?}"
    );

    // 4220 is any validation failure MX names in its message, not a
    // duplicate: `Unprocessable`, saying what MX said, the code kept.
    for message in [
        "Member already exists",
        "institution INS-404 was not found",
        "external_guid is already taken",
    ] {
        let server = serve(move |_| {
            Reply::json(
                422,
                NEXUS,
                json!({"error": {"code": 4220, "message": message}}),
            )
        })
        .await;
        let err = client(&server.base)
            .create_member()
            .body(types::MemberCreateRequestBody::new(member_request()))
            .send()
            .await
            .unwrap_err();
        let Error::Unprocessable(api) = &err else {
            panic!("expected Unprocessable, got {err:?}")
        };
        assert_eq!(api.status.as_u16(), 422);
        assert_eq!(api.code, Some(mx_client::NEXUS_VALIDATION_FAILED));
        assert_eq!(api.message.as_deref(), Some(message));
        assert_eq!(
            err.to_string(),
            format!("createMember answered 422 Unprocessable Entity (code 4220): {message}")
        );
        assert!(!err.to_string().contains("duplicate member"), "{err}");
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn environments_come_from_the_spec_servers() {
    assert_eq!(
        Environment::Integration.base_url(),
        "https://int-data.moneydesktop.com"
    );
    assert_eq!(
        Environment::Production.base_url(),
        "https://data.moneydesktop.com"
    );
    assert_eq!(
        Environment::Custom("http://127.0.0.1:9/nexus/".into()).base_url(),
        "http://127.0.0.1:9/nexus"
    );
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_is_kept() {
    let server = serve(ok).await;
    let nexus = Client::from_environment(
        Environment::Custom(format!("{}/nexus/", server.base)),
        TOKEN,
    )
    .unwrap();
    nexus
        .create_member()
        .body(types::MemberCreateRequestBody::new(member_request()))
        .send()
        .await
        .unwrap();
    assert_eq!(server.only_request().uri, "/nexus/members");
}

#[test]
fn the_session_token_never_shows_in_debug() {
    let nexus = Client::from_environment(Environment::Integration, TOKEN).unwrap();
    let shown = format!("{nexus:?} {:?}", nexus.skip_webhook());
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("[REDACTED]"));
    let req = types::MemberCreateRequestCredentialsItem {
        credential_guid: Some("CRD-1".into()),
        value: Some("Pa$$vv@Rd".into()),
        ..Default::default()
    };
    assert!(!format!("{req:?}").contains("Pa$$vv@Rd"));
}
