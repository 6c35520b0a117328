//! Analytics operations (docs/reference.md#analytics): one onboarding's metrics and the workspace report, as of an
//! instant; and the history they are computed from, recorded with every change.

use super::context::Ctx;
use super::{resolve, Pivotal};
use crate::analytics::{
    summarize, NewHistoryEntry, OnboardingMetrics, ReportQuery, Snapshot, WorkspaceReport, DAY_MS,
};
use crate::error::{Error, ErrorCode, Result};
use crate::model::time::{format, to_millis};
use crate::model::{Onboarding, Timestamp};
use crate::rules::limits::{STALLED_AFTER_DAYS_MAX, USER_REF_MAX};
use crate::validate;

/// What the workspace report covers. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkspaceReportParams {
    /// The instant of the report (default: now, by the injected clock).
    pub as_of: Option<Timestamp>,
    /// Only this customer's onboardings (id or display id of a visible customer).
    pub customer_id: Option<String>,
    /// Only onboardings whose CSM was this one at `as_of`.
    pub csm_id: Option<String>,
    /// Only onboardings whose template was this one at `as_of`.
    pub template_id: Option<String>,
    /// Count as stalled the open onboardings whose SLA time in their current phase is above this
    /// many days (0–36,500; fractions allowed). No count without it.
    pub stalled_after_days: Option<f64>,
}

/// Analytics of one session's workspace and mode.
#[derive(Debug, Clone, Copy)]
pub struct Analytics<'a> {
    db: &'a Pivotal,
}

impl<'a> Analytics<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// The metrics of the onboarding with this id or display id, as of `as_of` (default: now).
    ///
    /// `not_found/onboarding_not_found` for an onboarding that is not visible, or that did not
    /// exist yet at `as_of`.
    pub fn onboarding(
        &self,
        reference: &str,
        as_of: Option<Timestamp>,
    ) -> Result<OnboardingMetrics> {
        let as_of = match as_of {
            Some(t) => to_millis(t),
            None => self.db.now()?,
        };
        self.db.read(|ctx| {
            let onboarding = resolve::onboarding(ctx, reference)?;
            let history = ctx.tx.onboarding_history(ctx.scope, &onboarding.id)?;
            let summary = summarize(&history, as_of).ok_or_else(|| {
                Error::new(
                    ErrorCode::OnboardingNotFound,
                    format!(
                        "onboarding `{reference}` did not exist yet at {}",
                        format(&as_of)
                    ),
                )
            })?;
            Ok(OnboardingMetrics::new(&onboarding, as_of, &summary))
        })
    }

    /// The report over the workspace's onboardings (in the session's mode) as of
    /// `params.as_of` (default: now), filtered as `params` says.
    ///
    /// Errors: `not_found/customer_not_found` (field `customer_id`) for a customer that is not
    /// visible; `too_long` for a CSM or template id over 64 characters; `too_small` / `too_large` /
    /// `invalid_type` (field `stalled_after_days`) for a threshold below 0, above 36,500 or not
    /// a finite number.
    pub fn workspace(&self, params: &WorkspaceReportParams) -> Result<WorkspaceReport> {
        let as_of = match params.as_of {
            Some(t) => to_millis(t),
            None => self.db.now()?,
        };
        let csm_id = validate::optional_text("csm_id", params.csm_id.as_deref(), USER_REF_MAX)?;
        let template_id =
            validate::optional_text("template_id", params.template_id.as_deref(), USER_REF_MAX)?;
        let stalled_after_ms = params
            .stalled_after_days
            .map(stalled_after_ms)
            .transpose()?;
        self.db.read(|ctx| {
            let customer_id = match &params.customer_id {
                Some(r) => Some(resolve::customer(ctx, r, Some("customer_id"))?.id),
                None => None,
            };
            let query = ReportQuery {
                as_of,
                customer_id,
                csm_id,
                template_id,
                stalled_after_ms,
            };
            let totals = ctx.tx.onboarding_report(ctx.scope, &query)?;
            Ok(WorkspaceReport::new(
                &query,
                params.stalled_after_days,
                &totals,
            ))
        })
    }
}

/// A threshold in days as whole milliseconds (rounded to the nearest).
fn stalled_after_ms(days: f64) -> Result<i64> {
    const FIELD: &str = "stalled_after_days";
    if !days.is_finite() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            FIELD,
            "`stalled_after_days` must be a finite number",
        ));
    }
    if days < 0.0 {
        return Err(Error::field(
            ErrorCode::TooSmall,
            FIELD,
            "`stalled_after_days` must be at least 0",
        ));
    }
    if days > STALLED_AFTER_DAYS_MAX {
        return Err(Error::field(
            ErrorCode::TooLarge,
            FIELD,
            format!("`stalled_after_days` must be at most {STALLED_AFTER_DAYS_MAX}"),
        ));
    }
    // At most 36,500 days: about 3.2e12 ms, exact in an f64 and far inside an i64.
    Ok((days * DAY_MS as f64).round() as i64)
}

/// Records the onboarding's history entry for a creation (`before` = `None`) or an update, in the
/// operation's transaction: always at creation, and on an update that changed a field analytics
/// reads (see [`Snapshot`]).
pub(crate) fn record_history(
    ctx: &mut Ctx<'_>,
    before: Option<&Onboarding>,
    after: &Onboarding,
) -> Result<()> {
    let snapshot = Snapshot::of(after);
    if before.is_some_and(|b| Snapshot::of(b) == snapshot) {
        return Ok(());
    }
    let entry = NewHistoryEntry {
        onboarding_id: after.id.clone(),
        at: ctx.now,
        previous_phase: before.map(|b| b.phase),
        snapshot,
    };
    ctx.tx.append_history(ctx.scope, entry)?;
    Ok(())
}

#[cfg(test)]
mod tests;
