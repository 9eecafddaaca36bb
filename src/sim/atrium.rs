//! The Atrium operations on users, members and institutions.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as Axum};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;

use super::state::{
    check_new_member, credential_set, institution_by_code, rfc3339, Api, Institution, Member,
    State, INSTITUTIONS,
};
use super::{json_response, parse_body, Sim, SimError, ATRIUM_JSON};
use crate::atrium::types;
use crate::{ConnectionStatus, MemberStatus};

/// Every path the simulator serves for Atrium, with its methods: the test
/// `sim_spec` checks these against the spec.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/institutions"),
    ("GET", "/institutions/{institution_code}"),
    ("GET", "/institutions/{institution_code}/credentials"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/users/{user_guid}"),
    ("PUT", "/users/{user_guid}"),
    ("DELETE", "/users/{user_guid}"),
    ("GET", "/users/{user_guid}/members"),
    ("POST", "/users/{user_guid}/members"),
    ("GET", "/users/{user_guid}/members/{member_guid}"),
    ("PUT", "/users/{user_guid}/members/{member_guid}"),
    ("DELETE", "/users/{user_guid}/members/{member_guid}"),
    ("POST", "/users/{user_guid}/members/{member_guid}/aggregate"),
    ("POST", "/users/{user_guid}/members/{member_guid}/balance"),
    (
        "POST",
        "/users/{user_guid}/members/{member_guid}/extend_history",
    ),
    ("GET", "/users/{user_guid}/members/{member_guid}/accounts"),
    (
        "GET",
        "/users/{user_guid}/members/{member_guid}/credentials",
    ),
    ("GET", "/users/{user_guid}/members/{member_guid}/challenges"),
    (
        "GET",
        "/users/{user_guid}/members/{member_guid}/transactions",
    ),
    ("GET", "/users/{user_guid}/members/{member_guid}/status"),
    (
        "GET",
        "/users/{user_guid}/members/{member_guid}/oauth_window_uri",
    ),
    ("PUT", "/users/{user_guid}/members/{member_guid}/resume"),
];

pub(super) fn routes() -> Router<Arc<Sim>> {
    const M: &str = "/users/{user_guid}/members/{member_guid}";
    Router::new()
        .route("/institutions", get(list_institutions))
        .route("/institutions/{institution_code}", get(read_institution))
        .route(
            "/institutions/{institution_code}/credentials",
            get(read_institution_credentials),
        )
        .route("/users", get(list_users).post(create_user))
        .route(
            "/users/{user_guid}",
            get(read_user).put(update_user).delete(delete_user),
        )
        .route(
            "/users/{user_guid}/members",
            get(list_members).post(create_member),
        )
        .route(M, get(read_member).put(update_member).delete(delete_member))
        .route(&format!("{M}/aggregate"), post(aggregate_member))
        .route(&format!("{M}/balance"), post(aggregate_member))
        .route(&format!("{M}/extend_history"), post(aggregate_member))
        .route(&format!("{M}/accounts"), get(list_member_accounts))
        .route(&format!("{M}/credentials"), get(list_member_credentials))
        .route(&format!("{M}/challenges"), get(list_member_mfa_challenges))
        .route(&format!("{M}/transactions"), get(list_member_transactions))
        .route(&format!("{M}/status"), get(read_member_status))
        .route(
            &format!("{M}/oauth_window_uri"),
            get(read_o_auth_window_uri),
        )
        .route(&format!("{M}/resume"), put(resume_member))
}

type Answer = Result<Response, SimError>;

fn ok(body: &impl serde::Serialize) -> Answer {
    Ok(json_response(StatusCode::OK, ATRIUM_JSON, body))
}

fn bad_request(message: impl Into<String>) -> SimError {
    SimError::atrium(StatusCode::BAD_REQUEST, message)
}

fn not_found(what: &str, id: &str) -> SimError {
    SimError::atrium(StatusCode::NOT_FOUND, format!("{what} {id} was not found"))
}

#[derive(Debug, Deserialize)]
pub(super) struct PageQuery {
    page: Option<i64>,
    records_per_page: Option<i64>,
    name: Option<String>,
}

