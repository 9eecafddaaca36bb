//! The member routes MX's rules take over: create (both APIs), update,
//! status, challenges, resume, credentials, OAuth window URI.

use serde_json::{json, Map, Value};

use super::institutions::{by_code, by_guid, Institution};
use super::member::{
    challenges_of, check_new, count_of, credential_set, member_of, record, set_status, status_of,
};
use super::mxbank::CORRECT;
use super::statuses::STATUSES;
use super::world::{JobKind, MemberRt, World};
use super::{jobs, paging, windows};
use crate::config::DEMO_USER_GUID;
use crate::engine::call::{Answer, Call, Fail, Reply};
use crate::store::{guid, text};

/// Keeps the request's fields a record stores (not credentials).
fn kept(inner: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| inner.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

fn flag(inner: &Map<String, Value>, key: &str) -> bool {
    inner.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn limit(world: &World, call: &Call<'_>, user_guid: &str) -> Result<(), Fail> {
    let max = call.config.members_per_user;
    if count_of(world, user_guid) >= max {
        return Err(Fail::new(
            405,
            format!("a user may have at most {max} members in the development environment"),
        ));
    }
    Ok(())
}

/// Atrium `POST /users/{user_guid}/members`: 202 with the member.
pub fn create_atrium(world: &mut World, call: &Call<'_>) -> Answer {
    let user_guid = call.param("user_guid").to_string();
    if world.store.get("users", &user_guid).is_none() {
        return Err(Fail::not_found("user", &user_guid));
    }
    // MX's Create member pages (Atrium; the Platform's, which show
    // `member` optional, https://docs.mx.com/api-reference/platform-api/v20111101/reference/create-member):
    // "Members are created with the required parameters credentials and
    // institution_code": a body without a `member` has neither (400).
    let inner = call.record()?;
    let code = inner
        .get("institution_code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let institution = by_code(code).ok_or_else(|| Fail::not_found("institution", code))?;
    let is_oauth = flag(&inner, "is_oauth");
    let credentials = credential_set(inner.get("credentials"), "guid");
    check_new(institution, is_oauth, &credentials)?;
    limit(world, call, &user_guid)?;
    let new = NewMember {
        api: call.api.name,
        user_guid,
        institution,
        credentials,
        is_oauth,
        skip_aggregation: flag(&inner, "skip_aggregation"),
        fields: kept(&inner, &["identifier", "metadata"]),
        status: None,
    };
    if is_duplicate(world, &new) {
        return Err(Fail::new(
            409,
            "A member with this institution and these credentials already exists for this user.",
        ));
    }
    let guid = create(world, new, call);
    Ok(call.one(202, record(world, &guid)))
}

/// Nexus `POST /members`: the session's user (the demo user) gets it.
pub fn create_nexus(world: &mut World, call: &Call<'_>) -> Answer {
    let inner = call.record()?;
    if inner.is_empty() {
        return Err(Fail::new(400, "member is required"));
    }
    let ins = inner
        .get("institution_guid")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // MX's Nexus errors page: 4220 covers an unknown institution_guid.
    let institution = by_guid(ins)
        .ok_or_else(|| Fail::coded(422, 4220, format!("institution {ins} was not found")))?;
    let is_oauth = flag(&inner, "is_oauth");
    let credentials = credential_set(inner.get("credentials"), "credential_guid");
    let status = inner.get("connection_status").and_then(Value::as_str);
    if status.is_some() && !institution.is_test {
        return Err(Fail::new(
            400,
            "connection_status can only be set on members of a test institution",
        ));
    }
    if let Some(s) = status.filter(|s| !STATUSES.contains(s)) {
        return Err(Fail::new(
            400,
            format!("connection_status {s} is not a member connection status"),
        ));
    }
    if status.is_none() || !credentials.is_empty() {
        check_new(institution, is_oauth, &credentials)?;
    }
    limit(world, call, DEMO_USER_GUID)?;
    if let Some(ext) = inner.get("external_guid").and_then(Value::as_str) {
        let taken = world
            .store
            .select("members", &[])
            .any(|m| text(m, "external_guid") == Some(ext));
        if taken {
            return Err(Fail::coded(
                422,
                4220,
                format!("external_guid {ext} is already used"),
            ));
        }
    }
    let new = NewMember {
        api: call.api.name,
        user_guid: DEMO_USER_GUID.into(),
        institution,
        is_oauth,
        skip_aggregation: flag(&inner, "skip_aggregation"),
        fields: kept(
            &inner,
            &[
                "metadata",
                "external_guid",
                "use_cases",
                "background_aggregation_is_disabled",
                "name",
            ],
        ),
        // Credentials start a job, which decides the status.
        status: status
            .filter(|_| credentials.is_empty())
            .map(str::to_string),
        credentials,
    };
    if is_duplicate(world, &new) {
        return Err(Fail::coded(
            422,
            4220,
            "A member with this institution and these credentials already exists for this user.",
        ));
    }
    let guid = create(world, new, call);
    if let Some(r) = world.store.get_mut("members", &guid) {
        if !r.contains_key("background_aggregation_is_disabled") {
            r.insert("background_aggregation_is_disabled".into(), json!(false));
        }
    }
    Ok(call.one(200, record(world, &guid)))
}

/// Atrium `PUT …/members/{member_guid}`: new credentials start an
/// aggregation (and a new MFA round).
pub fn update(world: &mut World, call: &Call<'_>) -> Answer {
    let guid = member_of(world, call)?;
    let inner = call.inner();
    if let Some(r) = world.store.get_mut("members", &guid) {
        r.extend(kept(&inner, &["identifier", "metadata"]));
    }
    if let Some(rt) = world.members.get_mut(&guid) {
        rt.callback_payload = super::webhooks::callback_payload(call);
        rt.skip_webhooks = super::webhooks::skip_webhook(call);
    }
    let new = credential_set(inner.get("credentials"), "guid");
    if !new.is_empty() {
        if let Some(rt) = world.members.get_mut(&guid) {
            for (g, v) in new {
                rt.credentials.retain(|(c, _)| *c != g);
                rt.credentials.push((g, v));
            }
            rt.credentials.sort();
            rt.mfa_passed = false;
            rt.challenges.clear();
        }
        set_status(world, &guid, "UPDATED");
        jobs::start(world, &guid, JobKind::Aggregate, call.config);
    }
    Ok(call.one(200, record(world, &guid)))
}

/// `GET …/status`: the member's connection state and its challenges.
pub fn status(world: &mut World, call: &Call<'_>) -> Answer {
    let guid = member_of(world, call)?;
    let mut r = match record(world, &guid) {
        Value::Object(o) => o,
        _ => Map::new(),
    };
    let connected = text(&r, "successfully_aggregated_at").is_some();
    let challenges = challenges_of(world, &guid);
    r.insert("has_processed_accounts".into(), json!(connected));
    r.insert("has_processed_transactions".into(), json!(connected));
    r.insert("is_authenticated".into(), json!(connected));
    r.insert("challenges".into(), json!(challenges));
    Ok(call.one(200, Value::Object(r)))
}

/// `GET …/challenges`: 200 with them when CHALLENGED, else 204.
pub fn challenges(world: &mut World, call: &Call<'_>) -> Answer {
    let guid = member_of(world, call)?;
    let challenges = challenges_of(world, &guid);
    let challenged = status_of(world, &guid) == "CHALLENGED";
    if !challenged || challenges.is_empty() {
        return Ok(Reply::Empty(204));
    }
    Ok(paging::list(call, challenges, paging::MAX_PER_PAGE))
}

/// `PUT …/resume`: every challenge answered `correct` resumes aggregation
/// (RESUMED, then CONNECTED); any other answer is REJECTED.
///
/// A member that is not CHALLENGED cannot be resumed: 405 with an empty
/// `Allow`. MX's Nexus page documents the 405 ("A member must have a
/// connection_status of CHALLENGED in order to successfully use the resume
/// aggregation endpoint; a 405 Method Not Allowed error will be returned
/// otherwise", <https://docs.mx.com/api-reference/nexus/reference/resume-aggregation>);
/// Atrium's page says only that "Only a member with connection status
/// CHALLENGED can be resumed"
/// (<https://docs.mx.com/api-reference/atrium/reference/members/resume-aggregation-mfa>)
/// and the Platform's errors page gives 405 for "A constraint on the
/// requested endpoint wasn't met"; assumption: Atrium and the Platform
/// answer as Nexus does. MX documents no `Allow`; RFC 9110 §15.5.6 wants
/// one on every 405, listing the methods the resource supports now: none,
/// while the member is not CHALLENGED (§10.2.1: an empty `Allow` means the
/// resource allows no methods).
pub fn resume(world: &mut World, call: &Call<'_>) -> Answer {
    let guid = member_of(world, call)?;
    let challenged = status_of(world, &guid) == "CHALLENGED";
    if !challenged {
        let mut fail = Fail::new(
            405,
            "the member is not CHALLENGED: there is nothing to resume",
        );
        fail.allow = Some(String::new());
        return Err(fail);
    }
    let answers = call.inner();
    let answers = answers
        .get("challenges")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if answers.is_empty() {
        return Err(Fail::new(
            400,
            "member.challenges must answer the member's challenges",
        ));
    }
    let asked = challenges_of(world, &guid);
    let answer_of = |c: &Value| {
        let g = c.get("guid").and_then(Value::as_str);
        answers
            .iter()
            .find(|a| a.get("guid").and_then(Value::as_str) == g)
            .and_then(|a| a.get("value").and_then(Value::as_str))
    };
    let correct = asked.iter().all(|c| answer_of(c) == Some(CORRECT));
    if let Some(rt) = world.members.get_mut(&guid) {
        rt.challenges.clear();
        rt.mfa_passed = correct;
    }
    if correct {
        set_status(world, &guid, "RESUMED");
        jobs::start(world, &guid, JobKind::Aggregate, call.config);
    } else {
        set_status(world, &guid, "REJECTED");
    }
    Ok(call.one(200, record(world, &guid)))
}

/// `GET …/credentials`: the institution's credential fields.
pub fn credentials(world: &mut World, call: &Call<'_>) -> Answer {
    let guid = member_of(world, call)?;
    let fields = world
        .members
        .get(&guid)
        .and_then(|m| by_code(m.institution))
        .map(|i| i.credential_records())
        .unwrap_or_default();
    Ok(paging::list(call, fields, paging::MAX_PER_PAGE))
}

/// `GET …/oauth_window_uri`: a fresh one-time window (400 for a member that
/// does not use OAuth).
pub fn oauth_window_uri(world: &mut World, call: &Call<'_>) -> Answer {
    let guid = member_of(world, call)?;
    if !world.members.get(&guid).is_some_and(|m| {
        world
            .store
            .get("members", &guid)
            .is_some_and(|r| r.get("is_oauth") == Some(&json!(true)))
            && by_code(m.institution).is_some_and(|i| i.supports_oauth)
    }) {
        return Err(Fail::new(400, "Member cannot use OAuth"));
    }
    windows::new_oauth_window(world, &guid, call.base);
    Ok(call.one(200, record(world, &guid)))
}

/// A new member to store.
struct NewMember {
    api: &'static str,
    user_guid: String,
    institution: &'static Institution,
    credentials: Vec<(String, String)>,
    is_oauth: bool,
    skip_aggregation: bool,
    /// The request's other fields kept on the record (identifier, metadata…).
    fields: Map<String, Value>,
    /// A status set by the request (test institutions, no credentials).
    status: Option<String>,
}

/// Stores a member and starts what MX starts: an OAuth window, or an
/// aggregation unless skipped. Answers its GUID.
fn create(world: &mut World, new: NewMember, call: &Call<'_>) -> String {
    let (base, config) = (call.base, call.config);
    let member_guid = guid("MBR");
    let mut r = new.fields;
    for (k, v) in [
        ("guid", json!(member_guid)),
        ("user_guid", json!(new.user_guid)),
        ("institution_code", json!(new.institution.code)),
        ("institution_guid", json!(new.institution.guid)),
        ("is_oauth", json!(new.is_oauth)),
        ("is_managed_by_user", json!(true)),
        ("is_user_created", json!(true)),
        ("is_being_aggregated", json!(false)),
    ] {
        r.insert(k.into(), v);
    }
    if !r.get("name").is_some_and(Value::is_string) {
        r.insert("name".into(), json!(new.institution.name));
    }
    world.store.put("members", r);
    world.members.insert(
        member_guid.clone(),
        MemberRt {
            api: new.api,
            institution: new.institution.code,
            credentials: new.credentials,
            challenges: Vec::new(),
            mfa_passed: false,
            skip_aggregation: new.skip_aggregation,
            data_loaded: false,
            callback_payload: super::webhooks::callback_payload(call),
            skip_webhooks: super::webhooks::skip_webhook(call),
        },
    );
    if new.is_oauth {
        windows::new_oauth_window(world, &member_guid, base);
    }
    // A status the request set (Nexus, test institutions) is the member's
    // status, OAuth or not: only credentials override it (Nexus spec,
    // `connection_status`).
    if let Some(s) = new.status {
        set_status(world, &member_guid, &s);
    } else if new.is_oauth {
        set_status(world, &member_guid, "PENDING");
    } else {
        set_status(world, &member_guid, "CREATED");
        if !new.skip_aggregation {
            jobs::start(world, &member_guid, JobKind::Aggregate, config);
        }
    }
    member_guid
}

/// Is there a member of this user, made through this API, at this
/// institution with the same credentials?
fn is_duplicate(world: &World, new: &NewMember) -> bool {
    let filter = [("user_guid".to_string(), new.user_guid.clone())];
    let found = world.store.select("members", &filter).any(|r| {
        let g = text(r, "guid").unwrap_or_default();
        world.members.get(g).is_some_and(|m| {
            m.api == new.api
                && m.institution == new.institution.code
                && m.credentials == new.credentials
        })
    });
    found
}
