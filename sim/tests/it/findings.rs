//! What an independent fuzzer (schemathesis, about 34,000 requests over
//! the three APIs; issue 22) found wrong in the simulator, each as a
//! regression test over HTTP: array query parameters, hollow records from
//! a missing body wrapper, resume's 405 without `Allow`, a `null` for a
//! boolean stored, integers beyond 64 bits, all-null nested objects, and
//! Nexus's create member without `member`.

use mx_sim::spec::Kind;
use mx_sim::Simulator;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::platform::{basic, Version, V20111101, VERSIONS};

/// A Platform request of version `v`: HTTP Basic, its `Accept-Version`
/// and JSON media type, `body` sent as JSON.
async fn platform(
    sim: &Simulator,
    v: Version,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let auth = basic();
    let mut headers = vec![
        ("Authorization", auth.as_str()),
        ("Accept", v.json),
        ("Accept-Version", v.version),
    ];
    let media = body_media(sim, v, method, path);
    if body.is_some() {
        headers.push(("Content-Type", media.as_str()));
    }
    let url = format!("{}{path}", sim.platform_base_url());
    send(
        method,
        &url,
        &headers,
        body.map(|b| b.to_string().into_bytes()),
    )
    .await
}

/// The media type the operation of `method path` takes its body in.
fn body_media(sim: &Simulator, v: Version, method: &str, path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    sim.operations(v.api)
        .into_iter()
        .filter(|o| o.method == method)
        .filter_map(|o| Some((o.template.matches(path)?.0, o.body?)))
        .max_by_key(|(score, _)| *score)
        .and_then(|(_, b)| b.media.first().cloned())
        .unwrap_or_else(|| "application/json".into())
}

/// The JSON answer of a Platform request that must succeed with `status`.
async fn ok(
    sim: &Simulator,
    v: Version,
    (method, path): (&str, &str),
    body: Option<Value>,
    status: u16,
) -> Value {
    let a = platform(sim, v, method, path, body).await;
    assert_eq!(a.status, status, "{} {method} {path}: {a:?}", v.version);
    a.json()
}

/// A Platform user; answers its GUID.
async fn platform_user(sim: &Simulator, v: Version) -> String {
    let body = Some(json!({ "user": {} }));
    let a = ok(sim, v, ("POST", "/users"), body, 200).await;
    a["user"]["guid"].as_str().unwrap().to_string()
}

/// A manual account of `user` (v20111101); answers its GUID.
async fn manual_account(sim: &Simulator, user: &str) -> String {
    let body = json!({ "account": { "name": "Cash", "account_type": "CHECKING" } });
    let path = format!("/users/{user}/accounts");
    let a = ok(sim, V20111101, ("POST", &path), Some(body), 200).await;
    a["account"]["guid"].as_str().unwrap().to_string()
}

/// A manual transaction of that account in `category` (v20111101);
/// answers its GUID.
async fn transaction(sim: &Simulator, user: &str, account: &str, category: &str) -> String {
    let body = json!({ "transaction": {
        "amount": 12.5, "date": "2026-01-02", "description": "Coffee",
        "type": "DEBIT", "category_guid": category,
    } });
    let path = format!("/users/{user}/accounts/{account}/transactions");
    let a = ok(sim, V20111101, ("POST", &path), Some(body), 200).await;
    // The spec's answer is the record itself, not wrapped.
    let record = a.get("transaction").unwrap_or(&a);
    record["guid"].as_str().unwrap().to_string()
}

