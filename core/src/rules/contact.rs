//! How a contact changes: a validated patch applied, and one primary contact per customer.

use super::required;
use crate::model::{Contact, ContactPatch, Timestamp};

/// Applies an already validated patch to `before`. `updated_at` is left to the caller, who knows
/// whether anything changed.
pub fn apply_patch(before: &Contact, patch: ContactPatch) -> Contact {
    let b = before.clone();
    Contact {
        name: required(patch.name, b.name),
        email: required(patch.email, b.email),
        title: patch.title.apply(b.title),
        phone: patch.phone.apply(b.phone),
        is_primary: required(patch.is_primary, b.is_primary),
        labels: required(patch.labels, b.labels),
        ..b
    }
}

/// Whether a new contact is primary: when asked to be, or when the customer has no primary
/// contact (the first contact becomes primary).
pub fn primary_on_create(requested: Option<bool>, customer_has_primary: bool) -> bool {
    requested == Some(true) || !customer_has_primary
}

/// Whether a contact takes the primary role, given whether it was primary before the change
/// (`false` for a new contact) and is after it: the customer's current primary contact, if any,
/// is then demoted.
pub fn takes_primary(was_primary: bool, is_primary: bool) -> bool {
    is_primary && !was_primary
}

/// The customer's previous primary contact, demoted at `now`.
pub fn demoted(previous: &Contact, now: Timestamp) -> Contact {
    Contact {
        is_primary: false,
        updated_at: now,
        ..previous.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::parse_instant;
    use crate::model::Patch;

    fn at(s: &str) -> Timestamp {
        parse_instant(s).unwrap()
    }

    fn sample(is_primary: bool) -> Contact {
        let t = at("2024-01-01T00:00:00Z");
        Contact {
            id: "con_1".into(),
            display_id: 1,
            customer_id: "cus_1".into(),
            name: "Ada".into(),
            email: "ada@acme.com".into(),
            title: Some("CTO".into()),
            phone: None,
            is_primary,
            labels: vec!["vip".into()],
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn a_patch_sets_clears_and_leaves_fields() {
        let patch = ContactPatch {
            title: Patch::Clear,
            phone: Patch::Set("+1 555".into()),
            labels: Patch::Set(vec![]),
            ..Default::default()
        };
        let after = apply_patch(&sample(false), patch);
        assert_eq!(after.title, None);
        assert_eq!(after.phone.as_deref(), Some("+1 555"));
        assert!(after.labels.is_empty());
        assert_eq!(after.name, "Ada");
        assert!(!after.is_primary);
        assert_eq!(
            apply_patch(&sample(true), ContactPatch::default()),
            sample(true)
        );
    }

    #[test]
    fn the_first_contact_or_one_asking_becomes_primary() {
        assert!(primary_on_create(None, false));
        assert!(primary_on_create(Some(false), false));
        assert!(primary_on_create(Some(true), true));
        assert!(!primary_on_create(None, true));
        assert!(!primary_on_create(Some(false), true));
    }

    #[test]
    fn only_becoming_primary_demotes_the_previous_one() {
        assert!(takes_primary(false, true));
        assert!(!takes_primary(false, false));
        assert!(!takes_primary(true, true));
        assert!(!takes_primary(true, false));
    }

    #[test]
    fn demotion_clears_the_flag_at_now() {
        let now = at("2024-02-01T00:00:00Z");
        let d = demoted(&sample(true), now);
        assert!(!d.is_primary);
        assert_eq!(d.updated_at, now);
        assert_eq!(
            Contact {
                is_primary: true,
                updated_at: sample(true).updated_at,
                ..d
            },
            sample(true)
        );
    }
}