/// One page of `items`: MX's defaults (page 1, 25 per page, at most 1000).
fn page<T: Clone>(items: &[T], q: &PageQuery) -> (Vec<T>, types::Pagination) {
    let per = q.records_per_page.unwrap_or(25).clamp(1, 1000);
    let current = q.page.unwrap_or(1).max(1);
    let total = items.len() as i64;
    let pages = ((total + per - 1) / per).max(1);
    // Saturating: `page=9223372036854775807` is past the end, not a panic.
    let start = (current - 1).saturating_mul(per).min(total) as usize;
    let end = (start + per as usize).min(items.len());
    (
        items[start..end].to_vec(),
        types::Pagination {
            current_page: Some(current),
            per_page: Some(per),
            total_entries: Some(total),
            total_pages: Some(pages),
        },
    )
}

fn institution(i: &Institution) -> types::Institution {
    types::Institution {
        code: Some(i.code.into()),
        name: Some(i.name.into()),
        url: Some(i.url.into()),
        medium_logo_url: Some(format!(
            "https://content.moneydesktop.com/storage/MD_Assets/Ipad%20Logos/100x100/{}.png",
            i.code
        )),
        small_logo_url: Some(format!(
            "https://content.moneydesktop.com/storage/MD_Assets/Ipad%20Logos/50x50/{}.png",
            i.code
        )),
        supports_account_identification: Some(true),
        supports_account_statement: Some(false),
        supports_account_verification: Some(true),
        supports_oauth: Some(i.supports_oauth),
        supports_transaction_history: Some(true),
    }
}

fn credentials_of(i: &Institution) -> Vec<types::CredentialResponse> {
    i.credentials
        .iter()
        .map(|(guid, field, label, typ)| types::CredentialResponse {
            field_name: Some((*field).into()),
            guid: Some((*guid).into()),
            label: Some((*label).into()),
            options: vec![],
            type_: Some((*typ).into()),
        })
        .collect()
}

/// Atrium's member, from the simulator's.
fn member(sim: &Sim, m: &Member) -> types::Member {
    let legacy = match (&m.status, m.is_being_aggregated()) {
        (_, true) => MemberStatus::Requested,
        (ConnectionStatus::Connected, false) => MemberStatus::Completed,
        (ConnectionStatus::Denied, false) => MemberStatus::Denied,
        _ => MemberStatus::Initiated,
    };
    #[allow(deprecated)]
    types::Member {
        aggregated_at: m
            .job
            .map(|j| rfc3339(j.started))
            .or_else(|| m.successfully_aggregated_at.map(rfc3339)),
        connection_status: Some(m.status.clone()),
        guid: Some(m.guid.clone()),
        identifier: m.identifier.clone(),
        institution_code: Some(m.institution.code.into()),
        is_being_aggregated: Some(m.is_being_aggregated()),
        is_oauth: Some(m.is_oauth),
        metadata: m.metadata.clone(),
        name: Some(m.name.clone()),
        oauth_window_uri: m.oauth_token.as_deref().map(|t| sim.oauth_uri(t)),
        status: Some(legacy),
        successfully_aggregated_at: m.successfully_aggregated_at.map(rfc3339),
        user_guid: Some(m.user_guid.clone()),
    }
}

fn member_body(sim: &Sim, m: &Member) -> types::MemberResponseBody {
    types::MemberResponseBody {
        member: member(sim, m),
    }
}

fn user(u: &super::state::User) -> types::User {
    types::User {
        guid: Some(u.guid.clone()),
        identifier: u.identifier.clone(),
        is_disabled: Some(u.is_disabled),
        metadata: u.metadata.clone(),
    }
}

// ---- institutions ----

async fn list_institutions(Query(q): Query<PageQuery>) -> Answer {
    let all: Vec<_> = INSTITUTIONS
        .iter()
        .filter(|i| {
            q.name
                .as_deref()
                .is_none_or(|n| i.name.to_lowercase().contains(&n.to_lowercase()))
        })
        .map(institution)
        .collect();
    let (institutions, pagination) = page(&all, &q);
    ok(&types::InstitutionsResponseBody {
        institutions,
        pagination: Some(pagination),
    })
}

async fn read_institution(Path(code): Path<String>) -> Answer {
    let i = institution_by_code(&code).ok_or_else(|| not_found("institution", &code))?;
    ok(&types::InstitutionResponseBody {
        institution: institution(i),
    })
}

