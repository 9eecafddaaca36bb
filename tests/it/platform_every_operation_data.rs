//! `platform_every_operation`: a connected MX Bank member's data through
//! every Platform route that reads it (accounts, account numbers and
//! owners, transactions, holdings, statements and their PDF, merchants and
//! their locations, MX's default categories), consistent across routes.

use crate::platform_every_operation::for_each_version;

macro_rules! data {
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
            use std::collections::BTreeSet;

            use futures_util::TryStreamExt;
            use $api::{types, Client};

            use crate::platform_every_operation::{guids, set, text, Calls, Ids};
            use crate::platform_every_operation_versions::$module as versions;

            /// The member's accounts: MX Bank's four kinds, the same through
            /// every route; one renamed.
            pub async fn accounts(mx: &Client, c: &mut Calls, ids: &mut Ids) {
                let (u, g) = (ids.user.clone(), ids.member.clone());
                let accounts = c
                    .body(
                        "list_member_accounts",
                        mx.list_member_accounts().$user(&u).$member(&g).send().await,
                    )
                    .accounts;
                let kinds: BTreeSet<_> = accounts.iter().filter_map(|a| text(&a.type_)).collect();
                let want = ["CHECKING", "CREDIT_CARD", "INVESTMENT", "SAVINGS"];
                assert_eq!(kinds, want.iter().map(|k| k.to_string()).collect());
                for a in &accounts {
                    assert_eq!(a.member_guid.as_deref(), Some(g.as_str()), "{a:?}");
                    assert_eq!(a.user_guid.as_deref(), Some(u.as_str()), "{a:?}");
                    assert!(
                        a.guid.is_some() && a.name.is_some() && a.balance.is_some(),
                        "{a:?}"
                    );
                }
                ids.accounts = guids(accounts.iter().map(|a| &a.guid));
                let of = |kind: &str| {
                    let a = accounts
                        .iter()
                        .find(|a| text(&a.type_).as_deref() == Some(kind));
                    a.and_then(|a| a.guid.clone()).unwrap()
                };
                ids.checking = of("CHECKING");
                ids.savings = of("SAVINGS");
                ids.credit_card = of("CREDIT_CARD");
                ids.investment = of("INVESTMENT");
                let by_user = versions::user_accounts(mx, c, &u).await;
                assert_eq!(guids(by_user.iter().map(|a| &a.guid)), ids.accounts);
                let checking = accounts
                    .iter()
                    .find(|a| a.guid.as_ref() == Some(&ids.checking));
                let read = c
                    .body(
                        "read_account",
                        mx.read_account()
                            .user_guid(&u)
                            .account_guid(&ids.checking)
                            .send()
                            .await,
                    )
                    .account;
                assert_eq!(read.as_ref(), checking);
                let read = c
                    .body(
                        "read_account_by_member",
                        mx.read_account_by_member()
                            .$user(&u)
                            .$member(&g)
                            .$account(&ids.checking)
                            .send()
                            .await,
                    )
                    .account;
                assert_eq!(read.as_ref(), checking);
                let body = types::AccountUpdateRequestBody {
                    account: Some(types::AccountUpdateRequest {
                        nickname: Some("Bills".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let renamed = c
                    .body(
                        "update_account_by_member",
                        mx.update_account_by_member()
                            .$user(&u)
                            .$member(&g)
                            .$account(&ids.checking)
                            .body(body)
                            .send()
                            .await,
                    )
                    .account;
                let renamed = set(&renamed, "account");
                assert_eq!(renamed.nickname.as_deref(), Some("Bills"));
                assert_eq!(renamed.guid.as_ref(), Some(&ids.checking));
                numbers_and_owners(mx, c, ids).await;
            }

            /// Account numbers (by member, by account) and account owners.
            async fn numbers_and_owners(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                let numbers = c
                    .body(
                        "list_account_numbers_by_member",
                        mx.list_account_numbers_by_member()
                            .user_guid(u)
                            .member_guid(g)
                            .send()
                            .await,
                    )
                    .account_numbers;
                assert!(!numbers.is_empty());
                for n in &numbers {
                    assert!(
                        ids.accounts.contains(set(&n.account_guid, "account_guid")),
                        "{n:?}"
                    );
                    assert!(n.account_number.is_some() && n.guid.is_some(), "{n:?}");
                }
                let of_checking = c
                    .body(
                        "list_account_numbers_by_account",
                        mx.list_account_numbers_by_account()
                            .$user(u)
                            .$account(&ids.checking)
                            .send()
                            .await,
                    )
                    .account_numbers;
                assert!(!of_checking.is_empty());
                for n in &of_checking {
                    assert_eq!(n.account_guid.as_ref(), Some(&ids.checking));
                    assert!(numbers.contains(n), "{n:?}");
                }
                let owners = c
                    .body(
                        "list_account_owners_by_member",
                        mx.list_account_owners_by_member()
                            .$user(u)
                            .$member(g)
                            .send()
                            .await,
                    )
                    .account_owners;
                assert!(!owners.is_empty());
                for o in &owners {
                    assert!(
                        ids.accounts.contains(set(&o.account_guid, "account_guid")),
                        "{o:?}"
                    );
                    assert!(o.owner_name.is_some() && o.guid.is_some(), "{o:?}");
                }
            }

            /// Transactions: the member's, the user's and the checking
            /// account's agree; one read, and updated through both routes.
            pub async fn transactions(mx: &Client, c: &mut Calls, ids: &mut Ids) {
                let (u, g) = (ids.user.clone(), ids.member.clone());
                let by_member = c
                    .body(
                        "list_transactions_by_member",
                        mx.list_transactions_by_member()
                            .$user(&u)
                            .$member(&g)
                            .records_per_page(1000)
                            .send()
                            .await,
                    )
                    .transactions;
                assert!(!by_member.is_empty());
                for t in &by_member {
                    assert!(
                        ids.accounts.contains(set(&t.account_guid, "account_guid")),
                        "{t:?}"
                    );
                    assert_eq!(t.member_guid.as_ref(), Some(&g), "{t:?}");
                    assert!(
                        t.guid.is_some() && t.amount.is_some() && t.description.is_some(),
                        "{t:?}"
                    );
                }
                let by_user = c
                    .body(
                        "list_transactions",
                        mx.list_transactions()
                            .$user(&u)
                            .records_per_page(1000)
                            .send()
                            .await,
                    )
                    .transactions;
                assert_eq!(
                    guids(by_user.iter().map(|t| &t.guid)),
                    guids(by_member.iter().map(|t| &t.guid))
                );
                let in_checking = c
                    .body(
                        "list_transactions_by_account",
                        mx.list_transactions_by_account()
                            .user_guid(&u)
                            .account_guid(&ids.checking)
                            .records_per_page(1000)
                            .send()
                            .await,
                    )
                    .transactions;
                assert!(!in_checking.is_empty());
                assert!(in_checking
                    .iter()
                    .all(|t| t.account_guid.as_ref() == Some(&ids.checking)));
                let txn = in_checking
                    .iter()
                    .find(|t| t.merchant_guid.is_some())
                    .expect("a checking transaction at a merchant");
                ids.transaction = txn.guid.clone().unwrap();
                ids.category = set(&txn.category_guid, "category_guid").clone();
                let read = c
                    .body(
                        "read_transaction",
                        mx.read_transaction()
                            .user_guid(&u)
                            .transaction_guid(&ids.transaction)
                            .send()
                            .await,
                    )
                    .transaction;
                assert_eq!(read.as_ref(), Some(txn));
                update_the_transaction(mx, c, ids).await;
            }

            /// The transaction's description changed through each update
            /// route, the last one read back.
            async fn update_the_transaction(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, t) = (ids.user.as_str(), ids.transaction.as_str());
                let updated = c
                    .body(
                        "update_transaction",
                        mx.update_transaction()
                            .user_guid(u)
                            .transaction_guid(t)
                            .body(versions::transaction_update("Coffee with Sam"))
                            .send()
                            .await,
                    )
                    .transaction;
                let updated = set(&updated, "transaction");
                assert_eq!(updated.guid.as_deref(), Some(t));
                assert_eq!(updated.description.as_deref(), Some("Coffee with Sam"));
                let updated = c
                    .body(
                        "update_transaction_by_account",
                        mx.update_transaction_by_account()
                            .$user(u)
                            .$member(&ids.member)
                            .$account(&ids.checking)
                            .$txn(t)
                            .body(versions::transaction_update("Coffee with Ann"))
                            .send()
                            .await,
                    )
                    .transaction;
                let updated = set(&updated, "transaction");
                assert_eq!(updated.guid.as_deref(), Some(t));
                assert_eq!(updated.description.as_deref(), Some("Coffee with Ann"));
                let read = mx
                    .read_transaction()
                    .user_guid(u)
                    .transaction_guid(t)
                    .send()
                    .await
                    .unwrap();
                let read = read.into_inner().transaction.unwrap();
                assert_eq!(read.description.as_deref(), Some("Coffee with Ann"));
            }

            /// Holdings (the investment account's, through every route; the
            /// user deactivated from holdings, then reactivated by a read),
            /// then the statements.
            pub async fn holdings_and_statements(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                let holdings = c
                    .body(
                        "list_holdings",
                        mx.list_holdings().user_guid(u).send().await,
                    )
                    .investment_holdings;
                assert!(!holdings.is_empty());
                for h in &holdings {
                    assert_eq!(h.account_guid.as_ref(), Some(&ids.investment), "{h:?}");
                    assert!(
                        h.guid.is_some() && h.symbol.is_some() && h.market_value.is_some(),
                        "{h:?}"
                    );
                }
                let by_member = c
                    .body(
                        "list_holdings_by_member",
                        mx.list_holdings_by_member()
                            .user_guid(u)
                            .member_guid(g)
                            .send()
                            .await,
                    )
                    .investment_holdings;
                assert_eq!(by_member, holdings);
                let by_account = c
                    .body(
                        "list_holdings_by_account",
                        mx.list_holdings_by_account()
                            .user_guid(u)
                            .account_guid(&ids.investment)
                            .send()
                            .await,
                    )
                    .investment_holdings;
                assert_eq!(by_account, holdings);
                let h = holdings[0].guid.as_deref().unwrap();
                let read = c
                    .body(
                        "read_holding",
                        mx.read_holding().user_guid(u).holding_guid(h).send().await,
                    )
                    .investment_holding;
                assert_eq!(read.as_ref(), Some(&holdings[0]));
                let off = c.body(
                    "deactivate_user",
                    mx.deactivate_user().user_guid(u).send().await,
                );
                assert!(
                    off.message.as_ref().is_some_and(|m| m.is_string()),
                    "{off:?}"
                );
                let again = mx.list_holdings().user_guid(u).send().await.unwrap();
                assert_eq!(again.into_inner().investment_holdings, holdings);

                statements(mx, c, ids).await;
            }

            /// The member's statements, one read, and its PDF.
            async fn statements(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                let statements = c
                    .body(
                        "list_statements_by_member",
                        mx.list_statements_by_member()
                            .user_guid(u)
                            .member_guid(g)
                            .send()
                            .await,
                    )
                    .statements;
                assert!(!statements.is_empty());
                for s in &statements {
                    assert!(
                        ids.accounts.contains(set(&s.account_guid, "account_guid")),
                        "{s:?}"
                    );
                    assert!(s.guid.is_some() && s.uri.is_some(), "{s:?}");
                }
                let s = statements[0].guid.as_deref().unwrap();
                let read = c
                    .body(
                        "read_statement_by_member",
                        mx.read_statement_by_member()
                            .user_guid(u)
                            .member_guid(g)
                            .statement_guid(s)
                            .send()
                            .await,
                    )
                    .statement;
                assert_eq!(read.as_ref(), Some(&statements[0]));
                let pdf = c.ok(
                    "download_statement_pdf",
                    mx.download_statement_pdf()
                        .user_guid(u)
                        .member_guid(g)
                        .statement_guid(s)
                        .send()
                        .await,
                );
                let pdf: Vec<u8> = pdf
                    .into_inner_stream()
                    .map_ok(|b| b.to_vec())
                    .try_concat()
                    .await
                    .unwrap();
                assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..pdf.len().min(16)]);
                assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
            }

            /// The transaction's merchant and its location, and MX's default
            /// categories (the transaction's among them).
            pub async fn merchants_and_categories(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, t) = (ids.user.as_str(), ids.transaction.as_str());
                let txn = mx
                    .read_transaction()
                    .user_guid(u)
                    .transaction_guid(t)
                    .send()
                    .await
                    .unwrap();
                let txn = txn.into_inner().transaction.unwrap();
                let m = set(&txn.merchant_guid, "merchant_guid").as_str();
                let merchants: Vec<types::MerchantResponse> = c.ok(
                    "list_merchants",
                    mx.list_merchants().stream_all().try_collect().await,
                );
                assert!(merchants
                    .iter()
                    .all(|x| x.guid.is_some() && x.name.is_some()));
                let listed = merchants.iter().find(|x| x.guid.as_deref() == Some(m));
                let merchant = c
                    .body(
                        "read_merchant",
                        mx.read_merchant().merchant_guid(m).send().await,
                    )
                    .merchant;
                assert_eq!(merchant.as_ref(), listed);
                let l = set(
                    &txn.merchant_location_guid,
                    "the transaction's merchant_location_guid",
                );
                let location = c
                    .body(
                        "read_merchant_location",
                        mx.read_merchant_location()
                            .merchant_location_guid(l)
                            .send()
                            .await,
                    )
                    .merchant_location;
                let location = set(&location, "merchant_location");
                assert_eq!(location.guid.as_ref(), Some(l));
                assert_eq!(location.merchant_guid.as_deref(), Some(m));
                assert!(location.city.is_some(), "{location:?}");

                let defaults: Vec<types::CategoryResponse> = c.ok(
                    "list_default_categories",
                    mx.list_default_categories()
                        .stream_all()
                        .try_collect()
                        .await,
                );
                assert!(!defaults.is_empty());
                assert!(defaults
                    .iter()
                    .all(|x| x.guid.is_some() && x.name.is_some() && x.is_default == Some(true)));
                let by_user: Vec<types::CategoryResponse> = c.ok(
                    "list_default_categories_by_user",
                    mx.list_default_categories_by_user()
                        .user_guid(u)
                        .stream_all()
                        .try_collect()
                        .await,
                );
                // Both list MX's default categories (their descriptions);
                // assumed: the same ones.
                assert_eq!(
                    guids(by_user.iter().map(|x| &x.guid)),
                    guids(defaults.iter().map(|x| &x.guid))
                );
                let category = c
                    .body(
                        "read_default_category",
                        mx.read_default_category()
                            .category_guid(&ids.category)
                            .send()
                            .await,
                    )
                    .category;
                let category = set(&category, "category");
                assert!(defaults.contains(category), "{category:?}");
                assert_eq!(category.name, txn.category);
            }
        }
    };
}

for_each_version!(data);
