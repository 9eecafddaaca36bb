//! Every operation of both specs, from the compiled route table, answers a
//! documented 2xx with a body true to its schema when the request is valid.
//! Requests are built from the schemas (examples), with MX-valid values
//! where MX's rules need them; GUIDs come from earlier answers.

use std::collections::HashMap;

use mx_sim::{Operation, Simulator};
use serde_json::{json, Value};

use crate::helpers::*;

/// Path parameter values: the GUIDs and codes earlier answers handed out.
pub(crate) type Known = HashMap<String, String>;

/// The order an integrator calls them in: creates first, deletes last
/// (deepest first).
pub(crate) fn order(op: &Operation) -> (u8, isize) {
    let depth = op.template.segments.len() as isize;
    match (op.method.as_str(), op.template.ends_with_param()) {
        ("POST", false) => (0, depth),
        ("DELETE", _) => (3, -depth),
        ("GET", _) => (1, depth),
        _ => (2, depth),
    }
}

/// A valid body for `op`: MX-valid for the operations MX has rules for,
/// else the schema's example.
fn body(op: &Operation, n: usize) -> Option<Value> {
    let spec = op.body.as_ref()?;
    let t = op.template.text.as_str();
    Some(match (op.method.as_str(), t) {
        ("POST", "/members") => json!({ "member": {
            "institution_guid": MXBANK_GUID,
            "credentials": [
                { "credential_guid": LOGIN, "value": "mxuser" },
                { "credential_guid": PASSWORD, "value": format!("nexus-{n}") },
            ],
        }}),
        ("POST", "/users") => json!({ "user": { "identifier": format!("every-{n}") } }),
        ("POST", "/users/{user_guid}/members") => mxbank_member(&format!("password-{n}")),
        ("PUT", "/users/{user_guid}/members/{member_guid}") => {
            json!({ "member": { "metadata": "updated" } })
        }
        ("PUT", "/users/{user_guid}") => json!({ "user": { "metadata": "updated" } }),
        _ => spec.schema.example(),
    })
}

/// Remembers the GUIDs an answer hands out, under the path parameter name
/// the spec uses for their collection (`accounts` → `account_guid`).
pub(crate) fn learn(known: &mut Known, sim: &Simulator, api: &str, value: &Value) {
    learn_in(known, sim, api, "", value)
}

/// [`learn`], where the answer's top-level object, when it is a record
/// itself (an unwrapped answer), belongs to the collection `top`.
pub(crate) fn learn_in(known: &mut Known, sim: &Simulator, api: &str, top: &str, value: &Value) {
    let mut params: HashMap<String, String> = HashMap::new();
    for op in sim.operations(api) {
        for (table, param) in op.template.pairs() {
            params.insert(table.to_string(), param.to_string());
        }
    }
    let mut visit = vec![(top.to_string(), value)];
    while let Some((key, v)) = visit.pop() {
        match v {
            Value::Object(o) => {
                if let Some(g) = o.get("guid").and_then(Value::as_str) {
                    let table = match key.as_str() {
                        "user" | "users" => "users".to_string(),
                        k if k.ends_with('s') => k.to_string(),
                        k if k.ends_with('y') => format!("{}ies", &k[..k.len() - 1]),
                        k => format!("{k}s"),
                    };
                    if let Some(p) = params.get(&table) {
                        known.entry(p.clone()).or_insert_with(|| g.to_string());
                    }
                }
                visit.extend(o.iter().map(|(k, v)| (k.clone(), v)));
            }
            Value::Array(a) => visit.extend(a.iter().map(|v| (key.clone(), v))),
            _ => {}
        }
    }
}

fn path_of(op: &Operation, known: &Known) -> String {
    let mut out = String::new();
    for seg in &op.template.segments {
        out.push('/');
        match seg {
            mx_sim::spec::path::Segment::Literal(l) => out.push_str(l),
            mx_sim::spec::path::Segment::Param { name, suffix } => {
                let v = known
                    .get(name)
                    .unwrap_or_else(|| panic!("no value for {name} in {}", op.template.text));
                out.push_str(v);
                out.push_str(suffix);
            }
        }
    }
    out
}

