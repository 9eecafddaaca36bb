//! The Platform's data of a connected MX Bank member, through both
//! versions' routes over raw HTTP (`Accept-Version`): insights, holdings,
//! rewards after a fetch, the spending plan, repeating transactions,
//! notifications, merchant locations, default categories, enhanced and
//! split transactions, verifiable credentials and microdeposits. Every
//! answer is checked against its operation's schema and holds real
//! values; what one route hands out reads back through another.

use base64::Engine as _;
use mx_sim::{Operation, Simulator};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::platform::{basic, Version, VERSIONS};

/// The beta media type of the verifiable credentials.
const V2BETA: &str = "application/vnd.mx.api.v2beta+json";

/// A user with a connected MX Bank member, reached through one version.
struct Connected {
    sim: Simulator,
    v: Version,
    basic: String,
    user: String,
    member: String,
}

/// The operation of `v` that `method` on `path` reaches (the most
/// specific template, as the engine routes).
fn operation(sim: &Simulator, v: Version, method: &str, path: &str) -> Operation {
    let path = path.split('?').next().unwrap_or_default();
    sim.operations(v.api)
        .into_iter()
        .filter(|op| op.method == method)
        .filter_map(|op| op.template.matches(path).map(|(score, _)| (score, op)))
        .max_by_key(|(score, _)| *score)
        .map(|(_, op)| op)
        .unwrap_or_else(|| panic!("{} routes no {method} {path}", v.version))
}

/// A record holds real values, not an all-null shape: an object with a
/// GUID where it has one, and several values set.
fn assert_real(record: &Value, what: &str) {
    let o = record
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not a record: {record}"));
    if let Some(g) = o.get("guid") {
        assert!(
            g.as_str().is_some_and(|g| !g.is_empty()),
            "{what}: no guid: {record}"
        );
    }
    let set = o.values().filter(|v| !v.is_null()).count();
    assert!(set >= 4, "{what}: {set} values set: {record}");
}

/// The records of a list answer under `key`, each real; at least one.
fn records(body: &Value, key: &str, what: &str) -> Vec<Value> {
    let list = body[key]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no {key} list: {body}"));
    assert!(!list.is_empty(), "{what}: {key} is empty: {body}");
    for r in list {
        assert_real(r, what);
    }
    list.clone()
}

fn guid(r: &Value) -> String {
    r["guid"].as_str().unwrap_or_default().to_string()
}

impl Connected {
    /// A new simulator, a user and its MX Bank member, connected.
    async fn new(v: Version) -> Connected {
        let sim = start().await;
        let mut c = Connected {
            sim,
            v,
            basic: basic(),
            user: String::new(),
            member: String::new(),
        };
        let u = c
            .call(
                "POST",
                "/users",
                Some(json!({ "user": { "id": "data-1" } })),
            )
            .await;
        c.user = guid(&u["user"]);
        let body = json!({ "member": {
            "institution_code": "mxbank",
            "credentials": [
                { "guid": LOGIN, "value": "mxuser" },
                { "guid": PASSWORD, "value": "password" },
            ],
        }});
        let m = c
            .call("POST", &format!("/users/{}/members", c.user), Some(body))
            .await;
        c.member = guid(&m["member"]);
        settle().await;
        let m = c
            .get(&format!("/users/{}/members/{}", c.user, c.member))
            .await;
        assert_eq!(m["member"]["connection_status"], "CONNECTED", "{m}");
        c
    }

    /// A request with the version's headers; its raw answer.
    async fn send(&self, method: &str, path: &str, accept: &str, body: Option<Value>) -> Answer {
        let mut headers = vec![
            ("Authorization", self.basic.as_str()),
            ("Accept", accept),
            ("Accept-Version", self.v.version),
        ];
        // The body's media type the operation declares (some v20111101
        // operations take the vendor type).
        let media = operation(&self.sim, self.v, method, path)
            .body
            .and_then(|b| b.media.first().cloned())
            .unwrap_or_else(|| "application/json".into());
        if body.is_some() {
            headers.push(("Content-Type", media.as_str()));
        }
        let url = format!("{}{path}", self.sim.platform_base_url());
        send(
            method,
            &url,
            &headers,
            body.map(|b| b.to_string().into_bytes()),
        )
        .await
    }

    /// A request that answers a documented 2xx JSON body true to its
    /// operation's schema; that body.
    async fn checked(&self, method: &str, path: &str, accept: &str, body: Option<Value>) -> Value {
        let a = self.send(method, path, accept, body).await;
        let what = format!("{} {method} {path}", self.v.version);
        let op = operation(&self.sim, self.v, method, path);
        let doc = op
            .answers
            .iter()
            .find(|d| d.status == a.status)
            .unwrap_or_else(|| panic!("{what}: {} is not documented: {a:?}", a.status));
        assert_eq!(a.media, accept, "{what}");
        let value = a.json();
        if let Some(schema) = &doc.schema {
            schema
                .validate(&value, "")
                .unwrap_or_else(|e| panic!("{what}: the answer breaks its schema: {e}: {value}"));
        }
        value
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.checked(method, path, self.v.json, body).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call("GET", path, None).await
    }

