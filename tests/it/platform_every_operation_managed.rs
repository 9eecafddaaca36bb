//! `platform_every_operation`: managed data (deprecated by MX in
//! v20250224, still served): a partner-managed member at a managed
//! institution, its account and a transaction, each made, listed, read and
//! updated, then deleted innermost first.

use crate::platform_every_operation::for_each_version;

/// A managed member, its account and its transaction.
#[derive(Debug, Default)]
pub struct Managed {
    pub member: String,
    pub account: String,
    pub transaction: String,
}

macro_rules! managed {
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
            use mx_client::Error;
            use $api::{types, Client};

            use crate::platform_every_operation::{set, text, Calls, Ids};
            use crate::platform_every_operation_managed::Managed;
            use crate::platform_every_operation_versions::$module as versions;

            /// A managed member at the first managed institution, listed,
            /// read and updated, with its account and transaction.
            pub async fn managed_data(mx: &Client, c: &mut Calls, ids: &Ids) -> Managed {
                let u = ids.user.as_str();
                let institutions = c
                    .body(
                        "list_managed_institutions",
                        mx.list_managed_institutions().send().await,
                    )
                    .institutions;
                assert!(!institutions.is_empty());
                assert!(
                    institutions
                        .iter()
                        .all(|i| i.code.is_some() && i.name.is_some()),
                    "{institutions:?}"
                );
                let code = institutions[0].code.clone().unwrap();
                let body = types::ManagedMemberCreateRequestBody {
                    member: Some(types::ManagedMemberCreateRequest {
                        name: Some("Credit union".into()),
                        ..types::ManagedMemberCreateRequest::new(code.as_str())
                    }),
                    ..Default::default()
                };
                let made = c.ok(
                    "create_managed_member",
                    mx.create_managed_member()
                        .user_guid(u)
                        .body(body)
                        .send()
                        .await,
                );
                assert_eq!(made.status().as_u16(), 202);
                let member = made.into_inner().member;
                let member = set(&member, "member").clone();
                assert_eq!(member.institution_code.as_ref(), Some(&code));
                assert_eq!(member.user_guid.as_deref(), Some(u));
                let m = member.guid.clone().unwrap();
                let listed = c
                    .body(
                        "list_managed_members",
                        mx.list_managed_members().user_guid(u).send().await,
                    )
                    .members;
                assert_eq!(listed, std::slice::from_ref(&member));
                let read = c.body(
                    "read_managed_member",
                    mx.read_managed_member()
                        .user_guid(u)
                        .member_guid(&m)
                        .send()
                        .await,
                );
                assert_eq!(read.member.as_ref(), Some(&member));
                let body = types::ManagedMemberUpdateRequestBody {
                    member: Some(types::ManagedMemberUpdateRequest {
                        metadata: Some("branch 7".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_managed_member",
                        mx.update_managed_member()
                            .user_guid(u)
                            .member_guid(&m)
                            .body(body)
                            .send()
                            .await,
                    )
                    .member;
                assert_eq!(
                    set(&updated, "member").metadata.as_deref(),
                    Some("branch 7")
                );
                let account = account(mx, c, u, &m).await;
                let transaction = transaction(mx, c, u, &m, &account).await;
                Managed {
                    member: m,
                    account,
                    transaction,
                }
            }

            /// A checking account of the managed member.
            async fn account(mx: &Client, c: &mut Calls, u: &str, m: &str) -> String {
                let body = types::ManagedAccountCreateRequestBody {
                    account: Some(types::ManagedAccountCreateRequest::new(
                        1000.0,
                        "acct-1",
                        "Managed checking",
                        "CHECKING",
                    )),
                    ..Default::default()
                };
                let made = c
                    .body(
                        "create_managed_account",
                        mx.create_managed_account()
                            .user_guid(u)
                            .member_guid(m)
                            .body(body)
                            .send()
                            .await,
                    )
                    .account;
                let made = set(&made, "account").clone();
                assert_eq!(made.member_guid.as_deref(), Some(m));
                assert_eq!(made.balance, Some(1000.0));
                assert_eq!(text(&made.type_).as_deref(), Some("CHECKING"));
                let a = made.guid.clone().unwrap();
                let listed = c
                    .body(
                        "list_managed_accounts",
                        mx.list_managed_accounts()
                            .user_guid(u)
                            .member_guid(m)
                            .send()
                            .await,
                    )
                    .accounts;
                assert_eq!(listed, std::slice::from_ref(&made));
                let read = c.body(
                    "read_managed_account",
                    mx.read_managed_account()
                        .user_guid(u)
                        .member_guid(m)
                        .account_guid(&a)
                        .send()
                        .await,
                );
                assert_eq!(read.account.as_ref(), Some(&made));
                let body = types::ManagedAccountUpdateRequestBody {
                    account: Some(types::ManagedAccountUpdateRequest {
                        balance: Some(950.0),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_managed_account",
                        mx.update_managed_account()
                            .user_guid(u)
                            .member_guid(m)
                            .account_guid(&a)
                            .body(body)
                            .send()
                            .await,
                    )
                    .account;
                assert_eq!(set(&updated, "account").balance, Some(950.0));
                a
            }

            /// A transaction of the managed account.
            async fn transaction(mx: &Client, c: &mut Calls, u: &str, m: &str, a: &str) -> String {
                let made = c
                    .body(
                        "create_managed_transaction",
                        mx.create_managed_transaction()
                            .user_guid(u)
                            .member_guid(m)
                            .account_guid(a)
                            .body(versions::managed_transaction("Corner store"))
                            .send()
                            .await,
                    )
                    .transaction;
                let made = set(&made, "transaction").clone();
                assert_eq!(made.account_guid.as_deref(), Some(a));
                assert_eq!(made.amount, Some(61.11));
                assert_eq!(made.description.as_deref(), Some("Corner store"));
                let t = made.guid.clone().unwrap();
                let listed = c
                    .body(
                        "list_managed_transactions",
                        mx.list_managed_transactions()
                            .user_guid(u)
                            .member_guid(m)
                            .account_guid(a)
                            .send()
                            .await,
                    )
                    .transactions;
                assert_eq!(listed, std::slice::from_ref(&made));
                let read = c.body(
                    "read_managed_transaction",
                    mx.read_managed_transaction()
                        .user_guid(u)
                        .member_guid(m)
                        .account_guid(a)
                        .transaction_guid(&t)
                        .send()
                        .await,
                );
                assert_eq!(read.transaction.as_ref(), Some(&made));
                let body = types::ManagedTransactionUpdateRequestBody {
                    transaction: Some(types::ManagedTransactionUpdateRequest {
                        description: Some("Corner shop".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_managed_transaction",
                        mx.update_managed_transaction()
                            .user_guid(u)
                            .member_guid(m)
                            .account_guid(a)
                            .transaction_guid(&t)
                            .body(body)
                            .send()
                            .await,
                    )
                    .transaction;
                assert_eq!(
                    set(&updated, "transaction").description.as_deref(),
                    Some("Corner shop")
                );
                t
            }

            /// The managed records deleted, innermost first, each gone.
            pub async fn delete(mx: &Client, c: &mut Calls, ids: &Ids, managed: &Managed) {
                let (u, m, a) = (
                    ids.user.as_str(),
                    managed.member.as_str(),
                    managed.account.as_str(),
                );
                c.ok(
                    "delete_managed_transaction",
                    mx.delete_managed_transaction()
                        .user_guid(u)
                        .member_guid(m)
                        .account_guid(a)
                        .transaction_guid(&managed.transaction)
                        .send()
                        .await,
                );
                c.ok(
                    "delete_managed_account",
                    mx.delete_managed_account()
                        .user_guid(u)
                        .member_guid(m)
                        .account_guid(a)
                        .send()
                        .await,
                );
                let err = mx
                    .read_managed_account()
                    .user_guid(u)
                    .member_guid(m)
                    .account_guid(a)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                c.ok(
                    "delete_managed_member",
                    mx.delete_managed_member()
                        .user_guid(u)
                        .member_guid(m)
                        .send()
                        .await,
                );
                let err = mx
                    .read_managed_member()
                    .user_guid(u)
                    .member_guid(m)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
            }
        }
    };
}

for_each_version!(managed);
