//! MX Bank's test credentials (docs.mx.com `/api/guides/testing`,
//! `/resources/test-platform/mxbank/`, Atrium `testing-your-setup`): the
//! password decides how an aggregation ends. Only the outcomes those pages
//! state are mirrored; every other password connects.

use serde_json::{json, Value};

/// How an aggregation of an MX Bank member ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Connected,
    /// CHALLENGED, with a challenge of this type (TEXT, OPTIONS, IMAGE).
    Challenged(&'static str),
    /// Ends in this connection status.
    Ends(&'static str),
}

/// The answer that passes an MX Bank challenge.
pub const CORRECT: &str = "correct";

/// The outcome of `password` (case sensitive, as MX documents).
pub fn outcome(password: &str) -> Outcome {
    match password {
        "challenge" => Outcome::Challenged("TEXT"),
        "options" => Outcome::Challenged("OPTIONS"),
        "image" => Outcome::Challenged("IMAGE"),
        // "External server returns a 400 … FAILED" (the Platform page; the
        // older Atrium page says HALTED, a legacy status).
        "BAD_REQUEST" => Outcome::Ends("FAILED"),
        // "invalid credentials … DENIED".
        "UNAUTHORIZED" => Outcome::Ends("DENIED"),
        _ => Outcome::Connected,
    }
}

/// A 1×1 PNG, the image of an IMAGE challenge.
const PIXEL_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// The challenge MX Bank issues for `kind`.
pub fn challenge(kind: &str) -> Value {
    let guid = crate::store::guid("CRD");
    match kind {
        "OPTIONS" => json!({
            "guid": guid,
            "type": "OPTIONS",
            "field_name": "options",
            "label": "Which option is correct?",
            "options": [
                { "label": "correct", "value": CORRECT },
                { "label": "incorrect", "value": "incorrect" },
            ],
        }),
        "IMAGE" => json!({
            "guid": guid,
            "type": "IMAGE",
            "field_name": "image",
            "label": "What is shown in the image?",
            "image_data": format!("data:image/png;base64,{PIXEL_PNG}"),
        }),
        _ => json!({
            "guid": guid,
            "type": "TEXT",
            "field_name": "challenge",
            "label": "What city were you born in?",
        }),
    }
}
