//! MX's verifiable credentials (MX's Verifiable Credentials page,
//! <https://docs.mx.com/api-reference/platform-api/reference/verifiable-credentials>):
//! "A VC is returned as a JWT in the response. Decode the JWT to read the
//! data. All data is in FDX v5.3 standardized data format." The JWT's
//! payload holds `vc`: `@context`, `id` (the request's URL), `type`,
//! `issuer` (MX's DID), `issuanceDate` and `credentialSubject`: the
//! member's `accounts` (`getAccountsData`), the account's `transactions`
//! (`getTransactionsData`), the member's `customers` (`getIdentityData`),
//! each FDX record keyed by its kind (`depositAccount`, `locAccount`, …),
//! as MX's example account data shows.
//!
//! Assumptions (MX's page shows only account data): the transactions and
//! identity credentials are typed `FinancialTransactionCredential` and
//! `FinancialIdentityCredential` (the names the Universal Connect
//! project's tests of MX's credentials check); the JWT is signed by no
//! key (the simulator has none of MX's): its signature is a digest of the
//! header and payload, so a client decodes it but cannot verify it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::SystemTime;

use base64::Engine as _;
use serde_json::{json, Value};

use super::world::World;
use crate::engine::call::{Answer, Call, Fail, Reply};
use crate::engine::generic;
use crate::store::{text, Record};
use crate::time::rfc3339;

/// MX's DID (its Verifiable Credentials page).
const MX_DID: &str = "did:dht:kfcakjzahwimgo9zzjw6yknt9srdtkmfqbeybekcg3xzz1ztg95y";

/// Base64url without padding (JWT's encoding).
fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `payload` as an (unverifiable) EdDSA JWT.
fn jwt(payload: &Value) -> String {
    let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": format!("{MX_DID}#0") });
    let signed = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let mut digest = Vec::new();
    for seed in 0u8..8 {
        let mut h = DefaultHasher::new();
        (seed, &signed).hash(&mut h);
        digest.extend(h.finish().to_be_bytes());
    }
    format!("{signed}.{}", b64(&digest))
}

/// An account as an FDX account, keyed by its kind.
fn fdx_account(a: &Record) -> Value {
    let kind = text(a, "type").unwrap_or_default();
    let (key, fdx_type, balance_type) = match kind {
        "CREDIT_CARD" => ("locAccount", "CREDITCARD", "LIABILITY"),
        "INVESTMENT" => ("investmentAccount", "BROKERAGE", "ASSET"),
        "SAVINGS" => ("depositAccount", "SAVINGS", "ASSET"),
        _ => ("depositAccount", "CHECKING", "ASSET"),
    };
    let mut fdx = json!({
        "accountId": a.get("guid"), "accountType": fdx_type,
        "accountNumberDisplay": a.get("account_number"), "productName": a.get("name"),
        "nickname": a.get("nickname"), "status": "OPEN",
        "currency": { "currencyCode": a.get("currency_code") },
        "fiAttributes": [
            { "name": "member_guid", "value": a.get("member_guid") },
            { "name": "institution_code", "value": a.get("institution_code") },
        ],
        "balanceType": balance_type, "balanceAsOf": a.get("updated_at"),
        "currentBalance": a.get("balance"),
    });
    if kind == "CREDIT_CARD" {
        fdx["creditLine"] = a.get("credit_limit").cloned().unwrap_or(Value::Null);
        fdx["availableCredit"] = a.get("available_credit").cloned().unwrap_or(Value::Null);
    } else {
        fdx["availableBalance"] = a.get("available_balance").cloned().unwrap_or(Value::Null);
    }
    json!({ key: fdx })
}

/// A transaction as an FDX transaction of its account's kind.
fn fdx_transaction(t: &Record, kind: &str) -> Value {
    let key = match kind {
        "CREDIT_CARD" => "locTransaction",
        _ => "depositTransaction",
    };
    json!({ key: {
        "accountId": t.get("account_guid"), "transactionId": t.get("guid"),
        "postedTimestamp": t.get("posted_at"), "transactionTimestamp": t.get("transacted_at"),
        "description": t.get("description"), "memo": t.get("memo"),
        "debitCreditMemo": t.get("type"), "category": t.get("category"),
        "status": t.get("status"), "amount": t.get("amount"),
    }})
}

