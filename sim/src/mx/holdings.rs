//! The Platform's holdings routes (`…/investment_holdings…`): the same
//! records Atrium lists at `…/holdings…` (MX's holdings of the same users'
//! investment accounts), so a holding has one GUID on every route. Each
//! record carries both APIs' fields (`data.rs`); each answer is shaped by
//! its own schema. MX's List holdings page
//! (https://docs.mx.com/api-reference/platform-api/reference/list-holdings-by-user)
//! shows the Platform's fields.

use super::world::World;
use crate::engine::call::{Answer, Call};
use crate::engine::generic;
use crate::spec::Template;

/// The Platform's name of the holdings collection.
const PLATFORM: &str = "investment_holdings";

/// Is `template` one of the Platform's holdings routes?
pub fn is_platform(template: &str) -> bool {
    template.split('/').any(|s| s == PLATFORM)
}

/// A Platform holdings route, answered by the generic rules over the
/// stored `holdings`.
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
    generic::answer(world, &stored)
}
