//! Lists that page themselves. `customer_pages`, `contact_pages`, `onboarding_pages`,
//! `timeline_pages` and `event_pages` on the store return a pager whose `next_page()` fetches one
//! page after the other, following the core's `has_more` and `next_cursor`; the Kotlin and Swift
//! sequences (`allCustomers()`, …) only flatten those pages, so the paging rule lives here once.

use crate::error::{guard, PivotalError};
use crate::types::{Bridge, Contact, Customer, Event, Onboarding};
use pivotal_core::{Page, Pivotal};
use std::sync::Mutex;

/// Fetches the page that starts at `cursor` (the first page when `None`).
type Fetch<T> = Box<dyn Fn(&Pivotal, Option<&str>) -> pivotal_core::Result<Page<T>> + Send + Sync>;

struct State<T> {
    /// The first page, fetched when the pager was made and not yet handed out.
    first: Option<Vec<T>>,
    next_cursor: Option<String>,
    done: bool,
}

/// The pages of one list, fetched one at a time with the session they were asked with.
pub(crate) struct Pager<T> {
    db: Pivotal,
    fetch: Fetch<T>,
    state: Mutex<State<T>>,
}

impl<T> Pager<T> {
    /// Fetches the first page now, so that a bad filter fails where the list is asked for.
    pub(crate) fn start(db: &Pivotal, fetch: Fetch<T>) -> pivotal_core::Result<Self> {
        let page = fetch(db, None)?;
        Ok(Self {
            db: db.clone(),
            state: Mutex::new(State {
                first: Some(page.data),
                done: !page.has_more || page.next_cursor.is_none(),
                next_cursor: page.next_cursor,
            }),
            fetch,
        })
    }

    /// The next page's records; `None` once the last page has been handed out.
    fn next(&self) -> pivotal_core::Result<Option<Vec<T>>> {
        // A fetch cannot panic while the lock is held (it would become an error first), but a
        // poisoned lock still holds a consistent state: take it.
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(first) = state.first.take() {
            return Ok(Some(first));
        }
        if state.done {
            return Ok(None);
        }
        let page = (self.fetch)(&self.db, state.next_cursor.as_deref())?;
        state.done = !page.has_more || page.next_cursor.is_none();
        state.next_cursor = page.next_cursor;
        Ok(Some(page.data))
    }
}

/// The events list pages by sequence: its `next_cursor` is the `after_sequence` of the next page.
pub(crate) fn after_sequence(cursor: &str) -> pivotal_core::Result<i64> {
    cursor
        .parse()
        .map_err(|_| pivotal_core::Error::internal(format!("bad events cursor `{cursor}`")))
}

macro_rules! pager {
    ($(#[$doc:meta])* $name:ident => $record:ident) => {
        $(#[$doc])*
        #[derive(uniffi::Object)]
        pub struct $name(pub(crate) Pager<<$record as Bridge>::Core>);

        #[uniffi::export]
        impl $name {
            /// The next page's records, in the list's order; null once every page has been read.
            pub fn next_page(&self) -> Result<Option<Vec<$record>>, PivotalError> {
                guard(|| Ok(self.0.next()?.map(Vec::from_core)))
            }
        }
    };
}

pager! {
    /// Every customer of a `customer_pages` call, one page at a time.
    CustomerPages => Customer
}

pager! {
    /// Every contact of a `contact_pages` call, one page at a time.
    ContactPages => Contact
}

pager! {
    /// Every onboarding of an `onboarding_pages` call, one page at a time.
    OnboardingPages => Onboarding
}

pager! {
    /// Every event of a `timeline_pages` or `event_pages` call, one page at a time.
    EventPages => Event
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_events_cursor_is_a_sequence_number() {
        assert_eq!(after_sequence("42").unwrap(), 42);
        let e = after_sequence("cur_x").unwrap_err();
        assert_eq!(e.code.as_str(), "internal");
    }

    #[test]
    fn a_pager_hands_out_each_page_once_then_none() {
        let db = Pivotal::open_in_memory().unwrap();
        for i in 0..5 {
            let params = pivotal_core::CustomerParams {
                name: format!("Customer {i}"),
                ..Default::default()
            };
            db.customers().create(params, None).unwrap();
        }
        let params = pivotal_core::CustomerListParams {
            limit: Some(2),
            ..Default::default()
        };
        let pager = Pager::start(
            &db,
            Box::new(move |db, cursor| {
                let mut p = params.clone();
                p.cursor = cursor.map(str::to_owned);
                db.customers().list(&p)
            }),
        )
        .unwrap();
        let mut sizes = Vec::new();
        let mut ids = std::collections::HashSet::new();
        while let Some(page) = pager.next().unwrap() {
            sizes.push(page.len());
            ids.extend(page.into_iter().map(|c| c.id));
        }
        assert_eq!(sizes, [2, 2, 1]);
        assert_eq!(ids.len(), 5);
        assert!(pager.next().unwrap().is_none());
    }
}
