//! How a customer changes: defaults at creation, a validated patch applied, and the churn rule.

use super::required;
use crate::model::{Customer, CustomerPatch, Onboarding, OnboardingPatch, Patch, Phase, State};
use crate::validate;

/// The slug derived from a name; `customer-<display_id>` when the name has no letters or digits.
pub fn derived_slug(name: &str, display_id: i64) -> String {
    let slug = validate::derive_slug(name);
    if slug.is_empty() {
        format!("customer-{display_id}")
    } else {
        slug
    }
}

/// Applies an already validated patch to `before`. `updated_at` is left to the caller, who knows
/// whether anything changed.
pub fn apply_patch(before: &Customer, patch: CustomerPatch) -> Customer {
    let b = before.clone();
    Customer {
        name: required(patch.name, b.name),
        slug: required(patch.slug, b.slug),
        domain: patch.domain.apply(b.domain),
        status: required(patch.status, b.status),
        plan: patch.plan.apply(b.plan),
        mrr: patch.mrr.apply(b.mrr),
        monthly_orders: patch.monthly_orders.apply(b.monthly_orders),
        hubspot_company_id: patch.hubspot_company_id.apply(b.hubspot_company_id),
        hubspot_deal_id: patch.hubspot_deal_id.apply(b.hubspot_deal_id),
        stripe_customer_id: patch.stripe_customer_id.apply(b.stripe_customer_id),
        intercom_company_id: patch.intercom_company_id.apply(b.intercom_company_id),
        slack_channel_id: patch.slack_channel_id.apply(b.slack_channel_id),
        metadata: required(patch.metadata, b.metadata),
        ..b
    }
}

/// Whether an update makes the customer churn: its status becomes `churned`.
pub fn churns(before: &Customer, after: &Customer) -> bool {
    use crate::model::CustomerStatus::Churned;
    after.status == Churned && before.status != Churned
}

/// The churn rule, for one of the churning customer's onboardings: the patch that pauses it, or
/// `None` when it is completed or already paused.
pub fn churn_pause(onboarding: &Onboarding) -> Option<OnboardingPatch> {
    (onboarding.phase != Phase::Completed && onboarding.state != State::Paused).then(|| {
        OnboardingPatch {
            state: Patch::Set(State::Paused),
            ..Default::default()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::parse_instant;
    use crate::model::CustomerStatus;

    fn sample() -> Customer {
        let t = parse_instant("2024-01-01T00:00:00Z").unwrap();
        Customer {
            id: "cus_1".into(),
            display_id: 1,
            name: "Acme".into(),
            slug: "acme".into(),
            domain: Some("acme.com".into()),
            status: CustomerStatus::Active,
            plan: Some("pro".into()),
            mrr: Some(100),
            monthly_orders: None,
            hubspot_company_id: None,
            hubspot_deal_id: None,
            stripe_customer_id: None,
            intercom_company_id: None,
            slack_channel_id: None,
            metadata: Default::default(),
            created_at: t,
            updated_at: t,
        }
    }

    fn onboarding(phase: Phase, state: State) -> Onboarding {
        let t = parse_instant("2024-01-01T00:00:00Z").unwrap();
        Onboarding {
            id: "onb_1".into(),
            display_id: 1,
            customer_id: "cus_1".into(),
            template_id: None,
            phase,
            state,
            started_at: t,
            completed_at: None,
            target_launch_date: None,
            csm_id: None,
            se_id: None,
            designer_id: None,
            product_ops_id: None,
            notes: None,
            waiting_on_customer: state == State::Waiting,
            waiting_on_customer_since: (state == State::Waiting).then_some(t),
            wizard_completed_at: None,
            reminder_email: true,
            reminder_slack: true,
            reminder_frequency_days: 1,
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn a_patch_sets_clears_and_leaves_fields() {
        let patch = CustomerPatch {
            name: Patch::Set("Acme Inc".into()),
            domain: Patch::Clear,
            mrr: Patch::Set(250),
            ..Default::default()
        };
        let after = apply_patch(&sample(), patch);
        assert_eq!(after.name, "Acme Inc");
        assert_eq!(after.domain, None);
        assert_eq!(after.mrr, Some(250));
        assert_eq!(after.plan.as_deref(), Some("pro"));
        assert_eq!(after.slug, "acme");
        assert_eq!(after.updated_at, sample().updated_at);
        assert_eq!(apply_patch(&sample(), CustomerPatch::default()), sample());
    }

    #[test]
    fn churning_is_becoming_churned() {
        let mut churned = sample();
        churned.status = CustomerStatus::Churned;
        assert!(churns(&sample(), &churned));
        assert!(!churns(&churned, &churned));
        assert!(!churns(&sample(), &sample()));
    }

    #[test]
    fn churn_pauses_open_onboardings_only() {
        let paused = Some(State::Paused);
        let pause = |o: &Onboarding| {
            churn_pause(o).map(|p| match p.state {
                Patch::Set(s) => Some(s),
                _ => None,
            })
        };
        assert_eq!(
            pause(&onboarding(Phase::Launch, State::Active)),
            Some(paused)
        );
        assert_eq!(
            pause(&onboarding(Phase::Review, State::Waiting)),
            Some(paused)
        );
        assert_eq!(
            pause(&onboarding(Phase::Review, State::AtRisk)),
            Some(paused)
        );
        assert_eq!(pause(&onboarding(Phase::Completed, State::Active)), None);
        assert_eq!(pause(&onboarding(Phase::Review, State::Paused)), None);
        let patch = churn_pause(&onboarding(Phase::Review, State::Active)).unwrap();
        assert_eq!(
            patch,
            OnboardingPatch {
                state: Patch::Set(State::Paused),
                ..Default::default()
            }
        );
    }

    #[test]
    fn slugs_derive_from_names_or_the_display_id() {
        assert_eq!(derived_slug("Café Zürich", 7), "cafe-zurich");
        assert_eq!(derived_slug("!!!", 7), "customer-7");
    }
}
