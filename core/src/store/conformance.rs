//! The store conformance suite (to come).
