//! The seam between the spec-driven engine and the rules on top of it
//! (MX's, in `mx/`): the engine checks a request against its operation and
//! asks the rules only what no spec says: whether a credential is valid,
//! which stored record a path value names, whether the call is admitted,
//! and the answer.

use std::fmt;

use super::call::{Answer, Call, Fail};
use crate::api::ApiDef;
use crate::spec::Operation;

/// A credential as a request presents it for one security scheme of its
/// operation.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    /// An API-key header (its lower-case name and value).
    Header { name: &'a str, value: &'a str },
    /// HTTP Basic, decoded.
    Basic { user: &'a str, password: &'a str },
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
}

/// What the engine asks of the rules on top of the specs.
pub trait Rules: Send + Sync + fmt::Debug + 'static {
    /// Is `credential` valid for `op` (of `api`)?
    fn accepts(&self, api: &ApiDef, op: &Operation, credential: &Credential<'_>) -> bool;

    /// The path parameters with each value replaced by the key its record
    /// is stored under, where the value is another of its identifiers.
    fn resolve(&self, op: &Operation, params: Vec<(String, String)>) -> Vec<(String, String)>;

    /// A refusal that comes before the request's own checks (`Accept`,
    /// body), once its credentials passed.
    fn admit(&self, api: &ApiDef, op: &Operation) -> Result<(), Fail>;

    /// Does an integer parameter of `op` beyond 64 bits mean the nearest
    /// 64-bit integer to the rules (`i64::MAX` for a huge one), rather than
    /// a value out of range (400)?
    fn clamps(&self, op: &Operation, param: &str) -> bool;

    /// The answer to a request that passed every check.
    fn answer(&self, call: &Call<'_>) -> Answer;
}
