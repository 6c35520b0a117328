//! The OpenAPI 3.1 document of the server, served at `GET /api/v1/openapi.json`: every route, its
//! parameters, bodies and answers, the schemas of the API's objects and the error envelope.
//! `tests/openapi.rs` checks it against the routes the server answers.

use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn string() -> Value {
    json!({"type": "string"})
}
fn nullable(t: &str) -> Value {
    json!({"type": [t, "null"]})
}
fn time() -> Value {
    json!({"type": "string", "format": "date-time"})
}
fn time_or_null() -> Value {
    json!({"type": ["string", "null"], "format": "date-time"})
}
fn integer() -> Value {
    json!({"type": "integer"})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn enumeration(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}
fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

const PHASES: &[&str] = &[
    "before_getting_started",
    "program_design",
    "review",
    "program_buildout",
    "internal_qa",
    "launch",
    "completed",
];
const STATES: &[&str] = &["active", "paused", "at_risk", "waiting"];
const STATUSES: &[&str] = &["onboarding", "active", "at_risk", "churned", "archived"];

/// An object with exactly these properties, all required (the API always writes every field).
fn object(tag: Option<&str>, fields: &[(&str, Value)]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    if let Some(tag) = tag {
        properties.insert("object".into(), json!({"const": tag}));
        required.push("object".to_owned());
    }
    for (name, schema) in fields {
        properties.insert((*name).into(), schema.clone());
        required.push((*name).to_owned());
    }
    json!({"type": "object", "properties": properties, "required": required,
           "additionalProperties": false})
}

/// A request body: these fields, those in `required` required, no others.
fn body(fields: &[(&str, Value)], required: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|(n, s)| ((*n).to_owned(), s.clone()))
        .collect();
    json!({"type": "object", "properties": properties, "required": required,
           "additionalProperties": false})
}

/// A report computed by the core: its tag and fields (described in docs/reference.md#analytics).
fn report(tag: &str) -> Value {
    json!({"type": "object", "properties": {"object": {"const": tag}}, "required": ["object"]})
}

fn list_of(item: Value) -> Value {
    object(
        Some("list"),
        &[
            ("data", json!({"type": "array", "items": item})),
            ("has_more", boolean()),
            ("next_cursor", nullable("string")),
        ],
    )
}

/// The customer's writable fields; `output` gives their types in the answer (no nulls where the
/// API always writes a value), else in a body (null for "absent" or "clear").
fn customer_fields(output: bool) -> Vec<(&'static str, Value)> {
    let text = || {
        if output {
            string()
        } else {
            nullable("string")
        }
    };
    let mut fields = vec![
        ("name", string()),
        ("slug", text()),
        ("domain", nullable("string")),
        ("status", enumeration(STATUSES)),
        ("plan", nullable("string")),
        ("mrr", nullable("integer")),
        ("monthly_orders", nullable("integer")),
    ];
    for f in [
        "hubspot_company_id",
        "hubspot_deal_id",
        "stripe_customer_id",
        "intercom_company_id",
        "slack_channel_id",
    ] {
        fields.push((f, nullable("string")));
    }
    fields.push(("metadata", json!({"type": "object"})));
    fields
}

fn contact_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("name", string()),
        ("email", string()),
        ("title", nullable("string")),
        ("phone", nullable("string")),
        ("is_primary", boolean()),
        (
            "labels",
            json!({"type": "array", "items": {"type": "string"}}),
        ),
    ]
}

fn onboarding_input_fields() -> Vec<(&'static str, Value)> {
    let mut fields = vec![
        ("template_id", nullable("string")),
        ("phase", enumeration(PHASES)),
        ("state", enumeration(STATES)),
        ("started_at", time()),
        ("target_launch_date", nullable("string")),
    ];
    for f in ["csm_id", "se_id", "designer_id", "product_ops_id", "notes"] {
        fields.push((f, nullable("string")));
    }
    fields.extend([
        ("waiting_on_customer", boolean()),
        ("wizard_completed_at", time_or_null()),
        ("reminder_email", boolean()),
        ("reminder_slack", boolean()),
        ("reminder_frequency_days", integer()),
    ]);
    fields
}

