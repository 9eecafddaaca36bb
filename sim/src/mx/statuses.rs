//! MX's connection statuses, in the order of their ids.

/// MX's connection statuses (Nexus "Members overview").
pub const STATUSES: &[&str] = &[
    "CREATED",
    "PREVENTED",
    "DENIED",
    "CHALLENGED",
    "REJECTED",
    "LOCKED",
    "CONNECTED",
    "IMPEDED",
    "RECONNECTED",
    "DEGRADED",
    "DISCONNECTED",
    "DISCONTINUED",
    "CLOSED",
    "DELAYED",
    "FAILED",
    "UPDATED",
    "DISABLED",
    "IMPORTED",
    "RESUMED",
    "EXPIRED",
    "IMPAIRED",
    "PENDING",
];