    /// The member's accounts.
    async fn accounts(&self) -> Vec<Value> {
        let path = format!("/users/{}/members/{}/accounts", self.user, self.member);
        records(&self.get(&path).await, "accounts", "accounts")
    }

    /// The member's account of `kind`.
    async fn account(&self, kind: &str) -> Value {
        self.accounts()
            .await
            .into_iter()
            .find(|a| a["type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} account"))
    }

    /// The user's transactions.
    async fn transactions(&self) -> Vec<Value> {
        let path = format!("/users/{}/transactions?records_per_page=100", self.user);
        records(&self.get(&path).await, "transactions", "transactions")
    }
}

/// Runs `check` for a connected member of each Platform version.
macro_rules! each_version {
    (|$c:ident| $body:block) => {
        for v in VERSIONS {
            let $c = Connected::new(v).await;
            $body
        }
    };
}

#[tokio::test]
async fn insights_are_listed_read_and_tell_what_they_are_about() {
    each_version!(|c| {
        let u = c.user.clone();
        let insights = records(
            &c.get(&format!("/users/{u}/insights")).await,
            "insights",
            "insights",
        );
        for i in &insights {
            for field in [
                "title",
                "description",
                "template",
                "micro_title",
                "created_at",
            ] {
                assert!(i[field].is_string(), "{field}: {i}");
            }
            let read = c.get(&format!("/users/{u}/insights/{}", guid(i))).await;
            assert_eq!(&read["insight"], i, "a listed insight reads back");
        }
        let about = |i: &Value, table: &str| i[format!("has_associated_{table}")] == true;
        // Each insight lists what it says it is about, and only that.
        for i in &insights {
            for table in [
                "accounts",
                "categories",
                "merchants",
                "scheduled_payments",
                "transactions",
            ] {
                let path = format!("/users/{u}/insights/{}/{table}", guid(i));
                let body = c.get(&path).await;
                if about(i, table) {
                    records(&body, table, &path);
                } else {
                    assert_eq!(body[table], json!([]), "{path}");
                }
            }
        }
        // The credit card's payment reminder, listed by the account; the
        // coffee insight, listed by each of its transactions.
        let card = c.account("CREDIT_CARD").await;
        let by_card = c
            .get(&format!("/users/{u}/accounts/{}/insights", guid(&card)))
            .await;
        let reminder = records(&by_card, "insights", "by account")
            .into_iter()
            .find(|i| i["template"] == "DebtPaymentReminder")
            .expect("the card's payment reminder");
        let accounts = c
            .get(&format!("/users/{u}/insights/{}/accounts", guid(&reminder)))
            .await;
        assert_eq!(accounts["accounts"][0]["guid"], card["guid"]);
        let coffee = insights
            .iter()
            .find(|i| i["template"] == "MonthlyCategoryTotal")
            .expect("a monthly category insight");
        let txs = c
            .get(&format!(
                "/users/{u}/insights/{}/transactions",
                guid(coffee)
            ))
            .await;
        for t in records(&txs, "transactions", "its transactions") {
            let by_tx = c
                .get(&format!("/users/{u}/transactions/{}/insights", guid(&t)))
                .await;
            let listed = records(&by_tx, "insights", "by transaction");
            assert!(
                listed.iter().any(|i| i["guid"] == coffee["guid"]),
                "{by_tx}"
            );
        }
        // An update is kept.
        let path = format!("/users/{u}/insights/{}", guid(coffee));
        let body = json!({ "insight": { "has_been_displayed": true, "is_dismissed": true } });
        let updated = c.call("PUT", &path, Some(body)).await;
        assert_eq!(updated["is_dismissed"], true, "{updated}");
        assert_eq!(c.get(&path).await["insight"]["has_been_displayed"], true);
    });
}

#[tokio::test]
async fn the_investment_account_has_holdings_on_every_route() {
    each_version!(|c| {
        let u = c.user.clone();
        let brokerage = c.account("INVESTMENT").await;
        let all = c.get(&format!("/users/{u}/investment_holdings")).await;
        let holdings = records(&all, "investment_holdings", "holdings");
        for h in &holdings {
            assert_eq!(h["account_guid"], brokerage["guid"], "{h}");
            assert!(h["symbol"].is_string() && h["quantity"].is_string(), "{h}");
            assert!(h["market_value"].as_f64().is_some_and(|m| m > 0.0), "{h}");
            let read = c
                .get(&format!("/users/{u}/investment_holdings/{}", guid(h)))
                .await;
            assert_eq!(&read["investment_holding"], h);
        }
        for path in [
            format!("/users/{u}/members/{}/investment_holdings", c.member),
            format!(
                "/users/{u}/accounts/{}/investment_holdings",
                guid(&brokerage)
            ),
        ] {
            assert_eq!(
                c.get(&path).await["investment_holdings"],
                all["investment_holdings"],
                "{path}"
            );
        }
    });
}

