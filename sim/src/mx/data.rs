//! MX-Bank-like test data: merchants (seeded once) and, when a member first
//! connects, its accounts (checking, savings, credit card, investment with
//! holdings), transactions at those merchants, account numbers, account
//! owners and statements. Everything is stored in the shared tables, so
//! every route reads the same GUIDs.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::SystemTime;

use serde_json::{json, Value};

use super::world::World;
use crate::engine::call::{Answer, Call};
use crate::store::{guid, text, Record};
use crate::time::{date, rfc3339};

/// (guid, name, website, category, city, state, latitude, longitude)
type MerchantSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
);

const MERCHANTS: &[MerchantSeed] = &[
    (
        "MCH-7ed79542-884d-2b1b-dd74-501c5cc9d25b",
        "Starbucks",
        "https://www.starbucks.com",
        "Coffee Shops",
        "Lehi",
        "UT",
        40.3916,
        -111.8508,
    ),
    (
        "MCH-09466f0a-fb58-9d1a-bae2-2af0afbea621",
        "Amazon",
        "https://www.amazon.com",
        "Shopping",
        "Seattle",
        "WA",
        47.6223,
        -122.3366,
    ),
    (
        "MCH-ad6d3405-ec03-721d-b0ca-eeceeebcb8b5",
        "Shell",
        "https://www.shell.us",
        "Gas",
        "Provo",
        "UT",
        40.2338,
        -111.6585,
    ),
    (
        "MCH-14f46ffc-0c41-4d3a-9a3e-0b6b1b6b2c31",
        "Acme Payroll",
        "https://www.example.com",
        "Paycheck",
        "Salt Lake City",
        "UT",
        40.7608,
        -111.8910,
    ),
];

fn object(v: Value) -> Record {
    match v {
        Value::Object(o) => o,
        _ => Record::new(),
    }
}

/// Stores the merchants and their locations (once, at start).
pub fn seed_merchants(world: &mut World) {
    let now = rfc3339(SystemTime::now());
    for (i, (g, name, web, _, city, state, lat, lon)) in MERCHANTS.iter().enumerate() {
        world.store.put(
            "merchants",
            object(json!({
                "guid": g, "name": name, "website_url": web,
                "logo_url": format!("https://content.mx.com/logos/merchants/{g}.png"),
                "created_at": now, "updated_at": now,
            })),
        );
        world.store.put(
            "merchant_locations",
            object(json!({
                "guid": format!("MCL-{}", &g[4..]), "merchant_guid": g,
                "city": city, "state": state, "postal_code": format!("8400{i}"),
                "street_address": format!("{} Main Street", 100 + i), "phone_number": "555-0100",
                "store_number": format!("{}", 1000 + i), "latitude": lat, "longitude": lon,
            })),
        );
    }
}

