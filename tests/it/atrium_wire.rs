//! The Atrium client on the wire, against a recording server on 127.0.0.1.

use crate::common::{serve, Recorded, Reply};
use futures_util::TryStreamExt;
use mx_client::atrium::{types, Client, Environment};
use mx_client::{ConnectionStatus, Error, MemberStatus};
use serde_json::json;

const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const PDF: &str = "application/vnd.mx.atrium.v1+pdf";
const API_KEY: &str = "k-3c9f2d7a0e5b41f8a6d2c7e9b1f40a55";
const CLIENT_ID: &str = "cid-5e8a1b2c-0f3d-4a7e-9c6b-d2e1f0a9b8c7";
const USER: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";

fn client(base: &str) -> Client {
    Client::from_environment(
        Environment::Custom(base.into()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .unwrap()
}

/// The doc page's response example.
fn page_member() -> serde_json::Value {
    json!({"member": {
        "aggregated_at": "2016-10-13T17:57:36+00:00",
        "connection_status": "CONNECTED",
        "guid": "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b",
        "identifier": "unique_id",
        "institution_code": "mxbank",
        "is_being_aggregated": true,
        "metadata": "{\"credentials_last_refreshed_at\": \"2015-10-15\"}",
        "name": "MX Bank",
        "status": "INITIATED",
        "successfully_aggregated_at": null,
        "user_guid": USER
    }})
}

fn assert_atrium_headers(r: &Recorded, accept: &str, with_body: bool) {
    assert_eq!(r.header("mx-api-key"), Some(API_KEY));
    assert_eq!(r.header("mx-client-id"), Some(CLIENT_ID));
    assert_eq!(r.header("accept"), Some(accept));
    assert_eq!(r.headers.get_all("accept").iter().count(), 1);
    assert_eq!(r.header("api-version"), None);
    assert_eq!(r.header("md-session-token"), None);
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("mx-client/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(
        r.header("content-type"),
        with_body.then_some("application/json"),
        "Atrium sends bodies as application/json"
    );
}

fn create_body(member: serde_json::Value) -> types::MemberCreateRequestBody {
    serde_json::from_value(json!({ "member": member })).unwrap()
}

#[tokio::test]
async fn create_standard_member_matches_the_doc_page_sample() {
    let server = serve(|_| Reply::json(202, ATRIUM, page_member())).await;
    let body = types::MemberCreateRequestBody::new(types::MemberCreateRequest {
        institution_code: "mxbank".into(),
        credentials: vec![
            types::CredentialRequest {
                guid: Some("CRD-1ec152cd-e628-e81a-e852-d1e7104624da".into()),
                value: Some("ExampleUsername".into()),
                ..Default::default()
            },
            types::CredentialRequest {
                guid: Some("CRD-1ec152cd-e628-e81a-e852-d1e7104624da".into()),
                value: Some("Pa$$vv@Rd".into()),
                ..Default::default()
            },
        ],
        skip_aggregation: Some(true),
        ..create_body(json!({"institution_code": "mxbank"})).member
    });
    let member = client(&server.base)
        .create_member()
        .user_guid(USER)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;

    let r = server.only_request();
    assert_eq!(r.method, "POST");
    assert_eq!(r.uri, format!("/users/{USER}/members"));
    assert_atrium_headers(&r, ATRIUM, true);
    assert_eq!(
        r.json(),
        json!({"member": {
            "institution_code": "mxbank",
            "credentials": [
                {"guid": "CRD-1ec152cd-e628-e81a-e852-d1e7104624da", "value": "ExampleUsername"},
                {"guid": "CRD-1ec152cd-e628-e81a-e852-d1e7104624da", "value": "Pa$$vv@Rd"}
            ],
            "skip_aggregation": true
        }})
    );

    // The response example decodes, statuses typed.
    assert_eq!(member.connection_status, Some(ConnectionStatus::Connected));
    #[allow(deprecated)]
    let status = member.status.clone();
    assert_eq!(status, Some(MemberStatus::Initiated));
    assert_eq!(
        member.guid.as_deref(),
        Some("MBR-7c6f361b-e582-15b6-60c0-358f12466b4b")
    );
    assert_eq!(member.identifier.as_deref(), Some("unique_id"));
    assert_eq!(member.institution_code.as_deref(), Some("mxbank"));
    assert_eq!(member.is_being_aggregated, Some(true));
    assert_eq!(
        member.metadata.as_deref(),
        Some("{\"credentials_last_refreshed_at\": \"2015-10-15\"}")
    );
    assert_eq!(member.name.as_deref(), Some("MX Bank"));
    assert_eq!(member.successfully_aggregated_at, None);
    assert_eq!(member.user_guid.as_deref(), Some(USER));
    assert_eq!(member.oauth_window_url().unwrap(), None);
}

#[tokio::test]
async fn create_oauth_member_sends_every_documented_field_and_parses_the_window_uri() {
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"member": {
                "guid": "MBR-1", "connection_status": "PENDING", "is_oauth": true,
                "oauth_window_uri": "https://mxbank.mx.com/oauth/authorize?token=abc123&state=x",
                "status": "SOMETHING_LATER"
            }}),
        )
    })
    .await;
    let body = create_body(json!({
        "institution_code": "mxbank",
        "is_oauth": true,
        "identifier": "partner-member-1",
        "metadata": "{\"k\": 1}",
        "referral_source": "APP",
        "client_redirect_url": "https://partner.example/oauth/done",
        "ui_message_webview_url_scheme": "partnerapp"
    }));
    let member = client(&server.base)
        .create_member()
        .user_guid(USER)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    let r = server.only_request();
    assert_atrium_headers(&r, ATRIUM, true);
    assert_eq!(
        r.json(),
        json!({"member": {
            "client_redirect_url": "https://partner.example/oauth/done",
            "identifier": "partner-member-1",
            "institution_code": "mxbank",
            "is_oauth": true,
            "metadata": "{\"k\": 1}",
            "referral_source": "APP",
            "ui_message_webview_url_scheme": "partnerapp"
        }})
    );
    assert!(!r.json()["member"]
        .as_object()
        .unwrap()
        .contains_key("credentials"));
    assert_eq!(member.connection_status, Some(ConnectionStatus::Pending));
    #[allow(deprecated)]
    let status = member.status.clone();
    assert_eq!(
        status,
        Some(MemberStatus::Unknown("SOMETHING_LATER".into()))
    );
    let url = member.oauth_window_url().unwrap().unwrap();
    assert_eq!(
        url.as_str(),
        "https://mxbank.mx.com/oauth/authorize?token=abc123&state=x"
    );
}

