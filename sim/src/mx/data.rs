//! MX-Bank-like test data: merchants and their locations (seeded once) and,
//! when a member first connects, its accounts (checking, savings, credit
//! card, investment with holdings), transactions at those merchants (filed
//! under MX's default categories, at the merchant's location; the checking
//! account's with two months of history), account
//! numbers, account owners and statements; then the Platform's data made
//! from them (`insights`, `repeating`, `notifications`, `spending_plan`)
//! and the rewards a fetch asked for (`rewards`). Everything is stored in
//! the shared tables, so every route reads the same GUIDs.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, SystemTime};

use serde_json::json;

use super::lists::object;
use super::owner::Owner;
use super::world::World;
use crate::store::{guid, text, Record};
use crate::time::{date, month_before, rfc3339};

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

/// MX Bank's merchants: its accounts' transactions are at them.
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

/// Merchants MX's cleansing knows besides MX Bank's (no MX Bank
/// transaction is at them): Uber, the merchant of the Platform spec's
/// enhance example (`ubr* pending.uber.com`, with its GUID).
const KNOWN: &[MerchantSeed] = &[(
    "MCH-14f25b63-ef47-a38e-b2b6-d02b280b6e4e",
    "Uber",
    "https://www.uber.com",
    "Rental Car & Taxi",
    "San Francisco",
    "CA",
    37.7749,
    -122.4194,
)];

/// A merchant the simulator knows: its GUID, name and category.
#[derive(Debug, Clone, Copy)]
pub struct Merchant {
    pub guid: &'static str,
    pub name: &'static str,
    pub category: &'static str,
}

/// The merchant a transaction description names (its name in any case:
/// `STARBUCKS #123`, `ubr* pending.uber.com`), if any.
pub fn merchant_in(description: &str) -> Option<Merchant> {
    let lower = description.to_lowercase();
    MERCHANTS
        .iter()
        .chain(KNOWN)
        .find(|m| lower.contains(&m.1.to_lowercase()))
        .map(|m| Merchant {
            guid: m.0,
            name: m.1,
            category: m.3,
        })
}

/// MX Bank's accounts: (name, type, balance, account number).
const ACCOUNTS: &[(&str, &str, f64, &str)] = &[
    ("Checking", "CHECKING", 1250.75, "1234567890"),
    ("Savings", "SAVINGS", 8400.0, "2345678901"),
    ("Credit Card", "CREDIT_CARD", 512.34, "4111111111111111"),
    ("Brokerage", "INVESTMENT", 25300.1, "3456789012"),
];

/// An INVESTMENT account's holdings: (symbol, description, shares, price,
/// type).
const HOLDINGS: &[(&str, &str, f64, f64, &str)] = &[
    (
        "VTI",
        "Vanguard Total Stock Market ETF",
        60.0,
        250.5,
        "EXCHANGE_TRADED_FUND",
    ),
    ("AAPL", "Apple Inc.", 48.0, 213.9, "EQUITY"),
];

/// The GUID of a merchant's (one) location.
pub fn location_of(merchant_guid: &str) -> String {
    format!("MCL-{}", merchant_guid.get(4..).unwrap_or(merchant_guid))
}

/// Stores the merchants and their locations (once, at start).
pub fn seed_merchants(world: &mut World) {
    let now = rfc3339(SystemTime::now());
    for (i, (g, name, web, _, city, state, lat, lon)) in MERCHANTS.iter().chain(KNOWN).enumerate() {
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
                "guid": location_of(g), "merchant_guid": g,
                "city": city, "state": state, "postal_code": format!("8400{i}"), "country": "US",
                "street_address": format!("{} Main Street", 100 + i), "phone_number": "555-0100",
                "store_number": format!("{}", 1000 + i), "latitude": lat, "longitude": lon,
                "created_at": now, "updated_at": now,
            })),
        );
    }
}

