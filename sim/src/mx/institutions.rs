//! The institutions every simulator knows (MX's doc-page examples, MX Bank
//! and its OAuth twin, a test institution) and their routes.

use serde_json::{json, Value};

use crate::engine::call::{Answer, Call, Fail};

/// A credential an institution asks for: (guid, field name, label, type).
pub type CredentialField = (&'static str, &'static str, &'static str, &'static str);

/// A simulated institution.
#[derive(Debug, Clone)]
pub struct Institution {
    /// Atrium's `institution_code`.
    pub code: &'static str,
    /// Nexus's `institution_guid`.
    pub guid: &'static str,
    pub name: &'static str,
    pub url: &'static str,
    pub supports_oauth: bool,
    pub supports_account_identification: bool,
    pub supports_account_statement: bool,
    pub supports_account_verification: bool,
    pub supports_transaction_history: bool,
    /// Test institutions accept `connection_status` on create (Nexus).
    pub is_test: bool,
    /// MX Bank: the password decides the connection's outcome.
    pub test_passwords: bool,
    pub credentials: &'static [CredentialField],
}

const LOGIN_PASSWORD: &[CredentialField] = &[
    (
        "CRD-1ec152cd-e628-e81a-e852-d1e7104624da",
        "LOGIN",
        "Username",
        "LOGIN",
    ),
    (
        "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d",
        "PASSWORD",
        "Password",
        "PASSWORD",
    ),
];
const CHASE_CREDENTIALS: &[CredentialField] = &[
    (
        "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667",
        "LOGIN",
        "Username",
        "LOGIN",
    ),
    (
        "CRD-4f6a8b2c-1d3e-5f7a-9b0c-2d4e6f8a0b1c",
        "PASSWORD",
        "Password",
        "PASSWORD",
    ),
];

/// The institutions: `mxbank` for Atrium's examples, `INS-1572a04c-…` (Chase)
/// for Nexus's, `mxbank_oauth` for OAuth, and a test institution.
pub const INSTITUTIONS: &[Institution] = &[
    Institution {
        code: "chase",
        guid: "INS-1572a04c-912b-59bf-5841-332c7dfafaef",
        name: "Chase Bank",
        url: "https://www.chase.com",
        supports_oauth: true,
        supports_account_identification: false,
        supports_account_statement: false,
        supports_account_verification: true,
        supports_transaction_history: true,
        is_test: false,
        test_passwords: false,
        credentials: CHASE_CREDENTIALS,
    },
    Institution {
        code: "mx_test_bank",
        guid: "INS-f1a3285d-e855-b68f-6aa7-8ae775c0e0e9",
        name: "MX Test Bank",
        url: "https://www.mx.com",
        supports_oauth: true,
        supports_account_identification: false,
        supports_account_statement: false,
        supports_account_verification: false,
        supports_transaction_history: false,
        is_test: true,
        test_passwords: false,
        credentials: LOGIN_PASSWORD,
    },
    Institution {
        code: "mxbank",
        guid: "INS-68e96dd6-eabd-42d3-9f05-416897f0746c",
        name: "MX Bank",
        url: "https://www.mx.com",
        supports_oauth: false,
        supports_account_identification: true,
        supports_account_statement: true,
        supports_account_verification: true,
        supports_transaction_history: true,
        is_test: false,
        test_passwords: true,
        credentials: LOGIN_PASSWORD,
    },
    Institution {
        code: "mxbank_oauth",
        guid: "INS-b6a7e8c9-0d1f-4a2b-8c3d-4e5f6a7b8c9d",
        name: "MX Bank (OAuth)",
        url: "https://www.mx.com",
        supports_oauth: true,
        supports_account_identification: true,
        supports_account_statement: true,
        supports_account_verification: true,
        supports_transaction_history: false,
        is_test: false,
        test_passwords: false,
        credentials: &[],
    },
];

pub fn by_code(code: &str) -> Option<&'static Institution> {
    INSTITUTIONS.iter().find(|i| i.code == code)
}

pub fn by_guid(guid: &str) -> Option<&'static Institution> {
    INSTITUTIONS.iter().find(|i| i.guid == guid)
}

