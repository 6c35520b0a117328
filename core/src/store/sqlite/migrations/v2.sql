-- Schema version 2: idempotency entries by age, so that expired ones can be forgotten oldest first
-- without reading the others.
CREATE INDEX idempotency_by_age ON idempotency (workspace_id, livemode, created_at);
