//! Customer operations: create, retrieve, update (with the churn rule), delete, list, timeline.

use super::context::{previous_attributes, Ctx};
use super::onboardings::update_in_tx as update_onboarding;
use super::paging::{self, ListParams, DEFAULT_LIMIT};
use super::{resolve, Pivotal};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{
    Customer, CustomerParams, CustomerPatch, CustomerStatus, Deleted, Event, EventType, IdKind,
    OnboardingPatch, Page, Patch, Phase, State, Timestamp,
};
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

const EXTERNAL_ID_MAX: usize = 128;

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
            let mut after = apply(&before, patch)?;
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
            if after.status == CustomerStatus::Churned && before.status != CustomerStatus::Churned {
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
        customer.slug = derived_slug(&customer.name, customer.display_id);
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
    let name = validate::required_text("name", &p.name, 200)?;
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
    let plan = validate::optional_text("plan", p.plan.as_deref(), 64)?;
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
    let slug = slug.unwrap_or_else(|| derived_slug(&name, display_id));
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

/// The slug derived from a name; `customer-<display_id>` when the name has no letters or digits.
fn derived_slug(name: &str, display_id: i64) -> String {
    let slug = validate::derive_slug(name);
    if slug.is_empty() {
        format!("customer-{display_id}")
    } else {
        slug
    }
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

fn apply(before: &Customer, p: CustomerPatch) -> Result<Customer> {
    let mut c = before.clone();
    let b = before.clone();
    let text = |field: &str, patch: Patch<String>, max: usize, current: Option<String>| {
        Ok::<_, Error>(validate::patch_text(field, patch, max)?.apply(current))
    };
    if let Patch::Set(name) = validate::patch_required_text("name", p.name, 200)? {
        c.name = name;
    }
    if let Patch::Set(slug) = validate::patch_not_null("slug", p.slug)? {
        c.slug = validate::slug(&slug)?;
    }
    c.domain = match p.domain {
        Patch::Set(d) if !d.trim().is_empty() => Some(validate::domain(&d)?),
        Patch::Set(_) | Patch::Clear => None,
        Patch::Unchanged => b.domain,
    };
    if let Patch::Set(status) = validate::patch_not_null("status", p.status)? {
        c.status = status;
    }
    c.plan = text("plan", p.plan, 64, b.plan)?;
    c.mrr = p
        .mrr
        .map(|v| validate::int_range("mrr", v, 0, None))
        .transpose()?
        .apply(b.mrr);
    c.monthly_orders = p
        .monthly_orders
        .map(|v| validate::int_range("monthly_orders", v, 0, None))
        .transpose()?
        .apply(b.monthly_orders);
    c.hubspot_company_id = text(
        "hubspot_company_id",
        p.hubspot_company_id,
        EXTERNAL_ID_MAX,
        b.hubspot_company_id,
    )?;
    c.hubspot_deal_id = text(
        "hubspot_deal_id",
        p.hubspot_deal_id,
        EXTERNAL_ID_MAX,
        b.hubspot_deal_id,
    )?;
    c.stripe_customer_id = text(
        "stripe_customer_id",
        p.stripe_customer_id,
        EXTERNAL_ID_MAX,
        b.stripe_customer_id,
    )?;
    c.intercom_company_id = text(
        "intercom_company_id",
        p.intercom_company_id,
        EXTERNAL_ID_MAX,
        b.intercom_company_id,
    )?;
    c.slack_channel_id = text(
        "slack_channel_id",
        p.slack_channel_id,
        EXTERNAL_ID_MAX,
        b.slack_channel_id,
    )?;
    if let Patch::Set(metadata) = validate::patch_not_null("metadata", p.metadata)? {
        validate::metadata(&metadata)?;
        c.metadata = metadata;
    }
    Ok(c)
}

/// The churn rule: every open onboarding of the customer is paused, each change recorded.
fn pause_open_onboardings(ctx: &mut Ctx<'_>, customer_id: &str) -> Result<()> {
    for onboarding in ctx.tx.customer_onboardings(ctx.scope, customer_id)? {
        if onboarding.phase == Phase::Completed || onboarding.state == State::Paused {
            continue;
        }
        let patch = OnboardingPatch {
            state: Patch::Set(State::Paused),
            ..Default::default()
        };
        update_onboarding(ctx, onboarding, patch)?;
    }
    Ok(())
}
