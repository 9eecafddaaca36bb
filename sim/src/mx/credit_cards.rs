//! MX's credit card products (MX's Credit Card Product Endpoints,
//! <https://docs.mx.com/other/rewards/credit-card-products>): "A
//! `credit_card_product` represents the product features associated with a
//! particular credit card"; "The required `credit_card_product_guid` can be
//! found on the `account` object" (the rewards Account Fields,
//! <https://docs.mx.com/other/rewards/accounts>: "The unique identifier for
//! the `credit_card_product` associated with the account. Defined by
//! MX."). `GET /credit_card_products/{credit_card_product_guid}` reads the
//! seeded products through the generic rules.
//!
//! Assumptions (MX publishes no catalog): MX's catalog holds MX Bank's
//! card, a points card without an annual fee (its points are the rewards
//! `rewards.rs` gathers); the cards of other institutions have no known
//! product (`credit_card_product_guid` null).

use serde_json::json;

use super::lists::object;
use super::world::World;

/// The table of MX's credit card products.
const TABLE: &str = "credit_card_products";

/// MX Bank's credit card product: (institution code, guid, name).
const PRODUCTS: &[(&str, &str, &str)] = &[(
    "mxbank",
    "CCA-5d0b1e8a-7c3f-4a61-9e2b-8f4c6a1d3e70",
    "MX Bank Rewards Card",
)];

/// The GUID of the credit card product of an institution's cards, if MX
/// knows one.
pub fn product_of(institution_code: &str) -> Option<&'static str> {
    PRODUCTS
        .iter()
        .find(|(code, ..)| *code == institution_code)
        .map(|(_, guid, _)| *guid)
}

/// Stores MX's credit card products (once, at start), with the fields of
/// MX's Credit Card Product Fields.
pub fn seed(world: &mut World) {
    for (_, guid, name) in PRODUCTS {
        world.store.put(
            TABLE,
            object(json!({
                "guid": guid, "name": name, "annual_fee": 0.0,
                "duration_of_introductory_rate_on_balance_transfer": null,
                "duration_of_introductory_rate_on_purchases": null,
                "has_cashback_rewards": false, "has_other_rewards": true,
                "has_travel_rewards": false, "has_zero_introductory_annual_fee": false,
                "has_zero_percent_introductory_rate": false,
                "has_zero_percent_introductory_rate_on_balance_transfer": false,
                "is_accepting_applicants": true, "is_active_credit_card_product": true,
                "is_small_business_card": false,
            })),
        );
    }
}