fn schemas() -> Value {
    let mut customer = vec![("id", string()), ("display_id", integer())];
    customer.extend(customer_fields(true));
    customer.extend([("created_at", time()), ("updated_at", time())]);
    let mut contact = vec![
        ("id", string()),
        ("display_id", integer()),
        ("customer_id", string()),
    ];
    contact.extend(contact_fields());
    contact.extend([("created_at", time()), ("updated_at", time())]);
    let mut onboarding_create = vec![("customer_id", string())];
    onboarding_create.extend(onboarding_input_fields());
    let mut onboarding_update = onboarding_input_fields();
    onboarding_update.push(("reason", nullable("string")));
    let ids = ["csm_id", "se_id", "designer_id", "product_ops_id", "notes"];
    let mut onboarding = vec![
        ("id", string()),
        ("display_id", integer()),
        ("customer_id", string()),
        ("template_id", nullable("string")),
        ("phase", enumeration(PHASES)),
        ("state", enumeration(STATES)),
        ("started_at", time()),
        ("completed_at", time_or_null()),
        ("target_launch_date", time_or_null()),
    ];
    onboarding.extend(ids.iter().map(|f| (*f, nullable("string"))));
    onboarding.extend([
        ("waiting_on_customer", boolean()),
        ("waiting_on_customer_since", time_or_null()),
        ("wizard_completed_at", time_or_null()),
        ("reminder_email", boolean()),
        ("reminder_slack", boolean()),
        ("reminder_frequency_days", integer()),
        ("created_at", time()),
        ("updated_at", time()),
    ]);
    let workspace = object(
        None,
        &[("id", string()), ("slug", string()), ("name", string())],
    );
    let api_key = object(
        Some("api_key"),
        &[
            ("id", string()),
            ("name", string()),
            ("prefix", string()),
            ("livemode", boolean()),
            ("created_at", time()),
            ("revoked_at", time_or_null()),
        ],
    );
    let error = json!({
        "type": "object", "required": ["error"], "additionalProperties": false,
        "properties": {"error": {
            "type": "object", "required": ["type", "code", "message"], "additionalProperties": false,
            "properties": {
                "type": enumeration(&["invalid_request_error", "authentication_error", "permission_error",
                                      "not_found", "conflict", "rate_limit_error", "internal_error"]),
                "code": {"type": "string", "enum": pivotal_core::ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()},
                "message": string(),
                "field": string(),
            }}}
    });
    let previous = json!({"type": ["object", "null"]});
    json!({
        "Customer": object(Some("customer"), &customer),
        "CustomerCreate": body(&customer_fields(false), &["name"]),
        "CustomerUpdate": body(&customer_fields(false), &[]),
        "Contact": object(Some("contact"), &contact),
        "ContactCreate": body(&contact_fields(), &["name", "email"]),
        "ContactUpdate": body(&contact_fields(), &[]),
        "Onboarding": object(Some("onboarding"), &onboarding),
        "OnboardingCreate": body(&onboarding_create, &["customer_id"]),
        "OnboardingUpdate": body(&onboarding_update, &[]),
        "PhaseTransition": object(Some("phase_transition"), &[
            ("id", string()), ("onboarding_id", string()),
            ("from_phase", enumeration(PHASES)),
            ("to_phase", enumeration(PHASES)), ("actor", string()),
            ("reason", nullable("string")), ("created_at", time())]),
        "Event": object(Some("event"), &[
            ("id", string()), ("sequence", integer()), ("type", string()), ("created_at", time()),
            ("org_id", string()), ("livemode", boolean()), ("api_version", string()),
            ("actor", string()),
            ("data", json!({"type": "object", "required": ["object", "previous_attributes"],
                            "properties": {"object": {"type": "object"}, "previous_attributes": previous}}))]),
        "Deleted": object(Some("deleted"), &[("id", string()), ("display_id", integer()),
                                             ("deleted", json!({"const": true}))]),
        "Workspace": workspace.clone(),
        "WorkspaceCreate": body(&[("name", string()), ("slug", nullable("string"))], &["name"]),
        "ApiKey": api_key.clone(),
        "ApiKeyCreate": body(&[("name", string())], &["name"]),
        "CreatedApiKey": object(None, &[("api_key", api_key), ("secret", string())]),
        "Identity": object(Some("me"), &[
            ("api_key", json!({"oneOf": [{"type": "null"}, object(None, &[
                ("id", string()), ("name", string()), ("prefix", string()), ("livemode", boolean())])]})),
            ("organization", workspace)]),
        "Health": object(None, &[("status", json!({"const": "ok"})), ("timestamp", time()),
                                 ("version", string()), ("schema_version", integer())]),
        "OnboardingMetrics": report("onboarding_metrics"),
        "WorkspaceReport": report("workspace_report"),
        "ImportSummary": object(Some("import_summary"), &[
            ("created", integer()), ("updated", integer()), ("unchanged", integer()),
            ("skipped", integer()),
            ("errors", json!({"type": "array", "items": object(None, &[
                ("index", integer()), ("line", nullable("integer")),
                ("error", error["properties"]["error"].clone())])}))]),
        "TestClock": object(Some("test_clock"), &[("now", time())]),
        "TestClockMove": json!({"type": "object", "additionalProperties": false,
            "properties": {"at": time(), "ms": integer()}}),
        "Error": error,
    })
}

fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema,
           "description": description})
}

fn paging() -> Vec<Value> {
    vec![
        query(
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 100}),
            "records per page",
        ),
        query(
            "cursor",
            string(),
            "the previous page's next_cursor, or an RFC 3339 instant",
        ),
    ]
}

/// One operation: its id, summary, parameters, body schema, success status and answer schema.
struct Op {
    id: &'static str,
    summary: &'static str,
    params: Vec<Value>,
    body: Option<&'static str>,
    status: &'static str,
    answer: Value,
    idempotent_create: bool,
    public: bool,
}

fn op(id: &'static str, summary: &'static str, status: &'static str, answer: Value) -> Op {
    Op {
        id,
        summary,
        params: Vec::new(),
        body: None,
        status,
        answer,
        idempotent_create: false,
        public: false,
    }
}

impl Op {
    fn params(mut self, params: Vec<Value>) -> Self {
        self.params = params;
        self
    }
    fn body(mut self, schema: &'static str) -> Self {
        self.body = Some(schema);
        self
    }
    fn idempotent(mut self) -> Self {
        self.idempotent_create = true;
        self
    }
    /// Needs no key.
    fn public(mut self) -> Self {
        self.public = true;
        self
    }

    fn to_json(&self, path_id: bool) -> Value {
        let mut params = self.params.clone();
        if path_id {
            params.insert(
                0,
                json!({"name": "id", "in": "path", "required": true,
                "schema": {"type": "string"},
                "description": "an id, or digits for a display id"}),
            );
        }
        if self.idempotent_create {
            params.push(
                json!({"name": "Idempotency-Key", "in": "header", "required": false,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "a retry with the same key and body returns the first answer"}),
            );
        }
        let mut o = json!({
            "operationId": self.id,
            "summary": self.summary,
            "parameters": params,
            "responses": {
                self.status: {"description": "success", "content": {"application/json": {"schema": self.answer}}},
                "default": {"description": "the error envelope, with the status of its type (413 for a body over 1 MiB, 408 past the header or request timeout, 414 for a request target over 65,534 bytes, 431 for headers over 128 KiB or 100)",
                            "content": {"application/json": {"schema": schema("Error")}}},
            },
        });
        if self.public {
            o["security"] = json!([]);
        }
        if let Some(body) = self.body {
            let content = if body == "Import" {
                json!({"application/json": {"schema": {"type": ["array", "object"]}},
                       "application/x-ndjson": {"schema": {"type": "string"}}})
            } else {
                json!({"application/json": {"schema": schema(body)}})
            };
            o["requestBody"] = json!({"required": false, "content": content});
        }
        o
    }
}

