//! The Platform's processor-token flow through the generated clients of
//! each version, against the simulator: the client requests an
//! authorization code for one account; the processor, with a client built
//! from its own `processor_id` and `api_key`, exchanges it for an access
//! token (`request_processor_token`, `POST /token`); a client with that
//! token as its bearer credential reads the scoped account (MX's How-to
//! Guide for Processors,
//! https://docs.mx.com/products/connectivity/instant-account-verification/processor-token/processor-guide).

/// The flow's tests for one Platform version module.
///
/// - `$module`: the test module; `$api`: the crate's module;
/// - `$user`, `$member`: the builder methods of its member operations'
///   path parameters.
macro_rules! platform_processor_tests {
    (
        $module:ident,
        $api:path,
        user: $user:ident,
        member: $member:ident $(,)?
    ) => {
        mod $module {
            use std::time::Duration;

            use futures_util::TryStreamExt;
            use mx_client::lifecycle::{PollConfig, Settled};
            use mx_client::{ApiKey, ClientId, Error};
            use serde_json::json;
            use $api::{types, Client, Environment, SecurityScheme};

            const USER: &str = mx_sim::DEMO_USER_GUID;

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

            fn env(sim: &mx_sim::Simulator) -> Environment {
                Environment::Custom(sim.platform_base_url())
            }

            /// The client (an MX client's own credentials).
            fn client(sim: &mx_sim::Simulator) -> Client {
                Client::from_environment(
                    env(sim),
                    ClientId::new(mx_sim::DEMO_CLIENT_ID),
                    ApiKey::new(mx_sim::DEMO_API_KEY),
                )
                .unwrap()
            }

            /// The processor: a client built with its `processor_id` and
            /// `api_key`, and its access token as the bearer credential when
            /// it has one.
            fn processor(sim: &mx_sim::Simulator, token: Option<&str>) -> Client {
                let builder = Client::builder(
                    env(sim),
                    ClientId::new(mx_sim::DEMO_PROCESSOR_ID),
                    ApiKey::new(mx_sim::DEMO_PROCESSOR_API_KEY),
                );
                match token {
                    Some(t) => builder.credential(SecurityScheme::BearerAuth, t.to_string()),
                    None => builder,
                }
                .build()
                .unwrap()
            }

            /// A connected MX Bank member of the demo user; its checking
            /// account.
            async fn connected(mx: &Client) -> (String, types::AccountResponse) {
                let body: types::MemberCreateRequestBody = serde_json::from_value(json!({"member": {
                    "institution_code": "mxbank",
                    "credentials": [
                        {"guid": "CRD-1ec152cd-e628-e81a-e852-d1e7104624da", "value": "mxuser"},
                        {"guid": "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d", "value": "password"}
                    ]
                }}))
                .unwrap();
                let member = mx
                    .create_member()
                    .$user(USER)
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .member
                    .and_then(|m| m.guid)
                    .unwrap();
                let poll = PollConfig::new()
                    .interval(Duration::from_millis(30))
                    .deadline(Duration::from_secs(10));
                let settled = mx.member(USER, &member).poll(poll).await.unwrap();
                assert!(matches!(settled, Settled::Connected(_)), "{settled:?}");
                let accounts: Vec<types::AccountResponse> = mx
                    .list_member_accounts()
                    .$user(USER)
                    .$member(&member)
                    .stream_all()
                    .try_collect()
                    .await
                    .unwrap();
                let checking = accounts
                    .into_iter()
                    .find(|a| serde_json::to_value(a).unwrap()["type"] == "CHECKING")
                    .expect("a checking account");
                (member, checking)
            }

            /// The client's authorization code for `scope`.
            async fn code(mx: &Client, scope: &str) -> String {
                let body: types::AuthorizationCodeRequestBody =
                    serde_json::from_value(json!({"authorization_code": {"scope": scope}}))
                        .unwrap();
                mx.request_authorization_code()
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .authorization_code
                    .and_then(|c| c.code)
                    .expect("a code")
            }

            #[tokio::test]
            async fn a_code_becomes_the_processors_bearer_token_for_the_scoped_account() {
                let sim = simulator().await;
                let mx = client(&sim);
                let (member, account) = connected(&mx).await;
                let account_guid = account.guid.clone().unwrap();
                let scope = format!(
                    "user-guid:{USER} member-guid:{member} account-guid:{account_guid} read-protected"
                );
                let code = code(&mx, &scope).await;

                // The client's own credentials get no token.
                let err = mx
                    .request_processor_token()
                    .grant_type("authorization_code")
                    .code(&code)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");

                // The processor's do, once per code.
                let token = processor(&sim, None)
                    .request_processor_token()
                    .grant_type("authorization_code")
                    .code(&code)
                    .send()
                    .await
                    .unwrap()
                    .into_inner();
                assert_eq!(token.token_type.as_deref(), Some("Bearer"));
                assert_eq!(token.scope.as_deref(), Some(scope.as_str()));
                assert_eq!(token.expires_at, None);
                let access_token = token.access_token.expect("an access token");
                let err = processor(&sim, None)
                    .request_processor_token()
                    .grant_type("authorization_code")
                    .code(&code)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::BadRequest(_)), "{err:?}");

                // The bearer operations answer the scoped account's data.
                let p = processor(&sim, Some(&access_token));
                let numbers = p.request_account_number().send().await.unwrap().into_inner();
                assert_eq!(numbers.account_numbers.len(), 1, "{numbers:?}");
                let number = &numbers.account_numbers[0];
                assert_eq!(number.account_guid.as_deref(), Some(account_guid.as_str()));
                assert_eq!(number.member_guid.as_deref(), Some(member.as_str()));
                // MX Bank's routing number keeps its leading zero (a string, not
                // the specs' integer).
                assert_eq!(number.routing_number.as_deref(), Some("091000019"));
                assert!(number.account_number.as_deref().is_some_and(|n| !n.is_empty()));

                let payment = p
                    .read_account_balance()
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .payment_account
                    .expect("the payment account");
                assert_eq!(payment.account_guid.as_deref(), Some(account_guid.as_str()));
                assert_eq!(payment.balance, account.balance);
                assert_eq!(payment.account_name, account.name);
                assert_eq!(payment.account_number, number.account_number);
                assert_eq!(payment.routing_number, number.routing_number);

                let owners = p.get_account_owner_info().send().await.unwrap().into_inner();
                assert!(!owners.account_owners.is_empty());
                assert!(owners
                    .account_owners
                    .iter()
                    .all(|o| o.account_guid.as_deref() == Some(account_guid.as_str())));

                let balance = p
                    .check_real_time_account_balance()
                    .send()
                    .await
                    .unwrap()
                    .into_inner();
                assert_eq!(
                    balance.member.and_then(|m| m.guid).as_deref(),
                    Some(member.as_str())
                );

                // The client lists the token for the account.
                let body: types::TokenRequestBody = serde_json::from_value(
                    json!({"scope": {"account_guid": account_guid}}),
                )
                .unwrap();
                let listed = mx.list_tokens().body(body).send().await.unwrap().into_inner();
                assert_eq!(listed.tokens.len(), 1, "{listed:?}");
                assert_eq!(listed.tokens[0].access_token.as_deref(), Some(access_token.as_str()));
                assert_eq!(listed.tokens[0].active, Some(true));

                // A token the simulator did not issue: 401, typed.
                let err = processor(&sim, Some("not-a-token"))
                    .read_account_balance()
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
            }
        }
    };
}

#[cfg(feature = "platform-v20111101")]
platform_processor_tests!(
    v20111101,
    mx_client::platform::v20111101,
    user: user_guid,
    member: member_guid,
);

#[cfg(feature = "platform-v20250224")]
platform_processor_tests!(
    v20250224,
    mx_client::platform::v20250224,
    user: user_identifier,
    member: member_identifier,
);