/// Creates a member's test data, once.
pub fn load(world: &mut World, member_guid: &str) {
    let bank = match world.members.get_mut(member_guid) {
        Some(rt) if !rt.data_loaded => {
            rt.data_loaded = true;
            super::institutions::by_code(rt.institution).map_or("MX Bank", |i| i.name)
        }
        _ => return,
    };
    let Some(m) = world.store.get("members", member_guid) else {
        return;
    };
    let user_guid = text(m, "user_guid").unwrap_or_default().to_string();
    let code = text(m, "institution_code").unwrap_or_default().to_string();
    let now = SystemTime::now();
    let stamp = rfc3339(now);
    let owner = |account: &str| json!({ "account_guid": account, "member_guid": member_guid, "user_guid": user_guid });
    // (name, type, balance, account number)
    let accounts = [
        ("Checking", "CHECKING", 1250.75, "1234567890"),
        ("Savings", "SAVINGS", 8400.0, "2345678901"),
        ("Credit Card", "CREDIT_CARD", 512.34, "4111111111111111"),
        ("Brokerage", "INVESTMENT", 25300.1, "3456789012"),
    ];
    for (n, (name, kind, balance, number)) in accounts.iter().enumerate() {
        let account = guid("ACT");
        let mut a = object(json!({
            "guid": account, "member_guid": member_guid, "user_guid": user_guid,
            "institution_code": code, "name": format!("{bank} {name}"), "type": kind,
            "balance": balance, "available_balance": balance, "currency_code": "USD",
            "account_number": format!("****{}", &number[number.len() - 4..]),
            "is_closed": false, "created_at": stamp, "updated_at": stamp,
        }));
        match *kind {
            "CREDIT_CARD" => {
                a.insert("credit_limit".into(), json!(5000.0));
                a.insert("available_credit".into(), json!(5000.0 - balance));
                a.insert("minimum_payment".into(), json!(25.0));
                a.insert(
                    "payment_due_at".into(),
                    json!(rfc3339(now + std::time::Duration::from_secs(20 * 86_400))),
                );
            }
            "INVESTMENT" => {
                a.insert("holdings_value".into(), json!(balance));
                for (symbol, desc, shares, price, typ) in [
                    (
                        "VTI",
                        "Vanguard Total Stock Market ETF",
                        60.0,
                        250.5,
                        "EXCHANGE_TRADED_FUND",
                    ),
                    ("AAPL", "Apple Inc.", 48.0, 213.9, "EQUITY"),
                ] {
                    let mut h = object(owner(&account));
                    h.extend(object(json!({
                        "guid": guid("HOL"), "symbol": symbol, "description": desc,
                        "shares": shares, "market_value": shares * price, "purchase_price": price * 0.8,
                        "cost_basis": shares * price * 0.8, "daily_change": 1.25, "holding_type": typ,
                        "currency_code": "USD", "cusip": format!("{symbol:0>9}"),
                        "created_at": stamp, "updated_at": stamp,
                    })));
                    world.store.put("holdings", h);
                }
            }
            _ => {
                let mut num = object(owner(&account));
                num.extend(object(json!({
                    "guid": guid("ACN"), "account_number": number, "routing_number": "091000019",
                    "institution_number": null, "transit_number": null,
                })));
                world.store.put("account_numbers", num);
            }
        }
        if *kind != "INVESTMENT" {
            for (t, (mg, mname, _, category, ..)) in MERCHANTS.iter().enumerate() {
                let income = *category == "Paycheck";
                if income && *kind == "CREDIT_CARD" {
                    continue;
                }
                let amount = if income {
                    2100.0
                } else {
                    4.5 + 10.0 * t as f64
                };
                let mut tx = object(owner(&account));
                tx.extend(object(json!({
                    "guid": guid("TRN"), "merchant_guid": mg, "description": mname,
                    "original_description": mname.to_uppercase(), "amount": amount,
                    "type": if income { "CREDIT" } else { "DEBIT" }, "category": category,
                    "top_level_category": if income { "Income" } else { "Shopping" },
                    "date": date(now, (t + n) as u64), "posted_at": stamp, "transacted_at": stamp,
                    "status": "POSTED", "currency_code": "USD", "is_expense": !income,
                    "is_income": income, "is_bill_pay": false, "is_direct_deposit": income,
                    "is_fee": false, "is_international": false, "is_overdraft_fee": false,
                    "is_payroll_advance": false, "is_subscription": false,
                    "created_at": stamp, "updated_at": stamp,
                })));
                world.store.put("transactions", tx);
            }
        }
        let mut o = object(owner(&account));
        o.extend(object(json!({
            "guid": guid("ACO"), "owner_name": "Jane Doe", "email": "jane.doe@example.com",
            "address": "123 Main Street", "city": "Lehi", "state": "UT",
            "postal_code": "84043", "country": "US",
        })));
        world.store.put("account_owners", o);
        let statement = guid("STA");
        let mut s = object(owner(&account));
        let mut hasher = DefaultHasher::new();
        statement.hash(&mut hasher);
        s.extend(object(json!({
            "guid": statement, "content_hash": format!("{:016x}", hasher.finish()),
            "uri": format!("/users/{user_guid}/members/{member_guid}/statements/{statement}.pdf"),
            "created_at": stamp, "updated_at": stamp,
        })));
        world.store.put("statements", s);
        world.store.put("accounts", a);
    }
}

/// `POST /transactions/cleanse_and_categorize`: each transaction with a
/// category and flags from its description.
pub fn cleanse(_: &mut World, call: &Call<'_>) -> Answer {
    let items = call
        .body
        .as_ref()
        .and_then(|b| b.get("transactions"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let out = items
        .into_iter()
        .map(|t| {
            let description = t
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let lower = description.to_lowercase();
            let merchant = MERCHANTS
                .iter()
                .find(|m| lower.contains(&m.1.to_lowercase()));
            let category = merchant.map_or("Uncategorized", |m| m.3);
            let income = category == "Paycheck";
            let mut r = object(t.clone());
            r.extend(object(json!({
                "category": category, "original_description": description,
                "description": merchant.map_or(description, |m| m.1),
                "merchant_guid": merchant.map(|m| m.0),
                "is_income": income, "is_expense": !income, "is_bill_pay": false,
                "is_direct_deposit": income, "is_fee": false, "is_international": false,
                "is_overdraft_fee": false, "is_payroll_advance": false,
            })));
            Value::Object(r)
        })
        .collect();
    Ok(call.list(out, None))
}
