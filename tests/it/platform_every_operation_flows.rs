//! `platform_every_operation`: the member's jobs, MFA, OAuth and the
//! widgets, each as MX documents it for the Platform.

use crate::platform_every_operation::for_each_version;

macro_rules! flows {
    (
        $module:ident,
        $api:path,
        user: $user:ident,
        member: $member:ident,
        account: $account:ident,
        transaction: $txn:ident,
        institution: $institution:ident $(,)?
    ) => {
        pub mod $module {
            use mx_client::lifecycle::mfa::Challenges;
            use mx_client::lifecycle::Settled;
            use mx_client::{ConnectionStatus, Error};
            use $api::{types, Client, ResponseValue};

            use crate::platform_every_operation::{set, settle, Calls, Ids};
            use crate::platform_every_operation::$module::{mxbank, poll};
            use crate::platform_every_operation_versions::$module as versions;

            /// Every job, one after the other: accepted (202, verify's start
            /// 200; the same job again while it runs 202), 409 while another
            /// type runs.
            pub async fn jobs(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                for _ in 0..2 {
                    let r = c.ok("aggregate_member", mx.aggregate_member().$user(u).$member(g).send().await);
                    assert_eq!(r.status().as_u16(), 202);
                    assert_eq!(set(&r.into_inner().member, "member").guid.as_deref(), Some(g));
                }
                let err = mx.identify_member().$user(u).$member(g).send().await.unwrap_err();
                assert!(matches!(&err, Error::Conflict(e) if e.status == 409), "{err:?}");
                settle().await;
                accepted(c, "check_balances", 202, mx.check_balances().$user(u).$member(g).send().await, g).await;
                accepted(c, "extend_history", 202, mx.extend_history().$user(u).$member(g).send().await, g).await;
                accepted(c, "fetch_statements", 202, mx.fetch_statements().$user(u).$member(g).send().await, g).await;
                accepted(c, "identify_member", 202, mx.identify_member().$user(u).$member(g).send().await, g).await;
                accepted(c, "verify_member", 200, mx.verify_member().$user(u).$member(g).send().await, g).await;
                let status = mx.read_member_status().$user(u).$member(g).send().await.unwrap();
                let status = status.into_inner().member.unwrap();
                assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));
                assert_eq!(status.is_being_aggregated, Some(false));
            }

            /// A job's answer: `status` with the member; then the job finishes.
            /// The specs document 202 for every job but verify, whose start
            /// answers 200 (202 when one already runs: the overlays).
            async fn accepted(
                c: &mut Calls,
                name: &'static str,
                status: u16,
                r: Result<ResponseValue<types::MemberResponseBody>, Error>,
                g: &str,
            ) {
                let r = c.ok(name, r);
                assert_eq!(r.status().as_u16(), status, "{name}");
                assert_eq!(set(&r.into_inner().member, "member").guid.as_deref(), Some(g), "{name}");
                settle().await;
            }

            /// MFA: MX Bank's `challenge` password, answered with `correct`.
            pub async fn mfa(mx: &Client, c: &mut Calls, ids: &Ids, fields: &[types::CredentialResponse]) {
                let u = ids.user.as_str();
                let made = mx.create_member().$user(u).body(mxbank(fields, "challenge")).send().await.unwrap();
                let g = made.into_inner().member.and_then(|m| m.guid).unwrap();
                let settled = poll(mx, u, &g).await;
                assert!(matches!(settled, Settled::Challenged(_)), "{settled:?}");
                let asked = c.ok("list_member_challenges", mx.list_member_challenges().$user(u).$member(&g).send().await);
                assert_eq!(asked.status().as_u16(), 200);
                let asked = asked.into_inner().challenges;
                assert_eq!(asked.len(), 1, "{asked:?}");
                assert!(asked[0].label.is_some() && asked[0].type_.is_some(), "{asked:?}");
                let body = types::MemberResumeRequestBody {
                    member: Some(types::MemberResumeRequest {
                        challenges: vec![types::CredentialRequest {
                            guid: asked[0].guid.clone(),
                            value: Some("correct".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let resumed = c.ok("resume_aggregation", mx.resume_aggregation().$user(u).$member(&g).body(body).send().await);
                assert_eq!(resumed.status().as_u16(), 202);
                assert_eq!(set(&resumed.into_inner().member, "member").guid.as_ref(), Some(&g));
                let settled = poll(mx, u, &g).await;
                assert!(matches!(settled, Settled::Connected(_)), "{settled:?}");
                // MX's 204 once there is nothing to answer: the generated
                // call takes only the documented answer with a body (its
                // typed answer), so its 204 is the lifecycle API's case.
                let none = mx.member(u, &g).challenges().await.unwrap();
                assert!(matches!(none, Challenges::NothingToAnswer), "{none:?}");
            }

            /// OAuth: a fresh one-time window for an OAuth member; the
            /// widget URLs: one-time.
            pub async fn oauth_and_widgets(sim: &mx_sim::Simulator, mx: &Client, c: &mut Calls, ids: &Ids) {
                let u = ids.user.as_str();
                let body = types::MemberCreateRequestBody {
                    member: Some(types::MemberCreateRequest {
                        is_oauth: Some(true),
                        ..types::MemberCreateRequest::new(Vec::new(), "mxbank_oauth")
                    }),
                    ..Default::default()
                };
                let oauth = mx.create_member().$user(u).body(body).send().await.unwrap();
                let oauth = oauth.into_inner().member.unwrap();
                assert_eq!(oauth.connection_status, Some(ConnectionStatus::Pending));
                assert_eq!(oauth.is_oauth, Some(true));
                let g = oauth.guid.as_deref().unwrap();
                let window = c
                    .body("request_o_auth_window_uri", mx.request_o_auth_window_uri().$user(u).$member(g).send().await)
                    .member;
                let window = set(&window, "member");
                assert_eq!(window.guid.as_deref(), Some(g));
                let uri = set(&window.oauth_window_uri, "oauth_window_uri");
                assert_ne!(Some(uri), oauth.oauth_window_uri.as_ref());
                assert_eq!(reqwest::get(uri).await.unwrap().status().as_u16(), 200);

                let base = format!("http://{}/", sim.addr());
                for url in versions::widget_urls(mx, c, u).await {
                    assert!(url.starts_with(&base), "{url}");
                    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 200, "{url}");
                    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 410, "{url}");
                }
            }
        }
    };
}

for_each_version!(flows);
