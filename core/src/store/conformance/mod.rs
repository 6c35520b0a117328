//! The store conformance suite: the checks every [`Store`] implementation must pass.
//!
//! Each check is a public function taking a fresh, empty store. [`store_conformance_tests!`]
//! expands to one `#[test]` per check, given an expression that makes such a store:
//!
//! ```ignore
//! #[cfg(test)]
//! mod tests {
//!     pivotal_core::store_conformance_tests!(|| MyStore::open_in_memory().expect("store opens"));
//! }
//! ```
//!
//! Out-of-tree stores get the suite with the crate's `conformance` feature. The checks talk to the
//! store through [`Tx`] only, in the order a service would (workspaces first, parents before
//! children, display ids taken from the counters), so stores with foreign keys pass too.
//!
//! [`store_conformance_tests!`]: crate::store_conformance_tests
//! [`Tx`]: crate::store::Tx

pub mod fixtures;
mod support;

mod contacts;
mod customers;
mod events;
mod history;
mod idempotency;
mod import;
mod integrity;
mod isolation;
mod keys;
mod lists;
mod onboardings;
mod pagination;
mod report;
mod timestamps;
mod transactions;
mod visibility;
mod workspaces;

pub use contacts::*;
pub use customers::*;
pub use events::*;
pub use history::*;
pub use idempotency::*;
pub use import::*;
pub use integrity::*;
pub use isolation::*;
pub use keys::*;
pub use lists::*;
pub use onboardings::*;
pub use pagination::*;
pub use report::*;
pub use timestamps::*;
pub use transactions::*;
pub use visibility::*;
pub use workspaces::*;

use crate::store::Store;

/// Expands to one `#[test]` per conformance check, each running against a fresh store made by the
/// given closure (returning a `Store` or a `Box<dyn Store>`). With `ignore = "reason";` before the
/// closure, every test is `#[ignore = "reason"]` (a store that needs a server, say).
#[macro_export]
macro_rules! store_conformance_tests {
    (ignore = $why:literal; $make:expr $(,)?) => {
        $crate::store_conformance_tests!(@tests [ignore = $why] $make; @checks);
    };
    ($make:expr $(,)?) => {
        $crate::store_conformance_tests!(@tests [] $make; @checks);
    };
    (@tests $attrs:tt $make:expr; @checks) => {
        $crate::store_conformance_tests!(@tests $attrs $make;
            check_workspaces,
            check_workspace_slugs_are_unique,
            check_display_ids_per_workspace_and_kind,
            check_display_ids_never_reused,
            check_customer_round_trip,
            check_customer_update,
            check_customer_soft_delete,
            check_contact_round_trip,
            check_contact_update_and_delete,
            check_onboarding_round_trip,
            check_onboarding_update_and_delete,
            check_deleted_customer_hides_children,
            check_scope_isolation,
            check_updates_keep_fixed_fields,
            check_same_id_in_two_scopes,
            check_integrity_constraints,
            check_rollback_on_error,
            check_read_refuses_mutations,
            check_list_customers_order_and_cursors,
            check_list_customers_filters,
            check_list_contacts_order_and_cursors,
            check_list_onboardings_filters_and_cursors,
            check_customer_onboardings_returns_all,
            check_contacts_by_email_and_primary,
            check_transitions_order,
            check_event_sequences_and_scope_fields,
            check_event_filters,
            check_timeline,
            check_idempotency_entries,
            check_forget_idempotency_entries,
            check_api_keys,
            check_extreme_timestamps,
            check_concurrent_writers,
            check_pagination_property,
            check_history_append_and_read,
            check_history_rollback,
            check_report_hand_computed,
            check_report_matches_reference,
            check_raise_display_id,
            check_display_id_owner,
            check_record_exists,);
    };
    (@tests $attrs:tt $make:expr; $($check:ident),* $(,)?) => {
        $($crate::store_conformance_tests!(@test $attrs $make; $check);)*
    };
    (@test [$($attr:meta)?] $make:expr; $check:ident) => {
        #[test]
        $(#[$attr])?
        // `|| MyStore::new()` reads naturally even where `MyStore::new` would do.
        #[allow(clippy::redundant_closure)]
        fn $check() {
            $crate::store::conformance::run($make, $crate::store::conformance::$check);
        }
    };
}

/// What the suite can run against: a store, or a boxed one.
pub trait AsStore {
    /// The store to check.
    fn as_store(&self) -> &dyn Store;
}

impl<S: Store> AsStore for S {
    fn as_store(&self) -> &dyn Store {
        self
    }
}

impl AsStore for Box<dyn Store> {
    fn as_store(&self) -> &dyn Store {
        self.as_ref()
    }
}

/// Makes a store with `make` and runs `check` against it.
pub fn run<S: AsStore>(make: impl FnOnce() -> S, check: fn(&dyn Store)) {
    let store = make();
    check(store.as_store());
}
