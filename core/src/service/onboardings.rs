//! Onboarding operations: phases, states, transitions and their events.

use super::context::{only, previous_attributes, Ctx};
use super::paging::{self, ListParams};
use super::{resolve, Pivotal};
use crate::error::Result;
use crate::model::{
    Deleted, EventType, IdKind, Onboarding, OnboardingParams, OnboardingPatch, Page, Patch, Phase,
    PhaseTransition, State, Timestamp,
};
use crate::rules;
use crate::rules::limits::{NOTES_MAX, REMINDER_FREQUENCY_DAYS_MAX, USER_REF_MAX};
use crate::store::{DisplayKind, OnboardingFilter};
use crate::validate;

/// The default page size of the onboardings list.
const DEFAULT_LIMIT: usize = 25;

/// Filters and paging of `onboardings.list`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnboardingListParams {
    /// Only this customer's onboardings (id or display id).
    pub customer_id: Option<String>,
    /// Only onboardings in this phase.
    pub phase: Option<Phase>,
    /// Only onboardings in this state.
    pub state: Option<State>,
    /// Records per page, 1–100 (default 25).
    pub limit: Option<i64>,
    /// The previous page's `next_cursor`, or an RFC 3339 instant.
    pub cursor: Option<String>,
}

/// Onboarding operations of one session.
#[derive(Debug, Clone, Copy)]
pub struct Onboardings<'a> {
    pub(super) db: &'a Pivotal,
}

impl<'a> Onboardings<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// Creates an onboarding for `params.customer_id`, in any phase (no transition is recorded).
    pub fn create(
        &self,
        params: OnboardingParams,
        idempotency_key: Option<&str>,
    ) -> Result<Onboarding> {
        self.db
            .create_once("onboardings.create", idempotency_key, &params, |ctx| {
                create(ctx, &params)
            })
    }

    /// The onboarding with this id or display id.
    pub fn retrieve(&self, reference: &str) -> Result<Onboarding> {
        self.db.read(|ctx| resolve::onboarding(ctx, reference))
    }

    /// Applies a patch under the phase rules and the waiting invariant.
    pub fn update(&self, reference: &str, patch: OnboardingPatch) -> Result<Onboarding> {
        self.db.write(|ctx| {
            let before = resolve::onboarding(ctx, reference)?;
            update_in_tx(ctx, before, patch.clone())
        })
    }

    /// Soft-deletes an onboarding.
    pub fn delete(&self, reference: &str) -> Result<Deleted> {
        self.db.write(|ctx| {
            let o = resolve::onboarding(ctx, reference)?;
            ctx.tx.delete_onboarding(ctx.scope, &o.id, ctx.now)?;
            ctx.emit(
                EventType::OnboardingDeleted,
                &o.id,
                &o.customer_id,
                &o,
                None,
            )?;
            Ok(Deleted {
                id: o.id,
                display_id: o.display_id,
                deleted: true,
            })
        })
    }

    /// One page of onboardings, newest first.
    pub fn list(&self, params: &OnboardingListParams) -> Result<Page<Onboarding>> {
        let paging = ListParams {
            limit: params.limit,
            cursor: params.cursor.clone(),
        };
        let (request, limit) = paging::request(&paging, DEFAULT_LIMIT)?;
        let rows = self.db.read(|ctx| {
            let customer_id = match &params.customer_id {
                Some(r) => Some(resolve::customer(ctx, r, Some("customer_id"))?.id),
                None => None,
            };
            let filter = OnboardingFilter {
                customer_id,
                phase: params.phase,
                state: params.state,
            };
            ctx.tx.list_onboardings(ctx.scope, &filter, &request)
        })?;
        Ok(paging::page(rows, limit, |o| (o.created_at, &o.id)))
    }

    /// All of a customer's onboardings, newest first, in one page.
    pub fn list_for_customer(&self, customer: &str) -> Result<Page<Onboarding>> {
        let data = self.db.read(|ctx| {
            let customer = resolve::customer(ctx, customer, None)?;
            ctx.tx.customer_onboardings(ctx.scope, &customer.id)
        })?;
        Ok(Page {
            data,
            has_more: false,
            next_cursor: None,
        })
    }

    /// The onboarding's phase transitions, oldest first.
    pub fn transitions(&self, reference: &str) -> Result<Vec<PhaseTransition>> {
        self.db.read(|ctx| {
            let o = resolve::onboarding(ctx, reference)?;
            ctx.tx.transitions(ctx.scope, &o.id)
        })
    }
}

