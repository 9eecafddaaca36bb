//! `platform_every_operation`: money movement: a microdeposit verification,
//! an ACH return, and the processor-token flow (the client's authorization
//! code, the processor's token, the processor's bearer reads of the scoped
//! account, the client's list of tokens).

use crate::platform_every_operation::for_each_version;

macro_rules! money {
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
            use mx_client::{ApiKey, ClientId, Error};
            use $api::{types, Client, Environment, SecurityScheme};

            use crate::platform_every_operation::{set, Calls, Ids};
            use crate::platform_every_operation_versions::$module as versions;

            /// A microdeposit verification of an outside account, verified
            /// with its two amounts; an ACH return of the checking account.
            /// Answers the microdeposit's GUID.
            pub async fn microdeposits_and_ach_returns(
                mx: &Client,
                c: &mut Calls,
                ids: &Ids,
            ) -> String {
                let u = ids.user.as_str();
                let made = c
                    .body(
                        "create_microdeposit",
                        mx.create_microdeposit()
                            .user_guid(u)
                            .body(versions::microdeposit())
                            .send()
                            .await,
                    )
                    .micro_deposit;
                let made = set(&made, "create_microdeposit: micro_deposit").clone();
                assert_eq!(made.account_number.as_deref(), Some("3331261"));
                assert!(made.status.is_some(), "{made:?}");
                let m = made.guid.clone().unwrap();
                let listed = c
                    .body(
                        "list_user_microdeposits",
                        mx.list_user_microdeposits().user_guid(u).send().await,
                    )
                    .micro_deposits;
                assert_eq!(listed, std::slice::from_ref(&made));
                let read = c.body(
                    "read_user_microdeposit",
                    mx.read_user_microdeposit()
                        .user_guid(u)
                        .micro_deposit_guid(&m)
                        .send()
                        .await,
                );
                assert_eq!(read.micro_deposit.as_ref(), Some(&made));
                let body = types::MicrodepositVerifyRequestBody {
                    micro_deposit: Some(types::MicrodepositVerifyRequest {
                        deposit_amount_1: Some(0.12),
                        deposit_amount_2: Some(0.15),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let verified = c
                    .body(
                        "verify_microdeposit",
                        mx.verify_microdeposit()
                            .micro_deposit_guid(&m)
                            .body(body)
                            .send()
                            .await,
                    )
                    .micro_deposit;
                let verified = set(&verified, "verify_microdeposit: micro_deposit");
                assert_eq!(verified.guid.as_ref(), Some(&m));
                assert!(verified.status.is_some(), "{verified:?}");
                let verifications = c
                    .body(
                        "list_user_verifications",
                        mx.list_user_verifications().user_guid(u).send().await,
                    )
                    .micro_deposit;
                let verification = set(&verifications, "list_user_verifications: micro_deposit");
                assert_eq!(verification.guid.as_ref(), Some(&m));
                assert_eq!(verification.status, verified.status);
                ach_return(mx, c, ids).await;
                m
            }

            /// An ACH return of a payment from the checking account.
            async fn ach_return(mx: &Client, c: &mut Calls, ids: &Ids) {
                let body = types::AchReturnCreateRequestBody {
                    ach_return: Some(types::AchReturnCreateRequest {
                        transaction_amount: Some(42.0),
                        ..types::AchReturnCreateRequest::new(
                            ids.checking.as_str(),
                            "return-1",
                            ids.member.as_str(),
                            "R01",
                            ids.user.as_str(),
                        )
                    }),
                    ..Default::default()
                };
                let made = c
                    .body(
                        "create_ach_return",
                        mx.create_ach_return().body(body).send().await,
                    )
                    .ach_return;
                let made = set(&made, "ach_return").clone();
                assert_eq!(made.account_guid.as_ref(), Some(&ids.checking));
                assert_eq!(made.return_code.as_deref(), Some("R01"));
                assert_eq!(made.id.as_deref(), Some("return-1"));
                let g = made.guid.clone().unwrap();
                let listed = c
                    .body("list_ach_retruns", mx.list_ach_retruns().send().await)
                    .ach_returns;
                assert!(listed.contains(&made), "{listed:?}");
                let read = c.body(
                    "read_ach_retrun",
                    mx.read_ach_retrun().ach_return_guid(&g).send().await,
                );
                assert_eq!(read.ach_return.as_ref(), Some(&made));
            }

            /// The processor-token flow for the checking account (MX's
            /// How-to Guide for Processors,
            /// https://docs.mx.com/products/connectivity/instant-account-verification/processor-token/processor-guide).
            pub async fn processor(sim: &mx_sim::Simulator, mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g, a) = (
                    ids.user.as_str(),
                    ids.member.as_str(),
                    ids.checking.as_str(),
                );
                let scope =
                    format!("user-guid:{u} member-guid:{g} account-guid:{a} read-protected");
                let body = types::AuthorizationCodeRequestBody {
                    authorization_code: Some(types::AuthorizationCodeRequest {
                        scope: Some(scope.clone()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let code = c
                    .body(
                        "request_authorization_code",
                        mx.request_authorization_code().body(body).send().await,
                    )
                    .authorization_code;
                let code = set(&code, "authorization_code")
                    .code
                    .clone()
                    .expect("a code");
                let env = || Environment::Custom(sim.platform_base_url());
                let id = || ClientId::new(mx_sim::DEMO_PROCESSOR_ID);
                let key = || ApiKey::new(mx_sim::DEMO_PROCESSOR_API_KEY);
                let processor = Client::from_environment(env(), id(), key()).unwrap();
                let token = c.body(
                    "request_processor_token",
                    processor
                        .request_processor_token()
                        .grant_type("authorization_code")
                        .code(&code)
                        .send()
                        .await,
                );
                assert_eq!(token.scope.as_ref(), Some(&scope));
                let token = token.access_token.expect("an access token");
                let bearer = Client::builder(env(), id(), key())
                    .credential(SecurityScheme::BearerAuth, token.clone());
                let bearer = bearer.build().unwrap();
                bearer_reads(&bearer, mx, c, ids).await;
                let body = types::TokenRequestBody {
                    scope: Some(types::MemberElements {
                        user_guid: Some(u.into()),
                        member_guid: Some(g.into()),
                        account_guid: Some(a.into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let tokens = c
                    .body("list_tokens", mx.list_tokens().body(body).send().await)
                    .tokens;
                assert!(
                    tokens
                        .iter()
                        .any(|t| t.access_token.as_ref() == Some(&token) && t.active == Some(true)),
                    "{tokens:?}"
                );
                let err = Client::builder(env(), id(), key())
                    .credential(SecurityScheme::BearerAuth, "not-issued");
                let err = err
                    .build()
                    .unwrap()
                    .read_account_balance()
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
            }

            /// The processor's reads, each of the scoped checking account.
            async fn bearer_reads(bearer: &Client, mx: &Client, c: &mut Calls, ids: &Ids) {
                let a = ids.checking.as_str();
                let account = mx
                    .read_account()
                    .user_guid(&ids.user)
                    .account_guid(a)
                    .send()
                    .await
                    .unwrap();
                let account = account.into_inner().account.unwrap();
                let numbers = c
                    .body(
                        "request_account_number",
                        bearer.request_account_number().send().await,
                    )
                    .account_numbers;
                assert!(!numbers.is_empty());
                for n in &numbers {
                    assert_eq!(n.account_guid.as_deref(), Some(a), "{n:?}");
                    assert!(
                        n.account_number.is_some() && n.routing_number.is_some(),
                        "{n:?}"
                    );
                }
                let payment = c
                    .body(
                        "read_account_balance",
                        bearer.read_account_balance().send().await,
                    )
                    .payment_account;
                let payment = set(&payment, "payment_account");
                assert_eq!(payment.account_guid.as_deref(), Some(a));
                assert_eq!(payment.balance, account.balance);
                assert_eq!(payment.account_name, account.name);
                let owners = c
                    .body(
                        "get_account_owner_info",
                        bearer.get_account_owner_info().send().await,
                    )
                    .account_owners;
                assert!(!owners.is_empty());
                assert!(
                    owners
                        .iter()
                        .all(|o| o.account_guid.as_deref() == Some(a) && o.owner_name.is_some()),
                    "{owners:?}"
                );
                let balance = c.body(
                    "check_real_time_account_balance",
                    bearer.check_real_time_account_balance().send().await,
                );
                assert_eq!(
                    set(&balance.member, "member").guid.as_ref(),
                    Some(&ids.member)
                );
            }

            /// The microdeposit deleted, gone.
            pub async fn delete(mx: &Client, c: &mut Calls, ids: &Ids, microdeposit: &str) {
                let u = ids.user.as_str();
                c.ok(
                    "delete_microdeposit",
                    mx.delete_microdeposit()
                        .user_guid(u)
                        .micro_deposit_guid(microdeposit)
                        .send()
                        .await,
                );
                let err = mx
                    .read_user_microdeposit()
                    .user_guid(u)
                    .micro_deposit_guid(microdeposit)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
            }
        }
    };
}

for_each_version!(money);
