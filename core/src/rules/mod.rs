//! The domain's transition rules: pure functions of (before, patch, now), decided in one place.

pub mod onboarding;
pub mod phase;
pub mod state;

pub use onboarding::{apply_patch, PhaseChange};