async fn read_institution_credentials(Path(code): Path<String>) -> Answer {
    let i = institution_by_code(&code).ok_or_else(|| not_found("institution", &code))?;
    ok(&types::CredentialsResponseBody {
        credentials: credentials_of(i),
    })
}

// ---- users ----

async fn list_users(Axum(sim): Axum<Arc<Sim>>, Query(q): Query<PageQuery>) -> Answer {
    let state = sim.state();
    let all: Vec<_> = state
        .user_order
        .iter()
        .map(|g| user(&state.users[g]))
        .collect();
    drop(state);
    let (users, pagination) = page(&all, &q);
    ok(&types::UsersResponseBody {
        users,
        pagination: Some(pagination),
    })
}

async fn create_user(Axum(sim): Axum<Arc<Sim>>, body: Bytes) -> Answer {
    let req: types::UserCreateRequestBody = parse_body(&body, bad_request)?;
    let mut state = sim.state();
    if let Some(id) = &req.user.identifier {
        if state
            .users
            .values()
            .any(|u| u.identifier.as_ref() == Some(id))
        {
            return Err(SimError::atrium(
                StatusCode::CONFLICT,
                format!("a user with identifier {id} already exists"),
            ));
        }
    }
    let u = state.add_user(
        req.user.identifier.clone(),
        req.user.metadata.clone(),
        req.user.is_disabled.unwrap_or(false),
    );
    ok(&types::UserResponseBody { user: user(&u) })
}

async fn read_user(Axum(sim): Axum<Arc<Sim>>, Path(guid): Path<String>) -> Answer {
    let state = sim.state();
    let u = state
        .users
        .get(&guid)
        .ok_or_else(|| not_found("user", &guid))?;
    ok(&types::UserResponseBody { user: user(u) })
}

async fn update_user(Axum(sim): Axum<Arc<Sim>>, Path(guid): Path<String>, body: Bytes) -> Answer {
    let req: Option<types::UserUpdateRequestBody> = if body.is_empty() {
        None
    } else {
        Some(parse_body(&body, bad_request)?)
    };
    let mut state = sim.state();
    let u = state
        .users
        .get_mut(&guid)
        .ok_or_else(|| not_found("user", &guid))?;
    if let Some(req) = req {
        if req.user.identifier.is_some() {
            u.identifier = req.user.identifier;
        }
        if req.user.metadata.is_some() {
            u.metadata = req.user.metadata;
        }
        if let Some(d) = req.user.is_disabled {
            u.is_disabled = d;
        }
    }
    ok(&types::UserResponseBody { user: user(u) })
}

async fn delete_user(Axum(sim): Axum<Arc<Sim>>, Path(guid): Path<String>) -> Answer {
    if sim.state().delete_user(&guid) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found("user", &guid))
    }
}

// ---- members ----

async fn list_members(
    Axum(sim): Axum<Arc<Sim>>,
    Path(user_guid): Path<String>,
    Query(q): Query<PageQuery>,
) -> Answer {
    let mut state = sim.state();
    if !state.users.contains_key(&user_guid) {
        return Err(not_found("user", &user_guid));
    }
    let all: Vec<_> = state
        .members_of(&user_guid)
        .iter()
        .map(|m| member(&sim, m))
        .collect();
    drop(state);
    let (members, pagination) = page(&all, &q);
    ok(&types::MembersResponseBody {
        members,
        pagination: Some(pagination),
    })
}