impl Institution {
    /// Its record as both APIs' schemas name the fields.
    pub fn record(&self) -> Value {
        json!({
            "code": self.code,
            "guid": self.guid,
            "name": self.name,
            "url": self.url,
            "medium_logo_url": format!("https://content.moneydesktop.com/storage/MD_Assets/Ipad%20Logos/100x100/{}.png", self.code),
            "small_logo_url": format!("https://content.moneydesktop.com/storage/MD_Assets/Ipad%20Logos/50x50/{}.png", self.code),
            "supports_account_identification": self.supports_account_identification,
            "supports_account_statement": self.supports_account_statement,
            "supports_account_verification": self.supports_account_verification,
            "supports_oauth": self.supports_oauth,
            "supports_transaction_history": self.supports_transaction_history,
        })
    }

    fn supports(&self, feature: &str) -> Option<bool> {
        Some(match feature {
            "supports_account_identification" => self.supports_account_identification,
            "supports_account_statement" => self.supports_account_statement,
            "supports_account_verification" => self.supports_account_verification,
            "supports_transaction_history" => self.supports_transaction_history,
            "supports_oauth" => self.supports_oauth,
            _ => return None,
        })
    }

    /// Its credential fields, as MX lists them, in the order to show them.
    pub fn credential_records(&self) -> Vec<Value> {
        self.credentials
            .iter()
            .zip(1..)
            .map(|((guid, field, label, typ), order)| {
                json!({ "guid": guid, "display_order": order, "field_name": field, "label": label, "type": typ, "options": [] })
            })
            .collect()
    }

    /// The GUID of its password field.
    pub fn password_guid(&self) -> Option<&'static str> {
        self.credentials
            .iter()
            .find(|c| c.1 == "PASSWORD")
            .map(|c| c.0)
    }
}

/// `GET /institutions`: `name` contains, the `supports_*` filters, paged
/// with at most 100 per page.
pub fn list(_: &mut super::world::World, call: &Call<'_>) -> Answer {
    let name = call.query_str("name").map(str::to_lowercase);
    let matching: Vec<&Institution> = INSTITUTIONS
        .iter()
        .filter(|i| {
            name.as_deref()
                .is_none_or(|n| i.name.to_lowercase().contains(n) || i.code.contains(n))
        })
        .filter(|i| {
            call.query
                .iter()
                .all(|(k, v)| match (i.supports(k), v.as_bool()) {
                    (Some(has), Some(wanted)) => !wanted || has,
                    _ => true,
                })
        })
        .collect();
    let total = matching.len();
    let items = matching.into_iter().map(Institution::record);
    let (page, pagination) = super::paging::page(call, items, total, 100);
    Ok(call.list(page, Some(pagination)))
}

fn named(call: &Call<'_>) -> Result<&'static Institution, Fail> {
    let code = call.param("institution_code");
    by_code(code).ok_or_else(|| Fail::not_found("institution", code))
}

pub fn read(_: &mut super::world::World, call: &Call<'_>) -> Answer {
    Ok(call.one(200, named(call)?.record()))
}

pub fn credentials(_: &mut super::world::World, call: &Call<'_>) -> Answer {
    let records = named(call)?.credential_records();
    Ok(super::paging::list(
        call,
        records,
        super::paging::MAX_PER_PAGE,
    ))
}

/// The demo client's favorite institutions, most popular first.
/// Assumption: MX sets a client's favorites on request ("Please contact MX
/// to set a list of favorites", List favorite institutions); the demo
/// client's are MX Bank and Chase.
const FAVORITES: &[&str] = &["mxbank", "chase"];

/// The institutions partner-managed members can be created at. Assumption:
/// MX sets them up for a client; the demo client's is MX Bank, the
/// institution of the Platform spec's Create managed member example
/// (`institution_code: mxbank`).
const MANAGED: &[&str] = &["mxbank"];

/// The records of the institutions `codes` names, as a paged list.
fn listed(call: &Call<'_>, codes: &[&str], max: i64) -> Answer {
    let records: Vec<Value> = codes
        .iter()
        .filter_map(|c| by_code(c))
        .map(Institution::record)
        .collect();
    Ok(super::paging::list(call, records, max))
}

/// `GET /institutions/favorites`: "institutions that have been set as the
/// partner's favorites, sorted by popularity" (the Platform specs), paged
/// as the institutions' list is.
pub fn favorites(_: &mut super::world::World, call: &Call<'_>) -> Answer {
    listed(call, FAVORITES, 100)
}

/// `GET /managed_institutions`: "institutions which can be used to create
/// partner-managed members" (the Platform specs), paged.
pub fn managed(_: &mut super::world::World, call: &Call<'_>) -> Answer {
    listed(call, MANAGED, super::paging::MAX_PER_PAGE)
}
