//! The simulator's member rules through the generated clients: duplicates,
//! aggregation, OAuth, Nexus's test statuses, the whole lifecycle, the
//! 25-member limit.

use std::time::Duration;

use futures_util::TryStreamExt;
use mx_client::atrium::types as at;
use mx_client::nexus::types as nt;
use mx_client::{ConnectionStatus, Error};
use mx_sim::DEMO_USER_GUID;

use crate::common::{atrium_client, nexus_client};
use crate::sim::{
    atrium_member, nexus_member, start, CHASE, CHASE_LOGIN, MXBANK_LOGIN, MXBANK_PASSWORD,
    TEST_BANK,
};

#[tokio::test]
async fn duplicates_are_refused_as_mx_does() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let body = atrium_member("mxbank", &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")]);
    atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let err: Error = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(e) if e.status == 409),
        "{err:?}"
    );
    // Other credentials at the same institution are another member.
    atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "u2"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap();

    let nexus = nexus_client(&sim);
    let body = nexus_member(&[(CHASE_LOGIN, "u")]);
    nexus
        .create_member()
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let err: Error = nexus.create_member().body(body).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Unprocessable(e) if e.status == 422 && e.code == Some(4220)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_standard_member_aggregates_then_connects_unless_skipped() {
    let sim = start(150).await;
    let atrium = atrium_client(&sim);
    let created = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 202);
    let m = created.into_inner().member;
    assert_eq!(m.is_being_aggregated, Some(true));
    assert!(m.aggregated_at.is_some());
    assert_ne!(m.connection_status, Some(ConnectionStatus::Connected));
    let guid = m.guid.unwrap();

    tokio::time::sleep(Duration::from_millis(250)).await;
    let m = atrium
        .read_member()
        .user_guid(DEMO_USER_GUID)
        .member_guid(&guid)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(m.connection_status, Some(ConnectionStatus::Connected));
    assert_eq!(m.is_being_aggregated, Some(false));
    assert!(m.successfully_aggregated_at.is_some());

    let mut body = atrium_member("mxbank", &[(MXBANK_LOGIN, "other"), (MXBANK_PASSWORD, "p")]);
    body.member.skip_aggregation = Some(true);
    let m = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(m.is_being_aggregated, Some(false));
    assert_eq!(m.aggregated_at, None);
    assert_eq!(m.connection_status, Some(ConnectionStatus::Created));

    let nexus = nexus_client(&sim);
    let mut body = nexus_member(&[(CHASE_LOGIN, "u")]);
    body.member.skip_aggregation = Some(true);
    let m = nexus
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.is_being_aggregated, Some(false));
    assert_eq!(m.aggregated_at, None);
}

#[tokio::test]
async fn an_oauth_window_works_once_then_the_member_connects() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let body = at::MemberCreateRequestBody::new(at::MemberCreateRequest {
        is_oauth: Some(true),
        ..at::MemberCreateRequest::new("mxbank_oauth")
    });
    let m = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(m.connection_status, Some(ConnectionStatus::Pending));
    let url = m.oauth_window_url().unwrap().unwrap();
    assert!(url
        .as_str()
        .starts_with(&format!("http://{}/oauth/", sim.addr())));
    assert_eq!(
        reqwest::get(url.clone()).await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(reqwest::get(url).await.unwrap().status().as_u16(), 410);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let status = atrium
        .read_member_status()
        .user_guid(DEMO_USER_GUID)
        .member_guid(m.guid.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));

    // A fresh window can be asked for; each is new.
    let again = atrium
        .read_o_auth_window_uri()
        .user_guid(DEMO_USER_GUID)
        .member_guid(m.guid.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_ne!(again.oauth_window_uri, m.oauth_window_uri);

    let nexus = nexus_client(&sim);
    let body = nt::MemberCreateRequestBody::new(nt::MemberCreateRequest {
        is_oauth: Some(true),
        ..nt::MemberCreateRequest::new(CHASE)
    });
    let m = nexus
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.connection_status, Some(ConnectionStatus::Pending));
    let uri = m.oauth_window_uri.unwrap();
    assert_eq!(reqwest::get(&uri).await.unwrap().status().as_u16(), 200);
    assert_eq!(reqwest::get(&uri).await.unwrap().status().as_u16(), 410);
}

#[tokio::test]
async fn nexus_connection_status_only_for_test_institutions_and_skip_webhook_accepted() {
    let sim = start(0).await;
    let nexus = nexus_client(&sim);
    let mut body = nexus_member(&[]);
    body.member.connection_status = Some(ConnectionStatus::Challenged);
    body.member.is_oauth = Some(true);
    let err: Error = nexus.create_member().body(body).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::BadRequest(e) if e.message.as_deref().unwrap().contains("test institution")),
        "{err:?}"
    );

    let body = nt::MemberCreateRequestBody::new(nt::MemberCreateRequest {
        connection_status: Some(ConnectionStatus::Challenged),
        is_oauth: Some(true),
        skip_webhook: Some(true),
        ..nt::MemberCreateRequest::new(TEST_BANK)
    });
    let m = nexus
        .skip_webhook()
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.connection_status, Some(ConnectionStatus::Challenged));
}

#[tokio::test]
async fn users_and_members_have_their_whole_lifecycle() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let user = atrium
        .create_user()
        .body(at::UserCreateRequestBody::new(at::User {
            identifier: Some("partner-user-1".into()),
            metadata: Some("{}".into()),
            ..Default::default()
        }))
        .send()
        .await
        .unwrap()
        .into_inner()
        .user;
    let u = user.guid.clone().unwrap();
    assert_eq!(
        atrium
            .read_user()
            .user_guid(&u)
            .send()
            .await
            .unwrap()
            .into_inner()
            .user,
        user
    );
    let updated = atrium
        .update_user()
        .user_guid(&u)
        .body(at::UserUpdateRequestBody::new(at::User {
            metadata: Some("{\"tier\": 2}".into()),
            ..Default::default()
        }))
        .send()
        .await
        .unwrap()
        .into_inner()
        .user;
    assert_eq!(updated.metadata.as_deref(), Some("{\"tier\": 2}"));
    assert_eq!(updated.identifier.as_deref(), Some("partner-user-1"));

    let m = atrium
        .create_member()
        .user_guid(&u)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    let g = m.guid.clone().unwrap();
    let listed: Vec<at::Member> = atrium
        .list_members()
        .user_guid(&u)
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let changed = atrium
        .update_member()
        .user_guid(&u)
        .member_guid(&g)
        .body(at::MemberUpdateRequestBody::new(at::MemberUpdateRequest {
            identifier: Some("renamed".into()),
            ..Default::default()
        }))
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(changed.identifier.as_deref(), Some("renamed"));
    atrium
        .delete_member()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap();
    let err: Error = atrium
        .read_member()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    atrium.delete_user().user_guid(&u).send().await.unwrap();
    let err: Error = atrium.read_user().user_guid(&u).send().await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let err: Error = atrium
        .read_institution()
        .institution_code("no_such_bank")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn the_development_limit_of_25_members_per_user_is_405() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    for i in 0..25 {
        let v = format!("user{i}");
        atrium
            .create_member()
            .user_guid(DEMO_USER_GUID)
            .body(atrium_member(
                "mxbank",
                &[(MXBANK_LOGIN, v.as_str()), (MXBANK_PASSWORD, "p")],
            ))
            .send()
            .await
            .unwrap();
    }
    let err: Error = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "one-more"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MethodNotAllowed(_)), "{err:?}");
}
