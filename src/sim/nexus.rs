//! The Nexus operations the spec has: `POST /members`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as Axum;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::state::{check_new_member, credential_set, institution_by_guid, Api, Member};
use super::{json_response, parse_body, Sim, SimError, DEMO_USER_GUID, NEXUS_JSON};
use crate::nexus::types;
use crate::ConnectionStatus;

pub(super) fn routes() -> Router<Arc<Sim>> {
    Router::new().route("/members", post(create_member))
}

fn bad_request(message: impl Into<String>) -> SimError {
    SimError::nexus(StatusCode::BAD_REQUEST, 4000, message)
}

/// Nexus's answer for a member: the `MemberResponse` of the spec.
pub(super) fn member_response(sim: &Sim, m: &Member) -> types::MemberResponse {
    types::MemberResponse {
        aggregated_at: m.job.map(|j| super::state::rfc3339(j.started)),
        background_aggregation_is_disabled: Some(m.background_aggregation_is_disabled),
        connection_status: Some(m.status.clone()),
        external_guid: m.external_guid.clone().map(serde_json::Value::String),
        guid: Some(m.guid.clone()),
        institution_code: Some(m.institution.code.into()),
        institution_guid: Some(m.institution.guid.into()),
        is_being_aggregated: Some(m.is_being_aggregated()),
        is_managed_by_user: Some(true),
        is_oauth: Some(m.is_oauth),
        is_user_created: Some(true),
        most_recent_job_guid: m.most_recent_job_guid.clone(),
        metadata: m.metadata.clone(),
        name: Some(m.name.clone()),
        oauth_window_uri: m.oauth_token.as_deref().map(|t| sim.oauth_uri(t)),
        successfully_aggregated_at: m.successfully_aggregated_at.map(super::state::rfc3339),
        use_cases: m.use_cases.iter().filter_map(|u| u.parse().ok()).collect(),
        user_guid: Some(m.user_guid.clone()),
    }
}

async fn create_member(Axum(sim): Axum<Arc<Sim>>, body: Bytes) -> Result<Response, SimError> {
    let req: types::MemberCreateRequestBody = parse_body(&body, bad_request)?;
    let req = req
        .member
        .ok_or_else(|| bad_request("member is required"))?;
    let institution = institution_by_guid(&req.institution_guid).ok_or_else(|| {
        SimError::nexus(
            StatusCode::NOT_FOUND,
            4040,
            format!("institution {} was not found", req.institution_guid),
        )
    })?;
    let is_oauth = req.is_oauth.unwrap_or(false);
    let credentials = credential_set(
        req.credentials
            .iter()
            .map(|c| (c.credential_guid.as_ref(), c.value.as_ref())),
    );
    check_new_member(institution, is_oauth, &credentials).map_err(bad_request)?;
    if req.connection_status.is_some() && !institution.is_test {
        return Err(bad_request(
            "connection_status can only be set on members of a test institution",
        ));
    }

    let mut state = sim.state();
    if state.is_duplicate(Api::Nexus, DEMO_USER_GUID, institution, &credentials) {
        return Err(SimError::nexus(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::NEXUS_DUPLICATE_MEMBER,
            "A member with this institution and these credentials already exists for this user.",
        ));
    }
    let guid = state.guid("MBR");
    let skip = req.skip_aggregation.unwrap_or(false);
    let status = match (&req.connection_status, credentials.is_empty()) {
        // Credentials start a job, which decides the status.
        (Some(s), true) => s.clone(),
        _ if is_oauth => ConnectionStatus::Pending,
        _ => ConnectionStatus::Created,
    };
    let member = Member {
        api: Api::Nexus,
        guid: guid.clone(),
        user_guid: DEMO_USER_GUID.into(),
        institution,
        credentials,
        identifier: None,
        metadata: req.metadata.clone(),
        name: institution.name.into(),
        is_oauth,
        skip_aggregation: skip,
        status,
        job: None,
        successfully_aggregated_at: None,
        oauth_token: None,
        external_guid: req.external_guid.clone(),
        use_cases: req.use_cases.iter().map(|u| u.to_string()).collect(),
        background_aggregation_is_disabled: req.background_aggregation_is_disabled.unwrap_or(false),
        most_recent_job_guid: None,
    };
    state.add_member(member);
    if is_oauth {
        state.oauth_token(&guid);
    } else if !skip {
        state.start_job(&guid, sim.config.aggregation_time);
    }
    let m = state.members[&guid].clone();
    drop(state);
    let body = types::MemberResponseBody {
        member: Some(member_response(&sim, &m)),
    };
    Ok(json_response(StatusCode::OK, NEXUS_JSON, &body))
}
