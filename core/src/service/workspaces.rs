//! Workspaces (the API's organizations): a store can hold many.

use super::Pivotal;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IdKind, Workspace};
use crate::rules::limits::NAME_MAX;
use crate::validate;

/// Workspace management: create and list the workspaces of the store.
#[derive(Debug, Clone, Copy)]
pub struct Workspaces<'a> {
    db: &'a Pivotal,
}

impl<'a> Workspaces<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// Creates a workspace; its slug is derived from the name when not given, and must be unique.
    /// Only a keyless session may (a key's session: `permission_error/permission_denied`).
    pub fn create(&self, name: &str, slug: Option<&str>) -> Result<Workspace> {
        self.db.ensure_open()?;
        self.db.local_only("another workspace")?;
        let name = validate::required_text("name", name, NAME_MAX)?;
        let slug = match slug.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => validate::slug(s)?,
            None => validate::derive_slug(&name),
        };
        if slug.is_empty() {
            return Err(Error::field(
                ErrorCode::InvalidSlug,
                "slug",
                "give a slug: the name has no letters or digits",
            ));
        }
        let engine = &self.db.engine;
        let now = self.db.now()?;
        engine.write_with(|tx| {
            if tx.workspace_by_slug(&slug)?.is_some() {
                return Err(Error::field(
                    ErrorCode::SlugTaken,
                    "slug",
                    format!("the slug `{slug}` is taken"),
                ));
            }
            let workspace = Workspace {
                id: engine.ids.next(IdKind::Workspace),
                slug: slug.clone(),
                name: name.clone(),
            };
            tx.insert_workspace(&workspace, now)?;
            Ok(workspace)
        })
    }

    /// Every workspace of the store, oldest first. Only a keyless session may list them (a key's
    /// session sees its own workspace only: `permission_error/permission_denied`).
    pub fn list(&self) -> Result<Vec<Workspace>> {
        self.db.ensure_open()?;
        self.db.local_only("another workspace")?;
        self.db.engine.read_with(|tx| tx.workspaces())
    }

    /// The workspace with this id or slug.
    pub fn retrieve(&self, reference: &str) -> Result<Workspace> {
        let found = self
            .db
            .engine
            .read_with(|tx| match tx.workspace(reference)? {
                Some(w) => Ok(Some(w)),
                None => tx.workspace_by_slug(reference),
            })?;
        found.ok_or_else(|| {
            Error::new(
                ErrorCode::WorkspaceNotFound,
                format!("no workspace `{reference}`"),
            )
        })
    }
}