#[tokio::test]
async fn rewards_are_there_after_a_fetch() {
    each_version!(|c| {
        let (u, m) = (c.user.clone(), c.member.clone());
        let fetched = c
            .call(
                "POST",
                &format!("/users/{u}/members/{m}/fetch_rewards"),
                None,
            )
            .await;
        assert_eq!(fetched["member"]["guid"], json!(m), "{fetched}");
        settle().await;
        let list = c.get(&format!("/users/{u}/members/{m}/rewards")).await;
        let rewards = records(&list, "rewards", "rewards");
        assert_eq!(
            list["pagination"]["total_entries"],
            json!(rewards.len()),
            "{list}"
        );
        let card = c.account("CREDIT_CARD").await;
        for r in &rewards {
            assert_eq!(r["account_guid"], card["guid"], "{r}");
            assert!(r["balance"].as_f64().is_some_and(|b| b > 0.0), "{r}");
            let read = c
                .get(&format!("/users/{u}/members/{m}/rewards/{}", guid(r)))
                .await;
            assert_eq!(&read["reward"], r);
        }
    });
}

#[tokio::test]
async fn the_user_has_a_spending_plan_with_accounts_and_a_current_iteration() {
    each_version!(|c| {
        let u = c.user.clone();
        let plans = records(
            &c.get(&format!("/users/{u}/spending_plans")).await,
            "spending_plans",
            "plans",
        );
        let plan = &plans[0];
        assert_eq!(plan["current_iteration_number"], 1, "{plan}");
        let p = format!("/users/{u}/spending_plans/{}", guid(plan));
        assert_eq!(&c.get(&p).await, plan);
        let spending: Vec<Value> = c
            .accounts()
            .await
            .into_iter()
            .filter(|a| a["type"] != "INVESTMENT")
            .map(|a| a["guid"].clone())
            .collect();
        let accounts = records(
            &c.get(&format!("{p}/spending_plan_accounts")).await,
            "spending_plan_accounts",
            "plan accounts",
        );
        let mut planned: Vec<Value> = accounts.iter().map(|a| a["account_guid"].clone()).collect();
        planned.sort_by_key(Value::to_string);
        let mut expected = spending.clone();
        expected.sort_by_key(Value::to_string);
        assert_eq!(
            planned, expected,
            "the member's spending accounts are in the plan"
        );
        let one = c
            .get(&format!(
                "{p}/spending_plan_accounts/{}",
                guid(&accounts[0])
            ))
            .await;
        assert_eq!(one, accounts[0]);
        let iterations = records(
            &c.get(&format!("{p}/iterations")).await,
            "iterations",
            "iterations",
        );
        let current = c.get(&format!("{p}/iterations/current")).await;
        assert_real(&current, "current iteration");
        assert_eq!(
            current["iteration_number"],
            plan["current_iteration_number"]
        );
        assert_eq!(c.get(&format!("{p}/iterations/1")).await, current);
        assert!(iterations.contains(&current), "{current}");
        let today = today();
        let (start_on, end_on) = (
            current["start_on"].as_str().unwrap(),
            current["end_on"].as_str().unwrap(),
        );
        assert!(
            start_on <= today.as_str() && today.as_str() <= end_on,
            "{current}"
        );
        // An item of the current iteration adds up its category's spending.
        let coffee = c
            .transactions()
            .await
            .into_iter()
            .find(|t| t["category"] == "Coffee Shops")
            .unwrap();
        let body = json!({ "category_guid": coffee["category_guid"], "item_type": 1, "planned_amount": 40 });
        let item = c
            .call(
                "POST",
                &format!("{p}/iterations/current/iteration_items"),
                Some(body),
            )
            .await;
        assert_eq!(
            item["spending_plan_iteration_guid"], current["guid"],
            "{item}"
        );
        assert!(
            item["transaction_guids"]
                .as_array()
                .is_some_and(|t| t.contains(&coffee["guid"])),
            "{item}"
        );
        assert!(
            item["actual_amount"].as_f64().is_some_and(|a| a > 0.0),
            "{item}"
        );
    });
}

/// Today (UTC), as MX writes dates.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[tokio::test]
async fn repeating_transactions_are_found_and_read() {
    each_version!(|c| {
        let u = c.user.clone();
        let list = c.get(&format!("/users/{u}/repeating_transactions")).await;
        let repeating = records(&list, "repeating_transactions", "repeating");
        let accounts: Vec<Value> = c
            .accounts()
            .await
            .iter()
            .map(|a| a["guid"].clone())
            .collect();
        for r in &repeating {
            assert!(accounts.contains(&r["account_guid"]), "{r}");
            assert!(
                r["recurrence_type"].is_string() && r["repeating_transaction_type"].is_string(),
                "{r}"
            );
            let read = c
                .get(&format!("/users/{u}/repeating_transactions/{}", guid(r)))
                .await;
            assert_eq!(
                read["repeating_transactions"],
                json!([r]),
                "the read answers that one"
            );
        }
    });
}