/// The member's account owners as FDX customers: one per name, with the
/// accounts they own (its `customerId` the GUID of its first owner record).
fn fdx_customers(world: &World, member: &str) -> Vec<Value> {
    let f = [("member_guid".to_string(), member.to_string())];
    let mut customers: Vec<Value> = Vec::new();
    for o in world.store.select("account_owners", &f) {
        let name = text(o, "owner_name").unwrap_or_default();
        let account = json!({ "accountId": o.get("account_guid"), "relationship": "PRIMARY" });
        if let Some(c) = customers
            .iter_mut()
            .find(|c| c["name"]["full"] == json!(name))
        {
            if let Some(accounts) = c["accounts"].as_array_mut() {
                accounts.push(account);
            }
            continue;
        }
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        customers.push(json!({
            "customerId": o.get("guid"), "name": { "first": first, "last": last, "full": name },
            "addresses": [{
                "line1": o.get("address"), "city": o.get("city"), "region": o.get("state"),
                "postalCode": o.get("postal_code"), "country": o.get("country"),
            }],
            "email": [o.get("email")], "accounts": [account],
        }));
    }
    customers
}

/// The credential's type and subject for the request's path.
fn subject(world: &World, call: &Call<'_>) -> Result<(&'static str, Value), Fail> {
    let f = generic::filters(call);
    match call.op.template.last_literal() {
        Some("accounts") => {
            let accounts = world.store.select("accounts", &f).map(fdx_account);
            Ok((
                "FinancialAccountCredential",
                json!({ "accounts": accounts.collect::<Vec<_>>() }),
            ))
        }
        Some("customers") => Ok((
            "FinancialIdentityCredential",
            json!({ "customers": fdx_customers(world, call.param("member_guid")) }),
        )),
        Some("transactions") => {
            let account = world.store.get("accounts", call.param("account_guid"));
            let kind = account.and_then(|a| text(a, "type")).unwrap_or_default();
            let (from, to) = (call.query_str("startTime"), call.query_str("endTime"));
            let within = |t: &&Record| {
                let d = text(t, "date").unwrap_or_default();
                from.is_none_or(|f| d >= f.get(..10).unwrap_or(f))
                    && to.is_none_or(|e| d <= e.get(..10).unwrap_or(e))
            };
            let transactions = world.store.select("transactions", &f).filter(within);
            let list: Vec<Value> = transactions.map(|t| fdx_transaction(t, kind)).collect();
            Ok((
                "FinancialTransactionCredential",
                json!({ "transactions": list }),
            ))
        }
        _ => Err(Fail::new(404, "no verifiable credential here")),
    }
}

/// `GET /vc/users/{user_guid}/members/{member_guid}/accounts`,
/// `…/customers`, `GET /vc/users/{user_guid}/accounts/{account_guid}/transactions`:
/// `{"verifiableCredential": "<JWT>"}`.
pub fn credential(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let (kind, subject) = subject(world, call)?;
    let path: String = call
        .params
        .iter()
        .fold(call.op.template.text.clone(), |p, (k, v)| {
            p.replace(&format!("{{{k}}}"), v)
        });
    let now = SystemTime::now();
    let issued = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let payload = json!({
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "id": format!("{}{}{path}", call.base, call.api.mount),
            "type": ["VerifiableCredential", kind],
            "issuer": MX_DID, "issuanceDate": rfc3339(now),
            "credentialSubject": subject,
        },
        "iss": MX_DID, "sub": call.param("user_guid"), "iat": issued, "nbf": issued,
    });
    Ok(Reply::Json(
        200,
        json!({ "verifiableCredential": jwt(&payload) }),
    ))
}
