-- The PostgreSQL twin of Sqlite/Migrations/0015_waiting_line.sql. The waiting line (issue 17, docs/waiting-line.md "Storage"): one row per entry, written whole by every
-- decision that changes it (Changes.Waits), never deleted. deadline_at is WaitEntry.NextEnd.At, written with
-- every row, so the reaper finds due entries by index as it finds due sessions; sequence orders a license's
-- open entries (taken under the license's lock as max(open) + 1, so it needs no unique index).
CREATE TABLE wait_entries (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    license_id TEXT NOT NULL REFERENCES licenses(id),
    sequence BIGINT NOT NULL,
    session_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    device TEXT NOT NULL,
    client TEXT NOT NULL,
    request_client TEXT NOT NULL,
    connection_id TEXT NULL,
    email TEXT NULL,
    sso BIGINT NOT NULL DEFAULT 0,
    seat_key TEXT NOT NULL,
    seats BIGINT NOT NULL,
    ttl_ms BIGINT NOT NULL,
    joined_at BIGINT NOT NULL,
    last_heartbeat_at BIGINT NOT NULL,
    wait_until BIGINT NOT NULL,
    state TEXT NOT NULL,
    offered_at BIGINT NULL,
    offer_expires_at BIGINT NULL,
    ended_at BIGINT NULL,
    end_reason TEXT NULL,
    granted_session_id TEXT NULL,
    deadline_at BIGINT NOT NULL,
    idempotency_key TEXT NULL,
    token_hash TEXT NULL,
    ended_by TEXT NULL
);
CREATE INDEX wait_entries_open_by_license ON wait_entries(license_id, sequence) WHERE ended_at IS NULL;
CREATE INDEX wait_entries_due ON wait_entries(deadline_at) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX wait_entries_idempotency ON wait_entries(tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX wait_entries_by_tenant ON wait_entries(tenant_id, joined_at, id COLLATE "C");
-- Each step of an entry's life (WaitEvent: joined, offered, granted, left, expired, timed_out, offer_lapsed)
-- with the time waited from join to that step. Kept beside usage_events rather than in it, so the usage
-- reports and exports that read usage_events (and parse its kinds) do not move until they learn waits.
CREATE TABLE wait_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    license_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    user_name TEXT NOT NULL,
    device TEXT NOT NULL,
    client TEXT NOT NULL,
    seats BIGINT NOT NULL,
    waited_ms BIGINT NOT NULL,
    position BIGINT NULL,
    session_id TEXT NULL
);
CREATE INDEX wait_events_by_license ON wait_events(license_id, at);