#[tokio::test]
async fn a_duplicate_member_is_a_conflict_with_the_server_message() {
    let server = serve(|_| {
        Reply::json(
            409,
            ATRIUM,
            json!({"error": {"message": "A member with these credentials already exists."}}),
        )
    })
    .await;
    let err: Error = client(&server.base)
        .create_member()
        .user_guid(USER)
        .body(create_body(json!({"institution_code": "mxbank"})))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Conflict(e) => {
            assert_eq!(e.status.as_u16(), 409);
            assert_eq!(
                e.message.as_deref(),
                Some("A member with these credentials already exists.")
            );
            assert_eq!(e.operation, "create_member");
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert!(err.to_string().contains("already exists"), "{err}");
}

#[tokio::test]
async fn documented_statuses_map_to_their_variants() {
    for (status, check) in [
        (
            401u16,
            (|e: &Error| matches!(e, Error::Unauthorized(_))) as fn(&Error) -> bool,
        ),
        (403, |e| matches!(e, Error::Forbidden(_))),
        (404, |e| matches!(e, Error::NotFound(_))),
        (405, |e| matches!(e, Error::MethodNotAllowed(_))),
        (406, |e| matches!(e, Error::NotAcceptable(_))),
        (422, |e| matches!(e, Error::Unprocessable(_))),
        (
            429,
            |e| matches!(e, Error::RateLimited(r) if r.retry_after == Some(std::time::Duration::from_secs(7))),
        ),
        (500, |e| matches!(e, Error::Server(_))),
        (503, |e| matches!(e, Error::Server(_)) && e.is_retryable()),
        (418, |e| matches!(e, Error::Status(_))),
    ] {
        let server = serve(move |_| {
            Reply::json(status, ATRIUM, json!({"error": {"message": "no"}}))
                .header("retry-after", "7")
        })
        .await;
        let err: Error = client(&server.base)
            .read_member()
            .user_guid(USER)
            .member_guid("MBR-1")
            .send()
            .await
            .unwrap_err();
        assert!(check(&err), "{status}: {err:?}");
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert_eq!(err.api().unwrap().message.as_deref(), Some("no"));
    }
}

#[tokio::test]
async fn read_sends_no_body_and_no_content_type() {
    let server = serve(|_| Reply::json(200, ATRIUM, page_member())).await;
    let m = client(&server.base)
        .read_member()
        .user_guid(USER)
        .member_guid("MBR-7c6f361b-e582-15b6-60c0-358f12466b4b")
        .send()
        .await
        .unwrap()
        .into_inner();
    let r = server.only_request();
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.uri,
        format!("/users/{USER}/members/MBR-7c6f361b-e582-15b6-60c0-358f12466b4b")
    );
    assert!(r.body.is_empty());
    assert_atrium_headers(&r, ATRIUM, false);
    assert_eq!(m.member.name.as_deref(), Some("MX Bank"));
}

