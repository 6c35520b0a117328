//! Customer operations: create, retrieve, update (with the churn rule), delete, list, timeline.

use super::context::{previous_attributes, Ctx};
use super::onboardings::update_in_tx as update_onboarding;
use super::paging::{self, ListParams, DEFAULT_LIMIT};
use super::{resolve, Pivotal};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{
    Customer, CustomerParams, CustomerPatch, CustomerStatus, Deleted, Event, EventType, IdKind,
    Page, Patch, Timestamp,
};
use crate::rules;
use crate::rules::limits::{EXTERNAL_ID_MAX, NAME_MAX, PLAN_MAX};
use crate::store::{CustomerFilter, DisplayKind};
use crate::validate;

/// Filters and paging of `customers.list`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerListParams {
    /// Only customers with this status.
    pub status: Option<CustomerStatus>,
    /// Only the customer with this slug.
    pub slug: Option<String>,
    /// Records per page, 1–100 (default 20).
    pub limit: Option<i64>,
    /// The previous page's `next_cursor`, or an RFC 3339 instant.
    pub cursor: Option<String>,
}

/// Customer operations of one session.
#[derive(Debug, Clone, Copy)]
pub struct Customers<'a> {
    pub(super) db: &'a Pivotal,
}

impl<'a> Customers<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// Creates a customer. A repeated `idempotency_key` replays the first response.
    pub fn create(
        &self,
        params: CustomerParams,
        idempotency_key: Option<&str>,
    ) -> Result<Customer> {
        self.db
            .create_once("customers.create", idempotency_key, &params, |ctx| {
                create(ctx, &params)
            })
    }

    /// The customer with this id or display id.
    pub fn retrieve(&self, reference: &str) -> Result<Customer> {
        self.db.read(|ctx| resolve::customer(ctx, reference, None))
    }

    /// Applies a patch. Becoming `churned` pauses every open onboarding of the customer.
    pub fn update(&self, reference: &str, patch: CustomerPatch) -> Result<Customer> {
        self.db.write(|ctx| {
            let before = resolve::customer(ctx, reference, None)?;
            let mut after = rules::customer::apply_patch(&before, validate_patch(patch.clone())?);
            if after.slug != before.slug {
                ensure_slug_free(ctx, &after.slug)?;
            }
            let previous = previous_attributes(&before, &after)?;
            if previous.is_empty() {
                return Ok(before);
            }
            after.updated_at = ctx.now;
            ctx.tx.update_customer(ctx.scope, &after)?;
            ctx.emit(
                EventType::CustomerUpdated,
                &after.id,
                &after.id,
                &after,
                Some(previous),
            )?;
            if rules::customer::churns(&before, &after) {
                pause_open_onboardings(ctx, &after.id)?;
            }
            Ok(after)
        })
    }

    /// Soft-deletes a customer; its contacts and onboardings disappear with it.
    pub fn delete(&self, reference: &str) -> Result<Deleted> {
        self.db.write(|ctx| {
            let customer = resolve::customer(ctx, reference, None)?;
            ctx.tx.delete_customer(ctx.scope, &customer.id, ctx.now)?;
            ctx.emit(
                EventType::CustomerDeleted,
                &customer.id,
                &customer.id,
                &customer,
                None,
            )?;
            Ok(Deleted {
                id: customer.id,
                display_id: customer.display_id,
                deleted: true,
            })
        })
    }

    /// One page of customers, newest first.
    pub fn list(&self, params: &CustomerListParams) -> Result<Page<Customer>> {
        let paging = ListParams {
            limit: params.limit,
            cursor: params.cursor.clone(),
        };
        let (request, limit) = paging::request(&paging, DEFAULT_LIMIT)?;
        let filter = CustomerFilter {
            status: params.status,
            slug: params.slug.clone(),
        };
        let rows = self
            .db
            .read(|ctx| ctx.tx.list_customers(ctx.scope, &filter, &request))?;
        Ok(paging::page(rows, limit, |c| (c.created_at, &c.id)))
    }

    /// The events of the customer and of its contacts and onboardings, newest first.
    pub fn timeline(&self, reference: &str, params: &ListParams) -> Result<Page<Event>> {
        let limit = paging::limit(params.limit, DEFAULT_LIMIT)?;
        let cursor = paging::timeline_cursor(params.cursor.as_deref())?;
        let rows = self.db.read(|ctx| {
            let customer = resolve::customer(ctx, reference, None)?;
            ctx.tx
                .timeline(ctx.scope, &customer.id, cursor.as_ref(), limit + 1)
        })?;
        Ok(paging::sequence_page(rows, limit, |e| e.sequence))
    }
}

/// Creates one customer inside the current transaction (single creates and `create_many`).
pub(crate) fn create(ctx: &mut Ctx<'_>, p: &CustomerParams) -> Result<Customer> {
    let mut customer = validated(p, 0, ctx.now)?;
    customer.display_id = ctx
        .tx
        .next_display_id(&ctx.scope.workspace_id, DisplayKind::Customer)?;
    if p.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
        customer.slug = rules::customer::derived_slug(&customer.name, customer.display_id);
    }
    ensure_slug_free(ctx, &customer.slug)?;
    customer.id = ctx.new_id(IdKind::Customer);
    ctx.tx.insert_customer(ctx.scope, &customer)?;
    ctx.emit(
        EventType::CustomerCreated,
        &customer.id,
        &customer.id,
        &customer,
        None,
    )?;
    Ok(customer)
}

