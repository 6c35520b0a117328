-- pivotal-core schema, version 1: the full schema of a new file.
--
-- Conventions: every domain row carries its scope (workspace_id, livemode); timestamps are INTEGER
-- unix milliseconds; booleans are INTEGER 0/1; enums are their wire strings; metadata, labels and
-- event payloads are JSON text. Soft-deleted rows keep their data and get a deleted_at. Lists read
-- partial indexes over the rows that are not deleted, in (created_at, id) order.

CREATE TABLE workspaces (
    seq        INTEGER PRIMARY KEY,  -- insertion order, the tie-break of "oldest first"
    id         TEXT    NOT NULL UNIQUE,
    slug       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX workspaces_by_slug ON workspaces (slug);

-- API keys: only a salted hash of the secret and its display prefix are kept.
CREATE TABLE api_keys (
    seq          INTEGER PRIMARY KEY,  -- insertion order, the tie-break of "oldest first"
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id),
    livemode     INTEGER NOT NULL,
    id           TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
) STRICT;
CREATE INDEX api_keys_by_scope ON api_keys (workspace_id, livemode, created_at, seq);
CREATE INDEX api_keys_by_prefix ON api_keys (prefix);

-- Display-id counters, per workspace and record kind, shared by live and test mode.
CREATE TABLE counters (
    workspace_id TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    value        INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE customers (
    workspace_id        TEXT    NOT NULL,
    livemode            INTEGER NOT NULL,
    id                  TEXT    NOT NULL,
    display_id          INTEGER NOT NULL,
    deleted_at          INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    status              TEXT    NOT NULL,
    slug                TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    domain              TEXT,
    plan                TEXT,
    mrr                 INTEGER,
    monthly_orders      INTEGER,
    hubspot_company_id  TEXT,
    hubspot_deal_id     TEXT,
    stripe_customer_id  TEXT,
    intercom_company_id TEXT,
    slack_channel_id    TEXT,
    metadata            TEXT    NOT NULL,
    UNIQUE (workspace_id, livemode, id),
    UNIQUE (workspace_id, display_id)
) STRICT;
CREATE INDEX customers_list ON customers (workspace_id, livemode, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX customers_by_status ON customers (workspace_id, livemode, status, created_at, id)
    WHERE deleted_at IS NULL;
-- deleted_at (always null here) makes the index covering for slug lookups.
CREATE INDEX customers_by_slug
    ON customers (workspace_id, livemode, slug, created_at, id, deleted_at)
    WHERE deleted_at IS NULL;

CREATE TABLE contacts (
    workspace_id TEXT    NOT NULL,
    livemode     INTEGER NOT NULL,
    id           TEXT    NOT NULL,
    display_id   INTEGER NOT NULL,
    customer_id  TEXT    NOT NULL,
    deleted_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    is_primary   INTEGER NOT NULL,
    email        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    title        TEXT,
    phone        TEXT,
    labels       TEXT    NOT NULL,
    UNIQUE (workspace_id, livemode, id),
    UNIQUE (workspace_id, display_id),
    FOREIGN KEY (workspace_id, livemode, customer_id)
        REFERENCES customers (workspace_id, livemode, id)
) STRICT;
CREATE INDEX contacts_list ON contacts (workspace_id, livemode, customer_id, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_email
    ON contacts (workspace_id, livemode, customer_id, email, created_at, id, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX contacts_primary ON contacts (workspace_id, livemode, customer_id, created_at, id)
    WHERE deleted_at IS NULL AND is_primary = 1;

CREATE TABLE onboardings (
    workspace_id              TEXT    NOT NULL,
    livemode                  INTEGER NOT NULL,
    id                        TEXT    NOT NULL,
    display_id                INTEGER NOT NULL,
    customer_id               TEXT    NOT NULL,
    deleted_at                INTEGER,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    phase                     TEXT    NOT NULL,
    state                     TEXT    NOT NULL,
    started_at                INTEGER NOT NULL,
    completed_at              INTEGER,
    target_launch_date        INTEGER,
    waiting_on_customer       INTEGER NOT NULL,
    waiting_on_customer_since INTEGER,
    wizard_completed_at       INTEGER,
    reminder_email            INTEGER NOT NULL,
    reminder_slack            INTEGER NOT NULL,
    reminder_frequency_days   INTEGER NOT NULL,
    template_id               TEXT,
    csm_id                    TEXT,
    se_id                     TEXT,
    designer_id               TEXT,
    product_ops_id            TEXT,
    notes                     TEXT,
    UNIQUE (workspace_id, livemode, id),
    UNIQUE (workspace_id, display_id),
    FOREIGN KEY (workspace_id, livemode, customer_id)
        REFERENCES customers (workspace_id, livemode, id)
) STRICT;
CREATE INDEX onboardings_list ON onboardings (workspace_id, livemode, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX onboardings_by_customer ON onboardings (workspace_id, livemode, customer_id, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX onboardings_by_phase ON onboardings (workspace_id, livemode, phase, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX onboardings_by_state ON onboardings (workspace_id, livemode, state, created_at, id)
    WHERE deleted_at IS NULL;

CREATE TABLE phase_transitions (
    seq           INTEGER PRIMARY KEY,  -- insertion order, the tie-break of "oldest first"
    workspace_id  TEXT    NOT NULL,
    livemode      INTEGER NOT NULL,
    id            TEXT    NOT NULL,
    onboarding_id TEXT    NOT NULL,
    from_phase    TEXT    NOT NULL,
    to_phase      TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    reason        TEXT,
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, livemode, onboarding_id)
        REFERENCES onboardings (workspace_id, livemode, id)
) STRICT;
CREATE INDEX phase_transitions_by_onboarding
    ON phase_transitions (workspace_id, livemode, onboarding_id, created_at);

-- The history analytics reads (docs/reference.md#analytics): per onboarding, one row at creation and one per change of
-- phase, state, started_at, target_launch_date, csm_id or template_id, each holding those values
-- over [at, until) (`until` is set when the next row is appended; null for the newest). `seq`
-- counts 0, 1, 2, … per onboarding. Clustered by onboarding (WITHOUT ROWID), so the report reads
-- each onboarding's rows together, in order, straight from the primary key.
CREATE TABLE onboarding_history (
    workspace_id       TEXT    NOT NULL,
    livemode           INTEGER NOT NULL,
    onboarding_id      TEXT    NOT NULL,
    seq                INTEGER NOT NULL,
    at                 INTEGER NOT NULL,
    until              INTEGER,
    previous_phase     TEXT,  -- null for the row written at creation
    phase              TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    started_at         INTEGER NOT NULL,
    target_launch_date INTEGER,
    csm_id             TEXT,
    template_id        TEXT,
    PRIMARY KEY (workspace_id, livemode, onboarding_id, seq),
    FOREIGN KEY (workspace_id, livemode, onboarding_id)
        REFERENCES onboardings (workspace_id, livemode, id)
) STRICT, WITHOUT ROWID;

-- The change log. `sequence` counts per workspace, across both modes.
CREATE TABLE events (
    workspace_id TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    livemode     INTEGER NOT NULL,
    id           TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    object_id    TEXT    NOT NULL,
    customer_id  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    data         TEXT    NOT NULL,  -- {"object": …, "previous_attributes": … | null}
    UNIQUE (workspace_id, sequence)
) STRICT;
CREATE INDEX events_log ON events (workspace_id, livemode, sequence);
CREATE INDEX events_by_object ON events (workspace_id, livemode, object_id, sequence);
CREATE INDEX events_by_customer ON events (workspace_id, livemode, customer_id, sequence);

CREATE TABLE idempotency (
    workspace_id TEXT    NOT NULL,
    livemode     INTEGER NOT NULL,
    operation    TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,
    response     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, livemode, operation, key)
) STRICT;
