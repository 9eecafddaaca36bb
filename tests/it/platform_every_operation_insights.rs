//! `platform_every_operation`: what MX derives from a connected member's
//! data: insights and what they refer to, rewards and credit card
//! products, repeating transactions, verifiable credentials, the monthly
//! cash flow profile, and transactions enhanced from input.

use base64::Engine as _;

use crate::platform_every_operation::for_each_version;

/// The payload of a JWT, decoded: MX answers a verifiable credential "as a
/// JWT in the response. Decode the JWT to read the data"
/// (https://docs.mx.com/api-reference/platform-api/reference/verifiable-credentials).
pub fn jwt_payload(jwt: &str) -> serde_json::Value {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts: {jwt}");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1].trim_end_matches('='))
        .unwrap_or_else(|e| panic!("the JWT's payload is base64url: {e}: {jwt}"));
    serde_json::from_slice(&payload).expect("the JWT's payload is JSON")
}

macro_rules! insights {
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
            use $api::{types, Client};

            use crate::platform_every_operation::{guids, set, settle, Calls, Ids};
            use crate::platform_every_operation_insights::jwt_payload;
            use crate::platform_every_operation_versions::$module as versions;

            /// The user's insights, each association listed through the
            /// insight that has it and read back the other way.
            pub async fn insights(mx: &Client, c: &mut Calls, ids: &Ids) {
                let u = ids.user.as_str();
                let all = c
                    .body(
                        "list_insights_user",
                        mx.list_insights_user().user_guid(u).send().await,
                    )
                    .insights;
                assert!(!all.is_empty());
                for i in &all {
                    assert!(
                        i.guid.is_some() && i.title.is_some() && i.description.is_some(),
                        "{i:?}"
                    );
                    assert_eq!(i.user_guid.as_deref(), Some(u), "{i:?}");
                }
                let first = &all[0];
                let g = first.guid.as_deref().unwrap();
                let read = c.body(
                    "read_insight_user",
                    mx.read_insight_user()
                        .user_guid(u)
                        .insight_guid(g)
                        .send()
                        .await,
                );
                assert_eq!(read.insight.as_ref(), Some(first));
                let with = |what: &str, has: fn(&types::InsightResponse) -> Option<bool>| {
                    let i = all.iter().find(|i| has(i) == Some(true));
                    let i =
                        i.unwrap_or_else(|| panic!("no insight has associated {what}: {all:?}"));
                    i.guid.clone().unwrap()
                };
                both_ways(mx, c, ids, &with).await;
                associations(mx, c, u, &with).await;
                let body = types::InsightUpdateRequestBody {
                    insight: Some(types::InsightUpdateRequest {
                        has_been_displayed: Some(true),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c.body(
                    "update_insight",
                    mx.update_insight()
                        .user_guid(u)
                        .insight_guid(g)
                        .body(body)
                        .send()
                        .await,
                );
                assert_eq!(updated.guid.as_deref(), Some(g), "{updated:?}");
                assert_eq!(updated.has_been_displayed, Some(true));
            }

            /// The accounts and the transactions of insights that have them;
            /// each insight is among the insights of its first account, and
            /// of its first transaction.
            async fn both_ways(
                mx: &Client,
                c: &mut Calls,
                ids: &Ids,
                with: &impl Fn(&str, fn(&types::InsightResponse) -> Option<bool>) -> String,
            ) {
                let u = ids.user.as_str();
                let i = with("accounts", |i| i.has_associated_accounts);
                let accounts = c
                    .body(
                        "list_accounts_insight",
                        mx.list_accounts_insight()
                            .user_guid(u)
                            .insight_guid(&i)
                            .send()
                            .await,
                    )
                    .accounts;
                assert!(!accounts.is_empty());
                assert!(
                    guids(accounts.iter().map(|a| &a.guid)).is_subset(&ids.accounts),
                    "{accounts:?}"
                );
                let a = accounts[0].guid.as_deref().unwrap();
                let of_account = c
                    .body(
                        "list_insights_by_account",
                        mx.list_insights_by_account()
                            .user_guid(u)
                            .account_guid(a)
                            .send()
                            .await,
                    )
                    .insights;
                assert!(
                    of_account.iter().any(|x| x.guid.as_ref() == Some(&i)),
                    "{of_account:?}"
                );
                let i = with("transactions", |i| i.has_associated_transactions);
                let txns = c
                    .body(
                        "list_transactions_insight",
                        mx.list_transactions_insight()
                            .user_guid(u)
                            .insight_guid(&i)
                            .send()
                            .await,
                    )
                    .transactions;
                assert!(!txns.is_empty());
                assert!(
                    txns.iter().all(|t| t.guid.is_some() && t.amount.is_some()),
                    "{txns:?}"
                );
                let t = txns[0].guid.as_deref().unwrap();
                let of_txn = c
                    .body(
                        "list_insights_by_transaction",
                        mx.list_insights_by_transaction()
                            .user_guid(u)
                            .transaction_guid(t)
                            .send()
                            .await,
                    )
                    .insights;
                assert!(
                    of_txn.iter().any(|x| x.guid.as_ref() == Some(&i)),
                    "{of_txn:?}"
                );
            }

            /// An insight's categories, merchants and scheduled payments.
            async fn associations(
                mx: &Client,
                c: &mut Calls,
                u: &str,
                with: &impl Fn(&str, fn(&types::InsightResponse) -> Option<bool>) -> String,
            ) {
                let i = with("categories", |i| i.has_associated_categories);
                let categories = c
                    .body(
                        "list_categories_insight",
                        mx.list_categories_insight()
                            .user_guid(u)
                            .insight_guid(&i)
                            .send()
                            .await,
                    )
                    .categories;
                assert!(!categories.is_empty());
                assert!(
                    categories
                        .iter()
                        .all(|x| x.guid.is_some() && x.name.is_some()),
                    "{categories:?}"
                );
                let i = with("merchants", |i| i.has_associated_merchants);
                let merchants = c
                    .body(
                        "list_merchants_insight",
                        mx.list_merchants_insight()
                            .user_guid(u)
                            .insight_guid(&i)
                            .send()
                            .await,
                    )
                    .merchants;
                assert!(!merchants.is_empty());
                assert!(
                    merchants
                        .iter()
                        .all(|x| x.guid.is_some() && x.name.is_some()),
                    "{merchants:?}"
                );
                let i = with("scheduled payments", |i| {
                    i.has_associated_scheduled_payments
                });
                let payments = c
                    .body(
                        "list_scheduled_payments_insight",
                        mx.list_scheduled_payments_insight()
                            .user_guid(u)
                            .insight_guid(&i)
                            .send()
                            .await,
                    )
                    .scheduled_payments;
                assert!(!payments.is_empty());
                assert!(
                    payments
                        .iter()
                        .all(|x| x.guid.is_some() && x.amount.is_some()),
                    "{payments:?}"
                );
            }

            /// Rewards after fetching them, the credit card's product,
            /// repeating transactions, verifiable credentials, the cash flow
            /// profile, and enhanced transactions.
            pub async fn derived(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                let fetched = c
                    .body(
                        "fetch_rewards",
                        mx.fetch_rewards().$user(u).$member(g).send().await,
                    )
                    .member;
                assert_eq!(set(&fetched, "member").guid.as_deref(), Some(g));
                settle().await;
                let rewards = c
                    .body(
                        "list_rewards",
                        mx.list_rewards().user_guid(u).member_guid(g).send().await,
                    )
                    .rewards;
                assert!(!rewards.is_empty());
                for r in &rewards {
                    assert!(
                        ids.accounts.contains(set(&r.account_guid, "account_guid")),
                        "{r:?}"
                    );
                    assert!(
                        r.guid.is_some() && r.balance.is_some() && r.balance_type.is_some(),
                        "{r:?}"
                    );
                }
                let r = rewards[0].guid.as_deref().unwrap();
                let read = c
                    .body(
                        "read_rewards",
                        mx.read_rewards()
                            .user_guid(u)
                            .member_guid(g)
                            .reward_guid(r)
                            .send()
                            .await,
                    )
                    .reward;
                let read = set(&read, "reward");
                assert_eq!(read.guid.as_deref(), Some(r));
                assert_eq!(read.balance, rewards[0].balance);
                credit_card_product(mx, c, ids).await;
                repeating_and_credentials(mx, c, ids).await;
                enhance(mx, c).await;
                cash_flow_profile(mx, c, u).await;
            }

            /// The user's monthly cash flow profile, read and updated.
            async fn cash_flow_profile(mx: &Client, c: &mut Calls, u: &str) {
                let profile = c
                    .body(
                        "read_monthly_cash_flow_profile",
                        mx.read_monthly_cash_flow_profile().$user(u).send().await,
                    )
                    .monthly_cash_flow_profile;
                let profile = set(
                    &profile,
                    "read_monthly_cash_flow_profile: monthly_cash_flow_profile",
                );
                assert!(profile.guid.is_some(), "{profile:?}");
                assert_eq!(profile.user_guid.as_deref(), Some(u));
                let updated = c
                    .body(
                        "update_monthly_cash_flow_profile",
                        mx.update_monthly_cash_flow_profile()
                            .$user(u)
                            .body(versions::cash_flow(250.0))
                            .send()
                            .await,
                    )
                    .monthly_cash_flow_profile;
                let updated = set(
                    &updated,
                    "update_monthly_cash_flow_profile: monthly_cash_flow_profile",
                );
                assert_eq!(updated.goals_contribution, Some(250.0));
                assert_eq!(updated.guid, profile.guid);
            }

            /// MX: "The required `credit_card_product_guid` can be found on
            /// the `account` object" (the spec's parameter, and
            /// https://docs.mx.com/other/rewards/credit-card-products; the
            /// overlays add the field the specs' `AccountResponse` leaves
            /// out).
            async fn credit_card_product(mx: &Client, c: &mut Calls, ids: &Ids) {
                let account = c
                    .body(
                        "read_account",
                        mx.read_account()
                            .user_guid(&ids.user)
                            .account_guid(&ids.credit_card)
                            .send()
                            .await,
                    )
                    .account;
                let account = set(&account, "read_account: account");
                let p = set(
                    &account.credit_card_product_guid,
                    "the credit card's credit_card_product_guid",
                )
                .as_str();
                let product = c
                    .body(
                        "credit_card",
                        mx.credit_card().credit_card_product_guid(p).send().await,
                    )
                    .credit_card_product;
                let product = set(&product, "credit_card_product");
                assert_eq!(product.guid.as_deref(), Some(p));
                assert!(product.annual_fee.is_some(), "{product:?}");
            }

            /// Repeating transactions, and the member's data as verifiable
            /// credentials.
            async fn repeating_and_credentials(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                let repeating = c
                    .body(
                        "repeating_transactions",
                        mx.repeating_transactions().user_guid(u).send().await,
                    )
                    .repeating_transactions;
                assert!(!repeating.is_empty());
                for r in &repeating {
                    assert!(
                        ids.accounts.contains(set(&r.account_guid, "account_guid")),
                        "{r:?}"
                    );
                    assert!(
                        r.guid.is_some() && r.amount.is_some() && r.description.is_some(),
                        "{r:?}"
                    );
                }
                let r = repeating[0].guid.as_deref().unwrap();
                let read = c
                    .body(
                        "specific_repeating_transaction",
                        mx.specific_repeating_transaction()
                            .user_guid(u)
                            .repeating_transaction_guid(r)
                            .send()
                            .await,
                    )
                    .repeating_transactions;
                assert_eq!(read, std::slice::from_ref(&repeating[0]));

                let accounts = c.body(
                    "get_accounts_data",
                    mx.get_accounts_data()
                        .user_guid(u)
                        .member_guid(g)
                        .send()
                        .await,
                );
                let identity = c.body(
                    "get_identity_data",
                    mx.get_identity_data()
                        .user_guid(u)
                        .member_guid(g)
                        .send()
                        .await,
                );
                let txns = c.body(
                    "get_transactions_data",
                    mx.get_transactions_data()
                        .user_guid(u)
                        .account_guid(&ids.checking)
                        .send()
                        .await,
                );
                for vc in [accounts, identity, txns] {
                    let jwt = set(&vc.verifiable_credential, "verifiableCredential");
                    let payload = jwt_payload(jwt);
                    assert!(payload["vc"]["credentialSubject"].is_object(), "{payload}");
                }
            }

            /// Transactions enhanced from their description: each answered
            /// with its `id`, categorized.
            async fn enhance(mx: &Client, c: &mut Calls) {
                let body = types::EnhanceTransactionsRequestBody {
                    transactions: vec![types::EnhanceTransactionsRequest {
                        amount: Some(21.33),
                        type_: Some("DEBIT".into()),
                        ..types::EnhanceTransactionsRequest::new("ACH DEBIT NETFLIX.COM", "ID-1")
                    }],
                    ..Default::default()
                };
                let enhanced = c
                    .body(
                        "enhance_transactions",
                        mx.enhance_transactions().body(body).send().await,
                    )
                    .transactions;
                assert_eq!(enhanced.len(), 1);
                let e = &enhanced[0];
                assert_eq!(e.id.as_deref(), Some("ID-1"));
                assert_eq!(e.amount, Some(21.33));
                assert_eq!(
                    e.original_description.as_deref(),
                    Some("ACH DEBIT NETFLIX.COM")
                );
                assert!(
                    e.category.is_some() && e.category_guid.is_some() && e.description.is_some(),
                    "{e:?}"
                );
            }
        }
    };
}

for_each_version!(insights);
