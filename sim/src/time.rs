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

/// The first and last day (ISO 8601 dates) of the month of `t`, in UTC:
/// the last is the day before the next month's first, read by humantime's
/// calendar.
pub fn month_of(t: SystemTime) -> (String, String) {
    let stamp = rfc3339(t);
    let (year, month) = (
        stamp[..4].parse::<u32>().unwrap_or(1970),
        stamp[5..7].parse::<u32>().unwrap_or(1),
    );
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let next = humantime::parse_rfc3339(&format!("{next_year:04}-{next_month:02}-01T00:00:00Z"))
        .unwrap_or(t);
    (format!("{year:04}-{month:02}-01"), date(next, 1))
}

/// The first and last day of the calendar month `back` months before the
/// month of `t` (0: its own month), in UTC.
pub fn month_before(t: SystemTime, back: u32) -> (String, String) {
    let mut month = month_of(t);
    for _ in 0..back {
        let first = humantime::parse_rfc3339(&format!("{}T00:00:00Z", month.0)).unwrap_or(t);
        let day_before = first
            .checked_sub(Duration::from_secs(86_400))
            .unwrap_or(first);
        month = month_of(day_before);
    }
    month
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        let at = |s: &str| humantime::parse_rfc3339(s).unwrap();
        let month = |s: &str| month_of(at(s));
        assert_eq!(
            month("2024-02-10T12:00:00Z"),
            ("2024-02-01".into(), "2024-02-29".into())
        );
        assert_eq!(
            month("2026-02-28T23:59:59Z"),
            ("2026-02-01".into(), "2026-02-28".into())
        );
        assert_eq!(
            month("2026-12-06T00:00:00Z"),
            ("2026-12-01".into(), "2026-12-31".into())
        );
        assert_eq!(
            month("2026-04-30T00:00:00Z"),
            ("2026-04-01".into(), "2026-04-30".into())
        );
    }

    #[test]
    fn the_months_before_cross_years() {
        let at = humantime::parse_rfc3339("2026-01-31T12:00:00Z").unwrap();
        assert_eq!(
            month_before(at, 0),
            ("2026-01-01".into(), "2026-01-31".into())
        );
        assert_eq!(
            month_before(at, 1),
            ("2025-12-01".into(), "2025-12-31".into())
        );
        assert_eq!(
            month_before(at, 2),
            ("2025-11-01".into(), "2025-11-30".into())
        );
    }
}