/// `?name=example&…` for the operation's required query parameters.
fn required_query(op: &Operation) -> String {
    let pairs: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required && p.location == mx_sim::spec::In::Query)
        .map(|p| {
            let value = match p.schema.example() {
                Value::String(s) => s,
                Value::Null => "x".to_string(),
                other => other.to_string(),
            };
            format!("{}={}", p.name, url_text(&value))
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// Percent-encodes what is not unreserved in a query value.
fn url_text(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Calls `op` validly and checks the answer against its documented 2xx.
pub(crate) async fn call(sim: &Simulator, api: &str, op: &Operation, known: &mut Known, n: usize) {
    let basic = crate::platform::basic();
    let platform = crate::platform::version_of(api);
    // The processor-token operations: a code request for the known
    // account, the processor's exchange of a fresh code, a fresh token.
    let prepared = match platform {
        Some(v) => crate::processor::prepare(sim, v, op, known).await,
        None => None,
    };
    let (base, auth): (String, Vec<(&str, &str)>) = if api == "nexus" {
        (
            sim.nexus_base_url(),
            vec![("MD-SESSION-TOKEN", mx_sim::DEMO_SESSION_TOKEN)],
        )
    } else if let Some(v) = platform {
        let mut auth = crate::platform::auth(prepared.as_ref(), &basic);
        auth.push(("Accept-Version", v.version));
        (sim.platform_base_url(), auth)
    } else {
        (
            sim.atrium_base_url(),
            vec![
                ("MX-API-Key", mx_sim::DEMO_API_KEY),
                ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
            ],
        )
    };
    let accept = op
        .accept()
        .next()
        .map(|m| crate::platform::vendor(api, m))
        .unwrap_or(match (api, platform) {
            ("nexus", _) => NEXUS_JSON,
            (_, Some(v)) => v.json,
            _ => JSON,
        })
        .to_string();
    let mut headers = auth;
    headers.push(("Accept", &accept));
    let body = match &prepared {
        Some(p) => p.body.clone(),
        None => body(op, n),
    };
    let media = op
        .body
        .as_ref()
        .map(|b| b.media[0].clone())
        .unwrap_or_default();
    if body.is_some() {
        headers.push(("Content-Type", &media));
    }
    let query = prepared
        .as_ref()
        .map_or_else(|| required_query(op), |p| p.query.clone());
    let url = format!("{base}{}{query}", path_of(op, known));
    let a = send(
        &op.method,
        &url,
        &headers,
        body.map(|b| b.to_string().into_bytes()),
    )
    .await;
    let what = format!("{} {} ({})", op.method, op.template.text, op.id);
    let doc = op
        .answers
        .iter()
        .find(|d| d.status == a.status)
        .unwrap_or_else(|| {
            panic!(
                "{what}: {} is not a documented 2xx: {}",
                a.status,
                String::from_utf8_lossy(&a.bytes)
            )
        });
    match (&doc.media, &doc.schema) {
        (Some(m), Some(schema)) if m.ends_with("json") => {
            assert_eq!(a.media, crate::platform::vendor(api, m), "{what}");
            let value = a.json();
            schema
                .validate(&value, "")
                .unwrap_or_else(|e| panic!("{what}: the answer breaks its schema: {e}: {value}"));
            // Schema-shaped: every documented property is there.
            for name in schema.property_names() {
                assert!(
                    value.get(name).is_some(),
                    "{what}: {name} is missing: {value}"
                );
            }
            learn_in(
                known,
                sim,
                api,
                op.template.last_literal().unwrap_or(""),
                &value,
            );
        }
        (Some(m), _) => {
            assert_eq!(&a.media, m, "{what}");
            assert!(!a.bytes.is_empty(), "{what}: an empty body");
        }
        (None, _) => assert!(
            a.bytes.is_empty(),
            "{what}: a body where none is documented"
        ),
    }
}

/// MX-aware setup: a user with a connected member with data, a challenged
/// member (for challenges and resume) and an OAuth member (for its window).
pub(crate) struct Members {
    pub user: String,
    pub connected: String,
    pub challenged: String,
    pub oauth: String,
}

impl Members {
    /// Puts the member an operation needs in `k` (the challenged one for
    /// challenges and resume, the OAuth one for its window); answers the
    /// operation's last path segment.
    pub fn pick_member(&self, op: &Operation, k: &mut Known) -> String {
        let sub = op.template.text.rsplit('/').next().unwrap_or_default();
        match sub {
            "challenges" | "resume" => {
                k.insert("member_guid".into(), self.challenged.clone());
            }
            "oauth_window_uri" => {
                k.insert("member_guid".into(), self.oauth.clone());
            }
            _ => {}
        }
        sub.to_string()
    }
}

pub(crate) async fn members(sim: &Simulator) -> Members {
    let u = user(sim).await;
    let connected = member(sim, &u, "password").await;
    let challenged = member(sim, &u, "challenge").await;
    let oauth = atrium(
        sim,
        "POST",
        &format!("/users/{u}/members"),
        Some(json!({ "member": { "institution_code": "mxbank_oauth", "is_oauth": true } })),
    )
    .await
    .json()["member"]["guid"]
        .as_str()
        .unwrap()
        .to_string();
    settle().await;
    Members {
        user: u,
        connected,
        challenged,
        oauth,
    }
}

#[tokio::test]
async fn every_operation_of_both_specs_answers_a_documented_2xx() {
    let sim = start().await;
    let m = members(&sim).await;
    let (u, connected, challenged) = (m.user.clone(), m.connected.clone(), m.challenged.clone());
    let mut known = Known::new();
    known.insert("user_guid".into(), u.clone());
    known.insert("member_guid".into(), connected.clone());
    known.insert("institution_code".into(), "mxbank".into());
    for path in [
        format!("/users/{u}/members/{connected}/accounts"),
        format!("/users/{u}/transactions"),
        format!("/users/{u}/holdings"),
        format!("/users/{u}/members/{connected}/statements"),
        "/merchants".to_string(),
    ] {
        learn(
            &mut known,
            &sim,
            "atrium",
            &atrium(&sim, "GET", &path, None).await.json(),
        );
    }
    let merchant = known["merchant_guid"].clone();
    learn(
        &mut known,
        &sim,
        "atrium",
        &atrium(
            &sim,
            "GET",
            &format!("/merchants/{merchant}/merchant_locations"),
            None,
        )
        .await
        .json(),
    );

    let mut served = 0;
    for api in ["nexus", "atrium"] {
        let mut ops = sim.operations(api);
        assert!(!ops.is_empty(), "{api} has operations");
        ops.sort_by_key(order);
        for (n, op) in ops.iter().enumerate() {
            let mut k = known.clone();
            let sub = m.pick_member(op, &mut k);
            if op.method == "PUT" && sub == "resume" {
                let c = atrium(
                    &sim,
                    "GET",
                    &format!("/users/{u}/members/{challenged}/challenges"),
                    None,
                )
                .await;
                let guid = c.json()["challenges"][0]["guid"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let body =
                    json!({ "member": { "challenges": [{ "guid": guid, "value": "correct" }] } });
                let a = atrium(
                    &sim,
                    "PUT",
                    &format!("/users/{u}/members/{challenged}/resume"),
                    Some(body),
                )
                .await;
                assert_eq!(a.status, 200, "resume: {a:?}");
                served += 1;
                continue;
            }
            if op.method == "POST" && !op.template.ends_with_param() && sub != "members" {
                // Jobs: one at a time, each after the last has run.
                settle().await;
            }
            call(&sim, api, op, &mut k, n).await;
            // A create hands out GUIDs for later operations only of its own.
            if op.method == "POST" && !op.template.ends_with_param() {
                for (key, v) in k {
                    known.entry(key).or_insert(v);
                }
            }
            served += 1;
        }
    }
    assert_eq!(
        served,
        sim.operations("nexus").len() + sim.operations("atrium").len()
    );
    assert!(served >= 49, "both specs' operations were called: {served}");
}
