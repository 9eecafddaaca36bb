//! MX's default categories: the 21 top-level categories every user shares
//! (MX's Categories Overview,
//! <https://docs.mx.com/api-reference/platform-api/reference/categories>),
//! with the subcategories MX Bank's transactions are filed under, and the
//! Platform's lists of them: `GET /categories/default`,
//! `GET /users/{user_guid}/categories/default`, and
//! `GET /users/{user_guid}/categories`, which lists "both default categories
//! and custom categories" (MX's custom categories guide,
//! <https://docs.mx.com/personalization/guides/categories>).
//!
//! The top-level GUIDs are MX's own: the Categories guide names Shopping
//! `CAT-aad51b46-d6f7-3da5-fd6e-492328b3023f`, and MX's widget sources
//! (their category constants) give all 21. Assumption: MX publishes no
//! GUIDs for its subcategories, so theirs are derived from their names
//! (stable from run to run).

use serde_json::{json, Value};

use super::lists;
use super::world::World;
use crate::engine::call::{Answer, Call};
use crate::engine::generic;
use crate::store::{text, Record};

/// MX's top-level default categories: (guid, name).
const TOP: &[(&str, &str)] = &[
    (
        "CAT-7829f71c-2e8c-afa5-2f55-fa3634b89874",
        "Auto & Transport",
    ),
    (
        "CAT-79b02f2f-2adc-88f0-ac2b-4e71ead9cfc8",
        "Bills & Utilities",
    ),
    (
        "CAT-94b11142-e97b-941a-f67f-6e18d246a23f",
        "Business Services",
    ),
    ("CAT-bf5c9cca-c96b-b50d-440d-38d9adfda5b0", "Education"),
    ("CAT-e04e9d1e-e041-c315-2e50-094143ab3f73", "Entertainment"),
    ("CAT-d73ee74b-13a4-ac3e-4015-fc4ba9a62b2a", "Fees & Charges"),
    ("CAT-6c7de3f8-de6c-7061-1dd2-b093044014bf", "Financial"),
    ("CAT-bd56d35a-a9a7-6e10-66c1-5b9cc1b6c81a", "Food & Dining"),
    (
        "CAT-8edf9663-623e-4735-490e-31288f0a70b0",
        "Gifts & Donations",
    ),
    (
        "CAT-52fa4693-c088-afb2-2a99-7bc39bb23a0f",
        "Health & Fitness",
    ),
    ("CAT-b709172b-4eb7-318e-3b5d-e0f0500b32ac", "Home"),
    ("CAT-bf9f3294-4c40-1677-d269-54fbc189faf3", "Income"),
    ("CAT-ccd42390-9e8c-3fb6-a5d9-6c31182d9c5c", "Investments"),
    ("CAT-0cb1d99d-f558-99e3-2282-b31f359b411a", "Kids"),
    ("CAT-e5154228-fe45-790d-a280-f6bf5ae5ac9f", "Personal Care"),
    ("CAT-7cccbafa-87d7-c9a6-661b-8b3402fe9e78", "Pets"),
    ("CAT-aad51b46-d6f7-3da5-fd6e-492328b3023f", "Shopping"),
    ("CAT-d00fc539-aa14-009b-4ffb-7e8c7b839954", "Taxes"),
    ("CAT-bce48142-fea4-ff45-20d9-0a642d44de83", "Transfer"),
    ("CAT-ea23d844-cbd1-eb10-f6ac-0df9610e59ae", "Travel"),
    ("CAT-d7851c65-3353-e490-1953-fb9235e681e4", "Uncategorized"),
];

/// Subcategories (MX's names and parents, from the categories guide's
/// list) that the simulated data uses: (name, parent name).
const SUB: &[(&str, &str)] = &[
    ("Gas", "Auto & Transport"),
    ("Coffee Shops", "Food & Dining"),
    ("Restaurants", "Food & Dining"),
    ("Paycheck", "Income"),
    ("Credit Card Payment", "Transfer"),
    ("Rental Car & Taxi", "Travel"),
];