/// Creates one onboarding inside the current transaction (single creates and `create_many`).
pub(crate) fn create(ctx: &mut Ctx<'_>, p: &OnboardingParams) -> Result<Onboarding> {
    let customer = resolve::customer(ctx, &p.customer_id, Some("customer_id"))?;
    let mut o = validated(p, customer.id, ctx.now)?;
    o.id = ctx.new_id(IdKind::Onboarding);
    rules::onboarding::initialise(&mut o, p.phase, p.state, p.waiting_on_customer, ctx.now)?;
    o.display_id = ctx
        .tx
        .next_display_id(&ctx.scope.workspace_id, DisplayKind::Onboarding)?;
    ctx.tx.insert_onboarding(ctx.scope, &o)?;
    super::analytics::record_history(ctx, None, &o)?;
    ctx.emit(
        EventType::OnboardingCreated,
        &o.id,
        &o.customer_id,
        &o,
        None,
    )?;
    Ok(o)
}

/// The onboarding `p` describes for the customer `customer_id`, every field checked and defaulted
/// as on create, created and updated at `at` (also the default `started_at`), with an empty `id`,
/// display id 0, and the phase, state and waiting fields at their defaults (the caller resolves
/// them). Nothing is read or written.
pub(crate) fn validated(
    p: &OnboardingParams,
    customer_id: String,
    at: Timestamp,
) -> Result<Onboarding> {
    let user = |field: &str, v: &Option<String>| {
        validate::optional_text(field, v.as_deref(), USER_REF_MAX)
    };
    let template_id = user("template_id", &p.template_id)?;
    let csm_id = user("csm_id", &p.csm_id)?;
    let se_id = user("se_id", &p.se_id)?;
    let designer_id = user("designer_id", &p.designer_id)?;
    let product_ops_id = user("product_ops_id", &p.product_ops_id)?;
    let notes = validate::optional_text("notes", p.notes.as_deref(), NOTES_MAX)?;
    let frequency = p.reminder_frequency_days.unwrap_or(1);
    validate::int_range(
        "reminder_frequency_days",
        frequency,
        0,
        Some(REMINDER_FREQUENCY_DAYS_MAX),
    )?;
    Ok(Onboarding {
        id: String::new(),
        display_id: 0,
        customer_id,
        template_id,
        phase: Phase::BeforeGettingStarted,
        state: State::Active,
        started_at: instant("started_at", p.started_at)?.unwrap_or(at),
        completed_at: None,
        target_launch_date: instant("target_launch_date", p.target_launch_date)?,
        csm_id,
        se_id,
        designer_id,
        product_ops_id,
        notes,
        waiting_on_customer: false,
        waiting_on_customer_since: None,
        wizard_completed_at: instant("wizard_completed_at", p.wizard_completed_at)?,
        reminder_email: p.reminder_email.unwrap_or(true),
        reminder_slack: p.reminder_slack.unwrap_or(true),
        reminder_frequency_days: frequency,
        created_at: at,
        updated_at: at,
    })
}

/// An optional typed instant, checked by [`validate::instant`].
fn instant(field: &str, t: Option<Timestamp>) -> Result<Option<Timestamp>> {
    t.map(|t| validate::instant(field, t)).transpose()
}

/// A patched typed instant, checked by [`validate::instant`].
fn patch_instant(field: &str, p: Patch<Timestamp>) -> Result<Patch<Timestamp>> {
    p.map(|t| validate::instant(field, t)).transpose()
}