#[tokio::test]
async fn delete_sends_no_body_and_accepts_204() {
    let server = serve(|_| Reply::empty(204)).await;
    let resp = client(&server.base)
        .delete_member()
        .user_guid(USER)
        .member_guid("MBR-1")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let r = server.only_request();
    assert_eq!(r.method, "DELETE");
    assert_eq!(r.uri, format!("/users/{USER}/members/MBR-1"));
    assert!(r.body.is_empty());
    // No answer body is documented, yet MX needs the versioned Accept.
    assert_atrium_headers(&r, ATRIUM, false);
}

/// The statement download the PDF tests ask for.
fn statement_pdf(c: &Client) -> mx_client::atrium::builder::DownloadStatementPdf<'_> {
    c.download_statement_pdf()
        .user_guid(USER)
        .member_guid("MBR-1")
        .statement_guid("STA-2")
}

#[tokio::test]
async fn statement_pdf_is_bytes_with_its_own_accept() {
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n".to_vec();
    let served = pdf.clone();
    let server = serve(move |_| Reply::bytes(200, PDF, &served)).await;
    let resp = statement_pdf(&client(&server.base)).send().await.unwrap();
    let bytes: Vec<u8> = resp
        .into_inner()
        .into_inner()
        .try_fold(Vec::new(), |mut acc, chunk| async move {
            acc.extend_from_slice(&chunk);
            Ok(acc)
        })
        .await
        .unwrap();
    assert_eq!(bytes, pdf);
    let r = server.only_request();
    assert_eq!(
        r.uri,
        format!("/users/{USER}/members/MBR-1/statements/STA-2.pdf")
    );
    assert_atrium_headers(&r, PDF, false);
}

#[tokio::test]
async fn a_page_where_the_pdf_was_due_is_an_unexpected_content_type() {
    for (media, body) in [
        ("text/html; charset=utf-8", &b"<html>login</html>"[..]),
        (ATRIUM, &br#"{"error": {"message": "no"}}"#[..]),
    ] {
        let server = serve(move |_| Reply::bytes(200, media, body)).await;
        let err: Error = statement_pdf(&client(&server.base))
            .send()
            .await
            .map(|_| ())
            .unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedContentType { ref got, documented } if got == media && documented == PDF),
            "{media}: {err:?}"
        );
    }
}

fn member_json(i: usize) -> serde_json::Value {
    json!({"guid": format!("MBR-{i}"), "user_guid": USER, "connection_status": "CONNECTED"})
}

