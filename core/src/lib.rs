//! # pivotal-core
//!
//! The Pivotal customer-onboarding domain as an embeddable library.

pub mod error;
pub mod model;
pub mod store;

pub use error::{Error, ErrorCode, ErrorType, Result};
pub use model::*;