fn paths() -> Vec<(&'static str, Vec<(&'static str, Op)>)> {
    let list = |name: &str| list_of(schema(name));
    let c = |s| query("customer_id", string(), s);
    vec![
        ("/health", vec![("get", op("health", "Checks that the store answers (no key needed)", "200", schema("Health")).public())]),
        ("/me", vec![("get", op("me", "The key's identity and workspace", "200", schema("Identity")))]),
        ("/customers", vec![
            ("get", op("listCustomers", "Customers, newest first", "200", list("Customer")).params({
                let mut p = vec![query("status", enumeration(STATUSES), "only this status"),
                                 query("slug", string(), "only this slug")];
                p.extend(paging()); p })),
            ("post", op("createCustomer", "Creates a customer", "201", schema("Customer")).body("CustomerCreate").idempotent()),
        ]),
        ("/customers/{id}", vec![
            ("get", op("retrieveCustomer", "A customer", "200", schema("Customer"))),
            ("patch", op("updateCustomer", "Updates a customer (absent unchanged, null clears)", "200", schema("Customer")).body("CustomerUpdate")),
            ("delete", op("deleteCustomer", "Deletes a customer (and hides its contacts and onboardings)", "200", schema("Deleted"))),
        ]),
        ("/customers/{id}/contacts", vec![
            ("get", op("listContacts", "A customer's contacts, newest first", "200", list("Contact")).params(paging())),
            ("post", op("createContact", "Creates a contact of the customer", "201", schema("Contact")).body("ContactCreate").idempotent()),
        ]),
        ("/customers/{id}/onboardings", vec![
            ("get", op("listCustomerOnboardings", "All of a customer's onboardings, newest first (not paginated)", "200", list("Onboarding"))),
        ]),
        ("/customers/{id}/timeline", vec![
            ("get", op("customerTimeline", "Events of the customer, its contacts and onboardings, newest first", "200", list("Event")).params(paging())),
        ]),
        ("/contacts/{id}", vec![
            ("get", op("retrieveContact", "A contact", "200", schema("Contact"))),
            ("patch", op("updateContact", "Updates a contact", "200", schema("Contact")).body("ContactUpdate")),
            ("delete", op("deleteContact", "Deletes a contact", "200", schema("Deleted"))),
        ]),
        ("/onboardings", vec![
            ("get", op("listOnboardings", "Onboardings, newest first", "200", list("Onboarding")).params({
                let mut p = vec![c("only this customer's (id or display id)"),
                                 query("phase", enumeration(PHASES), "only this phase"),
                                 query("state", enumeration(STATES), "only this state")];
                p.extend(paging()); p })),
            ("post", op("createOnboarding", "Creates an onboarding", "201", schema("Onboarding")).body("OnboardingCreate").idempotent()),
        ]),
        ("/onboardings/{id}", vec![
            ("get", op("retrieveOnboarding", "An onboarding", "200", schema("Onboarding"))),
            ("patch", op("updateOnboarding", "Updates an onboarding; a skip or a regression needs a reason", "200", schema("Onboarding")).body("OnboardingUpdate")),
            ("delete", op("deleteOnboarding", "Deletes an onboarding", "200", schema("Deleted"))),
        ]),
        ("/onboardings/{id}/transitions", vec![
            ("get", op("onboardingTransitions", "The onboarding's phase transitions, oldest first", "200", list("PhaseTransition"))),
        ]),
        ("/onboardings/{id}/analytics", vec![
            ("get", op("onboardingAnalytics", "The onboarding's metrics as of an instant (default now)", "200", schema("OnboardingMetrics"))
                .params(vec![query("as_of", time(), "the instant (RFC 3339)")])),
        ]),
        ("/analytics", vec![
            ("get", op("workspaceAnalytics", "The workspace report", "200", schema("WorkspaceReport")).params(vec![
                query("as_of", time(), "the instant (RFC 3339)"), c("only this customer's"),
                query("csm_id", string(), "only this CSM's"), query("template_id", string(), "only this template's"),
                query("stalled_after_days", json!({"type": "number"}), "list onboardings this long in their phase")])),
        ]),
        ("/events", vec![
            ("get", op("listEvents", "The change log, ascending by sequence", "200", list("Event")).params(vec![
                query("after_sequence", integer(), "only events after this sequence"),
                json!({"name": "types", "in": "query", "required": false, "style": "form", "explode": true,
                       "schema": {"type": "array", "items": {"type": "string"}},
                       "description": "only these event types (repeated, or comma-separated)"}),
                query("object_id", string(), "only events about this object"),
                query("limit", json!({"type": "integer", "minimum": 1, "maximum": 100}), "events per page")])),
        ]),
        ("/api_keys", vec![
            ("get", op("listApiKeys", "The keys of the workspace and mode, oldest first", "200", list("ApiKey"))),
            ("post", op("createApiKey", "Creates a key; its secret is shown once", "201", schema("CreatedApiKey")).body("ApiKeyCreate")),
        ]),
        ("/api_keys/{id}/revoke", vec![
            ("post", op("revokeApiKey", "Revokes a key, at once", "200", schema("ApiKey"))),
        ]),
        ("/workspaces", vec![
            ("get", op("listWorkspaces", "Every workspace (keyless session only)", "200", list("Workspace"))),
            ("post", op("createWorkspace", "Creates a workspace (keyless session only)", "201", schema("Workspace")).body("WorkspaceCreate")),
        ]),
        ("/import", vec![
            ("post", op("import", "Imports the API's JSON (objects, arrays, list envelopes, NDJSON)", "200", schema("ImportSummary"))
                .body("Import").params(vec![
                    query("on_error", enumeration(&["stop", "skip"]), "on a bad item"),
                    query("chunk_size", json!({"type": "integer", "minimum": 1}), "items per transaction")])),
        ]),
        ("/test_helpers/clock", vec![
            ("get", op("getTestClock", "The fixed clock (servers started with --clock; else 404)", "200", schema("TestClock")).public()),
            ("post", op("moveTestClock", "Sets (`at`) or advances (`ms`) the fixed clock", "200", schema("TestClock")).body("TestClockMove").public()),
        ]),
        ("/openapi.json", vec![
            ("get", op("openapi", "This document", "200", json!({"type": "object"})).public()),
        ]),
    ]
}

/// The document (built once).
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut paths_json = Map::new();
        for (path, ops) in paths() {
            let has_id = path.contains("{id}");
            let mut item = Map::new();
            for (method, op) in ops {
                item.insert(method.into(), op.to_json(has_id));
            }
            paths_json.insert(path.into(), Value::Object(item));
        }
        json!({
            "openapi": "3.1.0",
            "info": {"title": "Pivotal API (pivotal serve)", "version": env!("CARGO_PKG_VERSION"),
                     "description": "The Pivotal customer-onboarding REST API, served by pivotal-core. Every rule is in docs/reference.md."},
            "servers": [{"url": "/api/v1"}],
            "security": [{"bearer": []}],
            "paths": paths_json,
            "components": {
                "schemas": schemas(),
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                    "description": "an API key secret (pivotal_… or pivotal_test_…)"}},
            },
        })
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn serve() -> axum::response::Response {
    let body = serde_json::to_vec(document()).unwrap_or_default();
    crate::app::json_response(axum::http::StatusCode::OK, body.into())
}
