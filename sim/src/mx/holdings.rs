//! The Platform's holdings routes (`…/investment_holdings…`): the same
//! records Atrium lists at `…/holdings…` (MX's holdings of the same users'
//! investment accounts), so a holding has one GUID on every route. Each
//! record carries both APIs' fields (`data.rs`); each answer is shaped by
//! its own schema. MX's List holdings page
//! (<https://docs.mx.com/api-reference/platform-api/reference/list-holdings-by-user>)
//! shows the Platform's fields. Deactivating a user from the holdings
//! product marks the user until the next call of a holdings route.

use serde_json::json;

use super::world::World;
use crate::engine::call::{Answer, Call, Fail, Reply};
use crate::engine::generic;
use crate::spec::Template;

/// The Platform's name of the holdings collection.
const PLATFORM: &str = "investment_holdings";

/// Is `template` one of the Platform's holdings routes?
pub fn is_platform(template: &str) -> bool {
    template.split('/').any(|s| s == PLATFORM)
}

/// The user's internal mark of being deactivated from the holdings
/// product (no schema has a field for it, so it is never answered).
const DEACTIVATED: &str = "is_deactivated_from_investment_holdings";

/// `GET /users/{user_guid}/investment_holdings_deactivate` ("Deactivate
/// user from Investment Holdings"): "This endpoint deactivates the
/// specific user from the `/investment_holdings` product. To reactivate a
/// user, use any of the current `/investment_holding` endpoints" (the
/// Platform specs). The answer is the specs' example of
/// InvestmentHoldingsDeactivation, which is all MX documents of it.
pub fn deactivate(world: &mut World, call: &Call<'_>) -> Answer {
    set_deactivated(world, call, true)?;
    let answer = json!({ "message": "Successfully deactivated user from billing", "status": 200 });
    Ok(Reply::Json(200, answer))
}

/// Marks the path's user as deactivated from the holdings product, or
/// not; a 404 for an unknown user.
fn set_deactivated(world: &mut World, call: &Call<'_>, off: bool) -> Result<(), Fail> {
    let user = call.param("user_guid");
    let u = world
        .store
        .get_mut("users", user)
        .ok_or_else(|| Fail::not_found("user", user))?;
    u.insert(DEACTIVATED.into(), json!(off));
    Ok(())
}

/// A Platform holdings route, answered by the generic rules over the
/// stored `holdings`; a call of one reactivates the user.
pub fn platform(world: &mut World, call: &Call<'_>) -> Answer {
    let text: Vec<&str> = call
        .op
        .template
        .text
        .split('/')
        .map(|s| if s == PLATFORM { "holdings" } else { s })
        .collect();
    let mut op = call.op.clone();
    op.template = Template::parse(&text.join("/"));
    let stored = Call {
        api: call.api,
        op: &op,
        params: call.params.clone(),
        query: call.query.clone(),
        body: call.body.clone(),
        base: call.base,
        config: call.config,
        headers: call.headers,
    };
    let answer = generic::answer(world, &stored)?;
    if !call.param("user_guid").is_empty() {
        set_deactivated(world, call, false)?;
    }
    Ok(answer)
}