#[tokio::test]
async fn list_streams_every_member_across_three_pages() {
    let server = serve(|r| {
        let page: usize = r.query("page").unwrap().parse().unwrap();
        let items: Vec<_> = (0..2).map(|i| member_json(page * 10 + i)).collect();
        Reply::json(
            200,
            ATRIUM,
            json!({"members": items, "pagination": {
                "current_page": page, "per_page": 2, "total_entries": 6, "total_pages": 3
            }}),
        )
    })
    .await;
    let members: Vec<types::Member> = client(&server.base)
        .list_members()
        .user_guid(USER)
        .records_per_page(2)
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    let guids: Vec<_> = members.iter().map(|m| m.guid.clone().unwrap()).collect();
    assert_eq!(
        guids,
        ["MBR-10", "MBR-11", "MBR-20", "MBR-21", "MBR-30", "MBR-31"]
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    for (i, r) in reqs.iter().enumerate() {
        assert_eq!(r.path(), format!("/users/{USER}/members"));
        assert_eq!(r.query("page"), Some((i + 1).to_string()));
        assert_eq!(r.query("records_per_page").as_deref(), Some("2"));
        assert_atrium_headers(r, ATRIUM, false);
    }
}

/// Every user, through `stream_all`.
async fn all_users(base: &str) -> Vec<types::User> {
    client(base)
        .list_users()
        .stream_all()
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_server_that_repeats_a_page_does_not_loop_forever() {
    // Ignores `page`: always answers page 1 of 5.
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"users": [{"guid": "USR-1"}], "pagination": {
                "current_page": 1, "per_page": 1, "total_entries": 5, "total_pages": 5
            }}),
        )
    })
    .await;
    let users = all_users(&server.base).await;
    assert_eq!(users.len(), 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_server_that_ignores_page_without_current_page_does_not_loop_forever() {
    // Ignores `page`, and its pagination says neither the current page nor
    // the total: only that pages are full. Page 2 repeats page 1.
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"users": [{"guid": "USR-1"}, {"guid": "USR-2"}], "pagination": {"per_page": 2}}),
        )
    })
    .await;
    let users = all_users(&server.base).await;
    let guids: Vec<_> = users.iter().map(|u| u.guid.clone().unwrap()).collect();
    assert_eq!(guids, ["USR-1", "USR-2"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn total_entries_ends_the_stream_without_total_pages() {
    let server = serve(|r| {
        let page: usize = r.query("page").unwrap().parse().unwrap();
        Reply::json(
            200,
            ATRIUM,
            json!({"users": [{"guid": format!("USR-{page}")}], "pagination": {"per_page": 1, "total_entries": 3}}),
        )
    })
    .await;
    let users = all_users(&server.base).await;
    assert_eq!(users.len(), 3);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn an_answer_without_pagination_is_one_page() {
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"users": [{"guid": "USR-1"}, {"guid": "USR-2"}]}),
        )
    })
    .await;
    let users = all_users(&server.base).await;
    assert_eq!(users.len(), 2);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_the_stream() {
    let server = serve(|r| {
        if r.query("page").as_deref() == Some("1") {
            Reply::json(
                200,
                ATRIUM,
                json!({"users": [{"guid": "USR-1"}], "pagination": {"current_page": 1, "total_pages": 2}}),
            )
        } else {
            Reply::json(500, ATRIUM, json!({"error": {"message": "boom"}}))
        }
    })
    .await;
    let result: Result<Vec<types::User>, Error> = client(&server.base)
        .list_users()
        .stream_all()
        .try_collect()
        .await;
    assert!(matches!(result, Err(Error::Server(_))), "{result:?}");
}

#[test]
fn environments_come_from_the_spec_servers() {
    assert_eq!(
        Environment::Development.base_url(),
        "https://vestibule.mx.com"
    );
    assert_eq!(Environment::Production.base_url(), "https://atrium.mx.com");
}

#[test]
fn keys_never_show_in_debug() {
    let c = Client::from_environment(
        Environment::Development,
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .unwrap();
    let shown = format!("{c:?}");
    assert!(
        !shown.contains(API_KEY) && !shown.contains(CLIENT_ID),
        "{shown}"
    );
    let body = create_body(
        json!({"institution_code": "mxbank", "credentials": [{"guid": "CRD-1", "value": "hunter2-secret"}]}),
    );
    assert!(!format!("{body:?}").contains("hunter2-secret"));
}