/// A default category as the simulator knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub guid: String,
    pub name: &'static str,
    /// The top-level category it is under (itself for a top-level one).
    pub top_guid: String,
    pub top_name: &'static str,
}

/// A GUID derived from a name: `CAT-` and 128 bits of two FNV-1a hashes,
/// written as a UUID.
fn derived_guid(name: &str) -> String {
    let fnv = |seed: u64| {
        name.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    format!(
        "CAT-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// The top-level default category named `name`: (guid, name).
fn top(name: &str) -> Option<(&'static str, &'static str)> {
    TOP.iter().find(|(_, n)| *n == name).copied()
}

/// The default category named `name` (a top-level one or a known
/// subcategory).
pub fn by_name(name: &str) -> Option<Category> {
    if let Some((guid, name)) = top(name) {
        return Some(Category {
            guid: guid.to_string(),
            name,
            top_guid: guid.to_string(),
            top_name: name,
        });
    }
    let (sub, parent) = SUB.iter().find(|(n, _)| *n == name)?;
    let (top_guid, top_name) = top(parent)?;
    Some(Category {
        guid: derived_guid(sub),
        name: sub,
        top_guid: top_guid.to_string(),
        top_name,
    })
}

/// The default category with this GUID.
pub fn by_guid(guid: &str) -> Option<Category> {
    TOP.iter()
        .map(|(_, n)| *n)
        .chain(SUB.iter().map(|(n, _)| *n))
        .filter_map(by_name)
        .find(|c| c.guid == guid)
}

/// The income categories (MX's `is_income`).
fn is_income(top_name: &str) -> bool {
    top_name == "Income"
}

/// Stores the default categories (once, at start). MX: `created_at` and
/// `updated_at` "will always be null when is_default is true".
pub fn seed(world: &mut World) {
    let names = TOP
        .iter()
        .map(|(_, n)| *n)
        .chain(SUB.iter().map(|(n, _)| *n));
    for c in names.filter_map(by_name) {
        let parent = (c.top_guid != c.guid).then(|| c.top_guid.clone());
        world.store.put(
            "categories",
            lists::object(json!({
                "guid": c.guid, "name": c.name, "parent_guid": parent,
                "is_default": true, "is_income": is_income(c.top_name),
                "metadata": null, "created_at": null, "updated_at": null,
            })),
        );
    }
}

/// Is the stored category one of MX's defaults?
fn is_default(r: &Record) -> bool {
    r.get("is_default").and_then(Value::as_bool) == Some(true)
}

/// `GET /categories/default`, `GET /users/{user_guid}/categories/default`:
/// MX's default categories, paged.
pub fn defaults(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let records: Vec<Value> = world
        .store
        .select("categories", &[])
        .filter(|r| is_default(r))
        .map(|r| Value::Object(r.clone()))
        .collect();
    Ok(lists::paged(world, call, records))
}

/// `GET /users/{user_guid}/categories`: the default categories and the
/// user's custom ones, paged.
pub fn of_user(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let user = call.param("user_guid");
    let records: Vec<Value> = world
        .store
        .select("categories", &[])
        .filter(|r| is_default(r) || text(r, "user_guid") == Some(user))
        .map(|r| Value::Object(r.clone()))
        .collect();
    Ok(lists::paged(world, call, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcategories_sit_under_mx_top_level_categories_with_stable_guids() {
        let coffee = by_name("Coffee Shops").unwrap();
        assert_eq!(coffee.top_name, "Food & Dining");
        assert_eq!(coffee.top_guid, "CAT-bd56d35a-a9a7-6e10-66c1-5b9cc1b6c81a");
        assert_eq!(coffee.guid, derived_guid("Coffee Shops"));
        assert_eq!(coffee.guid.len(), "CAT-".len() + 36);
        assert_eq!(by_guid(&coffee.guid), Some(coffee));
        let shopping = by_name("Shopping").unwrap();
        assert_eq!(shopping.guid, shopping.top_guid);
        assert!(by_name("Nothing").is_none());
    }
}
