//! MX's pagination: `page` from 1; `records_per_page` 10 to the maximum
//! (1000, or 100 for institutions), default 25, and above the maximum it
//! falls back to 25 (mxenabled/openapi `v20111101.yml`). Below 10 it is 10.

use serde_json::{json, Value};

use crate::engine::call::{Call, Reply};

pub const DEFAULT_PER_PAGE: i64 = 25;
pub const MIN_PER_PAGE: i64 = 10;

/// The records per page a request gets, for a list whose maximum is `max`.
pub fn per_page(requested: Option<i64>, max: i64) -> i64 {
    match requested {
        None => DEFAULT_PER_PAGE,
        Some(n) if n > max => DEFAULT_PER_PAGE,
        Some(n) => n.max(MIN_PER_PAGE),
    }
}

/// The most records per page of a list, but institutions'.
pub const MAX_PER_PAGE: i64 = 1000;

/// The paging parameters whose values beyond 64 bits MX's paging takes as
/// the largest (smallest) 64-bit integer rather than refusing them: a huge
/// `records_per_page` is above the maximum (so 25 per page, as above), a
/// huge `page` past the end (an empty page; `current_page` answers
/// `i64::MAX`, the page asked for as far as 64 bits tell it).
pub fn clamps(param: &str) -> bool {
    matches!(param, "page" | "records_per_page")
}

/// The page of a list of `total` records whose maximum per page is `max`:
/// the records to skip, the records to take, and its `pagination` object.
///
/// A list without `page` / `records_per_page` is answered whole, as one
/// page (assumption: MX documents no pagination for those lists, but the
/// Platform's answers carry a `pagination` object, which then says so:
/// page 1 of 1, at least the default per page).
pub fn window(call: &Call<'_>, total: usize, max: i64) -> (usize, usize, Value) {
    if !call.is_paged() {
        let pagination = json!({
            "current_page": 1,
            "per_page": (total as i64).max(DEFAULT_PER_PAGE),
            "total_entries": total,
            "total_pages": 1,
        });
        return (0, total, pagination);
    }
    let per = per_page(call.query_i64("records_per_page"), max);
    let current = call.query_i64("page").unwrap_or(1).max(1);
    let total = total as i64;
    let pages = ((total + per - 1) / per).max(1);
    // Saturating: a huge page number is past the end, not an overflow.
    let start = (current - 1).saturating_mul(per).min(total) as usize;
    let pagination = json!({
        "current_page": current,
        "per_page": per,
        "total_entries": total,
        "total_pages": pages,
    });
    (start, per as usize, pagination)
}

/// A list answer of `items`: the page the call asks for and its
/// `pagination` (the whole list where the operation is not paged).
pub fn list(call: &Call<'_>, items: Vec<Value>, max: i64) -> Reply {
    let total = items.len();
    let (page, pagination) = page(call, items.into_iter(), total, max);
    call.list(page, Some(pagination))
}

/// One page of the `total` `items` (only the page is collected), and its
/// `pagination` object.
pub fn page<T>(
    call: &Call<'_>,
    items: impl Iterator<Item = T>,
    total: usize,
    max: i64,
) -> (Vec<T>, Value) {
    let (skip, take, pagination) = window(call, total, max);
    (items.skip(skip).take(take).collect(), pagination)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_per_page_follows_mx() {
        assert_eq!(per_page(None, 1000), 25);
        assert_eq!(per_page(Some(1000), 1000), 1000);
        assert_eq!(per_page(Some(1001), 1000), 25);
        assert_eq!(per_page(Some(101), 100), 25);
        assert_eq!(per_page(Some(3), 1000), 10);
    }
}
