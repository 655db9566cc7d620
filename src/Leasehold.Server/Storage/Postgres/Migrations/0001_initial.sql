-- The PostgreSQL twin of Sqlite/Migrations/0001_initial.sql: the same tables and columns.
-- Times are Unix milliseconds (UTC); ids are opaque prefixed strings.
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE licenses (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    product     TEXT NOT NULL,
    seats       BIGINT NOT NULL,
    policy      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX licenses_by_tenant ON licenses(tenant_id);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT REFERENCES tenants(id),
    role        TEXT NOT NULL,
    name        TEXT,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id);

CREATE TABLE sessions (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    license_id        TEXT NOT NULL REFERENCES licenses(id),
    user_name         TEXT NOT NULL,
    device            TEXT NOT NULL,
    client            TEXT NOT NULL,
    consumption       TEXT NOT NULL,
    seats             BIGINT NOT NULL,
    seat_key          TEXT NOT NULL,
    ttl_ms            BIGINT NOT NULL,
    idle_timeout_ms   BIGINT,
    started_at        BIGINT NOT NULL,
    last_heartbeat_at BIGINT NOT NULL,
    last_activity_at  BIGINT NOT NULL,
    deadline_at       BIGINT NOT NULL,
    ended_at          BIGINT,
    end_reason        TEXT,
    idempotency_key   TEXT
);
-- The holders of a license: what every checkout reads (under the license's row lock).
CREATE INDEX sessions_active_by_license ON sessions(license_id) WHERE ended_at IS NULL;
-- What the reaper scans: live sessions by the moment they end by themselves.
CREATE INDEX sessions_active_by_deadline ON sessions(deadline_at) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX sessions_idempotency ON sessions(tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE usage_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    license_id  TEXT NOT NULL,
    session_id  TEXT,
    at          BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT,
    client      TEXT NOT NULL,
    seats       BIGINT NOT NULL,
    actor       TEXT
);
CREATE INDEX usage_events_by_license ON usage_events(license_id, at);
CREATE INDEX usage_events_by_tenant ON usage_events(tenant_id, at);
