//! The Platform client of each version on the wire (a recording server on
//! 127.0.0.1) and against the simulator's `/platform` (same world as
//! Atrium). One set of tests, instantiated per version module: the two
//! have the same shape and differ in their version, their `Accept` and the
//! names of their path parameters.

/// The tests of one Platform version module.
///
/// - `$module`: the test module; `$api`: the crate's module;
/// - `$version`: its `Accept-Version`; `$accept`: the `Accept` of its JSON
///   answers;
/// - `$user`, `$member`: the builder methods of its member operations'
///   path parameters.
macro_rules! platform_wire_tests {
    (
        $module:ident,
        $api:path,
        version: $version:literal,
        accept: $accept:expr,
        user: $user:ident,
        member: $member:ident $(,)?
    ) => {
        mod $module {
            use std::time::Duration;

            use base64::Engine as _;
            use futures_util::TryStreamExt;
            use mx_client::lifecycle::connect_widget::ConnectWidgetOptions;
            use mx_client::lifecycle::jobs::{Job, JobOutcome};
            use mx_client::lifecycle::mfa::Challenges;
            use mx_client::lifecycle::oauth::{OAuthWindowError, OAuthWindowOptions};
            use mx_client::lifecycle::resume::{Answers, ResumeOutcome};
            use mx_client::lifecycle::{PollConfig, Settled};
            use mx_client::{ApiKey, ClientId, ConnectionStatus, Error, UseCase};
            use serde_json::json;
            use $api::{types, Client, Environment, SecurityScheme};

            use crate::common::{serve, Recorded, Reply};

            const VERSION: &str = $version;
            const ACCEPT: &str = $accept;
            const CLIENT_ID: &str = "cid-5e8a1b2c-0f3d-4a7e-9c6b-d2e1f0a9b8c7";
            const API_KEY: &str = "k-3c9f2d7a0e5b41f8a6d2c7e9b1f40a55";
            const USER: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";
            const MEMBER: &str = "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b";
            const MXBANK_LOGIN: &str = "CRD-1ec152cd-e628-e81a-e852-d1e7104624da";
            const MXBANK_PASSWORD: &str = "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d";

            fn credentials() -> (ClientId, ApiKey) {
                (ClientId::new(CLIENT_ID), ApiKey::new(API_KEY))
            }

            fn client(base: &str) -> Client {
                let (id, key) = credentials();
                Client::from_environment(Environment::Custom(base.into()), id, key).unwrap()
            }

            /// Exactly the headers MX documents for this version, and
            /// nothing else of ours.
            fn assert_platform_headers(r: &Recorded, with_body: bool) {
                let basic = base64::engine::general_purpose::STANDARD
                    .encode(format!("{CLIENT_ID}:{API_KEY}"));
                assert_eq!(
                    r.header("authorization"),
                    Some(format!("Basic {basic}").as_str())
                );
                assert_eq!(r.headers.get_all("authorization").iter().count(), 1);
                assert_eq!(r.header("accept-version"), Some(VERSION));
                assert_eq!(r.headers.get_all("accept-version").iter().count(), 1);
                assert_eq!(r.header("accept"), Some(ACCEPT));
                assert_eq!(r.headers.get_all("accept").iter().count(), 1);
                for stray in [
                    "api-version",
                    "mx-api-key",
                    "mx-client-id",
                    "md-session-token",
                ] {
                    assert_eq!(r.header(stray), None, "{stray}");
                }
                assert_eq!(
                    r.header("content-type"),
                    with_body.then_some("application/json"),
                    "the Platform spec documents request bodies as application/json"
                );
            }

            fn member_answer() -> serde_json::Value {
                json!({"member": {
                    "guid": MEMBER,
                    "user_guid": USER,
                    "institution_code": "mxbank",
                    "connection_status": "CONNECTED",
                    "is_being_aggregated": false,
                    "use_cases": ["PFM", "SOMETHING_NEW"],
                    "most_recent_job_detail_text": null
                }})
            }

            /// MX's version header is a constant of the wire table: no
            /// generated operation asks for it.
            #[test]
            fn no_operation_takes_the_version_as_an_argument() {
                let generated = include_str!(concat!(
                    env!("OUT_DIR"),
                    "/platform_",
                    $version,
                    ".rs"
                ));
                assert!(!generated.contains("accept_version"));
                assert!(generated.contains("from_static(\"accept-version\")"));
            }

            #[test]
            fn environments_are_the_specs_servers() {
                assert_eq!(
                    Environment::Integration.base_url(),
                    "https://int-api.mx.com"
                );
                assert_eq!(Environment::Production.base_url(), "https://api.mx.com");
                assert_eq!(
                    Environment::Custom("http://127.0.0.1:1/platform/".into()).base_url(),
                    "http://127.0.0.1:1/platform"
                );
            }

            #[tokio::test]
            async fn create_member_sends_the_version_basic_auth_and_json() {
                let server = serve(|_| Reply::json(202, ACCEPT, member_answer())).await;
                let body: types::MemberCreateRequestBody =
                    serde_json::from_value(json!({"member": {
                        "institution_code": "mxbank",
                        "credentials": [
                            {"guid": MXBANK_LOGIN, "value": "mxuser"},
                            {"guid": MXBANK_PASSWORD, "value": "password"}
                        ]
                    }}))
                    .unwrap();
                let member = client(&server.base)
                    .create_member()
                    .$user(USER)
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .member
                    .unwrap();
                assert_eq!(member.connection_status, Some(ConnectionStatus::Connected));
                // A use case MX adds later decodes instead of failing the answer.
                assert_eq!(
                    member.use_cases,
                    vec![UseCase::Pfm, UseCase::from("SOMETHING_NEW")]
                );
                let r = &server.requests()[0];
                assert_eq!(r.method, "POST");
                assert_eq!(r.path(), format!("/users/{USER}/members"));
                assert_platform_headers(r, true);
                assert_eq!(
                    r.json(),
                    json!({"member": {"institution_code": "mxbank", "credentials": [
                        {"guid": MXBANK_LOGIN, "value": "mxuser"},
                        {"guid": MXBANK_PASSWORD, "value": "password"}
                    ]}})
                );
            }

            /// What the generated request builds itself, on the wire: a
            /// header parameter when it is set (and none when it is not), a
            /// path parameter percent-encoded as one segment.
            #[tokio::test]
            async fn header_and_path_parameters_reach_the_wire() {
                let server = serve(|_| Reply::json(202, ACCEPT, member_answer())).await;
                let mx = client(&server.base);
                let body = || types::MemberCreateRequestBody {
                    member: Some(types::MemberCreateRequest::new(Vec::new(), "mxbank")),
                    ..Default::default()
                };
                mx.create_member()
                    .$user("USR a/b?c#d%e")
                    .x_callback_payload("order-42")
                    .body(body())
                    .send()
                    .await
                    .unwrap();
                mx.create_member().$user(USER).body(body()).send().await.unwrap();
                let requests = server.requests();
                assert_eq!(requests[0].path(), "/users/USR%20a%2Fb%3Fc%23d%25e/members");
                assert_eq!(requests[0].header("x-callback-payload"), Some("order-42"));
                assert_platform_headers(&requests[0], true);
                assert_eq!(requests[1].header("x-callback-payload"), None);
                assert_platform_headers(&requests[1], true);
            }

            /// An array query parameter goes out as the spec declares it
            /// (OpenAPI's default form style, exploded): its key once per
            /// value, every value.
            #[tokio::test]
            async fn array_query_parameters_send_every_value() {
                let server = serve(|_| {
                    Reply::json(200, ACCEPT, json!({"institutions": [], "pagination": {}}))
                })
                .await;
                client(&server.base)
                    .list_institutions()
                    .iso_country_code(vec!["US".to_string(), "CA".to_string()])
                    .send()
                    .await
                    .unwrap();
                let r = server.only_request();
                assert_platform_headers(&r, false);
                assert_eq!(
                    r.uri.split_once('?').map(|(_, q)| q),
                    Some("iso_country_code=US&iso_country_code=CA")
                );
            }

            #[tokio::test]
            async fn operations_without_an_answer_body_ask_for_the_versions_json() {
                let server = serve(|r| match r.method.as_str() {
                    "DELETE" => Reply::empty(204),
                    _ => Reply::json(
                        200,
                        "application/json",
                        json!({"authorization_code": {"code": "c"}}),
                    ),
                })
                .await;
                let mx = client(&server.base);
                mx.delete_member()
                    .$user(USER)
                    .$member(MEMBER)
                    .send()
                    .await
                    .unwrap();
                // The spec documents `application/json` for this answer.
                let body: types::AuthorizationCodeRequestBody =
                    serde_json::from_value(json!({})).unwrap();
                mx.request_authorization_code().body(body).send().await.unwrap();
                let requests = server.requests();
                assert_platform_headers(&requests[0], false);
                assert_platform_headers(&requests[1], true);
            }

            #[tokio::test]
            async fn bearer_operations_send_the_token_and_no_basic() {
                let server = serve(|_| Reply::json(200, ACCEPT, json!({}))).await;
                let (id, key) = credentials();
                let mx = Client::builder(Environment::Custom(server.base.clone()), id, key)
                    .credential(SecurityScheme::BearerAuth, "processor-token-1")
                    .build()
                    .unwrap();
                mx.request_account_number().send().await.unwrap();
                let r = &server.requests()[0];
                assert_eq!(r.header("authorization"), Some("Bearer processor-token-1"));
                assert_eq!(r.headers.get_all("authorization").iter().count(), 1);
                assert_eq!(r.header("accept-version"), Some(VERSION));
                // Without a token: a typed error, and nothing is sent.
                let err = client(&server.base)
                    .request_account_number()
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
                assert_eq!(server.requests().len(), 1);
            }

            #[tokio::test]
            async fn secrets_never_print() {
                let mx = client("http://127.0.0.1:9");
                let shown = format!("{mx:?}");
                let basic = base64::engine::general_purpose::STANDARD
                    .encode(format!("{CLIENT_ID}:{API_KEY}"));
                for secret in [CLIENT_ID, API_KEY, basic.as_str()] {
                    assert!(!shown.contains(secret), "{shown}");
                }
                assert!(shown.contains("[REDACTED]"), "{shown}");
                let (id, key) = credentials();
                assert_eq!(
                    format!("{id:?} {key:?}"),
                    "ClientId([REDACTED]) ApiKey([REDACTED])"
                );
            }

            #[tokio::test]
            async fn errors_are_typed_and_reads_retry() {
                let server = serve(|r| {
                    if r.method == "GET" && r.uri.contains("/status") {
                        Reply::json(503, ACCEPT, json!({"error": {"message": "busy"}}))
                    } else {
                        Reply::json(401, ACCEPT, json!({"error": {"message": "bad auth"}}))
                    }
                })
                .await;
                let (id, key) = credentials();
                let mx = Client::builder(Environment::Custom(server.base.clone()), id, key)
                    .retry_policy(mx_client::RetryPolicy {
                        max_retries: 2,
                        base_delay: Duration::from_millis(1),
                        ..Default::default()
                    })
                    .build()
                    .unwrap();
                let err = mx.read_user().$user(USER).send().await.unwrap_err();
                assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
                let err = mx.member(USER, MEMBER).status().await.unwrap_err();
                assert!(matches!(err, Error::Server(_)), "{err:?}");
                // One read_user, then three status reads (two retries).
                assert_eq!(server.requests().len(), 4);
            }

            /// The member handle's requests on the wire: the same calls as
            /// Atrium's, this version's paths and headers.
            #[tokio::test]
            async fn the_member_handle_calls_the_documented_operations() {
                let server = serve(|r| {
                    if r.uri.contains("/oauth_window_uri") {
                        Reply::json(200, ACCEPT, json!({"member": {
                            "guid": MEMBER,
                            "oauth_window_uri": "int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/x"
                        }}))
                    } else if r.uri.contains("/challenges") {
                        Reply::empty(204)
                    } else {
                        Reply::json(202, ACCEPT, member_answer())
                    }
                })
                .await;
                let member = client(&server.base).member(USER, MEMBER);
                let url = member
                    .oauth_window(&OAuthWindowOptions::new().app("myapp").skip_aggregation(true))
                    .await
                    .unwrap();
                assert_eq!(
                    url.as_str(),
                    "https://int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/x"
                );
                assert!(matches!(
                    member.challenges().await.unwrap(),
                    Challenges::NothingToAnswer
                ));
                let outcome = member.run(Job::Verify).await.unwrap();
                assert!(matches!(outcome, JobOutcome::Accepted(_)), "{outcome:?}");
                let requests = server.requests();
                let base = format!("/users/{USER}/members/{MEMBER}");
                assert_eq!(requests[0].path(), format!("{base}/oauth_window_uri"));
                assert_eq!(requests[0].query("referral_source").as_deref(), Some("APP"));
                assert_eq!(
                    requests[0].query("ui_message_webview_url_scheme").as_deref(),
                    Some("myapp")
                );
                assert_eq!(requests[0].query("skip_aggregation").as_deref(), Some("true"));
                assert_eq!(requests[1].path(), format!("{base}/challenges"));
                assert_eq!((requests[2].method.as_str(), requests[2].path()), ("POST", format!("{base}/verify").as_str()));
                for r in &requests {
                    assert_platform_headers(r, false);
                }
            }

            async fn simulator() -> mx_sim::Simulator {
                mx_sim::start_with(
                    mx_sim::Config {
                        aggregation_time: Duration::from_millis(150),
                        job_time: Duration::from_millis(150),
                        ..mx_sim::Config::default()
                    },
                    "127.0.0.1:0".parse().unwrap(),
                )
                .await
                .unwrap()
            }

            fn sim_client(sim: &mx_sim::Simulator) -> Client {
                Client::from_environment(
                    Environment::Custom(sim.platform_base_url()),
                    ClientId::new(mx_sim::DEMO_CLIENT_ID),
                    ApiKey::new(mx_sim::DEMO_API_KEY),
                )
                .unwrap()
            }

            fn mxbank(password: &str) -> types::MemberCreateRequestBody {
                serde_json::from_value(json!({"member": {
                    "institution_code": "mxbank",
                    "credentials": [
                        {"guid": MXBANK_LOGIN, "value": "mxuser"},
                        {"guid": MXBANK_PASSWORD, "value": password}
                    ]
                }}))
                .unwrap()
            }

            async fn create(mx: &Client, user: &str, password: &str) -> String {
                mx.create_member()
                    .$user(user)
                    .body(mxbank(password))
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .member
                    .and_then(|m| m.guid)
                    .unwrap()
            }

            /// Polls the member through its handle until it settles.
            async fn settle(mx: &Client, member: &str) -> Settled {
                let config = PollConfig::new()
                    .interval(Duration::from_millis(30))
                    .deadline(Duration::from_secs(10));
                mx.member(USER, member).poll(config).await.unwrap()
            }

            #[tokio::test]
            async fn simulator_create_poll_connected_accounts_and_transactions() {
                let sim = simulator().await;
                let mx = sim_client(&sim);
                // Wrong credentials: 401, typed.
                let wrong = Client::from_environment(
                    Environment::Custom(sim.platform_base_url()),
                    ClientId::new(mx_sim::DEMO_CLIENT_ID),
                    ApiKey::new("not-the-key"),
                )
                .unwrap();
                let err = wrong.read_user().$user(USER).send().await.unwrap_err();
                assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");

                // The seeded Atrium user is a Platform user.
                let user = mx.read_user().$user(USER).send().await.unwrap().into_inner();
                assert_eq!(user.user.and_then(|u| u.guid).as_deref(), Some(USER));

                let member = create(&mx, USER, "password").await;
                let settled = settle(&mx, &member).await;
                assert!(
                    matches!(&settled, Settled::Connected(s) if s.status == Some(ConnectionStatus::Connected)),
                    "{settled:?}"
                );
                let read = mx.member(USER, &member).read().await.unwrap();
                assert_eq!(read.guid.as_deref(), Some(member.as_str()));

                let accounts: Vec<types::AccountResponse> = mx
                    .list_member_accounts()
                    .$user(USER)
                    .$member(&member)
                    .stream_all()
                    .try_collect()
                    .await
                    .unwrap();
                assert!(!accounts.is_empty());
                assert!(accounts
                    .iter()
                    .all(|a| a.member_guid.as_deref() == Some(member.as_str())));
                let transactions: Vec<types::TransactionIncludesResponse> = mx
                    .list_transactions_by_member()
                    .$user(USER)
                    .$member(&member)
                    .stream_all()
                    .try_collect()
                    .await
                    .unwrap();
                assert!(!transactions.is_empty());
                assert!(transactions
                    .iter()
                    .all(|t| t.member_guid.as_deref() == Some(member.as_str())));
            }

            #[tokio::test]
            async fn simulator_mfa_challenge_then_resume_connects() {
                let sim = simulator().await;
                let mx = sim_client(&sim);
                let guid = create(&mx, USER, "challenge").await;
                let member = mx.member(USER, &guid);
                let settled = settle(&mx, &guid).await;
                let Settled::Challenged(snapshot) = &settled else {
                    panic!("{settled:?}");
                };
                // The status read carries the challenge; the challenges list agrees.
                assert_eq!(snapshot.challenges.len(), 1);
                let Challenges::ToAnswer(asked) = member.challenges().await.unwrap() else {
                    panic!("a CHALLENGED member has challenges");
                };
                assert_eq!(asked.len(), 1);
                let answers = Answers::new().text(&asked[0], "correct").unwrap();
                let resumed = member.resume(&answers).await.unwrap();
                assert!(matches!(resumed, ResumeOutcome::Resumed(_)), "{resumed:?}");
                let settled = settle(&mx, &guid).await;
                assert!(matches!(settled, Settled::Connected(_)), "{settled:?}");
                assert_eq!(asked[0], snapshot.challenges[0]);
                assert!(matches!(
                    member.challenges().await.unwrap(),
                    Challenges::NothingToAnswer
                ));
            }

            /// The Platform's jobs through the handle: its 202 is `Accepted`
            /// (started, or the same job already running), a job of another
            /// type while one runs is `OtherJobRunning` (409), and once it
            /// ends another type is accepted.
            #[tokio::test]
            async fn simulator_jobs_are_accepted_or_refused_while_another_runs() {
                let sim = simulator().await;
                let mx = sim_client(&sim);
                let guid = create(&mx, USER, "password").await;
                let member = mx.member(USER, &guid);
                assert!(matches!(settle(&mx, &guid).await, Settled::Connected(_)));

                let first = member.run(Job::Aggregate).await.unwrap();
                let JobOutcome::Accepted(body) = &first else {
                    panic!("expected Accepted, got {first:?}")
                };
                assert_eq!(body.guid.as_deref(), Some(guid.as_str()));
                let again = member.run(Job::Aggregate).await.unwrap();
                assert!(matches!(again, JobOutcome::Accepted(_)), "{again:?}");
                let other = member.run(Job::Identify).await.unwrap();
                assert!(matches!(other, JobOutcome::OtherJobRunning), "{other:?}");

                assert!(matches!(settle(&mx, &guid).await, Settled::Connected(_)));
                let later = member.run(Job::Identify).await.unwrap();
                assert!(matches!(later, JobOutcome::Accepted(_)), "{later:?}");
            }

            /// The two operations MX's specs mistype, as the overlays
            /// correct them, against the simulator: Read transaction answers
            /// the one transaction, List budgets the list.
            #[tokio::test]
            async fn simulator_read_transaction_and_list_budgets_return_their_records() {
                let sim = simulator().await;
                let mx = sim_client(&sim);
                let guid = create(&mx, USER, "password").await;
                assert!(matches!(settle(&mx, &guid).await, Settled::Connected(_)));
                let transactions: Vec<types::TransactionIncludesResponse> = mx
                    .list_transactions_by_member()
                    .$user(USER)
                    .$member(&guid)
                    .stream_all()
                    .try_collect()
                    .await
                    .unwrap();
                let first = transactions[0].guid.clone().unwrap();
                let read = mx
                    .read_transaction()
                    .user_guid(USER)
                    .transaction_guid(&first)
                    .send()
                    .await
                    .unwrap()
                    .into_inner();
                let read = read.transaction.unwrap();
                assert_eq!(read.guid.as_deref(), Some(first.as_str()));
                assert_eq!(read.amount, transactions[0].amount);

                let mut made = Vec::new();
                for (category, amount) in [("CAT-food", 150.0), ("CAT-fuel", 80.0)] {
                    let body: types::BudgetCreateRequestBody = serde_json::from_value(json!({
                        "budget": {"category_guid": category, "parent_guid": "CAT-parent", "amount": amount}
                    }))
                    .unwrap();
                    let budget = mx
                        .create_budget()
                        .user_guid(USER)
                        .body(body)
                        .send()
                        .await
                        .unwrap()
                        .into_inner()
                        .budget
                        .unwrap();
                    made.push(budget.guid.unwrap());
                }
                let listed = mx
                    .list_all_budgets()
                    .user_guid(USER)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .budgets;
                let listed: Vec<String> = listed.into_iter().filter_map(|b| b.guid).collect();
                assert_eq!(listed, made);
            }

            /// OAuth windows and the Connect widget through the simulator:
            /// a non-OAuth member is refused with MX's 400, the widget URL
            /// is a URL.
            #[tokio::test]
            async fn simulator_oauth_window_and_connect_widget() {
                let sim = simulator().await;
                let mx = sim_client(&sim);
                let guid = create(&mx, USER, "password").await;
                let err = mx
                    .member(USER, &guid)
                    .oauth_window(&OAuthWindowOptions::new())
                    .await
                    .unwrap_err();
                assert!(
                    matches!(&err, OAuthWindowError::Api(Error::BadRequest(_))),
                    "{err:?}"
                );
                let url = mx
                    .connect_widget_url(USER, &ConnectWidgetOptions::new().institution("mxbank"))
                    .await
                    .unwrap();
                assert!(url.as_str().starts_with(&sim.platform_base_url().replace("/platform", "")), "{url}");
            }
        }
    };
}