#[tokio::test]
async fn notifications_are_listed_read_and_created() {
    each_version!(|c| {
        let u = c.user.clone();
        let list = c.get(&format!("/users/{u}/notifications")).await;
        let notifications = records(&list, "notifications", "notifications");
        let n = &notifications[0];
        assert!(n["subject"].is_string() && n["content"].is_string(), "{n}");
        let read = c
            .get(&format!("/users/{u}/notifications/{}", guid(n)))
            .await;
        assert_eq!(read["notification"]["subject"], n["subject"]);
        // v20111101 takes the text as query parameters, v20250224 in a body.
        let (path, body) = if c.v.version == "v20111101" {
            (
                format!("/users/{u}/notifications?subject=Hello&content=Hi"),
                None,
            )
        } else {
            let body = json!({ "notification": { "subject": "Hello", "content": "Hi" } });
            (format!("/users/{u}/notifications"), Some(body))
        };
        let created = c.call("POST", &path, body).await;
        assert_eq!(created["notification"]["channel"], "PUSH", "{created}");
        let list = c.get(&format!("/users/{u}/notifications")).await;
        let listed = records(&list, "notifications", "after a create");
        assert!(listed.iter().any(|n| n["subject"] == "Hello"), "{list}");
    });
}

#[tokio::test]
async fn transactions_at_merchants_carry_a_merchant_location_that_reads_back() {
    each_version!(|c| {
        for t in c.transactions().await {
            let location = t["merchant_location_guid"]
                .as_str()
                .unwrap_or_else(|| panic!("no merchant location: {t}"));
            let read = c.get(&format!("/merchant_locations/{location}")).await;
            let l = &read["merchant_location"];
            assert_real(l, "merchant location");
            assert_eq!(l["merchant_guid"], t["merchant_guid"], "{l}");
            assert!(l["city"].is_string() && l["latitude"].is_number(), "{l}");
        }
    });
}

#[tokio::test]
async fn default_categories_are_mx_and_file_the_transactions() {
    each_version!(|c| {
        let u = c.user.clone();
        let defaults = c.get("/categories/default?records_per_page=100").await;
        let categories = records(&defaults, "categories", "default categories");
        assert!(categories.iter().all(|cat| cat["is_default"] == true));
        let shopping = categories
            .iter()
            .find(|cat| cat["name"] == "Shopping")
            .unwrap();
        assert_eq!(shopping["guid"], "CAT-aad51b46-d6f7-3da5-fd6e-492328b3023f");
        let by_user = c
            .get(&format!(
                "/users/{u}/categories/default?records_per_page=100"
            ))
            .await;
        assert_eq!(by_user["categories"], defaults["categories"]);
        let all = c
            .get(&format!("/users/{u}/categories?records_per_page=100"))
            .await;
        assert_eq!(
            all["categories"], defaults["categories"],
            "no custom category yet"
        );
        for t in c.transactions().await {
            let g = t["category_guid"].as_str().unwrap_or_else(|| panic!("{t}"));
            let read = c.get(&format!("/categories/{g}")).await;
            assert_eq!(read["category"]["name"], t["category"], "{read}");
            assert_eq!(read["category"]["is_default"], true);
        }
    });
}

#[tokio::test]
async fn enhance_answers_each_transaction_sent_categorized() {
    each_version!(|c| {
        let sent = json!({ "transactions": [
            { "id": "ID-123", "amount": 21.33, "description": "ubr* pending.uber.com",
              "type": "DEBIT", "memo": "Additional-information*on_transaction",
              "extended_transaction_type": "partner_transaction_type", "merchant_category_code": 4121 },
            { "id": "ID-124", "amount": 4.5, "description": "STARBUCKS STORE 1234", "type": "DEBIT" },
        ]});
        let out = c
            .call("POST", "/transactions/enhance", Some(sent.clone()))
            .await;
        let enhanced = records(&out, "transactions", "enhanced");
        assert_eq!(enhanced.len(), 2, "{out}");
        for (e, s) in enhanced
            .iter()
            .zip(sent["transactions"].as_array().unwrap())
        {
            assert_eq!(e["id"], s["id"]);
            assert_eq!(e["amount"], s["amount"]);
            assert_eq!(e["original_description"], s["description"]);
            for field in [
                "category",
                "category_guid",
                "merchant_guid",
                "merchant_location_guid",
            ] {
                assert!(e[field].is_string(), "{field}: {e}");
            }
        }
        assert_eq!(enhanced[0]["description"], "Uber");
        assert_eq!(enhanced[1]["description"], "Starbucks");
        assert_eq!(enhanced[1]["category"], "Coffee Shops");
    });
}

