//! Contact operations, with unique emails per customer and one primary contact.

use super::context::{only, previous_attributes, Ctx};
use super::paging::{self, ListParams, DEFAULT_LIMIT};
use super::{resolve, Pivotal};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{
    Contact, ContactParams, ContactPatch, Deleted, EventType, IdKind, Page, Patch, Timestamp,
};
use crate::rules;
use crate::rules::limits::{NAME_MAX, TITLE_MAX};
use crate::store::DisplayKind;
use crate::validate;
use serde::Serialize;

/// Contact operations of one session.
#[derive(Debug, Clone, Copy)]
pub struct Contacts<'a> {
    db: &'a Pivotal,
}

/// What an idempotent `contacts.create` is keyed on: the parent reference and the parameters.
#[derive(Serialize)]
struct CreateRequest<'p> {
    customer: &'p str,
    params: &'p ContactParams,
}

impl<'a> Contacts<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// Creates a contact of the customer named by `customer` (id or display id).
    pub fn create(
        &self,
        customer: &str,
        params: ContactParams,
        idempotency_key: Option<&str>,
    ) -> Result<Contact> {
        let request = CreateRequest {
            customer,
            params: &params,
        };
        self.db
            .create_once("contacts.create", idempotency_key, &request, |ctx| {
                create(ctx, customer, &params)
            })
    }

    /// The contact with this id or display id.
    pub fn retrieve(&self, reference: &str) -> Result<Contact> {
        self.db.read(|ctx| resolve::contact(ctx, reference))
    }

    /// Applies a patch. Making a contact primary demotes the previous primary.
    pub fn update(&self, reference: &str, patch: ContactPatch) -> Result<Contact> {
        self.db.write(|ctx| {
            let before = resolve::contact(ctx, reference)?;
            let mut after = rules::contact::apply_patch(&before, validate_patch(patch.clone())?);
            if after.email != before.email {
                ensure_email_free(ctx, &after.customer_id, &after.email)?;
            }
            let previous = previous_attributes(&before, &after)?;
            if previous.is_empty() {
                return Ok(before);
            }
            if rules::contact::takes_primary(before.is_primary, after.is_primary) {
                if let Some(current) = ctx.tx.primary_contact(ctx.scope, &after.customer_id)? {
                    demote(ctx, &current)?;
                }
            }
            after.updated_at = ctx.now;
            ctx.tx.update_contact(ctx.scope, &after)?;
            ctx.emit(
                EventType::ContactUpdated,
                &after.id,
                &after.customer_id,
                &after,
                Some(previous),
            )?;
            Ok(after)
        })
    }

    /// Soft-deletes a contact.
    pub fn delete(&self, reference: &str) -> Result<Deleted> {
        self.db.write(|ctx| {
            let contact = resolve::contact(ctx, reference)?;
            ctx.tx.delete_contact(ctx.scope, &contact.id, ctx.now)?;
            ctx.emit(
                EventType::ContactDeleted,
                &contact.id,
                &contact.customer_id,
                &contact,
                None,
            )?;
            Ok(Deleted {
                id: contact.id,
                display_id: contact.display_id,
                deleted: true,
            })
        })
    }

    /// One page of the customer's contacts, newest first.
    pub fn list(&self, customer: &str, params: &ListParams) -> Result<Page<Contact>> {
        let (request, limit) = paging::request(params, DEFAULT_LIMIT)?;
        let rows = self.db.read(|ctx| {
            let customer = resolve::customer(ctx, customer, None)?;
            ctx.tx.list_contacts(ctx.scope, &customer.id, &request)
        })?;
        Ok(paging::page(rows, limit, |c| (c.created_at, &c.id)))
    }
}