async fn create_member(
    Axum(sim): Axum<Arc<Sim>>,
    Path(user_guid): Path<String>,
    body: Bytes,
) -> Answer {
    // One lock for the checks and the insert: a user deleted meanwhile
    // cannot get a member.
    let mut state = sim.state();
    if !state.users.contains_key(&user_guid) {
        return Err(not_found("user", &user_guid));
    }
    let req: types::MemberCreateRequestBody = parse_body(&body, bad_request)?;
    let req = req.member;
    let inst = institution_by_code(&req.institution_code)
        .ok_or_else(|| not_found("institution", &req.institution_code))?;
    let is_oauth = req.is_oauth.unwrap_or(false);
    let credentials = credential_set(
        req.credentials
            .iter()
            .map(|c| (c.guid.as_ref(), c.value.as_ref())),
    );
    check_new_member(inst, is_oauth, &credentials).map_err(bad_request)?;

    if state.members_of(&user_guid).len() >= sim.config.members_per_user {
        return Err(SimError::atrium(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "a user may have at most {} members in the development environment",
                sim.config.members_per_user
            ),
        ));
    }
    if state.is_duplicate(Api::Atrium, &user_guid, inst, &credentials) {
        return Err(SimError::atrium(
            StatusCode::CONFLICT,
            "A member with this institution and these credentials already exists for this user.",
        ));
    }
    let guid = state.guid("MBR");
    let skip = req.skip_aggregation.unwrap_or(false);
    state.add_member(Member {
        api: Api::Atrium,
        guid: guid.clone(),
        user_guid: user_guid.clone(),
        institution: inst,
        credentials,
        identifier: req.identifier.clone(),
        metadata: req.metadata.clone(),
        name: inst.name.into(),
        is_oauth,
        skip_aggregation: skip,
        status: if is_oauth {
            ConnectionStatus::Pending
        } else {
            ConnectionStatus::Created
        },
        job: None,
        successfully_aggregated_at: None,
        oauth_token: None,
        external_guid: None,
        use_cases: vec![],
        background_aggregation_is_disabled: false,
        most_recent_job_guid: None,
    });
    if is_oauth {
        state.oauth_token(&guid);
    } else if !skip {
        state.start_job(&guid, sim.config.aggregation_time);
    }
    let m = state.members[&guid].clone();
    drop(state);
    // MX answers member creation with 202 Accepted (documented in the spec).
    Ok(json_response(
        StatusCode::ACCEPTED,
        ATRIUM_JSON,
        &member_body(&sim, &m),
    ))
}

/// Runs `f` on the state once the member (settled) is known to belong to
/// the user; 404 otherwise.
fn with_member<T>(
    sim: &Sim,
    user_guid: &str,
    member_guid: &str,
    f: impl FnOnce(&mut State, &str) -> Result<T, SimError>,
) -> Result<T, SimError> {
    let mut state = sim.state();
    if !state.users.contains_key(user_guid) {
        return Err(not_found("user", user_guid));
    }
    if state.member(user_guid, member_guid).is_none() {
        return Err(not_found("member", member_guid));
    }
    f(&mut state, member_guid)
}

fn read(state: &mut State, guid: &str) -> Result<Member, SimError> {
    Ok(state.members[guid].clone())
}

async fn read_member(Axum(sim): Axum<Arc<Sim>>, Path((u, g)): Path<(String, String)>) -> Answer {
    let m = with_member(&sim, &u, &g, read)?;
    ok(&member_body(&sim, &m))
}

async fn update_member(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let req: Option<types::MemberUpdateRequestBody> = if body.is_empty() {
        None
    } else {
        Some(parse_body(&body, bad_request)?)
    };
    let delay = sim.config.aggregation_time;
    let m = with_member(&sim, &u, &g, |state, guid| {
        if let Some(req) = req {
            let r = req.member;
            let m = state.members.get_mut(guid).expect("checked");
            if r.identifier.is_some() {
                m.identifier = r.identifier;
            }
            if r.metadata.is_some() {
                m.metadata = r.metadata;
            }
            if !r.credentials.is_empty() {
                let creds = credential_set(
                    r.credentials
                        .iter()
                        .map(|c| (c.guid.as_ref(), c.value.as_ref())),
                );
                m.credentials = creds;
                // New credentials start a job.
                state.start_job(guid, delay);
            }
        }
        read(state, guid)
    })?;
    ok(&member_body(&sim, &m))
}

