//! Timestamps as MX writes them.

use std::time::{Duration, SystemTime};

/// RFC 3339 in UTC, seconds precision (`2016-10-13T17:57:36Z`).
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// An ISO 8601 date (`2016-10-13`) `days_ago` days before `now`.
pub fn date(now: SystemTime, days_ago: u64) -> String {
    let t = now
        .checked_sub(Duration::from_secs(days_ago * 86_400))
        .unwrap_or(now);
    rfc3339(t)[..10].to_string()
}
