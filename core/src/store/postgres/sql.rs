//! The text of every statement the PostgreSQL store runs, each prepared once per connection.
//!
//! The statements of the SQLite store (`store::sqlite::sql`), in PostgreSQL's dialect:
//! parameters are `$n`, and cast where PostgreSQL could not infer their type (`$6::text IS NULL`);
//! `greatest`/`least` stand for SQLite's scalar `max`/`min`, `json_object_agg` for
//! `json_group_object`. A list position `(t, id)` selects rows strictly after it in
//! `created_at DESC, id DESC` order: `(created_at, id) < (t, id)`; every text column compares
//! byte by byte (`COLLATE "C"`), as in SQLite.

/// Defines each statement as a `&str` constant, and [`ALL`] listing them.
macro_rules! statements {
    ($($(#[$doc:meta])* $name:ident = $sql:expr;)*) => {
        $($(#[$doc])* pub(super) const $name: &str = $sql;)*

        /// Every statement, so that a test can prepare them all.
        #[cfg(test)]
        pub(super) const ALL: &[&str] = &[$($name,)*];
    };
}

/// The customer columns, in the order `rows::customer` reads them.
macro_rules! customer_columns {
    () => {
        "c.id, c.display_id, c.name, c.slug, c.domain, c.status, c.plan, c.mrr, c.monthly_orders, \
         c.hubspot_company_id, c.hubspot_deal_id, c.stripe_customer_id, c.intercom_company_id, \
         c.slack_channel_id, c.metadata, c.created_at, c.updated_at"
    };
}

/// The contact columns, in the order `rows::contact` reads them.
macro_rules! contact_columns {
    () => {
        "k.id, k.display_id, k.customer_id, k.name, k.email, k.title, k.phone, k.is_primary, \
         k.labels, k.created_at, k.updated_at"
    };
}

/// The onboarding columns, in the order `rows::onboarding` reads them.
macro_rules! onboarding_columns {
    () => {
        "o.id, o.display_id, o.customer_id, o.template_id, o.phase, o.state, o.started_at, \
         o.completed_at, o.target_launch_date, o.csm_id, o.se_id, o.designer_id, o.product_ops_id, \
         o.notes, o.waiting_on_customer, o.waiting_on_customer_since, o.wizard_completed_at, \
         o.reminder_email, o.reminder_slack, o.reminder_frequency_days, o.created_at, o.updated_at"
    };
}

/// The event columns, in the order `rows::event` reads them.
macro_rules! event_columns {
    () => {
        "e.id, e.sequence, e.type, e.created_at, e.workspace_id, e.livemode, e.actor, e.data"
    };
}

/// Customers `c` of the scope ($1, $2) that are not deleted, after the list position ($3, $4),
/// newest first, at most $5; optional status $6 and slug $7. A filter written as a plain equality
/// drives the scan through its index.
macro_rules! list_customers {
    ($filters:literal) => {
        concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers c
             WHERE c.workspace_id = $1 AND c.livemode = $2 AND c.deleted_at IS NULL
               AND (c.created_at, c.id) < ($3, $4) AND ",
            $filters,
            " ORDER BY c.created_at DESC, c.id DESC LIMIT $5"
        )
    };
}

/// Onboardings `o` of the scope ($1, $2) that are visible, after the list position ($3, $4),
/// newest first, at most $5; optional customer $6, phase $7, state $8.
macro_rules! list_onboardings {
    ($filters:literal) => {
        concat!(
            "SELECT ",
            onboarding_columns!(),
            " FROM onboardings o
             JOIN customers p
                 ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode
                AND p.id = o.customer_id
             WHERE o.workspace_id = $1 AND o.livemode = $2 AND o.deleted_at IS NULL
               AND p.deleted_at IS NULL AND (o.created_at, o.id) < ($3, $4) AND ",
            $filters,
            " ORDER BY o.created_at DESC, o.id DESC LIMIT $5"
        )
    };
}

/// The columns of a history row `h`, in the order `rows::history_entry` reads them.
macro_rules! history_columns {
    () => {
        "h.onboarding_id, h.seq, h.at, h.until, h.previous_phase, h.phase, h.state, h.started_at, \
         h.target_launch_date, h.csm_id, h.template_id"
    };
}

/// The start of history row `h`'s segment for the covered onboarding `v` (`v.s`: its
/// `started_at` as of the report's instant): the creation row starts at `started_at`, the others
/// at their instant, never before `started_at`. See `analytics::summary`.
macro_rules! segment_lo {
    () => {
        "(CASE WHEN h.previous_phase IS NULL THEN v.s ELSE greatest(h.at, v.s) END)"
    };
}

/// The end of history row `h`'s segment as of $3: its `until` capped at $3; a row in phase
/// `completed` ends where it begins (completion stops the clock).
macro_rules! segment_hi {
    () => {
        "(CASE WHEN h.phase = 'completed' THEN h.at ELSE least(coalesce(h.until, $3::bigint), $3::bigint) END)"
    };
}

/// A correlated sum, over the segments of the covered onboarding `v` (its history rows `h` at or
/// before $3), of the given terms (literals and `segment_lo!()`/`segment_hi!()`).
macro_rules! segments_sum {
    ($($term:expr),* $(,)?) => {
        concat!(
            "(SELECT sum(",
            $($term,)*
            ") FROM onboarding_history h
              WHERE h.workspace_id = $1 AND h.livemode = $2 AND h.onboarding_id = v.id
                AND h.at <= $3::bigint)"
        )
    };
}

/// The workspace report (docs/reference.md#analytics) as one row, over the scope ($1, $2) as of $3 (unix ms), with
/// the filters customer $4, CSM $5 and template $6 (null: any), counting as stalled the open
/// onboardings whose current stint's SLA time exceeds $7 ms (null: none). `$drive` restricts the
/// history rows read (`1` for all of them). Every rule is the one of `analytics::summary`, term
/// for term:
///
/// - `b`: per onboarding, from its rows at or before $3, the newest row's `seq`, the launch `l`
///   (first row at or beyond `launch`) and the current stint's start `x` (newest row entering a
///   phase; the creation row counts as −∞, so the stint starts at `started_at`);
/// - `v`: the covered onboardings: visible (not deleted, nor their customer), their values as of
///   $3 (the newest row's), filtered;
/// - `o`: per covered onboarding, the sums over its segments `[lo, hi)`: SLA time of the current
///   stint, and elapsed and SLA time before the launch;
/// - the result: counts, and for each launch duration the values at the ranks the percentiles
///   need (`analytics::RankSample::needed_ranks`), as a JSON object rank → value.
///
/// Cost: one pass over the scope's history rows in primary-key order (no sort), then three
/// primary-key lookups and at most three short range scans per onboarding; the per-onboarding
/// rows (a few integers each) are materialised, and the only sorts are of those.
macro_rules! onboarding_report {
    ($drive:literal) => {
        concat!(
            "WITH
             b AS (
                 SELECT h.onboarding_id AS id, max(h.seq) AS last_seq,
                     min(CASE WHEN h.phase IN ('launch', 'completed') THEN h.at END) AS l,
                     coalesce(max(CASE WHEN h.previous_phase IS NULL THEN (-9223372036854775807 - 1)
                                       WHEN h.previous_phase <> h.phase THEN h.at END),
                              (-9223372036854775807 - 1)) AS x
                 FROM onboarding_history h
                 WHERE h.workspace_id = $1 AND h.livemode = $2 AND h.at <= $3::bigint AND ",
            $drive,
            "
                 GROUP BY h.onboarding_id
             ),
             v AS MATERIALIZED (
                 SELECT b.id, b.l, b.x, h.phase, h.state, h.started_at AS s,
                     h.target_launch_date AS target
                 FROM b
                 JOIN onboarding_history h
                     ON h.workspace_id = $1 AND h.livemode = $2 AND h.onboarding_id = b.id
                    AND h.seq = b.last_seq
                 JOIN onboardings k
                     ON k.workspace_id = $1 AND k.livemode = $2 AND k.id = b.id
                 JOIN customers p
                     ON p.workspace_id = $1 AND p.livemode = $2 AND p.id = k.customer_id
                 WHERE k.deleted_at IS NULL AND p.deleted_at IS NULL
                   AND ($4::text IS NULL OR k.customer_id = $4) AND ($5::text IS NULL OR h.csm_id = $5)
                   AND ($6::text IS NULL OR h.template_id = $6)
             ),
             o AS MATERIALIZED (
                 SELECT v.phase, v.state, v.target, v.l,
                     ",
            segments_sum!(
                "CASE WHEN h.state = 'waiting' THEN 0 ELSE greatest(0, ",
                segment_hi!(),
                " - greatest(",
                segment_lo!(),
                ", v.x)) END"
            ),
            " AS stint_sla,
                     CASE WHEN v.l IS NOT NULL THEN ",
            segments_sum!("greatest(0, least(", segment_hi!(), ", v.l) - ", segment_lo!(), ")"),
            " END AS to_launch,
                     CASE WHEN v.l IS NOT NULL THEN ",
            segments_sum!(
                "CASE WHEN h.state = 'waiting' THEN 0 ELSE greatest(0, least(",
                segment_hi!(),
                ", v.l) - ",
                segment_lo!(),
                ") END"
            ),
            " END AS sla_to_launch
                 FROM v
             )
             SELECT
                 (SELECT count(*) FROM o),
                 (SELECT coalesce(json_object_agg(phase, n), '{}')::text
                  FROM (SELECT phase, count(*) AS n FROM o GROUP BY phase) AS t),
                 (SELECT coalesce(json_object_agg(state, n), '{}')::text
                  FROM (SELECT state, count(*) AS n FROM o GROUP BY state) AS t),
                 (SELECT count(*) FROM o WHERE l IS NOT NULL),
                 (SELECT count(*) FROM o WHERE l IS NOT NULL AND target IS NOT NULL),
                 (SELECT count(*) FROM o WHERE l <= target),
                 (SELECT count(*) FROM o WHERE l IS NULL AND target < $3::bigint),
                 (SELECT count(*) FROM o WHERE phase <> 'completed'
                     AND (state = 'at_risk' OR (l IS NULL AND target < $3::bigint))),
                 (SELECT count(*) FROM o WHERE phase <> 'completed' AND stint_sla > $7::bigint),
                 (SELECT coalesce(json_object_agg(i, d), '{}')::text FROM (
                     SELECT to_launch AS d, row_number() OVER (ORDER BY to_launch) - 1 AS i,
                         count(*) OVER () AS n
                     FROM o WHERE l IS NOT NULL) AS t
                  WHERE i IN ((n - 1) / 2, (n - 1) / 2 + 1, (n - 1) * 9 / 10, (n - 1) * 9 / 10 + 1)),
                 (SELECT coalesce(json_object_agg(i, d), '{}')::text FROM (
                     SELECT sla_to_launch AS d, row_number() OVER (ORDER BY sla_to_launch) - 1 AS i,
                         count(*) OVER () AS n
                     FROM o WHERE l IS NOT NULL) AS t
                  WHERE i IN ((n - 1) / 2, (n - 1) / 2 + 1, (n - 1) * 9 / 10, (n - 1) * 9 / 10 + 1))"
        )
    };
}

statements! {
    /// $1 workspace id ('' for the workspace list): locks its row of `write_locks`, creating it
    /// if needed, until the transaction ends.
    /// Returns the workspace's last event sequence.
    LOCK_WRITES = "INSERT INTO write_locks (workspace_id) VALUES ($1)
        ON CONFLICT (workspace_id) DO UPDATE SET sequence = write_locks.sequence
        RETURNING sequence";
    /// $1 workspace id, $2 its last event sequence.
    STORE_SEQUENCE = "UPDATE write_locks SET sequence = $2 WHERE workspace_id = $1";
    /// $1 id.
    WORKSPACE = "SELECT id, slug, name FROM workspaces WHERE id = $1";
    /// $1 slug; the oldest when several share it.
    WORKSPACE_BY_SLUG = "SELECT id, slug, name FROM workspaces WHERE slug = $1 ORDER BY seq LIMIT 1";
    /// $1 id, $2 slug, $3 name, $4 created_at.
    INSERT_WORKSPACE =
        "INSERT INTO workspaces (id, slug, name, created_at) VALUES ($1, $2, $3, $4)";
    /// Oldest first, ties in insertion order.
    WORKSPACES = "SELECT id, slug, name FROM workspaces ORDER BY created_at, seq";
    /// $1 ws, $2 live, $3 id, $4 name, $5 prefix, $6 hash, $7 created_at.
    INSERT_API_KEY = "INSERT INTO api_keys
        (workspace_id, livemode, id, name, prefix, hash, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)";
    /// $1 ws, $2 live; oldest first, ties in insertion order.
    API_KEYS = "SELECT id, name, prefix, livemode, created_at, revoked_at FROM api_keys
        WHERE workspace_id = $1 AND livemode = $2 ORDER BY created_at, seq";
    /// $1 ws, $2 live, $3 id.
    API_KEY = "SELECT id, name, prefix, livemode, created_at, revoked_at FROM api_keys
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3";
    /// $1 ws, $2 live, $3 id: a row when the key exists and is not revoked.
    LIVE_API_KEY = "SELECT 1 FROM api_keys
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND revoked_at IS NULL";
    /// $1 ws, $2 live, $3 id, $4 revoked_at; keeps the first revocation time.
    REVOKE_API_KEY = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $4)
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3";
    /// $1 prefix; every workspace and mode.
    API_KEYS_BY_PREFIX = "SELECT id, name, prefix, livemode, created_at, revoked_at, workspace_id, hash
        FROM api_keys WHERE prefix = $1 ORDER BY seq";
    /// $1 workspace, $2 kind; returns the taken value.
    NEXT_DISPLAY_ID = "INSERT INTO counters (workspace_id, kind, value) VALUES ($1, $2, 1)
        ON CONFLICT (workspace_id, kind) DO UPDATE SET value = counters.value + 1
        RETURNING value";
    /// $1 ws, $2 kind, $3 the value the counter must reach at least; returns its value.
    RAISE_DISPLAY_ID = "INSERT INTO counters (workspace_id, kind, value) VALUES ($1, $2, $3)
        ON CONFLICT (workspace_id, kind) DO UPDATE SET value = greatest(counters.value, excluded.value)
        RETURNING value";
    /// $1 ws, $2 kind, $3 the counter's value.
    STORE_DISPLAY_ID = "UPDATE counters SET value = $3 WHERE workspace_id = $1 AND kind = $2";
    /// $1 ws, $2 display_id.
    CUSTOMER_DISPLAY_ID_OWNER = "SELECT livemode, id FROM customers
        WHERE workspace_id = $1 AND display_id = $2";
    /// $1 ws, $2 display_id.
    CONTACT_DISPLAY_ID_OWNER = "SELECT livemode, id FROM contacts
        WHERE workspace_id = $1 AND display_id = $2";
    /// $1 ws, $2 display_id.
    ONBOARDING_DISPLAY_ID_OWNER = "SELECT livemode, id FROM onboardings
        WHERE workspace_id = $1 AND display_id = $2";
    /// $1 ws, $2 live, $3 id.
    CUSTOMER_EXISTS = "SELECT 1 FROM customers WHERE workspace_id = $1 AND livemode = $2 AND id = $3";
    /// $1 ws, $2 live, $3 id.
    CONTACT_EXISTS = "SELECT 1 FROM contacts WHERE workspace_id = $1 AND livemode = $2 AND id = $3";
    /// $1 ws, $2 live, $3 id.
    ONBOARDING_EXISTS =
        "SELECT 1 FROM onboardings WHERE workspace_id = $1 AND livemode = $2 AND id = $3";

    /// $1 ws, $2 live, $3 id, $4 display_id, $5 name, $6 slug, $7 domain, $8 status, $9 plan,
    /// $10 mrr, $11 monthly_orders, $12 hubspot_company_id, $13 hubspot_deal_id,
    /// $14 stripe_customer_id, $15 intercom_company_id, $16 slack_channel_id, $17 metadata,
    /// $18 created_at, $19 updated_at.
    INSERT_CUSTOMER = "INSERT INTO customers (workspace_id, livemode, id, display_id, name, slug,
            domain, status, plan, mrr, monthly_orders, hubspot_company_id, hubspot_deal_id,
            stripe_customer_id, intercom_company_id, slack_channel_id, metadata, created_at,
            updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19)";
    /// The parameters of [`INSERT_CUSTOMER`]; display_id ($4) and created_at ($18) are fixed at
    /// insert and not read (only typed: PostgreSQL must know every parameter's type).
    UPDATE_CUSTOMER = "UPDATE customers SET name = $5, slug = $6, domain = $7, status = $8,
            plan = $9, mrr = $10, monthly_orders = $11, hubspot_company_id = $12,
            hubspot_deal_id = $13, stripe_customer_id = $14, intercom_company_id = $15,
            slack_channel_id = $16, metadata = $17, updated_at = $19
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND deleted_at IS NULL
          AND ($4::bigint IS NULL OR $18::bigint IS NULL OR TRUE)";
    /// $1 ws, $2 live, $3 id, $4 deleted_at.
    DELETE_CUSTOMER = "UPDATE customers SET deleted_at = $4
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND deleted_at IS NULL";
    /// $1 ws, $2 live, $3 id.
    CUSTOMER = concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers c
         WHERE c.workspace_id = $1 AND c.livemode = $2 AND c.id = $3 AND c.deleted_at IS NULL"
    );
    /// $1 ws, $2 live, $3 display_id.
    CUSTOMER_BY_DISPLAY_ID = concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers c
         WHERE c.workspace_id = $1 AND c.display_id = $3 AND c.livemode = $2
           AND c.deleted_at IS NULL"
    );
    /// $1 ws, $2 live, $3 slug; the newest when several share it.
    CUSTOMER_ID_BY_SLUG = "SELECT c.id FROM customers c
        WHERE c.workspace_id = $1 AND c.livemode = $2 AND c.slug = $3 AND c.deleted_at IS NULL
        ORDER BY c.created_at DESC, c.id DESC LIMIT 1";
    /// See `list_customers!`; no filter drives.
    LIST_CUSTOMERS = list_customers!("($6::text IS NULL OR c.status = $6) AND ($7::text IS NULL OR c.slug = $7)");
    /// See `list_customers!`; the status drives.
    LIST_CUSTOMERS_BY_STATUS = list_customers!("c.status = $6 AND ($7::text IS NULL OR c.slug = $7)");
    /// See `list_customers!`; the slug drives.
    LIST_CUSTOMERS_BY_SLUG = list_customers!("($6::text IS NULL OR c.status = $6) AND c.slug = $7");

    /// $1 ws, $2 live, $3 id, $4 display_id, $5 customer_id, $6 name, $7 email, $8 title,
    /// $9 phone, $10 is_primary, $11 labels, $12 created_at, $13 updated_at.
    INSERT_CONTACT = "INSERT INTO contacts (workspace_id, livemode, id, display_id, customer_id,
            name, email, title, phone, is_primary, labels, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    /// The parameters of [`INSERT_CONTACT`]; display_id ($4), customer_id ($5) and created_at
    /// ($12) are fixed at insert and not read (only typed).
    UPDATE_CONTACT = "UPDATE contacts SET name = $6, email = $7, title = $8, phone = $9,
            is_primary = $10, labels = $11, updated_at = $13
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND deleted_at IS NULL
          AND ($4::bigint IS NULL OR $5::text IS NULL OR $12::bigint IS NULL OR TRUE)
          AND EXISTS (SELECT 1 FROM customers p
                      WHERE p.workspace_id = $1 AND p.livemode = $2
                        AND p.id = contacts.customer_id AND p.deleted_at IS NULL)";
    /// $1 ws, $2 live, $3 id, $4 deleted_at.
    DELETE_CONTACT = "UPDATE contacts SET deleted_at = $4
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM customers p
                      WHERE p.workspace_id = $1 AND p.livemode = $2
                        AND p.id = contacts.customer_id AND p.deleted_at IS NULL)";
    /// $1 ws, $2 live, $3 id.
    CONTACT = concat!(
        "SELECT ",
        contact_columns!(),
        " FROM contacts k
         JOIN customers p
             ON p.workspace_id = k.workspace_id AND p.livemode = k.livemode
            AND p.id = k.customer_id
         WHERE k.workspace_id = $1 AND k.livemode = $2 AND k.id = $3 AND k.deleted_at IS NULL
           AND p.deleted_at IS NULL"
    );
    /// $1 ws, $2 live, $3 display_id.
    CONTACT_BY_DISPLAY_ID = concat!(
        "SELECT ",
        contact_columns!(),
        " FROM contacts k
         JOIN customers p
             ON p.workspace_id = k.workspace_id AND p.livemode = k.livemode
            AND p.id = k.customer_id
         WHERE k.workspace_id = $1 AND k.display_id = $3 AND k.livemode = $2
           AND k.deleted_at IS NULL AND p.deleted_at IS NULL"
    );
    /// $1 ws, $2 live, $3 customer_id, $4 email; the newest when several share it.
    CONTACT_ID_BY_EMAIL = "SELECT k.id FROM customers p
        JOIN contacts k ON true
        WHERE p.workspace_id = $1 AND p.livemode = $2 AND p.id = $3 AND p.deleted_at IS NULL
          AND k.workspace_id = $1 AND k.livemode = $2 AND k.customer_id = $3 AND k.email = $4
          AND k.deleted_at IS NULL
        ORDER BY k.created_at DESC, k.id DESC LIMIT 1";
    /// $1 ws, $2 live, $3 customer_id; the newest when several are primary.
    PRIMARY_CONTACT = concat!(
        "SELECT ",
        contact_columns!(),
        " FROM customers p
         JOIN contacts k ON true
         WHERE p.workspace_id = $1 AND p.livemode = $2 AND p.id = $3 AND p.deleted_at IS NULL
           AND k.workspace_id = $1 AND k.livemode = $2 AND k.customer_id = $3
           AND k.deleted_at IS NULL AND k.is_primary
         ORDER BY k.created_at DESC, k.id DESC LIMIT 1"
    );
    /// $1 ws, $2 live, $3 customer_id, list position ($4, $5), $6 limit.
    LIST_CONTACTS = concat!(
        "SELECT ",
        contact_columns!(),
        " FROM customers p
         JOIN contacts k ON true
         WHERE p.workspace_id = $1 AND p.livemode = $2 AND p.id = $3 AND p.deleted_at IS NULL
           AND k.workspace_id = $1 AND k.livemode = $2 AND k.customer_id = $3
           AND k.deleted_at IS NULL AND (k.created_at, k.id) < ($4, $5)
         ORDER BY k.created_at DESC, k.id DESC LIMIT $6"
    );

    /// $1 ws, $2 live, $3 id, $4 display_id, $5 customer_id, $6 template_id, $7 phase, $8 state,
    /// $9 started_at, $10 completed_at, $11 target_launch_date, $12 csm_id, $13 se_id,
    /// $14 designer_id, $15 product_ops_id, $16 notes, $17 waiting_on_customer,
    /// $18 waiting_on_customer_since, $19 wizard_completed_at, $20 reminder_email,
    /// $21 reminder_slack, $22 reminder_frequency_days, $23 created_at, $24 updated_at.
    INSERT_ONBOARDING = "INSERT INTO onboardings (workspace_id, livemode, id, display_id,
            customer_id, template_id, phase, state, started_at, completed_at, target_launch_date,
            csm_id, se_id, designer_id, product_ops_id, notes, waiting_on_customer,
            waiting_on_customer_since, wizard_completed_at, reminder_email, reminder_slack,
            reminder_frequency_days, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20, $21, $22, $23, $24)";
    /// The parameters of [`INSERT_ONBOARDING`]; display_id ($4), customer_id ($5) and
    /// created_at ($23) are fixed at insert and not read (only typed).
    UPDATE_ONBOARDING = "UPDATE onboardings SET template_id = $6, phase = $7, state = $8,
            started_at = $9, completed_at = $10, target_launch_date = $11, csm_id = $12,
            se_id = $13, designer_id = $14, product_ops_id = $15, notes = $16,
            waiting_on_customer = $17, waiting_on_customer_since = $18,
            wizard_completed_at = $19, reminder_email = $20, reminder_slack = $21,
            reminder_frequency_days = $22, updated_at = $24
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND deleted_at IS NULL
          AND ($4::bigint IS NULL OR $5::text IS NULL OR $23::bigint IS NULL OR TRUE)
          AND EXISTS (SELECT 1 FROM customers p
                      WHERE p.workspace_id = $1 AND p.livemode = $2
                        AND p.id = onboardings.customer_id AND p.deleted_at IS NULL)";
    /// $1 ws, $2 live, $3 id, $4 deleted_at.
    DELETE_ONBOARDING = "UPDATE onboardings SET deleted_at = $4
        WHERE workspace_id = $1 AND livemode = $2 AND id = $3 AND deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM customers p
                      WHERE p.workspace_id = $1 AND p.livemode = $2
                        AND p.id = onboardings.customer_id AND p.deleted_at IS NULL)";
    /// $1 ws, $2 live, $3 id.
    ONBOARDING = concat!(
        "SELECT ",
        onboarding_columns!(),
        " FROM onboardings o
         JOIN customers p
             ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode
            AND p.id = o.customer_id
         WHERE o.workspace_id = $1 AND o.livemode = $2 AND o.id = $3 AND o.deleted_at IS NULL
           AND p.deleted_at IS NULL"
    );
    /// $1 ws, $2 live, $3 display_id.
    ONBOARDING_BY_DISPLAY_ID = concat!(
        "SELECT ",
        onboarding_columns!(),
        " FROM onboardings o
         JOIN customers p
             ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode
            AND p.id = o.customer_id
         WHERE o.workspace_id = $1 AND o.display_id = $3 AND o.livemode = $2
           AND o.deleted_at IS NULL AND p.deleted_at IS NULL"
    );
    /// See `list_onboardings!`; no filter drives.
    LIST_ONBOARDINGS = list_onboardings!(
        "($6::text IS NULL OR o.customer_id = $6) AND ($7::text IS NULL OR o.phase = $7)
         AND ($8::text IS NULL OR o.state = $8)"
    );
    /// See `list_onboardings!`; the customer drives.
    LIST_ONBOARDINGS_BY_CUSTOMER = list_onboardings!(
        "o.customer_id = $6 AND ($7::text IS NULL OR o.phase = $7) AND ($8::text IS NULL OR o.state = $8)"
    );
    /// See `list_onboardings!`; the phase drives.
    LIST_ONBOARDINGS_BY_PHASE = list_onboardings!(
        "($6::text IS NULL OR o.customer_id = $6) AND o.phase = $7 AND ($8::text IS NULL OR o.state = $8)"
    );
    /// See `list_onboardings!`; the state drives.
    LIST_ONBOARDINGS_BY_STATE = list_onboardings!(
        "($6::text IS NULL OR o.customer_id = $6) AND ($7::text IS NULL OR o.phase = $7) AND o.state = $8"
    );
    /// $1 ws, $2 live, $3 customer_id.
    CUSTOMER_ONBOARDINGS = concat!(
        "SELECT ",
        onboarding_columns!(),
        " FROM customers p
         JOIN onboardings o ON true
         WHERE p.workspace_id = $1 AND p.livemode = $2 AND p.id = $3 AND p.deleted_at IS NULL
           AND o.workspace_id = $1 AND o.livemode = $2 AND o.customer_id = $3
           AND o.deleted_at IS NULL
         ORDER BY o.created_at DESC, o.id DESC"
    );

    /// $1 ws, $2 live, $3 id, $4 onboarding_id, $5 from_phase, $6 to_phase, $7 actor, $8 reason,
    /// $9 created_at.
    INSERT_TRANSITION = "INSERT INTO phase_transitions (workspace_id, livemode, id,
            onboarding_id, from_phase, to_phase, actor, reason, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    /// $1 ws, $2 live, $3 onboarding_id; oldest first, ties in insertion order.
    TRANSITIONS = "SELECT t.id, t.onboarding_id, t.from_phase, t.to_phase, t.actor, t.reason,
            t.created_at
        FROM phase_transitions t
        WHERE t.workspace_id = $1 AND t.livemode = $2 AND t.onboarding_id = $3
        ORDER BY t.created_at, t.seq";

    /// $1 ws, $2 live, $3 onboarding_id, $4 at, $5 previous_phase, $6 phase, $7 state,
    /// $8 started_at, $9 target_launch_date, $10 csm_id, $11 template_id; takes the onboarding's
    /// next `seq` and returns it.
    APPEND_HISTORY = "INSERT INTO onboarding_history (workspace_id, livemode, onboarding_id, seq,
            at, until, previous_phase, phase, state, started_at, target_launch_date, csm_id,
            template_id)
        SELECT $1::text, $2::boolean, $3::text,
            coalesce((SELECT max(seq) + 1 FROM onboarding_history
                      WHERE workspace_id = $1 AND livemode = $2 AND onboarding_id = $3), 0),
            $4::bigint, NULL, $5::text, $6::text, $7::text, $8::bigint, $9::bigint, $10::text,
            $11::text
        RETURNING seq";
    /// $1 ws, $2 live, $3 onboarding_id, $4 seq, $5 until: closes the entry.
    CLOSE_HISTORY = "UPDATE onboarding_history SET until = $5
        WHERE workspace_id = $1 AND livemode = $2 AND onboarding_id = $3 AND seq = $4";
    /// $1 ws, $2 live, $3 onboarding_id; in `seq` order.
    HISTORY = concat!(
        "SELECT ",
        history_columns!(),
        " FROM onboarding_history h
         WHERE h.workspace_id = $1 AND h.livemode = $2 AND h.onboarding_id = $3
         ORDER BY h.seq"
    );
    /// See `onboarding_report!`; every history row of the scope.
    REPORT = onboarding_report!("TRUE");
    /// See `onboarding_report!`; only the rows of customer $4's onboardings.
    REPORT_FOR_CUSTOMER = onboarding_report!(
        "h.onboarding_id IN (SELECT k.id FROM onboardings k
             WHERE k.workspace_id = $1 AND k.livemode = $2 AND k.customer_id = $4
               AND k.deleted_at IS NULL)"
    );

    /// $1 ws, $2 live, $3 id, $4 type, $5 object_id, $6 customer_id, $7 created_at, $8 actor,
    /// $9 data, $10 sequence.
    INSERT_EVENT = "INSERT INTO events (workspace_id, livemode, sequence, id, type, object_id,
            customer_id, created_at, actor, data)
        VALUES ($1, $2, $10, $3, $4, $5, $6, $7, $8, $9)";
    /// As [`INSERT_EVENT`], also storing $10 as the workspace's last sequence in its
    /// `write_locks` row (which the transaction holds locked).
    APPEND_EVENT = "WITH s AS (UPDATE write_locks SET sequence = $10 WHERE workspace_id = $1)
        INSERT INTO events (workspace_id, livemode, sequence, id, type, object_id, customer_id,
            created_at, actor, data)
        VALUES ($1, $2, $10, $3, $4, $5, $6, $7, $8, $9)";
    /// $1 ws, $2 live, $3 after sequence, $4 types (an array, or null for all), $5 object_id
    /// (null for all), $6 limit; ascending.
    EVENTS = concat!(
        "SELECT ",
        event_columns!(),
        " FROM events e
         WHERE e.workspace_id = $1 AND e.livemode = $2 AND e.sequence > $3
           AND ($4::text[] IS NULL OR e.type = ANY ($4))
           AND ($5::text IS NULL OR e.object_id = $5)
         ORDER BY e.sequence LIMIT $6"
    );
    /// As [`EVENTS`], with the object id $5 given.
    EVENTS_BY_OBJECT = concat!(
        "SELECT ",
        event_columns!(),
        " FROM events e
         WHERE e.workspace_id = $1 AND e.livemode = $2 AND e.object_id = $5 AND e.sequence > $3
           AND ($4::text[] IS NULL OR e.type = ANY ($4))
         ORDER BY e.sequence LIMIT $6"
    );
    /// $1 ws, $2 live, $3 customer_id, $4 before sequence, $5 before created_at, $6 limit;
    /// newest first.
    TIMELINE = concat!(
        "SELECT ",
        event_columns!(),
        " FROM events e
         WHERE e.workspace_id = $1 AND e.livemode = $2 AND e.customer_id = $3
           AND e.sequence < $4 AND e.created_at < $5
         ORDER BY e.sequence DESC LIMIT $6"
    );

    /// $1 ws, $2 live, $3 operation, $4 key.
    IDEMPOTENCY_ENTRY = "SELECT fingerprint, response, created_at FROM idempotency
        WHERE workspace_id = $1 AND livemode = $2 AND operation = $3 AND key = $4";
    /// $1 ws, $2 live, $3 operation, $4 key, $5 fingerprint, $6 response, $7 created_at.
    PUT_IDEMPOTENCY_ENTRY = "INSERT INTO idempotency (workspace_id, livemode, operation, key,
            fingerprint, response, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (workspace_id, livemode, operation, key) DO UPDATE
            SET fingerprint = excluded.fingerprint, response = excluded.response,
                created_at = excluded.created_at";
    /// $1 ws, $2 live, $3 created before, $4 at most this many, oldest first.
    FORGET_IDEMPOTENCY_ENTRIES = "DELETE FROM idempotency WHERE (operation, key) IN (
            SELECT operation, key FROM idempotency
            WHERE workspace_id = $1 AND livemode = $2 AND created_at < $3
            ORDER BY created_at LIMIT $4)
          AND workspace_id = $1 AND livemode = $2";
}