/// Marks a member's data as made: `Some` the first time it connects.
fn first_connection(world: &mut World, member_guid: &str) -> Option<Owner> {
    let bank = match world.members.get_mut(member_guid) {
        Some(rt) if !rt.data_loaded => {
            rt.data_loaded = true;
            super::institutions::by_code(rt.institution).map_or("MX Bank", |i| i.name)
        }
        _ => return None,
    };
    let m = world.store.get("members", member_guid)?;
    Some(Owner {
        member_guid: member_guid.to_string(),
        user_guid: text(m, "user_guid").unwrap_or_default().to_string(),
        code: text(m, "institution_code").unwrap_or_default().to_string(),
        bank,
        now: SystemTime::now(),
    })
}

/// A member connected: its test data, created the first time (accounts
/// and what hangs on them, then the Platform's data derived from them:
/// insights, repeating transactions, notifications, the user's spending
/// plan); the rewards a fetch asked for, each time.
pub fn load(world: &mut World, member_guid: &str) {
    if let Some(owner) = first_connection(world, member_guid) {
        for (n, account) in ACCOUNTS.iter().enumerate() {
            create_account(world, &owner, n, account);
        }
        super::insights::create(world, &owner);
        super::repeating::create(world, &owner);
        super::notifications::create(world, &owner);
        super::spending_plan::include(world, &owner.user_guid);
    }
    super::rewards::gather(world, member_guid);
}

/// One account of the member, with its holdings or account numbers, its
/// transactions, owner and statement.
fn create_account(
    world: &mut World,
    owner: &Owner,
    n: usize,
    &(name, kind, balance, number): &(&str, &str, f64, &str),
) {
    let account = guid("ACT");
    let stamp = owner.stamp();
    let mut a = owner.of(&account);
    a.remove("account_guid");
    a.extend(object(json!({
        "guid": account, "institution_code": owner.code, "name": format!("{} {name}", owner.bank),
        "type": kind, "balance": balance, "available_balance": balance, "currency_code": "USD",
        "account_number": format!("****{}", &number[number.len() - 4..]),
        "is_closed": false, "is_manual": false, "created_at": stamp, "updated_at": stamp,
    })));
    match kind {
        "CREDIT_CARD" => {
            let product = super::credit_cards::product_of(&owner.code);
            a.insert("credit_card_product_guid".into(), json!(product));
            a.insert("credit_limit".into(), json!(5000.0));
            a.insert("available_credit".into(), json!(5000.0 - balance));
            a.insert("minimum_payment".into(), json!(25.0));
            a.insert(
                "payment_due_at".into(),
                json!(rfc3339(owner.now + Duration::from_secs(20 * 86_400))),
            );
        }
        "INVESTMENT" => {
            a.insert("holdings_value".into(), json!(balance));
            create_holdings(world, owner, &account);
        }
        _ => {
            let mut num = owner.of(&account);
            num.extend(object(json!({
                "guid": guid("ACN"), "account_number": number, "routing_number": "091000019",
                "institution_number": null, "transit_number": null,
            })));
            world.store.put("account_numbers", num);
        }
    }
    if kind != "INVESTMENT" {
        create_transactions(world, owner, &account, n, kind);
    }
    if kind == "CHECKING" {
        create_history(world, owner, &account);
    }
    create_owner_and_statement(world, owner, &account);
    world.store.put("accounts", a);
}

/// An INVESTMENT account's holdings, with Atrium's fields (`shares`) and
/// the Platform's (`quantity`, `current_price`, gains and losses).
fn create_holdings(world: &mut World, owner: &Owner, account: &str) {
    let stamp = owner.stamp();
    for &(symbol, desc, shares, price, typ) in HOLDINGS {
        let (value, cost) = (shares * price, shares * price * 0.8);
        let mut h = owner.of(account);
        h.extend(object(json!({
            "guid": guid("HOL"), "symbol": symbol, "description": desc,
            "shares": shares, "quantity": format!("{shares:.1}"), "market_value": value,
            "current_price": price, "current_price_as_of": stamp, "purchase_price": price * 0.8,
            "cost_basis": cost, "daily_change": 1.25, "percentage_change": 0.5,
            "today_ugl_amount": shares * 1.25, "today_ugl_percentage": 0.5,
            "total_ugl_amount": value - cost, "total_ugl_percentage": 25.0,
            "holding_type": typ, "currency_code": "USD", "cusip": format!("{symbol:0>9}"),
            "created_at": stamp, "updated_at": stamp,
        })));
        world.store.put("holdings", h);
    }
}

