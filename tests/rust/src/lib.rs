//! Scenario runner (to come).
