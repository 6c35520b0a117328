//! The domain's rules: pure functions of (before, patch, now), decided in one place, and the
//! bounds of every input ([`limits`]).

pub mod contact;
pub mod customer;
pub mod limits;
pub mod onboarding;
pub mod phase;
pub mod state;

pub use onboarding::{apply_patch, PhaseChange};

use crate::model::Patch;

/// The value of a non-nullable field after a validated patch (validation refused `Clear`): the
/// value set, else the current one.
fn required<T>(patch: Patch<T>, current: T) -> T {
    match patch {
        Patch::Set(v) => v,
        Patch::Unchanged | Patch::Clear => current,
    }
}
