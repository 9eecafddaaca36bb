//! `every_operation`: a connected MX Bank member's data through every
//! Atrium route that reads it, consistent across routes.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use mx_client::atrium::{self, types as at};

use crate::every_operation::{guids, Calls};

/// Accounts, transactions, holdings, statements (the PDF too), account
/// numbers and owners, merchants and their locations, and cleansing.
pub async fn read_the_members_data(a: &atrium::Client, c: &mut Calls, u: &str, g: &str) {
    // Its accounts: MX Bank's four kinds, the same through every route.
    let accounts = c
        .ok(
            "atrium",
            "list_member_accounts",
            a.list_member_accounts()
                .user_guid(u)
                .member_guid(g)
                .send()
                .await,
        )
        .into_inner()
        .accounts;
    let kinds: BTreeSet<_> = accounts.iter().filter_map(|a| a.type_.clone()).collect();
    let want = ["CHECKING", "CREDIT_CARD", "INVESTMENT", "SAVINGS"];
    assert_eq!(kinds, want.iter().map(|k| k.to_string()).collect());
    assert!(accounts.iter().all(|x| x.member_guid.as_deref() == Some(g)));
    let account_guids = guids(accounts.iter().map(|a| &a.guid));
    let by_user = c
        .ok(
            "atrium",
            "list_user_accounts",
            a.list_user_accounts().user_guid(u).send().await,
        )
        .into_inner()
        .accounts;
    assert_eq!(guids(by_user.iter().map(|a| &a.guid)), account_guids);
    let checking = accounts
        .iter()
        .find(|x| x.type_.as_deref() == Some("CHECKING"))
        .unwrap();
    let investment = accounts
        .iter()
        .find(|x| x.type_.as_deref() == Some("INVESTMENT"))
        .unwrap();
    let chk = checking.guid.clone().unwrap();
    let read = c
        .ok(
            "atrium",
            "read_account",
            a.read_account()
                .user_guid(u)
                .account_guid(&chk)
                .send()
                .await,
        )
        .into_inner()
        .account;
    assert_eq!(&read, checking);
    let read = c
        .ok(
            "atrium",
            "read_account_by_member_guid",
            a.read_account_by_member_guid()
                .user_guid(u)
                .member_guid(g)
                .account_guid(&chk)
                .send()
                .await,
        )
        .into_inner()
        .account;
    assert_eq!(&read, checking);

    // Transactions: they refer to the member's accounts.
    let txns = c
        .ok(
            "atrium",
            "list_member_transactions",
            a.list_member_transactions()
                .user_guid(u)
                .member_guid(g)
                .send()
                .await,
        )
        .into_inner()
        .transactions;
    assert!(!txns.is_empty());
    for t in &txns {
        assert!(
            account_guids.contains(t.account_guid.as_deref().unwrap()),
            "{t:?}"
        );
    }
    let by_user = c
        .ok(
            "atrium",
            "list_user_transactions",
            a.list_user_transactions().user_guid(u).send().await,
        )
        .into_inner()
        .transactions;
    assert_eq!(
        guids(by_user.iter().map(|t| &t.guid)),
        guids(txns.iter().map(|t| &t.guid))
    );
    let in_checking = c
        .ok(
            "atrium",
            "list_account_transactions",
            a.list_account_transactions()
                .user_guid(u)
                .account_guid(&chk)
                .send()
                .await,
        )
        .into_inner()
        .transactions;
    assert!(!in_checking.is_empty());
    assert!(in_checking
        .iter()
        .all(|t| t.account_guid.as_deref() == Some(chk.as_str())));
    let txn = &in_checking[0];
    let read = c
        .ok(
            "atrium",
            "read_transaction",
            a.read_transaction()
                .user_guid(u)
                .transaction_guid(txn.guid.as_deref().unwrap())
                .send()
                .await,
        )
        .into_inner()
        .transaction;
    assert_eq!(&read, txn);

    // Holdings: the investment account's.
    let holdings = c
        .ok(
            "atrium",
            "list_holdings",
            a.list_holdings().user_guid(u).send().await,
        )
        .into_inner()
        .holdings;
    assert!(!holdings.is_empty());
    assert!(holdings.iter().all(|h| h.account_guid == investment.guid));
    let by_member = c
        .ok(
            "atrium",
            "list_holdings_by_member",
            a.list_holdings_by_member()
                .user_guid(u)
                .member_guid(g)
                .send()
                .await,
        )
        .into_inner()
        .holdings;
    assert_eq!(by_member, holdings);
    let by_account = c
        .ok(
            "atrium",
            "list_holdings_by_account",
            a.list_holdings_by_account()
                .user_guid(u)
                .account_guid(investment.guid.as_deref().unwrap())
                .send()
                .await,
        )
        .into_inner()
        .holdings;
    assert_eq!(by_account, holdings);
    let read = c
        .ok(
            "atrium",
            "read_holding",
            a.read_holding()
                .user_guid(u)
                .holding_guid(holdings[0].guid.as_deref().unwrap())
                .send()
                .await,
        )
        .into_inner()
        .holding;
    assert_eq!(read, holdings[0]);

    // Statements, and the PDF.
    let statements = c
        .ok(
            "atrium",
            "list_member_statements",
            a.list_member_statements()
                .user_guid(u)
                .member_guid(g)
                .send()
                .await,
        )
        .into_inner()
        .statements;
    assert!(!statements.is_empty());
    assert!(statements
        .iter()
        .all(|s| account_guids.contains(s.account_guid.as_deref().unwrap())));
    let s = statements[0].guid.clone().unwrap();
    let read = c
        .ok(
            "atrium",
            "read_member_statement",
            a.read_member_statement()
                .user_guid(u)
                .member_guid(g)
                .statement_guid(&s)
                .send()
                .await,
        )
        .into_inner()
        .statement;
    assert_eq!(read, statements[0]);
    let pdf = c.ok(
        "atrium",
        "download_statement_pdf",
        a.download_statement_pdf()
            .user_guid(u)
            .member_guid(g)
            .statement_guid(&s)
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

    // Account numbers and owners.
    let numbers = c
        .ok(
            "atrium",
            "list_account_numbers",
            a.list_account_numbers()
                .user_guid(u)
                .member_guid(g)
                .send()
                .await,
        )
        .into_inner()
        .account_numbers;
    assert!(!numbers.is_empty());
    assert!(numbers
        .iter()
        .all(|x| account_guids.contains(x.account_guid.as_deref().unwrap())));
    let of_checking = c
        .ok(
            "atrium",
            "list_account_numbers_by_account",
            a.list_account_numbers_by_account()
                .user_guid(u)
                .account_guid(&chk)
                .send()
                .await,
        )
        .into_inner()
        .account_numbers;
    assert_eq!(of_checking.len(), 1);
    assert_eq!(of_checking[0].account_guid.as_deref(), Some(chk.as_str()));
    assert!(numbers.contains(&of_checking[0]));
    let owners = c
        .ok(
            "atrium",
            "list_account_owners",
            a.list_account_owners()
                .user_guid(u)
                .member_guid(g)
                .send()
                .await,
        )
        .into_inner()
        .account_owners;
    assert!(!owners.is_empty());
    assert!(owners
        .iter()
        .all(|o| account_guids.contains(o.account_guid.as_deref().unwrap())));

    // Merchants: the one a transaction names, and its locations.
    let m = txn.merchant_guid.clone().unwrap();
    let merchants = c
        .ok(
            "atrium",
            "list_merchants",
            a.list_merchants().records_per_page(100).send().await,
        )
        .into_inner()
        .merchants;
    assert!(merchants
        .iter()
        .any(|x| x.guid.as_deref() == Some(m.as_str())));
    let merchant = c
        .ok(
            "atrium",
            "read_merchant",
            a.read_merchant().merchant_guid(&m).send().await,
        )
        .into_inner()
        .merchant;
    assert_eq!(merchant.guid.as_deref(), Some(m.as_str()));
    assert_eq!(merchant.name, txn.description);
    let locations = c
        .ok(
            "atrium",
            "list_merchant_locations",
            a.list_merchant_locations().merchant_guid(&m).send().await,
        )
        .into_inner()
        .merchant_locations;
    assert!(!locations.is_empty());
    assert!(locations
        .iter()
        .all(|l| l.merchant_guid.as_deref() == Some(m.as_str())));
    let location = c
        .ok(
            "atrium",
            "read_merchant_location",
            a.read_merchant_location()
                .merchant_guid(&m)
                .merchant_location_guid(locations[0].guid.as_deref().unwrap())
                .send()
                .await,
        )
        .into_inner()
        .merchant_location;
    assert_eq!(location, locations[0]);
    let cleansed = c
        .ok(
            "atrium",
            "cleanse_and_categorize_transactions",
            a.cleanse_and_categorize_transactions()
                .body(at::TransactionsCleanseAndCategorizeRequestBody::new(vec![
                    at::TransactionCleanseAndCategorizeRequest {
                        amount: txn.amount,
                        description: txn.original_description.clone(),
                        identifier: Some("12".into()),
                        type_: txn.type_.clone(),
                        ..Default::default()
                    },
                ]))
                .send()
                .await,
        )
        .into_inner()
        .transactions;
    assert_eq!(cleansed.len(), 1);
    assert_eq!(cleansed[0].identifier.as_deref(), Some("12"));
    assert_eq!(cleansed[0].merchant_guid.as_deref(), Some(m.as_str()));
    assert_eq!(cleansed[0].category, txn.category);
}
