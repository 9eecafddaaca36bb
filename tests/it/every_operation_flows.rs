//! `every_operation`: jobs, MFA, OAuth, the connect widget and Nexus,
//! each as MX documents it.

use mx_client::atrium::{self, types as at};
use mx_client::nexus::{self, types as nt};
use mx_client::{ConnectionStatus, Error};
use mx_sim::{Simulator, DEMO_USER_GUID};

use crate::every_operation::{credentials, settle, Calls};

const MXBANK_GUID: &str = "INS-68e96dd6-eabd-42d3-9f05-416897f0746c";

/// Every job, one after the other: 200 when started, 202 with the member
/// for the same job again while it runs, 409 while another type runs.
pub async fn jobs(a: &atrium::Client, c: &mut Calls, u: &str, g: &str) {
    let started_job = c.ok(
        "atrium",
        "aggregate_member",
        a.aggregate_member()
            .user_guid(u)
            .member_guid(g)
            .send()
            .await,
    );
    assert_eq!(started_job.status().as_u16(), 200);
    let again = c.ok(
        "atrium",
        "aggregate_member",
        a.aggregate_member()
            .user_guid(u)
            .member_guid(g)
            .send()
            .await,
    );
    assert_eq!(again.status().as_u16(), 202);
    assert_eq!(again.into_inner().member.guid.as_deref(), Some(g));
    let err: Error = a
        .aggregate_member_balances()
        .user_guid(u)
        .member_guid(g)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(e) if e.status == 409),
        "{err:?}"
    );
    settle().await;
    macro_rules! job {
        ($name:literal, $builder:ident) => {{
            let r = c.ok(
                "atrium",
                $name,
                a.$builder().user_guid(u).member_guid(g).send().await,
            );
            assert_eq!(r.status().as_u16(), 200, $name);
            assert_eq!(r.into_inner().member.guid.as_deref(), Some(g));
            settle().await;
        }};
    }
    job!("aggregate_member_balances", aggregate_member_balances);
    job!("extend_history", extend_history);
    job!("fetch_statements", fetch_statements);
    job!("identify_member", identify_member);
    job!("verify_member", verify_member);
}

/// MFA: MX Bank's `challenge` password, answered with `correct`.
pub async fn mfa(a: &atrium::Client, c: &mut Calls, u: &str, fields: &[at::CredentialResponse]) {
    let challenged = c
        .ok(
            "atrium",
            "create_member",
            a.create_member()
                .user_guid(u)
                .body(at::MemberCreateRequestBody::new(at::MemberCreateRequest {
                    credentials: credentials(fields, "challenge"),
                    ..at::MemberCreateRequest::new("mxbank")
                }))
                .send()
                .await,
        )
        .into_inner()
        .member
        .guid
        .unwrap();
    settle().await;
    let challenges = c.ok(
        "atrium",
        "list_member_mfa_challenges",
        a.list_member_mfa_challenges()
            .user_guid(u)
            .member_guid(&challenged)
            .send()
            .await,
    );
    assert_eq!(challenges.status().as_u16(), 200);
    let challenges = challenges.into_inner().challenges;
    assert_eq!(challenges.len(), 1);
    assert_eq!(challenges[0].type_.as_deref(), Some("TEXT"));
    let resumed = c
        .ok(
            "atrium",
            "resume_member",
            a.resume_member()
                .user_guid(u)
                .member_guid(&challenged)
                .body(at::MemberResumeRequestBody::new(at::MemberResumeRequest {
                    challenges: vec![at::CredentialRequest {
                        guid: challenges[0].guid.clone(),
                        value: Some("correct".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }))
                .send()
                .await,
        )
        .into_inner()
        .member;
    assert_eq!(resumed.connection_status, Some(ConnectionStatus::Resumed));
    settle().await;
    let status = a
        .read_member_status()
        .user_guid(u)
        .member_guid(&challenged)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));
}

/// OAuth: a fresh one-time window; the connect widget URL: one-time.
pub async fn oauth_and_connect_widget(sim: &Simulator, a: &atrium::Client, c: &mut Calls, u: &str) {
    let oauth = c
        .ok(
            "atrium",
            "create_member",
            a.create_member()
                .user_guid(u)
                .body(at::MemberCreateRequestBody::new(at::MemberCreateRequest {
                    is_oauth: Some(true),
                    ..at::MemberCreateRequest::new("mxbank_oauth")
                }))
                .send()
                .await,
        )
        .into_inner()
        .member;
    assert_eq!(oauth.connection_status, Some(ConnectionStatus::Pending));
    let window = c
        .ok(
            "atrium",
            "read_o_auth_window_uri",
            a.read_o_auth_window_uri()
                .user_guid(u)
                .member_guid(oauth.guid.as_deref().unwrap())
                .send()
                .await,
        )
        .into_inner()
        .member;
    let uri = window.oauth_window_uri.clone().unwrap();
    assert_ne!(Some(&uri), oauth.oauth_window_uri.as_ref());
    assert_eq!(reqwest::get(&uri).await.unwrap().status().as_u16(), 200);

    // The connect widget URL: one-time.
    let widget = c
        .ok(
            "atrium",
            "get_connect_widget",
            a.get_connect_widget()
                .user_guid(u)
                .body(at::ConnectWidgetRequestBody {
                    is_mobile_webview: Some(false),
                    ..Default::default()
                })
                .send()
                .await,
        )
        .into_inner()
        .user;
    let url = widget.connect_widget_url.unwrap();
    assert!(
        url.starts_with(&format!("http://{}/connect/", sim.addr())),
        "{url}"
    );
    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 200);
    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 410);
}

/// Nexus: a member of the session's user, the same member in Atrium.
pub async fn nexus_member(
    a: &atrium::Client,
    n: &nexus::Client,
    c: &mut Calls,
    fields: &[at::CredentialResponse],
) {
    let nexus_member = c
        .ok(
            "nexus",
            "create_member",
            n.create_member()
                .body(nt::MemberCreateRequestBody::new(nt::MemberCreateRequest {
                    credentials: fields
                        .iter()
                        .map(|f| nt::MemberCreateRequestCredentialsItem {
                            credential_guid: f.guid.clone(),
                            value: Some("nexus".into()),
                            ..Default::default()
                        })
                        .collect(),
                    ..nt::MemberCreateRequest::new(MXBANK_GUID)
                }))
                .send()
                .await,
        )
        .into_inner()
        .member
        .unwrap();
    let ng = nexus_member.guid.unwrap();
    let in_atrium = a
        .read_member()
        .user_guid(DEMO_USER_GUID)
        .member_guid(&ng)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(in_atrium.user_guid.as_deref(), Some(DEMO_USER_GUID));
}