#[tokio::test]
async fn a_split_makes_children_totalling_the_parent_until_it_is_undone() {
    each_version!(|c| {
        let u = c.user.clone();
        let parent = c
            .transactions()
            .await
            .into_iter()
            .find(|t| t["amount"] == 2100.0)
            .expect("a paycheck");
        let amount = parent["amount"].as_f64().unwrap();
        let mut routes = vec![format!("/users/{u}/transactions/{}/split", guid(&parent))];
        if c.v.version == "v20250224" {
            routes.push(format!(
                "/users/{u}/members/{}/accounts/{}/transactions/{}/split",
                c.member,
                parent["account_guid"].as_str().unwrap(),
                guid(&parent)
            ));
        }
        for path in routes {
            let body = json!({ "transactions": {
                "amount": 54.19, "description": "Chevron Gas", "memo": "Chips and Soda",
            }});
            let out = c.call("POST", &path, Some(body.clone())).await;
            let children = records(&out, "transactions", "children");
            assert_eq!(children.len(), 2, "{out}");
            assert_eq!(children[0]["amount"], 54.19);
            assert_eq!(children[0]["description"], "Chevron Gas");
            let total: f64 = children.iter().map(|t| t["amount"].as_f64().unwrap()).sum();
            assert!((total - amount).abs() < 0.005, "{total}");
            for child in &children {
                let read = c
                    .get(&format!("/users/{u}/transactions/{}", guid(child)))
                    .await;
                assert_eq!(read["transaction"]["account_guid"], parent["account_guid"]);
                let stored = c.sim.record("transactions", &guid(child)).unwrap();
                assert_eq!(stored["parent_guid"], parent["guid"]);
            }
            let stored = c.sim.record("transactions", &guid(&parent)).unwrap();
            assert_eq!(stored["has_been_split"], true);
            // Split once: a second split is refused until it is undone.
            let again = c.send("POST", &path, c.v.json, Some(body)).await;
            assert_eq!(again.status, 400, "{again:?}");
            let undone = c.send("DELETE", &path, c.v.json, None).await;
            assert_eq!(undone.status, 204, "{undone:?}");
            assert!(c.sim.record("transactions", &guid(&children[0])).is_none());
            let stored = c.sim.record("transactions", &guid(&parent)).unwrap();
            assert_eq!(stored["has_been_split"], false);
        }
    });
}

