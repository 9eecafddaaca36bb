use http::{HeaderMap, HeaderValue};
use serde_json::json;

use super::*;
use crate::lifecycle::webhook_auth::BasicAuth;

fn decode(v: Value) -> WebhookEvent {
    WebhookEvent::from_json(&serde_json::to_vec(&v).unwrap()).unwrap()
}

#[test]
fn connection_status_payload() {
    let e = decode(json!({
        "action": "CHANGED", "type": "MEMBER",
        "connection_status": "DENIED", "connection_status_id": 2,
        "connection_status_message": "The credentials entered do not match.",
        "member_guid": "MBR-1", "user_guid": "USR-1", "user_id": "partner-1",
        "something_new": [1, 2]
    }));
    let WebhookEvent::ConnectionStatus(s) = e else {
        panic!("{e:?}")
    };
    assert_eq!(s.action.as_deref(), Some("CHANGED"));
    assert_eq!(s.status, Some(ConnectionStatus::Denied));
    assert_eq!(s.connection_status_id, Some(2));
    assert_eq!(s.member_guid.as_deref(), Some("MBR-1"));
    assert_eq!(s.user_guid.as_deref(), Some("USR-1"));
    assert_eq!(
        s.connection_status_message.as_deref(),
        Some("The credentials entered do not match.")
    );
    assert_eq!(s.extra.get("type"), Some(&json!("MEMBER")));
    assert_eq!(s.extra.get("user_id"), Some(&json!("partner-1")));
    assert_eq!(s.extra.get("something_new"), Some(&json!([1, 2])));
}

#[test]
fn a_status_known_only_by_its_id_and_nulls() {
    let e = decode(json!({"action": "CHANGED", "connection_status": null,
        "connection_status_id": 19, "member_guid": null, "connection_status_message": null}));
    let WebhookEvent::ConnectionStatus(s) = e else {
        panic!("{e:?}")
    };
    assert_eq!(s.status, Some(ConnectionStatus::Expired));
    assert_eq!(s.member_guid, None);
    assert!(s.extra.is_empty(), "{:?}", s.extra);

    let e = decode(json!({"connection_status": "SOMETHING_NEW", "connection_status_id": 99}));
    let WebhookEvent::ConnectionStatus(s) = e else {
        panic!("{e:?}")
    };
    assert_eq!(s.status.as_ref().map(|s| s.as_str()), Some("SOMETHING_NEW"));
    assert_eq!(s.connection_status_id, Some(99));
}

#[test]
fn aggregation_payload_with_every_documented_type() {
    for (wire, typed) in [
        ("AGGREGATION", AggregationType::Aggregation),
        ("BALANCE", AggregationType::Balance),
        ("HISTORY", AggregationType::History),
        ("STATEMENT", AggregationType::Statement),
    ] {
        let e = decode(json!({"action": "member_data_updated", "type": wire,
            "completed_at": 1548111281, "completed_on": "2019-01-21",
            "member_guid": "MBR-1", "user_guid": "USR-1", "transactions_created_count": 3}));
        let WebhookEvent::Aggregation(a) = e else {
            panic!("{e:?}")
        };
        assert_eq!(a.type_, Some(typed));
        assert_eq!(a.completed_at, Some(1548111281));
        assert_eq!(a.completed_on.as_deref(), Some("2019-01-21"));
        assert_eq!(a.extra.get("transactions_created_count"), Some(&json!(3)));
    }
    // A type MX adds later, a timestamp as digits, a field of a wrong type.
    let e = decode(json!({"type": "IDENTITY", "completed_at": "1548111281", "member_guid": 7}));
    let WebhookEvent::Aggregation(a) = e else {
        panic!("{e:?}")
    };
    assert_eq!(a.type_, Some(AggregationType::Unknown("IDENTITY".into())));
    assert_eq!(a.completed_at, Some(1548111281));
    assert_eq!(a.member_guid, None);
    assert_eq!(a.extra.get("member_guid"), Some(&json!(7)));
}

#[test]
fn unknown_payloads_are_kept_and_bad_bodies_are_typed_errors() {
    let e = decode(json!({"type": "ACCOUNT", "action": "CREATED", "account_guid": "ACT-1"}));
    assert_eq!(
        e,
        WebhookEvent::Other {
            type_: Some("ACCOUNT".into()),
            action: Some("CREATED".into()),
            body: json!({"type": "ACCOUNT", "action": "CREATED", "account_guid": "ACT-1"})
                .as_object()
                .unwrap()
                .clone(),
        }
    );
    assert!(matches!(
        WebhookEvent::from_json(b"nope"),
        Err(WebhookError::NotJson(_))
    ));
    assert!(matches!(
        WebhookEvent::from_json(b"[1]"),
        Err(WebhookError::NotAnObject)
    ));
}

#[test]
fn the_receiver_checks_credentials_before_reading_the_body() {
    let receiver = WebhookReceiver::new(BasicAuth::new("mx", "s3cret").unwrap()).max_body(64);
    let mut headers = HeaderMap::new();
    let body = br#"{"connection_status": "LOCKED"}"#;
    let err = receiver.receive(&headers, body).unwrap_err();
    assert!(matches!(err, WebhookError::Unauthorized));
    assert_eq!(err.status(), http::StatusCode::UNAUTHORIZED);

    headers.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_static("Basic bXg6czNjcmV0"),
    );
    let e = receiver.receive(&headers, body).unwrap();
    assert_eq!(e.kind(), "connection_status");
    let err = receiver.receive(&headers, &[b' '; 65]).unwrap_err();
    assert_eq!(err.status(), http::StatusCode::PAYLOAD_TOO_LARGE);
    let err = receiver.receive(&headers, b"{").unwrap_err();
    assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);

    let open = WebhookReceiver::without_auth();
    assert!(open.receive(&HeaderMap::new(), body).is_ok());
}
