//! The answers MX's pages show decode and keep their records
//! (`tests/fixtures/mx-pages/INDEX.md` names each page).

use std::path::Path;

use serde_json::Value;

/// (fixture, API, operation) for each API this build has.
const PAGES: &[(&str, &str, &str)] = &[
    ("atrium-read_member", "atrium", "read_member"),
    ("atrium-list_members", "atrium", "list_members"),
    ("atrium-list_accounts", "atrium", "list_user_accounts"),
    (
        "atrium-list_member_accounts",
        "atrium",
        "list_member_accounts",
    ),
    ("atrium-read_transaction", "atrium", "read_transaction"),
    ("atrium-read_holding", "atrium", "read_holding"),
    ("atrium-read_statement", "atrium", "read_member_statement"),
    (
        "atrium-read_transaction",
        "platform_v20111101",
        "readTransaction",
    ),
    (
        "atrium-read_transaction",
        "platform_v20250224",
        "readTransaction",
    ),
    (
        "platform-v20250224-read_member",
        "platform_v20111101",
        "readMember",
    ),
    (
        "platform-v20250224-read_member",
        "platform_v20250224",
        "readMember",
    ),
    (
        "platform-v20250224-read_member_account",
        "platform_v20111101",
        "readAccountByMember",
    ),
    (
        "platform-v20250224-read_member_account",
        "platform_v20250224",
        "readAccountByMember",
    ),
    (
        "platform-v20250224-list_holdings",
        "platform_v20111101",
        "listHoldings",
    ),
    (
        "platform-v20250224-list_holdings",
        "platform_v20250224",
        "listHoldings",
    ),
    ("nexus-list_budgets", "platform_v20111101", "listAllBudgets"),
    ("nexus-list_budgets", "platform_v20250224", "listAllBudgets"),
];

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mx-pages")
        .join(format!("{name}.json"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `guid` of every record of an answer: the object under each top-level
/// key, or each object of a top-level list.
fn record_guids(answer: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for v in answer.as_object().into_iter().flat_map(|o| o.values()) {
        let records: Vec<&Value> = match v {
            Value::Array(list) => list.iter().collect(),
            other => vec![other],
        };
        out.extend(
            records
                .iter()
                .filter_map(|r| r.get("guid")?.as_str().map(str::to_string)),
        );
    }
    out
}

#[test]
fn every_page_answer_decodes_and_keeps_its_records() {
    let built: Vec<&str> = super::apis().into_iter().map(|(api, _)| api).collect();
    let mut checked = 0;
    for (name, api, operation) in PAGES {
        if !built.contains(api) {
            continue;
        }
        let body = fixture(name);
        let page: Value = serde_json::from_slice(&body).unwrap();
        let guids = record_guids(&page);
        assert!(
            !guids.is_empty(),
            "{name}: the page's answer holds no record"
        );
        let decoded = super::decoder(api, operation)(&body)
            .unwrap_or_else(|e| panic!("{name} as {api} {operation}: {e}"));
        assert_eq!(
            record_guids(&decoded),
            guids,
            "{name} as {api} {operation}: the records did not survive decoding: {decoded}"
        );
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} page answers checked");
}

/// The two mistyped operations of MX's Platform specs, corrected by the
/// overlays: the page's one-transaction answer is a transaction, the page's
/// list of budgets a list; the old types would have decoded both as empty,
/// and the runtime now refuses that.
#[cfg(feature = "platform-v20250224")]
#[test]
fn read_transaction_and_list_budgets_return_their_records() {
    use mx_client::platform::v20250224::types;

    let read: types::TransactionIncludesResponseBody =
        mx_client::__private::decode(&fixture("atrium-read_transaction")).unwrap();
    assert_eq!(
        read.transaction.and_then(|t| t.guid).as_deref(),
        Some("TRN-265abee9-889b-af6a-c69b-25157db2bdd9")
    );
    let budgets: types::BudgetsResponseBody =
        mx_client::__private::decode(&fixture("nexus-list_budgets")).unwrap();
    assert_eq!(budgets.budgets.len(), 1);
    assert_eq!(
        budgets.budgets[0].guid.as_deref(),
        Some("BGT-6ca0e3ef-c65e-4655-8b5a-275a3c19c21d")
    );
    // Read as the specs type them, the same answers lose every record: the
    // runtime refuses instead of answering an empty value.
    let e = mx_client::__private::decode::<types::TransactionsResponseBodyIncludes>(&fixture(
        "atrium-read_transaction",
    ))
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("none of the answer's keys (transaction)"),
        "{e}"
    );
    let e =
        mx_client::__private::decode::<types::BudgetResponseBody>(&fixture("nexus-list_budgets"))
            .unwrap_err();
    assert!(e.to_string().contains("(budgets)"), "{e}");
}
