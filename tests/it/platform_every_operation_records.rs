//! `platform_every_operation`: the user's own records: categories, tags and
//! taggings (and the transactions of a tag), transaction rules, a manual
//! account with a manual transaction, and a split transaction; each made,
//! listed, read and updated, then deleted (with the other deletes, last).

use crate::platform_every_operation::for_each_version;

/// What the records step made, deleted by the delete step.
#[derive(Debug, Default)]
pub struct Made {
    pub category: String,
    pub tags: [String; 2],
    pub tagging: String,
    pub rule: String,
    pub account: String,
    pub transaction: String,
}

macro_rules! records {
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
            use futures_util::TryStreamExt;
            use mx_client::Error;
            use $api::{types, Client};

            use crate::platform_every_operation::{set, Calls, Ids};
            use crate::platform_every_operation_records::Made;
            use crate::platform_every_operation_versions::$module as versions;

            /// Every record of this step, made and read.
            pub async fn records(mx: &Client, c: &mut Calls, ids: &Ids) -> Made {
                let mut made = Made {
                    category: category(mx, c, ids).await,
                    rule: rule(mx, c, ids).await,
                    ..Made::default()
                };
                (made.tags, made.tagging) = tags(mx, c, ids).await;
                (made.account, made.transaction) = manual(mx, c, ids).await;
                split(mx, c, ids).await;
                made
            }

            /// A category of the user's, under the transaction's category.
            async fn category(mx: &Client, c: &mut Calls, ids: &Ids) -> String {
                let u = ids.user.as_str();
                let body = types::CategoryCreateRequestBody {
                    category: Some(types::CategoryCreateRequest::new(
                        "Board games",
                        ids.category.as_str(),
                    )),
                    ..Default::default()
                };
                let made = c
                    .body(
                        "create_category",
                        mx.create_category().user_guid(u).body(body).send().await,
                    )
                    .category;
                let made = set(&made, "category").clone();
                assert_eq!(made.name.as_deref(), Some("Board games"));
                assert_eq!(made.parent_guid.as_ref(), Some(&ids.category));
                assert_ne!(made.is_default, Some(true));
                let g = made.guid.clone().unwrap();
                let all: Vec<types::CategoryResponse> = c.ok(
                    "list_categories",
                    mx.list_categories()
                        .user_guid(u)
                        .stream_all()
                        .try_collect()
                        .await,
                );
                assert!(all.contains(&made), "{all:?}");
                let read = c.body(
                    "read_category",
                    mx.read_category()
                        .user_guid(u)
                        .category_guid(&g)
                        .send()
                        .await,
                );
                assert_eq!(read.category.as_ref(), Some(&made));
                let body = types::CategoryUpdateRequestBody {
                    category: Some(types::CategoryUpdateRequest {
                        metadata: Some("family".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_category",
                        mx.update_category()
                            .user_guid(u)
                            .category_guid(&g)
                            .body(body)
                            .send()
                            .await,
                    )
                    .category;
                let updated = set(&updated, "category");
                assert_eq!(updated.metadata.as_deref(), Some("family"));
                assert_eq!(updated.name.as_deref(), Some("Board games"));
                g
            }

            /// Two tags, one renamed; then the tagging.
            async fn tags(mx: &Client, c: &mut Calls, ids: &Ids) -> ([String; 2], String) {
                let u = ids.user.as_str();
                let mut tags = [String::new(), String::new()];
                for (n, name) in ["Vacation", "Work"].into_iter().enumerate() {
                    let body = types::TagCreateRequestBody {
                        tag: Some(types::TagCreateRequest::new(name)),
                        ..Default::default()
                    };
                    let tag = c
                        .body(
                            "create_tag",
                            mx.create_tag().user_guid(u).body(body).send().await,
                        )
                        .tag;
                    let tag = set(&tag, "tag");
                    assert_eq!(tag.name.as_deref(), Some(name));
                    tags[n] = tag.guid.clone().unwrap();
                }
                let listed = c
                    .body("list_tags", mx.list_tags().user_guid(u).send().await)
                    .tags;
                let read = c
                    .body(
                        "read_tag",
                        mx.read_tag().user_guid(u).tag_guid(&tags[0]).send().await,
                    )
                    .tag;
                assert!(listed.contains(set(&read, "tag")), "{listed:?}");
                assert_eq!(listed.len(), 2);
                let body = types::TagUpdateRequestBody {
                    tag: Some(types::TagUpdateRequest::new("Holidays")),
                    ..Default::default()
                };
                let renamed = c
                    .body(
                        "update_tag",
                        mx.update_tag()
                            .user_guid(u)
                            .tag_guid(&tags[0])
                            .body(body)
                            .send()
                            .await,
                    )
                    .tag;
                assert_eq!(set(&renamed, "tag").name.as_deref(), Some("Holidays"));

                let t = tagging(mx, c, ids, &tags).await;
                (tags, t)
            }

            /// The transaction tagged with the first tag, then re-tagged with
            /// the second: each tag's transactions follow.
            async fn tagging(mx: &Client, c: &mut Calls, ids: &Ids, tags: &[String; 2]) -> String {
                let u = ids.user.as_str();
                let body = types::TaggingCreateRequestBody {
                    tagging: Some(types::TaggingCreateRequest::new(
                        tags[0].as_str(),
                        ids.transaction.as_str(),
                    )),
                    ..Default::default()
                };
                let tagging = c
                    .body(
                        "create_tagging",
                        mx.create_tagging().user_guid(u).body(body).send().await,
                    )
                    .tagging;
                let tagging = set(&tagging, "tagging").clone();
                assert_eq!(tagging.transaction_guid.as_ref(), Some(&ids.transaction));
                let t = tagging.guid.clone().unwrap();
                let listed = c
                    .body(
                        "list_taggings",
                        mx.list_taggings().user_guid(u).send().await,
                    )
                    .taggings;
                assert_eq!(listed, std::slice::from_ref(&tagging));
                let read = c.body(
                    "read_tagging",
                    mx.read_tagging().user_guid(u).tagging_guid(&t).send().await,
                );
                assert_eq!(read.tagging.as_ref(), Some(&tagging));
                let on_tag = tagged(mx, c, u, &tags[0]).await;
                assert_eq!(
                    on_tag,
                    std::slice::from_ref(&ids.transaction),
                    "list_transactions_by_tag"
                );
                let body = types::TaggingUpdateRequestBody {
                    tagging: Some(types::TaggingUpdateRequest::new(tags[1].as_str())),
                    ..Default::default()
                };
                let moved = c.body(
                    "update_tagging",
                    mx.update_tagging()
                        .user_guid(u)
                        .tagging_guid(&t)
                        .body(body)
                        .send()
                        .await,
                );
                let moved = set(&moved.tagging, "update_tagging: tagging");
                assert_eq!(moved.tag_guid.as_ref(), Some(&tags[1]), "{moved:?}");
                let on_tag = tagged(mx, c, u, &tags[1]).await;
                assert_eq!(
                    on_tag,
                    std::slice::from_ref(&ids.transaction),
                    "list_transactions_by_tag"
                );
                let on_tag = tagged(mx, c, u, &tags[0]).await;
                assert!(on_tag.is_empty(), "list_transactions_by_tag: {on_tag:?}");
                t
            }

            /// The GUIDs of the transactions a tag is on.
            async fn tagged(mx: &Client, c: &mut Calls, u: &str, tag: &str) -> Vec<String> {
                let txns = c
                    .body(
                        "list_transactions_by_tag",
                        mx.list_transactions_by_tag()
                            .$user(u)
                            .tag_guid(tag)
                            .send()
                            .await,
                    )
                    .transactions;
                txns.into_iter().map(|t| t.guid.unwrap()).collect()
            }

            /// A transaction rule for the transaction's category.
            async fn rule(mx: &Client, c: &mut Calls, ids: &Ids) -> String {
                let u = ids.user.as_str();
                let body = versions::transaction_rule(&ids.category, "NETFLIX");
                let made = c
                    .body(
                        "create_transaction_rule",
                        mx.create_transaction_rule()
                            .user_guid(u)
                            .body(body)
                            .send()
                            .await,
                    )
                    .transaction_rule;
                let made = set(&made, "transaction_rule").clone();
                assert_eq!(made.match_description.as_deref(), Some("NETFLIX"));
                assert_eq!(made.category_guid.as_ref(), Some(&ids.category));
                let g = made.guid.clone().unwrap();
                let listed = c.body(
                    "list_transaction_rules",
                    mx.list_transaction_rules().user_guid(u).send().await,
                );
                assert_eq!(listed.transaction_rules, std::slice::from_ref(&made));
                let read = c.body(
                    "read_transaction_rule",
                    mx.read_transaction_rule()
                        .user_guid(u)
                        .transaction_rule_guid(&g)
                        .send()
                        .await,
                );
                assert_eq!(read.transaction_rule.as_ref(), Some(&made));
                let body = types::TransactionRuleUpdateRequestBody {
                    transaction_rule: Some(types::TransactionRuleUpdateRequest {
                        description: Some("Streaming".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c.body(
                    "update_transaction_rule",
                    mx.update_transaction_rule()
                        .user_guid(u)
                        .transaction_rule_guid(&g)
                        .body(body)
                        .send()
                        .await,
                );
                assert_eq!(
                    set(&updated.transaction_rule, "transaction_rule")
                        .description
                        .as_deref(),
                    Some("Streaming")
                );
                g
            }

            /// A manual account, and a manual transaction in it.
            async fn manual(mx: &Client, c: &mut Calls, ids: &Ids) -> (String, String) {
                let u = ids.user.as_str();
                let body = versions::manual_account("Cash jar");
                let account = c
                    .body(
                        "create_manual_account",
                        mx.create_manual_account().$user(u).body(body).send().await,
                    )
                    .account;
                let account = set(&account, "account").clone();
                assert_eq!(account.name.as_deref(), Some("Cash jar"));
                assert_eq!(account.is_manual, Some(true), "{account:?}");
                assert_eq!(account.balance, Some(120.0));
                let a = account.guid.clone().unwrap();
                let read = mx
                    .read_account()
                    .user_guid(u)
                    .account_guid(&a)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(read.into_inner().account.as_ref(), Some(&account));
                let body = versions::manual_transaction(12.5, "Farmers market");
                let txn = c.body(
                    "create_manual_transaction",
                    mx.create_manual_transaction()
                        .user_guid(u)
                        .account_guid(&a)
                        .body(body)
                        .send()
                        .await,
                );
                assert_eq!(txn.account_guid.as_deref(), Some(a.as_str()), "{txn:?}");
                assert_eq!(txn.amount, Some(12.5));
                assert_eq!(txn.description.as_deref(), Some("Farmers market"));
                assert_eq!(txn.is_manual, Some(true), "{txn:?}");
                let t = txn.guid.clone().unwrap();
                let in_account = mx
                    .list_transactions_by_account()
                    .user_guid(u)
                    .account_guid(&a)
                    .send()
                    .await
                    .unwrap();
                let in_account = in_account.into_inner().transactions;
                assert_eq!(
                    in_account
                        .iter()
                        .filter_map(|t| t.guid.clone())
                        .collect::<Vec<_>>(),
                    std::slice::from_ref(&t)
                );
                (a, t)
            }

            /// The transaction split: the parts MX makes of it.
            async fn split(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, t) = (ids.user.as_str(), ids.transaction.as_str());
                let body =
                    types::SplitTransactionRequestBody::new(types::SplitTransactionRequest {
                        description: Some("Tip".into()),
                        ..types::SplitTransactionRequest::new(1.25)
                    });
                let parts = c
                    .body(
                        "create_split_transactions",
                        mx.create_split_transactions()
                            .user_guid(u)
                            .transaction_guid(t)
                            .body(body)
                            .send()
                            .await,
                    )
                    .transactions;
                assert!(!parts.is_empty());
                assert!(
                    parts.iter().all(|p| p.guid.is_some() && p.amount.is_some()),
                    "{parts:?}"
                );
                assert!(parts.iter().any(|p| p.amount == Some(1.25)), "{parts:?}");
            }

            /// The records deleted, each gone.
            pub async fn delete(mx: &Client, c: &mut Calls, ids: &Ids, made: &Made) {
                let u = ids.user.as_str();
                let gone = c.ok(
                    "delete_split_transactions",
                    mx.delete_split_transactions()
                        .user_guid(u)
                        .transaction_guid(&ids.transaction)
                        .send()
                        .await,
                );
                assert_eq!(gone.status().as_u16(), 204);
                c.ok(
                    "delete_tagging",
                    mx.delete_tagging()
                        .user_guid(u)
                        .tagging_guid(&made.tagging)
                        .send()
                        .await,
                );
                let err = mx
                    .read_tagging()
                    .user_guid(u)
                    .tagging_guid(&made.tagging)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                for tag in &made.tags {
                    c.ok(
                        "delete_tag",
                        mx.delete_tag().user_guid(u).tag_guid(tag).send().await,
                    );
                }
                let tags = mx
                    .list_tags()
                    .user_guid(u)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .tags;
                assert!(tags.is_empty(), "{tags:?}");
                c.ok(
                    "delete_transaction_rule",
                    mx.delete_transaction_rule()
                        .user_guid(u)
                        .transaction_rule_guid(&made.rule)
                        .send()
                        .await,
                );
                c.ok(
                    "delete_category",
                    mx.delete_category()
                        .user_guid(u)
                        .category_guid(&made.category)
                        .send()
                        .await,
                );
                let err = mx
                    .read_category()
                    .user_guid(u)
                    .category_guid(&made.category)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                c.ok(
                    "delete_manual_transactions",
                    mx.delete_manual_transactions()
                        .user_guid(u)
                        .transaction_guid(&made.transaction)
                        .send()
                        .await,
                );
                let err = mx
                    .read_transaction()
                    .user_guid(u)
                    .transaction_guid(&made.transaction)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                let gone = c.ok(
                    "delete_manual_account",
                    mx.delete_manual_account()
                        .user_guid(u)
                        .account_guid(&made.account)
                        .send()
                        .await,
                );
                assert_eq!(gone.status().as_u16(), 204);
                let err = mx
                    .read_account()
                    .user_guid(u)
                    .account_guid(&made.account)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
            }
        }
    };
}

for_each_version!(records);
