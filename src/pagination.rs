//! Pagination: the items of every page of a list operation as one stream.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use crate::error::Error;

/// The `pagination` object of a list answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pagination {
    /// `current_page`: the number of this page, from 1.
    pub current_page: Option<i64>,
    /// `per_page`: the most records a page holds (the request's
    /// `records_per_page`, or MX's default).
    pub per_page: Option<i64>,
    /// `total_entries`: the records of the list over all its pages.
    pub total_entries: Option<i64>,
    /// `total_pages`: the pages of the list.
    pub total_pages: Option<i64>,
}

/// One page of a list answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page's records (e.g. the `members` of a list members answer).
    pub items: Vec<T>,
    /// `None` when the answer had no `pagination` (older Atrium answers).
    pub pagination: Option<Pagination>,
}

/// The stream of every item of a list operation, boxed: what a list
/// builder's `stream_all()` returns, for a field or a return type that has
/// to name it (`Box::pin(builder.stream_all())`).
pub type PageStream<'a, T> =
    Pin<Box<dyn futures_core::Stream<Item = Result<T, Error>> + Send + 'a>>;

/// The stream `stream_all()` returns: the pages' items, fetched as it is
/// polled. `Unpin` (it boxes its state at the first poll), so `next()`
/// takes it as it is; its code is compiled where it is polled, for the
/// lists a program reads.
#[must_use = "a stream fetches nothing until it is polled"]
pub struct Pages<St> {
    start: Option<St>,
    running: Option<Pin<Box<St>>>,
}

impl<St> std::fmt::Debug for Pages<St> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("started", &self.running.is_some())
            .finish()
    }
}

// `start` is never pinned where it is: it is moved into a box before its
// first poll.
impl<St> Unpin for Pages<St> {}

impl<St: futures_core::Stream> futures_core::Stream for Pages<St> {
    type Item = St::Item;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<St::Item>> {
        let this = self.get_mut();
        if let Some(start) = this.start.take() {
            this.running = Some(Box::pin(start));
        }
        match &mut this.running {
            Some(stream) => stream.as_mut().poll_next(cx),
            None => std::task::Poll::Ready(None),
        }
    }
}

struct PagerState<B, F, P, T> {
    builder: B,
    fetch: F,
    /// Reads a page's items and pagination from its answer.
    page: P,
    next_page: Option<i64>,
    last_seen: Option<i64>,
    /// The first item of the last page: a page that starts with it again
    /// is the same page.
    last_first: Option<T>,
    /// Items fetched so far, against `total_entries`.
    fetched: i64,
    buffer: VecDeque<T>,
}

/// Streams the items of every page: `fetch(builder, n)` sends the request
/// for page `n` (from 1), `page(answer)` reads its items and pagination.
/// Stops after the last page (`current_page >= total_pages`, or
/// `total_entries` items), when a page comes back empty or short, when the
/// server answers a page it already answered (a `current_page` not past the
/// last one, or the same first item: a server that ignores `page` cannot make
/// it loop forever), and after the first page when the answer has no
/// `pagination`.
pub fn paginate<'a, B, T, R, F, Fut, P>(
    builder: B,
    fetch: F,
    page: P,
) -> Pages<impl futures_core::Stream<Item = Result<T, Error>> + Send + 'a>
where
    B: Clone + Send + 'a,
    T: Clone + PartialEq + Send + 'a,
    R: Send + 'a,
    F: Fn(B, i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<progenitor_client::ResponseValue<R>, Error>> + Send + 'a,
    P: Fn(R) -> Page<T> + Send + 'a,
{
    let state = PagerState {
        builder,
        fetch,
        page,
        next_page: Some(1),
        last_seen: None,
        last_first: None,
        fetched: 0,
        buffer: VecDeque::new(),
    };
    let stream = futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.pop_front() {
                return Some((Ok(item), s));
            }
            let page = s.next_page.take()?;
            let fetched = match (s.fetch)(s.builder.clone(), page).await {
                Ok(answer) => (s.page)(answer.into_inner()),
                Err(e) => return Some((Err(e), s)),
            };
            let Some(p) = fetched.pagination else {
                // No pagination object: a single page.
                s.buffer.extend(fetched.items);
                continue;
            };
            let current = p.current_page.unwrap_or(page);
            let repeated = s.last_seen.is_some_and(|last| current <= last)
                || (s.last_first.is_some() && s.last_first.as_ref() == fetched.items.first());
            if repeated {
                // The server repeated a page: stop rather than loop.
                return None;
            }
            s.last_seen = Some(current);
            s.last_first = fetched.items.first().cloned();
            s.fetched = s.fetched.saturating_add(fetched.items.len() as i64);
            let more = match (p.total_pages, p.total_entries) {
                (Some(total), _) => current < total,
                (None, Some(total)) => s.fetched < total,
                (None, None) => p
                    .per_page
                    .is_some_and(|per| fetched.items.len() as i64 >= per),
            };
            if more && !fetched.items.is_empty() {
                s.next_page = current.checked_add(1);
            }
            s.buffer.extend(fetched.items);
        }
    });
    Pages {
        start: Some(stream),
        running: None,
    }
}