/// The payload of a JWT.
fn jwt_payload(jwt: &str) -> Value {
    let part = jwt
        .split('.')
        .nth(1)
        .unwrap_or_else(|| panic!("not a JWT: {jwt}"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("a JSON payload")
}

#[tokio::test]
async fn verifiable_credentials_carry_the_members_data() {
    each_version!(|c| {
        let (u, m) = (c.user.clone(), c.member.clone());
        let accounts: Vec<Value> = c
            .accounts()
            .await
            .iter()
            .map(|a| a["guid"].clone())
            .collect();
        let checking = c.account("CHECKING").await;
        for (path, kind, list) in [
            (
                format!("/vc/users/{u}/members/{m}/accounts"),
                "FinancialAccountCredential",
                "accounts",
            ),
            (
                format!("/vc/users/{u}/members/{m}/customers"),
                "FinancialIdentityCredential",
                "customers",
            ),
            (
                format!("/vc/users/{u}/accounts/{}/transactions", guid(&checking)),
                "FinancialTransactionCredential",
                "transactions",
            ),
        ] {
            let body = c.checked("GET", &path, V2BETA, None).await;
            let jwt = body["verifiableCredential"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"));
            let vc = &jwt_payload(jwt)["vc"];
            assert!(
                vc["type"].as_array().unwrap().contains(&json!(kind)),
                "{vc}"
            );
            let items = vc["credentialSubject"][list]
                .as_array()
                .unwrap_or_else(|| panic!("{vc}"));
            assert!(!items.is_empty(), "{vc}");
            if list == "accounts" {
                let ids: Vec<Value> = items
                    .iter()
                    .map(|a| a.as_object().unwrap().values().next().unwrap()["accountId"].clone())
                    .collect();
                assert_eq!(ids, accounts, "the member's accounts");
            }
        }
    });
}

#[tokio::test]
async fn microdeposits_are_listed_as_records_and_verified() {
    each_version!(|c| {
        let u = c.user.clone();
        let body = json!({ "micro_deposit": {
            "account_name": "My test account", "account_number": "3331261",
            "account_type": "CHECKING", "email": "joshyboy2@example.com",
            "first_name": "Joshy", "last_name": "Grobanne", "routing_number": "091000019",
        }});
        let created = c
            .call("POST", &format!("/users/{u}/micro_deposits"), Some(body))
            .await;
        let md = &created["micro_deposit"];
        assert_real(md, "created");
        assert_eq!(md["status"], "INITIATED", "{md}");
        let list = c.get(&format!("/users/{u}/micro_deposits")).await;
        let listed = records(&list, "micro_deposits", "microdeposits");
        assert_eq!(&listed[0], md, "the list answers the record itself");
        assert_eq!(list["pagination"]["total_entries"], 1, "{list}");
        let path = format!("/micro_deposits/{}/verify", guid(md));
        let body =
            json!({ "micro_deposit": { "deposit_amount_1": 0.09, "deposit_amount_2": 0.09 } });
        let verified = c.call("PUT", &path, Some(body)).await;
        assert_eq!(
            verified["micro_deposit"]["status"], "VERIFIED",
            "{verified}"
        );
        assert!(verified["micro_deposit"]["verified_at"].is_string());
    });
}

// What every Platform operation answers through the generated clients
// (`tests/it/platform_every_operation*.rs`) asks of the simulator: each
// answer below was hollow (nulls, `[]`, a record of the wrong kind) before.

#[tokio::test]
async fn the_demo_client_has_favorite_and_managed_institutions() {
    each_version!(|c| {
        for path in ["/institutions/favorites", "/managed_institutions"] {
            let list = c.get(path).await;
            let institutions = records(&list, "institutions", path);
            assert!(
                institutions.iter().any(|i| i["code"] == "mxbank"),
                "{path}: {list}"
            );
            for i in &institutions {
                let read = c
                    .get(&format!("/institutions/{}", i["code"].as_str().unwrap()))
                    .await;
                assert_eq!(&read["institution"]["name"], &i["name"], "{path}: {i}");
            }
        }
        // A managed member at a managed institution.
        let code = c.get("/managed_institutions").await["institutions"][0]["code"].clone();
        let body = json!({ "member": { "institution_code": code, "name": "Credit union" } });
        let path = format!("/users/{}/managed_members", c.user);
        let made = c.send("POST", &path, c.v.json, Some(body)).await;
        assert_eq!(made.status, 202, "{made:?}");
        assert_eq!(made.json()["member"]["institution_code"], code);
    });
}

#[tokio::test]
async fn deactivating_holdings_answers_mx_message_until_a_holdings_call() {
    each_version!(|c| {
        let u = c.user.clone();
        let off = c
            .get(&format!("/users/{u}/investment_holdings_deactivate"))
            .await;
        assert_eq!(
            off,
            json!({ "message": "Successfully deactivated user from billing", "status": 200 })
        );
        let flag = |c: &Connected| {
            c.sim.record("users", &c.user).unwrap()["is_deactivated_from_investment_holdings"]
                .clone()
        };
        assert_eq!(flag(&c), true);
        records(
            &c.get(&format!("/users/{u}/investment_holdings")).await,
            "investment_holdings",
            "holdings",
        );
        assert_eq!(flag(&c), false, "a holdings call reactivates the user");
        let unknown = c
            .send(
                "GET",
                "/users/USR-unknown/investment_holdings_deactivate",
                c.v.json,
                None,
            )
            .await;
        assert_eq!(unknown.status, 404, "{unknown:?}");
    });
}

#[tokio::test]
async fn the_credit_card_names_its_product_which_reads_back() {
    each_version!(|c| {
        let card = c.account("CREDIT_CARD").await;
        let p = card["credit_card_product_guid"]
            .as_str()
            .unwrap_or_else(|| panic!("no credit_card_product_guid: {card}"));
        let read = c.get(&format!("/credit_card_products/{p}")).await;
        let product = &read["credit_card_product"];
        assert_real(product, "credit card product");
        assert_eq!(product["guid"], p);
        assert!(product["annual_fee"].is_number(), "{product}");
        assert!(product["name"].is_string(), "{product}");
        let checking = c.account("CHECKING").await;
        assert_eq!(checking["credit_card_product_guid"], Value::Null);
    });
}

#[tokio::test]
async fn the_user_has_one_monthly_cash_flow_profile() {
    each_version!(|c| {
        let path = format!("/users/{}/monthly_cash_flow_profile", c.user);
        let read = c.get(&path).await;
        let profile = &read["monthly_cash_flow_profile"];
        assert!(
            profile["guid"]
                .as_str()
                .is_some_and(|g| g.starts_with("MCF-")),
            "{read}"
        );
        assert_eq!(profile["user_guid"], json!(c.user));
        assert_eq!(profile["uses_estimated_goals_contribution"], false);
        assert!(profile["budgeted_expenses"].is_number(), "{read}");
        // v20111101's spec names the wrapper `institution`.
        let wrapper = if c.v.version == "v20111101" {
            "institution"
        } else {
            "monthly_cash_flow_profile"
        };
        let body = json!({ wrapper: { "goals_contribution": 250.0 } });
        let updated = c.call("PUT", &path, Some(body)).await;
        let updated = &updated["monthly_cash_flow_profile"];
        assert_eq!(updated["goals_contribution"], 250.0, "{updated}");
        assert_eq!(updated["guid"], profile["guid"], "one profile");
        assert_eq!(c.get(&path).await["monthly_cash_flow_profile"], *updated);
        // Its budgeted expenses are the user's budgets.
        let budget = c
            .call("POST", &format!("/users/{}/budgets/generate", c.user), None)
            .await;
        let read = c.get(&path).await;
        assert_eq!(
            read["monthly_cash_flow_profile"]["budgeted_expenses"], budget["budget"]["amount"],
            "{read}"
        );
    });
}

/// A tag of the user's named `name`; its GUID.
async fn tag(c: &Connected, name: &str) -> String {
    let body = json!({ "tag": { "name": name } });
    let made = c
        .call("POST", &format!("/users/{}/tags", c.user), Some(body))
        .await;
    guid(&made["tag"])
}

/// The GUIDs of the transactions listed under tag `tag`.
async fn tagged(c: &Connected, tag: &str) -> Vec<String> {
    let list = c
        .get(&format!("/users/{}/tags/{tag}/transactions", c.user))
        .await;
    let listed = list["transactions"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"));
    listed.iter().map(guid).collect()
}

#[tokio::test]
async fn a_tag_lists_its_tagged_transactions_and_a_tagging_moves_between_tags() {
    each_version!(|c| {
        let u = c.user.clone();
        let (work, trips) = (tag(&c, "Work").await, tag(&c, "Trips").await);
        let t = guid(&c.transactions().await[0]);
        let body = json!({ "tagging": { "tag_guid": work, "transaction_guid": t } });
        let tagging = c
            .call("POST", &format!("/users/{u}/taggings"), Some(body))
            .await;
        let g = guid(&tagging["tagging"]);
        assert_eq!(tagged(&c, &work).await, vec![t.clone()]);
        assert!(tagged(&c, &trips).await.is_empty());
        // An update may change the tagging's tag (a reference the request
        // declares), never its own GUID or its user (the path's parent).
        let path = format!("/users/{u}/taggings/{g}");
        let body = json!({ "tagging": { "tag_guid": trips, "guid": "TGN-other", "user_guid": "USR-other" } });
        let moved = c.call("PUT", &path, Some(body)).await;
        assert_eq!(moved["tagging"]["tag_guid"], json!(trips), "{moved}");
        assert_eq!(moved["tagging"]["guid"], json!(g), "{moved}");
        let stored = c.sim.record("taggings", &g).unwrap();
        assert_eq!(stored["user_guid"], json!(u), "{stored}");
        assert_eq!(c.get(&path).await["tagging"]["tag_guid"], json!(trips));
        assert_eq!(tagged(&c, &trips).await, vec![t]);
        assert!(tagged(&c, &work).await.is_empty());
    });
}

/// The first day of this month, as MX writes dates.
fn this_month() -> String {
    format!("{}01", &today()[..8])
}

#[tokio::test]
async fn budgets_are_generated_from_the_two_previous_months_of_spending() {
    each_version!(|c| {
        let u = c.user.clone();
        let path = format!("/users/{u}/budgets/generate");
        let made = c.call("POST", &path, None).await;
        let budget = &made["budget"];
        assert_real(budget, "generated budget");
        let category = budget["category_guid"].as_str().unwrap().to_string();
        // The average of the category's spending over the earlier months.
        let before: Vec<Value> = c
            .transactions()
            .await
            .into_iter()
            .filter(|t| t["top_level_category"] == budget["name"])
            .filter(|t| t["date"].as_str().unwrap() < this_month().as_str())
            .collect();
        assert!(!before.is_empty(), "the budget's history");
        let total: f64 = before.iter().map(|t| t["amount"].as_f64().unwrap()).sum();
        assert_eq!(budget["amount"], json!(total / 2.0), "{budget}");
        let top = c.get(&format!("/categories/{category}")).await;
        assert_eq!(top["category"]["name"], budget["name"], "{top}");
        assert_eq!(
            top["category"]["parent_guid"],
            Value::Null,
            "a top-level category"
        );
        assert_eq!(budget["user_guid"], json!(u));
        // Stored, listed, and generated again without a duplicate.
        let list = c.get(&format!("/users/{u}/budgets")).await;
        let listed = records(&list, "budgets", "budgets");
        assert_eq!(listed, vec![budget.clone()], "{list}");
        let again = c.call("POST", &path, None).await;
        assert_eq!(again["budget"]["guid"], budget["guid"], "{again}");
        // A user without that history: MX's 422 (error code 4221).
        let other = c
            .call(
                "POST",
                "/users",
                Some(json!({ "user": { "id": "no-history" } })),
            )
            .await;
        let other = guid(&other["user"]);
        let none = c
            .send(
                "POST",
                &format!("/users/{other}/budgets/generate"),
                c.v.json,
                None,
            )
            .await;
        assert_eq!(none.status, 422, "{none:?}");
        assert!(
            error_of(&none, c.v.json).contains("There aren't enough transactions"),
            "{none:?}"
        );
    });
}

#[tokio::test]
async fn reposition_goals_answers_the_goals_at_their_new_positions() {
    each_version!(|c| {
        let u = c.user.clone();
        let savings = guid(&c.account("SAVINGS").await);
        let mut goals = Vec::new();
        for name in ["Trip to Japan", "New bike", "Piano"] {
            let body = json!({ "goal": {
                "account_guid": savings, "amount": 5000.0, "goal_type_name": "SAVE_AMOUNT",
                "meta_type_name": "VACATION", "name": name,
            }});
            let made = c
                .call("POST", &format!("/users/{u}/goals"), Some(body))
                .await;
            goals.push(guid(&made["goal"]));
        }
        let body = json!({ "goals": [{ "guid": goals[2], "position": 1 }] });
        let moved = c
            .call("PUT", &format!("/users/{u}/goals/reposition"), Some(body))
            .await;
        let order: Vec<(String, Value)> = moved["goals"]
            .as_array()
            .unwrap_or_else(|| panic!("{moved}"))
            .iter()
            .map(|g| (guid(g), g["position"].clone()))
            .collect();
        assert_eq!(
            order,
            vec![
                (goals[2].clone(), json!(1)),
                (goals[0].clone(), json!(2)),
                (goals[1].clone(), json!(3)),
            ],
            "the others follow in their order"
        );
        let read = c.get(&format!("/users/{u}/goals/{}", goals[0])).await;
        assert_eq!(read["goal"]["position"], 2, "{read}");
        let body = json!({ "goals": [{ "guid": "GOL-unknown", "position": 1 }] });
        let unknown = c
            .send(
                "PUT",
                &format!("/users/{u}/goals/reposition"),
                c.v.json,
                Some(body),
            )
            .await;
        assert_eq!(unknown.status, 404, "{unknown:?}");
    });
}

/// A manual savings account named `name`; its answer.
async fn manual_account(c: &Connected, name: &str) -> Value {
    let body = json!({ "account": { "account_type": "SAVINGS", "name": name, "balance": 120.0 } });
    let made = c
        .call("POST", &format!("/users/{}/accounts", c.user), Some(body))
        .await;
    made["account"].clone()
}

#[tokio::test]
async fn manual_records_are_manual_and_aggregated_ones_are_not() {
    each_version!(|c| {
        let u = c.user.clone();
        let account = manual_account(&c, "Cash jar").await;
        assert_eq!(account["is_manual"], true, "{account}");
        assert_eq!(account["type"], "SAVINGS", "{account}");
        let a = guid(&account);
        let body = json!({ "transaction": {
            "amount": 12.5, "date": "2025-03-01", "description": "Farmers market", "type": "DEBIT",
        }});
        let txn = c
            .call(
                "POST",
                &format!("/users/{u}/accounts/{a}/transactions"),
                Some(body),
            )
            .await;
        assert_eq!(txn["is_manual"], true, "{txn}");
        assert_eq!(txn["account_guid"], json!(a), "{txn}");
        let read = c
            .get(&format!("/users/{u}/transactions/{}", guid(&txn)))
            .await;
        assert_eq!(read["transaction"]["is_manual"], true, "{read}");
        for a in c.accounts().await {
            assert_eq!(a["is_manual"], false, "{a}");
        }
        // A spending plan tracks the aggregated accounts, not manual ones.
        let plan = c
            .call("POST", &format!("/users/{u}/spending_plans"), None)
            .await;
        let p = format!(
            "/users/{u}/spending_plans/{}/spending_plan_accounts",
            guid(&plan)
        );
        let planned = records(&c.get(&p).await, "spending_plan_accounts", "plan accounts");
        assert!(
            planned
                .iter()
                .all(|pa| pa["account_guid"] != account["guid"]),
            "{planned:?}"
        );
        let checking = guid(&c.account("CHECKING").await);
        let path = format!("/users/{u}/accounts/{checking}/transactions");
        for t in records(&c.get(&path).await, "transactions", "checking") {
            assert_eq!(t["is_manual"], false, "{t}");
        }
    });
}

#[tokio::test]
async fn the_users_verifications_answer_its_microdeposit() {
    each_version!(|c| {
        let u = c.user.clone();
        let path = format!("/users/{u}/account_verifications");
        assert_eq!(c.get(&path).await["micro_deposit"], Value::Null);
        let body = json!({ "micro_deposit": {
            "account_name": "Rent account", "account_number": "3331261",
            "account_type": "CHECKING", "routing_number": "091000019",
        }});
        let made = c
            .call("POST", &format!("/users/{u}/micro_deposits"), Some(body))
            .await;
        let md = &made["micro_deposit"];
        let listed = c.get(&path).await;
        assert_eq!(&listed["micro_deposit"], md, "{listed}");
        let verify = format!("/micro_deposits/{}/verify", guid(md));
        let body =
            json!({ "micro_deposit": { "deposit_amount_1": 0.09, "deposit_amount_2": 0.09 } });
        c.call("PUT", &verify, Some(body)).await;
        assert_eq!(
            c.get(&path).await["micro_deposit"]["status"],
            "VERIFIED",
            "its status follows"
        );
    });
}

#[tokio::test]
async fn merging_accounts_keeps_the_first_and_deletes_the_others() {
    let c = Connected::new(crate::platform::V20250224).await;
    let u = c.user.clone();
    let kept = guid(&manual_account(&c, "Jar A").await);
    let other = guid(&manual_account(&c, "Jar B").await);
    let body = json!({ "transaction": {
        "amount": 3.0, "date": "2025-03-01", "description": "Coins", "type": "CREDIT",
    }});
    let txn = c
        .call(
            "POST",
            &format!("/users/{u}/accounts/{other}/transactions"),
            Some(body),
        )
        .await;
    let path = format!("/users/{u}/accounts/merge");
    let one = json!({ "account": { "account_guids": [kept] } });
    let refused = c.send("POST", &path, c.v.json, Some(one)).await;
    assert_eq!(refused.status, 400, "at least two: {refused:?}");
    let body = json!({ "account": { "account_guids": [kept, other] } });
    let merged = c.call("POST", &path, Some(body)).await;
    assert_eq!(merged["account"]["guid"], json!(kept), "{merged}");
    assert_eq!(merged["account"]["name"], "Jar A", "{merged}");
    let gone = c
        .send(
            "GET",
            &format!("/users/{u}/accounts/{other}"),
            c.v.json,
            None,
        )
        .await;
    assert_eq!(gone.status, 404, "{gone:?}");
    assert!(c.sim.record("transactions", &guid(&txn)).is_none());
    assert!(c.sim.record("accounts", &kept).is_some());
}