fn create(ctx: &mut Ctx<'_>, customer: &str, p: &ContactParams) -> Result<Contact> {
    let customer = resolve::customer(ctx, customer, None)?;
    let mut contact = validated(p, customer.id, ctx.now)?;
    ensure_email_free(ctx, &contact.customer_id, &contact.email)?;

    let current_primary = ctx.tx.primary_contact(ctx.scope, &contact.customer_id)?;
    contact.is_primary = rules::contact::primary_on_create(p.is_primary, current_primary.is_some());
    if let Some(current) =
        current_primary.filter(|_| rules::contact::takes_primary(false, contact.is_primary))
    {
        demote(ctx, &current)?;
    }
    contact.id = ctx.new_id(IdKind::Contact);
    contact.display_id = ctx
        .tx
        .next_display_id(&ctx.scope.workspace_id, DisplayKind::Contact)?;
    ctx.tx.insert_contact(ctx.scope, &contact)?;
    ctx.emit(
        EventType::ContactCreated,
        &contact.id,
        &contact.customer_id,
        &contact,
        None,
    )?;
    Ok(contact)
}

/// Checks and normalises every field of a patch, in field order; the first failure is the error.
fn validate_patch(p: ContactPatch) -> Result<ContactPatch> {
    Ok(ContactPatch {
        name: validate::patch_required_text("name", p.name, NAME_MAX)?,
        email: validate::patch_not_null("email", p.email)?
            .map(|e| validate::email(&e))
            .transpose()?,
        title: validate::patch_text("title", p.title, TITLE_MAX)?,
        phone: match p.phone {
            Patch::Set(v) => Patch::from_option(validate::phone(Some(&v))?),
            other => other,
        },
        is_primary: validate::patch_not_null("is_primary", p.is_primary)?,
        labels: validate::patch_not_null("labels", p.labels)?
            .map(|l| validate::labels(&l))
            .transpose()?,
    })
}

/// The contact `p` describes for the customer `customer_id`, every field checked as on create
/// (`is_primary` as given, false when absent), created and updated at `at`, with an empty `id` and
/// display id 0 for the caller to fill. Nothing is read or written.
pub(crate) fn validated(p: &ContactParams, customer_id: String, at: Timestamp) -> Result<Contact> {
    Ok(Contact {
        id: String::new(),
        display_id: 0,
        customer_id,
        name: validate::required_text("name", &p.name, NAME_MAX)?,
        email: validate::email(&p.email)?,
        title: validate::optional_text("title", p.title.as_deref(), TITLE_MAX)?,
        phone: validate::phone(p.phone.as_deref())?,
        is_primary: p.is_primary == Some(true),
        labels: validate::labels(p.labels.as_deref().unwrap_or_default())?,
        created_at: at,
        updated_at: at,
    })
}

pub(crate) fn ensure_email_free(ctx: &mut Ctx<'_>, customer_id: &str, email: &str) -> Result<()> {
    if ctx
        .tx
        .contact_id_by_email(ctx.scope, customer_id, email)?
        .is_some()
    {
        return Err(Error::field(
            ErrorCode::EmailTaken,
            "email",
            format!("the customer already has a contact with email `{email}`"),
        ));
    }
    Ok(())
}

/// Demotes the customer's current primary contact ([`rules::contact::demoted`]), recording the
/// change.
fn demote(ctx: &mut Ctx<'_>, current: &Contact) -> Result<()> {
    let demoted = rules::contact::demoted(current, ctx.now);
    ctx.tx.update_contact(ctx.scope, &demoted)?;
    let attrs = only("is_primary", &true)?;
    ctx.emit(
        EventType::ContactUpdated,
        &demoted.id,
        &demoted.customer_id,
        &demoted,
        Some(attrs),
    )
}

/// Demotes the customer's primary contact, when it has one (an import bringing a new primary).
pub(crate) fn demote_primary(ctx: &mut Ctx<'_>, customer_id: &str) -> Result<()> {
    match ctx.tx.primary_contact(ctx.scope, customer_id)? {
        Some(current) => demote(ctx, &current),
        None => Ok(()),
    }
}