/// The customer `p` describes, every field checked and defaulted as on create, with `display_id`
/// (which a slug derived from the name uses), created and updated at `at`, and an empty `id` for
/// the caller to fill. Nothing is read or written.
pub(crate) fn validated(p: &CustomerParams, display_id: i64, at: Timestamp) -> Result<Customer> {
    let name = validate::required_text("name", &p.name, NAME_MAX)?;
    let slug = p
        .slug
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(validate::slug)
        .transpose()?;
    let domain = p
        .domain
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(validate::domain)
        .transpose()?;
    let plan = validate::optional_text("plan", p.plan.as_deref(), PLAN_MAX)?;
    let mrr = p
        .mrr
        .map(|v| validate::int_range("mrr", v, 0, None))
        .transpose()?;
    let monthly_orders = p
        .monthly_orders
        .map(|v| validate::int_range("monthly_orders", v, 0, None))
        .transpose()?;
    let external = |field: &str, v: &Option<String>| {
        validate::optional_text(field, v.as_deref(), EXTERNAL_ID_MAX)
    };
    let hubspot_company_id = external("hubspot_company_id", &p.hubspot_company_id)?;
    let hubspot_deal_id = external("hubspot_deal_id", &p.hubspot_deal_id)?;
    let stripe_customer_id = external("stripe_customer_id", &p.stripe_customer_id)?;
    let intercom_company_id = external("intercom_company_id", &p.intercom_company_id)?;
    let slack_channel_id = external("slack_channel_id", &p.slack_channel_id)?;
    let metadata = p.metadata.clone().unwrap_or_default();
    validate::metadata(&metadata)?;
    let slug = slug.unwrap_or_else(|| rules::customer::derived_slug(&name, display_id));
    Ok(Customer {
        id: String::new(),
        display_id,
        name,
        slug,
        domain,
        status: p.status.unwrap_or(CustomerStatus::Onboarding),
        plan,
        mrr,
        monthly_orders,
        hubspot_company_id,
        hubspot_deal_id,
        stripe_customer_id,
        intercom_company_id,
        slack_channel_id,
        metadata,
        created_at: at,
        updated_at: at,
    })
}

pub(crate) fn ensure_slug_free(ctx: &mut Ctx<'_>, slug: &str) -> Result<()> {
    if ctx.tx.customer_id_by_slug(ctx.scope, slug)?.is_some() {
        return Err(Error::field(
            ErrorCode::SlugTaken,
            "slug",
            format!("the slug `{slug}` is taken"),
        ));
    }
    Ok(())
}

/// Checks and normalises every field of a patch, in field order; the first failure is the error.
fn validate_patch(p: CustomerPatch) -> Result<CustomerPatch> {
    let text =
        |field: &str, patch: Patch<String>, max: usize| validate::patch_text(field, patch, max);
    let count = |field: &str, patch: Patch<i64>| {
        patch
            .map(|v| validate::int_range(field, v, 0, None))
            .transpose()
    };
    Ok(CustomerPatch {
        name: validate::patch_required_text("name", p.name, NAME_MAX)?,
        slug: validate::patch_not_null("slug", p.slug)?
            .map(|s| validate::slug(&s))
            .transpose()?,
        domain: match p.domain {
            Patch::Set(d) if !d.trim().is_empty() => Patch::Set(validate::domain(&d)?),
            Patch::Set(_) | Patch::Clear => Patch::Clear,
            Patch::Unchanged => Patch::Unchanged,
        },
        status: validate::patch_not_null("status", p.status)?,
        plan: text("plan", p.plan, PLAN_MAX)?,
        mrr: count("mrr", p.mrr)?,
        monthly_orders: count("monthly_orders", p.monthly_orders)?,
        hubspot_company_id: text("hubspot_company_id", p.hubspot_company_id, EXTERNAL_ID_MAX)?,
        hubspot_deal_id: text("hubspot_deal_id", p.hubspot_deal_id, EXTERNAL_ID_MAX)?,
        stripe_customer_id: text("stripe_customer_id", p.stripe_customer_id, EXTERNAL_ID_MAX)?,
        intercom_company_id: text(
            "intercom_company_id",
            p.intercom_company_id,
            EXTERNAL_ID_MAX,
        )?,
        slack_channel_id: text("slack_channel_id", p.slack_channel_id, EXTERNAL_ID_MAX)?,
        metadata: validate::patch_not_null("metadata", p.metadata)?
            .map(|m| validate::metadata(&m).map(|()| m))
            .transpose()?,
    })
}

/// The churn rule ([`rules::customer::churn_pause`]) over every onboarding of the customer, each
/// change recorded as its own onboarding update.
fn pause_open_onboardings(ctx: &mut Ctx<'_>, customer_id: &str) -> Result<()> {
    for onboarding in ctx.tx.customer_onboardings(ctx.scope, customer_id)? {
        if let Some(patch) = rules::customer::churn_pause(&onboarding) {
            update_onboarding(ctx, onboarding, patch)?;
        }
    }
    Ok(())
}