/// An account's transactions, one at each merchant (no paycheck on a
/// credit card), filed under MX's default categories, at the merchant's
/// location.
fn create_transactions(world: &mut World, owner: &Owner, account: &str, n: usize, kind: &str) {
    let stamp = owner.stamp();
    for (t, merchant) in MERCHANTS.iter().enumerate() {
        let income = merchant.3 == "Paycheck";
        if income && kind == "CREDIT_CARD" {
            continue;
        }
        let amount = if income {
            2100.0
        } else {
            4.5 + 10.0 * t as f64
        };
        let day = date(owner.now, (t + n) as u64);
        let tx = transaction(owner, account, merchant, amount, day, &stamp);
        world.store.put("transactions", tx);
    }
}

/// The checking account's history: its gas purchase at Shell in each of
/// the two previous calendar months (on the 15th). Assumption (MX Bank's
/// data is not published): an MX Bank account has some history before the
/// last days, as an aggregation brings in past transactions; this is the
/// history MX's auto-generated budgets need (`budgets.rs`).
fn create_history(world: &mut World, owner: &Owner, account: &str) {
    let Some(shell) = MERCHANTS.iter().find(|m| m.1 == "Shell") else {
        return;
    };
    for back in 1..=2 {
        let (first, _) = month_before(owner.now, back);
        let day = format!("{}15", first.get(..8).unwrap_or_default());
        let at = format!("{day}T12:00:00Z");
        let amount = 36.0 + 2.5 * f64::from(back);
        let tx = transaction(owner, account, shell, amount, day, &at);
        world.store.put("transactions", tx);
    }
}

/// A transaction of `account` at `merchant` on `day` (posted at `at`),
/// filed under MX's default category of the merchant, at its location.
fn transaction(
    owner: &Owner,
    account: &str,
    &(mg, mname, _, category, ..): &MerchantSeed,
    amount: f64,
    day: String,
    at: &str,
) -> Record {
    let income = category == "Paycheck";
    let filed = super::categories::by_name(category);
    let stamp = owner.stamp();
    let mut tx = owner.of(account);
    tx.extend(object(json!({
        "guid": guid("TRN"), "merchant_guid": mg, "merchant_location_guid": location_of(mg),
        "description": mname, "original_description": mname.to_uppercase(), "amount": amount,
        "type": if income { "CREDIT" } else { "DEBIT" }, "category": category,
        "category_guid": filed.as_ref().map(|c| &c.guid),
        "top_level_category": filed.as_ref().map(|c| c.top_name),
        "top_level_category_guid": filed.as_ref().map(|c| &c.top_guid),
        "date": day, "posted_at": at, "transacted_at": at,
        "status": "POSTED", "currency_code": "USD", "is_expense": !income,
        "is_income": income, "is_bill_pay": false, "is_direct_deposit": income,
        "is_fee": false, "is_international": false, "is_overdraft_fee": false,
        "is_payroll_advance": false, "is_subscription": false, "is_manual": false,
        "created_at": stamp, "updated_at": stamp,
    })));
    tx
}

/// An account's owner and its statement.
fn create_owner_and_statement(world: &mut World, owner: &Owner, account: &str) {
    let stamp = owner.stamp();
    let mut o = owner.of(account);
    o.extend(object(json!({
        "guid": guid("ACO"), "owner_name": "Jane Doe", "email": "jane.doe@example.com",
        "address": "123 Main Street", "city": "Lehi", "state": "UT",
        "postal_code": "84043", "country": "US",
    })));
    world.store.put("account_owners", o);
    let statement = guid("STA");
    let mut s = owner.of(account);
    let mut hasher = DefaultHasher::new();
    statement.hash(&mut hasher);
    let (user_guid, member_guid) = (&owner.user_guid, &owner.member_guid);
    s.extend(object(json!({
        "guid": statement, "content_hash": format!("{:016x}", hasher.finish()),
        "uri": format!("/users/{user_guid}/members/{member_guid}/statements/{statement}.pdf"),
        "created_at": stamp, "updated_at": stamp,
    })));
    world.store.put("statements", s);
}