fn validate_patch(p: OnboardingPatch) -> Result<OnboardingPatch> {
    let user = |field: &str, v: Patch<String>| validate::patch_text(field, v, USER_REF_MAX);
    Ok(OnboardingPatch {
        template_id: user("template_id", p.template_id)?,
        phase: validate::patch_not_null("phase", p.phase)?,
        state: validate::patch_not_null("state", p.state)?,
        started_at: patch_instant(
            "started_at",
            validate::patch_not_null("started_at", p.started_at)?,
        )?,
        target_launch_date: patch_instant("target_launch_date", p.target_launch_date)?,
        csm_id: user("csm_id", p.csm_id)?,
        se_id: user("se_id", p.se_id)?,
        designer_id: user("designer_id", p.designer_id)?,
        product_ops_id: user("product_ops_id", p.product_ops_id)?,
        notes: validate::patch_text("notes", p.notes, NOTES_MAX)?,
        waiting_on_customer: validate::patch_not_null(
            "waiting_on_customer",
            p.waiting_on_customer,
        )?,
        wizard_completed_at: patch_instant("wizard_completed_at", p.wizard_completed_at)?,
        reminder_email: validate::patch_not_null("reminder_email", p.reminder_email)?,
        reminder_slack: validate::patch_not_null("reminder_slack", p.reminder_slack)?,
        reminder_frequency_days: validate::patch_not_null(
            "reminder_frequency_days",
            p.reminder_frequency_days,
        )?
        .map(|v| {
            validate::int_range(
                "reminder_frequency_days",
                v,
                0,
                Some(REMINDER_FREQUENCY_DAYS_MAX),
            )
        })
        .transpose()?,
        reason: p.reason,
    })
}

/// Updates a resolved onboarding inside the current transaction: the rules, the record, its phase
/// transition and every event that applies. Also used by the churn rule.
pub(crate) fn update_in_tx(
    ctx: &mut Ctx<'_>,
    before: Onboarding,
    patch: OnboardingPatch,
) -> Result<Onboarding> {
    let (mut after, change) = rules::apply_patch(&before, validate_patch(patch)?, ctx.now)?;
    let previous = previous_attributes(&before, &after)?;
    if previous.is_empty() {
        return Ok(before);
    }
    after.updated_at = ctx.now;
    ctx.tx.update_onboarding(ctx.scope, &after)?;
    super::analytics::record_history(ctx, Some(&before), &after)?;
    if let Some(change) = &change {
        let transition = PhaseTransition {
            id: ctx.new_id(IdKind::PhaseTransition),
            onboarding_id: after.id.clone(),
            from_phase: change.from,
            to_phase: change.to,
            actor: ctx.actor.to_owned(),
            reason: change.reason.clone(),
            created_at: ctx.now,
        };
        ctx.tx.insert_transition(ctx.scope, &transition)?;
    }
    emit_update_events(ctx, &before, &after, previous)?;
    Ok(after)
}

/// `onboarding.updated`, then each specific event the change implies, each with its own field.
fn emit_update_events(
    ctx: &mut Ctx<'_>,
    before: &Onboarding,
    after: &Onboarding,
    previous: serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    let (id, customer) = (after.id.as_str(), after.customer_id.as_str());
    ctx.emit(
        EventType::OnboardingUpdated,
        id,
        customer,
        after,
        Some(previous),
    )?;
    let mut specific = Vec::new();
    if before.phase != after.phase {
        let attrs = only("phase", &before.phase)?;
        specific.push((EventType::OnboardingPhaseChanged, attrs.clone()));
        match after.phase {
            Phase::Launch => specific.push((EventType::OnboardingLaunched, attrs)),
            Phase::Completed => specific.push((EventType::OnboardingCompleted, attrs)),
            _ => {}
        }
    }
    if before.state != after.state {
        let attrs = only("state", &before.state)?;
        specific.push((EventType::OnboardingStateChanged, attrs.clone()));
        if after.state == State::AtRisk {
            specific.push((EventType::OnboardingAtRisk, attrs));
        } else if before.state == State::AtRisk && after.state == State::Active {
            specific.push((EventType::OnboardingBackOnTrack, attrs));
        }
    }
    for (event_type, attrs) in specific {
        ctx.emit(event_type, id, customer, after, Some(attrs))?;
    }
    Ok(())
}