#[cfg(feature = "platform-v20111101")]
platform_wire_tests!(
    v20111101,
    mx_client::platform::v20111101,
    version: "v20111101",
    accept: "application/vnd.mx.api.v1+json",
    user: user_guid,
    member: member_guid,
);

#[cfg(feature = "platform-v20250224")]
platform_wire_tests!(
    v20250224,
    mx_client::platform::v20250224,
    version: "v20250224",
    accept: "application/json",
    user: user_identifier,
    member: member_identifier,
);

/// v20111101 takes `category_guid` (one value) beside `category_guid[]`
/// (any number): both go out, the array as its key once per value.
#[cfg(feature = "platform-v20111101")]
#[tokio::test]
async fn v20111101_sends_the_single_and_the_array_category_filters() {
    use mx_client::platform::v20111101::{Client, Environment};
    use serde_json::json;

    use crate::common::{serve, Reply};

    let server = serve(|_| {
        Reply::json(
            200,
            "application/vnd.mx.api.v1+json",
            json!({"transactions": [], "pagination": {}}),
        )
    })
    .await;
    let mx = Client::from_environment(
        Environment::Custom(server.base.clone()),
        mx_client::ClientId::new("id"),
        mx_client::ApiKey::new("key"),
    )
    .unwrap();
    mx.list_transactions()
        .user_guid("USR-1")
        .category_guid("CAT-0")
        .category_guids(vec!["CAT-1".to_string(), "CAT-2".to_string()])
        .top_level_category_guids(vec!["CAT-3".to_string()])
        .send()
        .await
        .unwrap();
    let r = server.only_request();
    let query = r.uri.split_once('?').map(|(_, q)| q).unwrap();
    assert_eq!(
        query,
        "category_guid=CAT-0&category_guid%5B%5D=CAT-1&category_guid%5B%5D=CAT-2&top_level_category_guid%5B%5D=CAT-3"
    );
}
