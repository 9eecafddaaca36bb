//! The one-time pages MX hands out: the OAuth window (`oauth_window_uri`)
//! and the connect widget URL (one-time, expiring). The simulator serves
//! them itself, so their one-time use is observable.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::jobs;
use super::member::set_status;
use super::world::JobKind;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail};

/// A fresh one-time OAuth window for a member (the old one stops working).
pub fn new_oauth_window(world: &mut World, member_guid: &str, base: &str) {
    let token = crate::store::guid("OAUTH");
    world.oauth.retain(|_, m| m != member_guid);
    world.oauth.insert(token.clone(), member_guid.to_string());
    if let Some(r) = world.store.get_mut("members", member_guid) {
        r.insert(
            "oauth_window_uri".into(),
            json!(format!("{base}/oauth/{token}")),
        );
    }
}

fn page(status: StatusCode, text: &str) -> Response {
    let body = format!("<!doctype html><title>MX simulator</title><p>{text}</p>");
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

/// `GET /oauth/{token}`: the first visit logs in and connects the member
/// (aggregating unless it was created with `skip_aggregation`); any later
/// visit is refused with 410.
pub async fn oauth_window(State(mx): State<Arc<super::Mx>>, Path(token): Path<String>) -> Response {
    let mut world = mx.world();
    let Some(member_guid) = world.oauth.remove(&token) else {
        return page(
            StatusCode::GONE,
            "This OAuth window was already used or never existed: request a new oauth_window_uri.",
        );
    };
    let Some(rt) = world.members.get(&member_guid) else {
        return page(StatusCode::GONE, "The member was deleted.");
    };
    let skip = rt.skip_aggregation;
    if let Some(r) = world.store.get_mut("members", &member_guid) {
        r.insert("oauth_window_uri".into(), serde_json::Value::Null);
    }
    if skip {
        set_status(&mut world, &member_guid, "CONNECTED");
    } else {
        jobs::start(&mut world, &member_guid, JobKind::Aggregate, mx.config());
    }
    page(StatusCode::OK, "Connected. You can close this window.")
}

/// A one-time widget URL for the user of the call, expiring after the
/// configured widget lifetime (MX: 10 minutes).
fn one_time_widget(world: &mut World, call: &Call<'_>) -> Result<String, Fail> {
    let user_guid = call.param("user_guid");
    if world.store.get("users", user_guid).is_none() {
        return Err(Fail::not_found("user", user_guid));
    }
    let token = crate::store::guid("CWU");
    world.widgets.insert(
        token.clone(),
        (
            user_guid.to_string(),
            Instant::now() + call.config.widget_lifetime,
        ),
    );
    Ok(format!("{}/connect/{token}", call.base))
}

/// `POST /users/{user_guid}/connect_widget_url` (Atrium, and the
/// Platform's v20111101): a one-time URL.
pub fn connect_widget_url(world: &mut World, call: &Call<'_>) -> Answer {
    let url = one_time_widget(world, call)?;
    let user_guid = call.param("user_guid");
    Ok(call.one(
        200,
        json!({ "guid": user_guid, "user_guid": user_guid, "connect_widget_url": url }),
    ))
}

/// `POST /users/{user_guid}/widget_urls` (the Platform): a one-time URL of
/// the requested `widget_type` (MX: "Include the `widget_type` in the
/// request body to specify which widget you want to embed"; it is
/// required). The simulator serves one page for every widget type.
pub fn widget_url(world: &mut World, call: &Call<'_>) -> Answer {
    let widget_type = call
        .inner()
        .get("widget_type")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Fail::new(400, "widget_url.widget_type is required"))?;
    let url = one_time_widget(world, call)?;
    let user = world.store.get("users", call.param("user_guid"));
    let user_id = user
        .and_then(|u| crate::store::text(u, "id"))
        .map(str::to_string);
    Ok(call.one(
        200,
        json!({ "type": widget_type, "url": url, "user_id": user_id }),
    ))
}

/// `GET /connect/{token}`: the widget, once, before it expires.
pub async fn connect_widget(
    State(mx): State<Arc<super::Mx>>,
    Path(token): Path<String>,
) -> Response {
    let mut world = mx.world();
    match world.widgets.remove(&token) {
        Some((_, expires)) if Instant::now() < expires => page(
            StatusCode::OK,
            "MX Connect (simulated): search for MX Bank to connect an account.",
        ),
        Some(_) => page(StatusCode::GONE, "This connect widget URL has expired."),
        None => page(
            StatusCode::GONE,
            "This connect widget URL was already used or never existed.",
        ),
    }
}
