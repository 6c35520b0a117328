-- pivotal-core PostgreSQL schema, version 1: the full schema of a new database.
--
-- The conventions of the SQLite schema: every domain row carries its scope (workspace_id,
-- livemode); timestamps are BIGINT unix milliseconds; enums are their wire strings; metadata,
-- labels and event payloads are JSON text (TEXT, so that their key order is kept). Every text
-- column sorts and compares byte by byte (COLLATE "C"), as in SQLite, whatever the database's
-- collation. Only plain tables, B-tree indexes and partial indexes: nothing a PostgreSQL-compatible
-- distributed engine lacks (README, PostgreSQL).

-- The schema version (one row), read and written by the opening process under a lock.
CREATE TABLE pivotal_schema (
    version BIGINT NOT NULL
);
INSERT INTO pivotal_schema (version) VALUES (0);

CREATE TABLE workspaces (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the tie-break of "oldest first"
    id         TEXT COLLATE "C" NOT NULL UNIQUE,
    slug       TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX workspaces_by_slug ON workspaces (slug);

-- The row each write transaction locks (SELECT … FOR UPDATE) before anything else, one per
-- workspace plus one ('') for the workspace list itself, so that the writes of one workspace
-- run one at a time whichever process or machine makes them. `sequence` is the workspace's last
-- event sequence, taken under that lock: see `store::postgres` for why a tailer never misses one.
CREATE TABLE write_locks (
    workspace_id TEXT COLLATE "C" PRIMARY KEY,
    sequence     BIGINT NOT NULL DEFAULT 0
);
INSERT INTO write_locks (workspace_id) VALUES ('');

CREATE TABLE api_keys (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    livemode     BOOLEAN NOT NULL,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    name         TEXT COLLATE "C" NOT NULL,
    prefix       TEXT COLLATE "C" NOT NULL,
    hash         TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_by_scope ON api_keys (workspace_id, livemode, created_at, seq);
CREATE INDEX api_keys_by_prefix ON api_keys (prefix);

-- Display-id counters, per workspace and record kind, shared by live and test mode.
CREATE TABLE counters (
    workspace_id TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    value        BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);

CREATE TABLE customers (
    workspace_id        TEXT COLLATE "C" NOT NULL,
    livemode            BOOLEAN NOT NULL,
    id                  TEXT COLLATE "C" NOT NULL,
    display_id          BIGINT NOT NULL,
    deleted_at          BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    slug                TEXT COLLATE "C" NOT NULL,
    name                TEXT COLLATE "C" NOT NULL,
    domain              TEXT COLLATE "C",
    plan                TEXT COLLATE "C",
    mrr                 BIGINT,
    monthly_orders      BIGINT,
    hubspot_company_id  TEXT COLLATE "C",
    hubspot_deal_id     TEXT COLLATE "C",
    stripe_customer_id  TEXT COLLATE "C",
    intercom_company_id TEXT COLLATE "C",
    slack_channel_id    TEXT COLLATE "C",
    metadata            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, livemode, id),
    UNIQUE (workspace_id, display_id)
);
CREATE INDEX customers_list ON customers (workspace_id, livemode, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX customers_by_status ON customers (workspace_id, livemode, status, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX customers_by_slug ON customers (workspace_id, livemode, slug, created_at, id)
    WHERE deleted_at IS NULL;

CREATE TABLE contacts (
    workspace_id TEXT COLLATE "C" NOT NULL,
    livemode     BOOLEAN NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    display_id   BIGINT NOT NULL,
    customer_id  TEXT COLLATE "C" NOT NULL,
    deleted_at   BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    is_primary   BOOLEAN NOT NULL,
    email        TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    title        TEXT COLLATE "C",
    phone        TEXT COLLATE "C",
    labels       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, livemode, id),
    UNIQUE (workspace_id, display_id),
    FOREIGN KEY (workspace_id, livemode, customer_id)
        REFERENCES customers (workspace_id, livemode, id)
);
CREATE INDEX contacts_list ON contacts (workspace_id, livemode, customer_id, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_email ON contacts (workspace_id, livemode, customer_id, email)
    WHERE deleted_at IS NULL;

CREATE TABLE onboardings (
    workspace_id              TEXT COLLATE "C" NOT NULL,
    livemode                  BOOLEAN NOT NULL,
    id                        TEXT COLLATE "C" NOT NULL,
    display_id                BIGINT NOT NULL,
    customer_id               TEXT COLLATE "C" NOT NULL,
    deleted_at                BIGINT,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL,
    phase                     TEXT COLLATE "C" NOT NULL,
    state                     TEXT COLLATE "C" NOT NULL,
    started_at                BIGINT NOT NULL,
    completed_at              BIGINT,
    target_launch_date        BIGINT,
    waiting_on_customer       BOOLEAN NOT NULL,
    waiting_on_customer_since BIGINT,
    wizard_completed_at       BIGINT,
    reminder_email            BOOLEAN NOT NULL,
    reminder_slack            BOOLEAN NOT NULL,
    reminder_frequency_days   BIGINT NOT NULL,
    template_id               TEXT COLLATE "C",
    csm_id                    TEXT COLLATE "C",
    se_id                     TEXT COLLATE "C",
    designer_id               TEXT COLLATE "C",
    product_ops_id            TEXT COLLATE "C",
    notes                     TEXT COLLATE "C",
    PRIMARY KEY (workspace_id, livemode, id),
    UNIQUE (workspace_id, display_id),
    FOREIGN KEY (workspace_id, livemode, customer_id)
        REFERENCES customers (workspace_id, livemode, id)
);
CREATE INDEX onboardings_list ON onboardings (workspace_id, livemode, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX onboardings_by_customer
    ON onboardings (workspace_id, livemode, customer_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX onboardings_by_phase ON onboardings (workspace_id, livemode, phase, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX onboardings_by_state ON onboardings (workspace_id, livemode, state, created_at, id)
    WHERE deleted_at IS NULL;

CREATE TABLE phase_transitions (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  TEXT COLLATE "C" NOT NULL,
    livemode      BOOLEAN NOT NULL,
    id            TEXT COLLATE "C" NOT NULL,
    onboarding_id TEXT COLLATE "C" NOT NULL,
    from_phase    TEXT COLLATE "C" NOT NULL,
    to_phase      TEXT COLLATE "C" NOT NULL,
    actor         TEXT COLLATE "C" NOT NULL,
    reason        TEXT COLLATE "C",
    created_at    BIGINT NOT NULL,
    FOREIGN KEY (workspace_id, livemode, onboarding_id)
        REFERENCES onboardings (workspace_id, livemode, id)
);
CREATE INDEX phase_transitions_by_onboarding
    ON phase_transitions (workspace_id, livemode, onboarding_id, created_at, seq);

-- The history analytics reads: see the SQLite schema.
CREATE TABLE onboarding_history (
    workspace_id       TEXT COLLATE "C" NOT NULL,
    livemode           BOOLEAN NOT NULL,
    onboarding_id      TEXT COLLATE "C" NOT NULL,
    seq                BIGINT NOT NULL,
    at                 BIGINT NOT NULL,
    until              BIGINT,
    previous_phase     TEXT COLLATE "C",
    phase              TEXT COLLATE "C" NOT NULL,
    state              TEXT COLLATE "C" NOT NULL,
    started_at         BIGINT NOT NULL,
    target_launch_date BIGINT,
    csm_id             TEXT COLLATE "C",
    template_id        TEXT COLLATE "C",
    PRIMARY KEY (workspace_id, livemode, onboarding_id, seq),
    FOREIGN KEY (workspace_id, livemode, onboarding_id)
        REFERENCES onboardings (workspace_id, livemode, id)
);

-- The change log. `sequence` counts per workspace, across both modes.
CREATE TABLE events (
    workspace_id TEXT COLLATE "C" NOT NULL,
    sequence     BIGINT NOT NULL,
    livemode     BOOLEAN NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    type         TEXT COLLATE "C" NOT NULL,
    object_id    TEXT COLLATE "C" NOT NULL,
    customer_id  TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL,
    actor        TEXT COLLATE "C" NOT NULL,
    data         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, sequence)
);
CREATE INDEX events_log ON events (workspace_id, livemode, sequence);
CREATE INDEX events_by_object ON events (workspace_id, livemode, object_id, sequence);
CREATE INDEX events_by_customer ON events (workspace_id, livemode, customer_id, sequence);

CREATE TABLE idempotency (
    workspace_id TEXT COLLATE "C" NOT NULL,
    livemode     BOOLEAN NOT NULL,
    operation    TEXT COLLATE "C" NOT NULL,
    key          TEXT COLLATE "C" NOT NULL,
    fingerprint  TEXT COLLATE "C" NOT NULL,
    response     TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, livemode, operation, key)
);
CREATE INDEX idempotency_by_age ON idempotency (workspace_id, livemode, created_at);