/// The `guid`s of a list answer's records under `key`, sorted.
fn guids(answer: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = answer[key]
        .as_array()
        .unwrap_or_else(|| panic!("a list under {key}: {answer}"))
        .iter()
        .map(|r| r["guid"].as_str().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out
}

/// Where `v` holds, below its top, an object whose every field is null
/// (the answer itself may be `{"micro_deposit": null}`: its one record is
/// absent).
fn hollow(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if !at.is_empty() && !o.is_empty() && o.values().all(Value::is_null) {
                out.push(at.to_string());
            }
            for (k, x) in o {
                hollow(x, &format!("{at}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                hollow(x, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn assert_not_hollow(answer: &Value, what: &str) {
    let mut found = Vec::new();
    hollow(answer, "", &mut found);
    assert!(
        found.is_empty(),
        "{what}: all-null objects at {found:?}: {answer}"
    );
}

/// Finding 1: the spec's own serialization of an array query parameter
/// (its key repeated, OpenAPI's default `form` style, exploded) is taken on
/// both Platform versions, for a list answer.
#[tokio::test]
async fn an_array_query_parameter_is_its_key_repeated() {
    let sim = start().await;
    for v in VERSIONS {
        for query in [
            "iso_country_code=US&iso_country_code=CA",
            "iso_country_code=US",
        ] {
            let path = format!("/institutions?{query}");
            let a = ok(&sim, v, ("GET", &path), None, 200).await;
            let listed = a["institutions"].as_array().map_or(0, Vec::len);
            assert!(listed > 0, "{}: {a}", v.version);
            assert_eq!(a["pagination"]["total_entries"], json!(listed), "{a}");
        }
    }
}

/// Finding 1: `category_guid[]` (v20111101), repeated, keeps the
/// transactions in any of its categories; its scalar twin `category_guid`
/// keeps that one category's.
#[tokio::test]
async fn array_query_values_filter_the_records() {
    let sim = start().await;
    let u = platform_user(&sim, V20111101).await;
    let account = manual_account(&sim, &u).await;
    let mut made = Vec::new();
    for category in ["CAT-a", "CAT-b", "CAT-c"] {
        made.push(transaction(&sim, &u, &account, category).await);
    }
    let mut a_and_b = made[..2].to_vec();
    a_and_b.sort();
    for (query, wanted) in [
        (
            "category_guid[]=CAT-a&category_guid[]=CAT-b",
            a_and_b.clone(),
        ),
        (
            "category_guid%5B%5D=CAT-a&category_guid%5B%5D=CAT-b",
            a_and_b,
        ),
        ("category_guid=CAT-c", vec![made[2].clone()]),
        ("category_guid[]=CAT-z", vec![]),
    ] {
        for list in [
            format!("/users/{u}/transactions"),
            format!("/users/{u}/accounts/{account}/transactions"),
        ] {
            let path = format!("{list}?{query}");
            let a = ok(&sim, V20111101, ("GET", &path), None, 200).await;
            assert_eq!(guids(&a, "transactions"), wanted, "{path}");
            assert_eq!(a["pagination"]["total_entries"], json!(wanted.len()));
        }
    }
}

/// Finding 2: a create whose body lacks its wrapper, or sends it `null`,
/// is refused (400, in the API's error shape) and stores nothing: MX
/// cannot create a record from nothing, although the Platform specs do
/// not mark the wrappers required.
#[tokio::test]
async fn a_create_without_its_record_is_refused() {
    let sim = start().await;
    for v in VERSIONS {
        let u = platform_user(&sim, v).await;
        let users = ok(&sim, v, ("GET", "/users"), None, 200).await;
        for (collection, key) in [
            ("/users".to_string(), "user"),
            (format!("/users/{u}/accounts"), "account"),
            (format!("/users/{u}/budgets"), "budget"),
            (format!("/users/{u}/categories"), "category"),
            (format!("/users/{u}/members"), "member"),
        ] {
            for body in [json!({}), json!({ key: null })] {
                let a = platform(&sim, v, "POST", &collection, Some(body.clone())).await;
                assert_eq!(
                    a.status, 400,
                    "{} POST {collection} {body}: {a:?}",
                    v.version
                );
                assert_eq!(error_of(&a, v.json), format!("{key} is required"));
            }
        }
        let accounts = format!("/users/{u}/accounts");
        let a = platform(&sim, v, "POST", &accounts, Some(json!({ "account": {} }))).await;
        assert_eq!(a.status, 400, "{a:?}");
        let after = ok(&sim, v, ("GET", "/users"), None, 200).await;
        assert_eq!(
            after["pagination"]["total_entries"],
            users["pagination"]["total_entries"]
        );
        for list in ["accounts", "members"] {
            let path = format!("/users/{u}/{list}");
            let a = ok(&sim, v, ("GET", &path), None, 200).await;
            assert_eq!(a[list], json!([]), "{}: {a}", v.version);
        }
    }
}

/// The record is the body's wrapper the spec names, also beside other
/// objects: v20250224's create member takes `data_request` beside
/// `member`.
#[tokio::test]
async fn the_record_is_the_wrapper_beside_other_objects() {
    let sim = start().await;
    let v = crate::platform::V20250224;
    let u = platform_user(&sim, v).await;
    let mut body = mxbank_member("password");
    body["data_request"] = json!({ "products": ["transactions"] });
    let path = format!("/users/{u}/members");
    let a = platform(&sim, v, "POST", &path, Some(body)).await;
    assert!((200..300).contains(&a.status), "{a:?}");
    let member = &a.json()["member"];
    assert_eq!(member["institution_code"], "mxbank", "{member}");
    let guid = member["guid"].as_str().unwrap();
    assert!(sim.record("members", guid).is_some());
}

/// Finding 3: resuming a member that is not CHALLENGED is a 405 (MX's
/// Nexus resume page; assumed on Atrium and the Platform) that carries
/// `Allow` (RFC 9110 §15.5.6), empty: the resume allows no method until
/// the member is CHALLENGED.
#[tokio::test]
async fn resuming_a_member_that_is_not_challenged_is_405_with_allow() {
    let sim = start().await;
    let u = user(&sim).await;
    let m = member(&sim, &u, "password").await;
    settle().await;
    assert_eq!(
        read_member(&sim, &u, &m).await["connection_status"],
        "CONNECTED"
    );
    let answers = json!({ "member": { "challenges": [{ "guid": LOGIN, "value": "correct" }] } });
    let path = format!("/users/{u}/members/{m}/resume");
    let mut seen = vec![(
        atrium(&sim, "PUT", &path, Some(answers.clone())).await,
        JSON,
    )];
    for v in VERSIONS {
        let a = platform(&sim, v, "PUT", &path, Some(answers.clone())).await;
        seen.push((a, v.json));
    }
    for (a, media) in seen {
        assert_eq!(a.status, 405, "{a:?}");
        assert_eq!(a.allow.as_deref(), Some(""), "a 405 carries Allow: {a:?}");
        assert!(error_of(&a, media).contains("not CHALLENGED"));
    }
    assert_eq!(
        read_member(&sim, &u, &m).await["connection_status"],
        "CONNECTED"
    );
}

/// Finding 4: a `null` for an optional boolean is "not given": a create
/// keeps the default, an update the stored value.
#[tokio::test]
async fn a_null_boolean_keeps_the_stored_or_default_value() {
    let sim = start().await;
    let null = json!({ "user": { "is_disabled": null, "metadata": "m" } });
    let a = atrium(&sim, "POST", "/users", Some(null.clone())).await;
    assert_eq!(a.json()["user"]["is_disabled"], false, "{a:?}");
    let u = a.json()["user"]["guid"].as_str().unwrap().to_string();
    let path = format!("/users/{u}");
    let disable = json!({ "user": { "is_disabled": true } });
    assert_eq!(
        atrium(&sim, "PUT", &path, Some(disable.clone()))
            .await
            .status,
        200
    );
    let a = atrium(&sim, "PUT", &path, Some(null.clone())).await;
    assert_eq!(a.json()["user"]["is_disabled"], true, "{a:?}");
    assert_eq!(get(&sim, &path).await["user"]["is_disabled"], true);
    for v in VERSIONS {
        let a = ok(&sim, v, ("POST", "/users"), Some(null.clone()), 200).await;
        assert_eq!(a["user"]["is_disabled"], false, "{a}");
        let path = format!("/users/{}", a["user"]["guid"].as_str().unwrap());
        ok(&sim, v, ("PUT", &path), Some(disable.clone()), 200).await;
        let a = ok(&sim, v, ("PUT", &path), Some(null.clone()), 200).await;
        assert_eq!(a["user"]["is_disabled"], true, "{a}");
        assert_eq!(a["user"]["metadata"], "m", "{a}");
        let a = ok(&sim, v, ("GET", &path), None, 200).await;
        assert_eq!(a["user"]["is_disabled"], true, "{}: {a}", v.version);
    }
    // Nexus's create member: `background_aggregation_is_disabled` defaults
    // to false.
    let body = json!({ "member": {
        "institution_guid": MXBANK_GUID,
        "credentials": [
            { "credential_guid": LOGIN, "value": "mxuser" },
            { "credential_guid": PASSWORD, "value": "password" },
        ],
        "skip_aggregation": true,
        "background_aggregation_is_disabled": null,
    } });
    let a = nexus(&sim, "POST", "/members", Some(body)).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(
        a.json()["member"]["background_aggregation_is_disabled"],
        false
    );
}

/// Finding 5: integers beyond 64 bits. A `records_per_page` above the
/// maximum falls back to 25 (v20111101.yml: "If the value exceeds `1000`,
/// the default value of `25` will be used instead"), a huge `page` is past
/// the end (an empty page, the rest of `pagination` true), and any other
/// is refused as out of range.
#[tokio::test]
async fn integers_beyond_64_bits() {
    let sim = start().await;
    const HUGE: &str = "9223372036854775808";
    for v in VERSIONS {
        for _ in 0..3 {
            platform_user(&sim, v).await;
        }
        let all = ok(&sim, v, ("GET", "/users?records_per_page=1000"), None, 200).await;
        let total = all["pagination"]["total_entries"].as_i64().unwrap();
        assert!(total >= 3, "{all}");
        for per in [HUGE, "99999999999999999999999999"] {
            let path = format!("/users?records_per_page={per}");
            let a = ok(&sim, v, ("GET", &path), None, 200).await;
            assert_eq!(a["pagination"]["per_page"], 25, "{a}");
            assert_eq!(a["pagination"]["total_entries"], total, "{a}");
        }
        for page in [HUGE, "99999999999999999999999999"] {
            let path = format!("/users?page={page}&records_per_page=10");
            let a = ok(&sim, v, ("GET", &path), None, 200).await;
            assert_eq!(a["users"], json!([]), "{a}");
            let pagination = json!({
                "current_page": i64::MAX, "per_page": 10,
                "total_entries": total, "total_pages": (total + 9) / 10,
            });
            assert_eq!(a["pagination"], pagination, "{}", v.version);
        }
        let u = platform_user(&sim, v).await;
        let path = format!("/users/{u}/accounts");
        let body = json!({ "account": {
            "name": "Policy", "account_type": "INSURANCE", "death_benefit": 9223372036854775808u64,
        } });
        let a = platform(&sim, v, "POST", &path, Some(body)).await;
        assert_eq!(a.status, 400, "{a:?}");
        let message = error_of(&a, v.json);
        assert!(message.contains("out of range"), "{message}");
        assert!(!message.contains("not a string"), "{message}");
    }
    let a = atrium(&sim, "GET", &format!("/institutions?page={HUGE}"), None).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.json()["institutions"], json!([]));
}

/// Finding 6: no answer holds an object whose every field is null: lists
/// carry real `pagination` (institution credentials, budgets, which answer
/// `{"budgets": [...]}`), and a transaction's enhancements are `null`
/// where it has none.
#[tokio::test]
async fn no_answer_holds_an_all_null_object() {
    let sim = start().await;
    for v in VERSIONS {
        let a = ok(
            &sim,
            v,
            ("GET", "/institutions/mxbank/credentials"),
            None,
            200,
        )
        .await;
        assert_not_hollow(&a, "institution credentials");
        let pagination = json!({
            "current_page": 1, "per_page": 25, "total_entries": 2, "total_pages": 1,
        });
        assert_eq!(a["pagination"], pagination, "{a}");
        let u = platform_user(&sim, v).await;
        let budgets = format!("/users/{u}/budgets");
        let a = ok(&sim, v, ("GET", &budgets), None, 200).await;
        assert_not_hollow(&a, "list budgets");
        assert_eq!(a["budgets"], json!([]), "{a}");
        assert_eq!(a["pagination"]["total_entries"], 0, "{a}");
        let budget = json!({ "budget": { "category_guid": "CAT-a", "parent_guid": "CAT-p" } });
        let made = ok(&sim, v, ("POST", &budgets), Some(budget), 200).await;
        let a = ok(&sim, v, ("GET", &budgets), None, 200).await;
        assert_not_hollow(&a, "list budgets");
        assert_eq!(
            guids(&a, "budgets"),
            vec![made["budget"]["guid"].as_str().unwrap()]
        );
        assert_eq!(a["pagination"]["total_entries"], 1, "{a}");
    }
    let u = platform_user(&sim, V20111101).await;
    let account = manual_account(&sim, &u).await;
    let t = transaction(&sim, &u, &account, "CAT-a").await;
    let read = format!("/users/{u}/transactions/{t}");
    let a = ok(&sim, V20111101, ("GET", &read), None, 200).await;
    assert_not_hollow(&a, "read transaction");
    for include in [
        "classification",
        "geolocation",
        "merchant",
        "repeating_transaction",
    ] {
        assert_eq!(a["transaction"][include], Value::Null, "{include}: {a}");
    }
    // A connected member's own data, every list of it.
    let m = member(&sim, &u, "password").await;
    settle().await;
    for list in ["accounts", "transactions", "holdings", "statements"] {
        let path = format!("/users/{u}/members/{m}/{list}");
        for v in VERSIONS {
            let a = platform(&sim, v, "GET", &path, None).await;
            if a.status == 200 {
                assert_not_hollow(&a.json(), &path);
            }
        }
    }
}

/// Finding 6, swept: every GET of both Platform versions whose path needs
/// no more than a user, a connected member and an institution answers no
/// all-null object.
#[tokio::test]
async fn no_get_of_a_connected_member_answers_an_all_null_object() {
    let sim = start().await;
    let u = user(&sim).await;
    let m = member(&sim, &u, "password").await;
    settle().await;
    let known = [("user_guid", &u), ("member_guid", &m)];
    let mut swept = 0;
    for v in VERSIONS {
        for op in sim.operations(v.api).iter().filter(|o| o.method == "GET") {
            let mut path = op.template.text.replace("{institution_code}", "mxbank");
            for (name, value) in known {
                path = path.replace(&format!("{{{name}}}"), value);
            }
            if path.contains('{') {
                continue;
            }
            let a = platform(&sim, v, "GET", &path, None).await;
            if a.status == 200 && a.media == v.json {
                assert_not_hollow(&a.json(), &format!("{} {path}", v.version));
                swept += 1;
            }
        }
    }
    assert!(swept > 40, "{swept} answers swept");
}

/// Finding 7: Nexus's create member refuses a body without `member`, and
/// the spec says so (MX's Create member page: "Standard members are created
/// with the required parameters credentials and `institution_guid`", and
/// `institution_guid` is required inside `member`).
#[tokio::test]
async fn nexus_create_member_requires_member() {
    let sim = start().await;
    for body in [json!({}), json!({ "member": null })] {
        let a = nexus(&sim, "POST", "/members", Some(body)).await;
        assert_eq!(a.status, 400, "{a:?}");
        assert!(error_of(&a, NEXUS_JSON).starts_with("member "), "{a:?}");
    }
    let ops = sim.operations("nexus");
    let create = ops.iter().find(|o| o.id == "createMember").unwrap();
    let body = &create.body.as_ref().unwrap().schema;
    let Kind::Object { required, .. } = &body.kind else {
        panic!("an object body: {body:?}");
    };
    assert!(required.iter().any(|r| r == "member"), "{required:?}");
}