async fn delete_member(Axum(sim): Axum<Arc<Sim>>, Path((u, g)): Path<(String, String)>) -> Answer {
    let mut state = sim.state();
    if state.member(&u, &g).is_none() {
        return Err(not_found("member", &g));
    }
    state.delete_member(&g);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn aggregate_member(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
) -> Answer {
    let delay = sim.config.aggregation_time;
    let m = with_member(&sim, &u, &g, |state, guid| {
        let m = &state.members[guid];
        if m.status == ConnectionStatus::Pending {
            return Err(bad_request("the member's OAuth flow is not complete"));
        }
        if !m.is_being_aggregated() {
            state.start_job(guid, delay);
        }
        read(state, guid)
    })?;
    ok(&member_body(&sim, &m))
}

async fn resume_member(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let _req: types::MemberResumeRequestBody = parse_body(&body, bad_request)?;
    let delay = sim.config.aggregation_time;
    let m = with_member(&sim, &u, &g, |state, guid| {
        state.start_job(guid, delay);
        read(state, guid)
    })?;
    ok(&member_body(&sim, &m))
}

async fn read_member_status(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
) -> Answer {
    let m = with_member(&sim, &u, &g, read)?;
    let full = member(&sim, &m);
    let connected = m.status == ConnectionStatus::Connected;
    #[allow(deprecated)]
    let body = types::MemberConnectionStatusResponseBody {
        member: types::MemberConnectionStatus {
            aggregated_at: full.aggregated_at,
            challenges: vec![],
            connection_status: full.connection_status,
            guid: full.guid,
            has_processed_accounts: Some(connected),
            has_processed_transactions: Some(connected),
            is_authenticated: Some(connected),
            is_being_aggregated: full.is_being_aggregated,
            status: full.status,
            successfully_aggregated_at: full.successfully_aggregated_at,
        },
    };
    ok(&body)
}

async fn read_o_auth_window_uri(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
) -> Answer {
    let m = with_member(&sim, &u, &g, |state, guid| {
        if !state.members[guid].is_oauth {
            return Err(bad_request("the member does not use OAuth"));
        }
        state.oauth_token(guid);
        read(state, guid)
    })?;
    ok(&member_body(&sim, &m))
}

async fn list_member_credentials(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
) -> Answer {
    let m = with_member(&sim, &u, &g, read)?;
    ok(&types::CredentialsResponseBody {
        credentials: credentials_of(m.institution),
    })
}

async fn list_member_mfa_challenges(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
) -> Answer {
    with_member(&sim, &u, &g, |_, _| Ok(()))?;
    ok(&types::ChallengesResponseBody { challenges: vec![] })
}

/// A connected member's demo accounts: a checking and a savings account.
fn accounts_of(m: &Member) -> Vec<types::Account> {
    if m.successfully_aggregated_at.is_none() {
        return vec![];
    }
    let suffix = &m.guid[4..];
    [
        ("Checking", "CHECKING", 1250.75),
        ("Savings", "SAVINGS", 8400.0),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, typ, balance))| types::Account {
        guid: Some(format!("ACT-{suffix}-{i}")),
        member_guid: Some(m.guid.clone()),
        user_guid: Some(m.user_guid.clone()),
        institution_code: Some(m.institution.code.into()),
        name: Some(format!("{} {name}", m.institution.name)),
        type_: Some((*typ).into()),
        balance: Some(*balance),
        available_balance: Some(*balance),
        currency_code: Some("USD".into()),
        is_closed: Some(false),
        ..Default::default()
    })
    .collect()
}

async fn list_member_accounts(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Answer {
    let m = with_member(&sim, &u, &g, read)?;
    let (accounts, pagination) = page(&accounts_of(&m), &q);
    ok(&types::AccountsResponseBody {
        accounts,
        pagination: Some(pagination),
    })
}

async fn list_member_transactions(
    Axum(sim): Axum<Arc<Sim>>,
    Path((u, g)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Answer {
    let m = with_member(&sim, &u, &g, read)?;
    let all: Vec<types::Transaction> = accounts_of(&m)
        .iter()
        .flat_map(|a| {
            [
                ("Coffee Shop", -4.5, "Coffee Shops"),
                ("Payroll", 2100.0, "Paycheck"),
            ]
            .into_iter()
            .enumerate()
            .map(move |(i, (desc, amount, category))| types::Transaction {
                guid: Some(format!("TRN-{}-{i}", &a.guid.as_deref().unwrap_or("")[4..])),
                account_guid: a.guid.clone(),
                member_guid: a.member_guid.clone(),
                user_guid: a.user_guid.clone(),
                amount: Some(f64::abs(amount)),
                type_: Some(if amount < 0.0 { "DEBIT" } else { "CREDIT" }.into()),
                description: Some(desc.into()),
                category: Some(category.into()),
                currency_code: Some("USD".into()),
                status: Some("POSTED".into()),
                is_expense: Some(amount < 0.0),
                is_income: Some(amount > 0.0),
                ..Default::default()
            })
        })
        .collect();
    let (transactions, pagination) = page(&all, &q);
    ok(&types::TransactionsResponseBody {
        transactions,
        pagination: Some(pagination),
    })
}
