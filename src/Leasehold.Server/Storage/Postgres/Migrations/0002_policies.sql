-- The PostgreSQL twin of Sqlite/Migrations/0002_policies.sql.
-- License dates and policy versions; connections; what sessions need for rules 10-13; saved session state.
ALTER TABLE licenses ADD COLUMN starts_at BIGINT;
ALTER TABLE licenses ADD COLUMN ends_at BIGINT;
ALTER TABLE licenses ADD COLUMN policy_version BIGINT NOT NULL DEFAULT 1;

-- Every version of every license's policy, for audit; the current one is also on the license row.
CREATE TABLE license_policies (
    license_id  TEXT NOT NULL REFERENCES licenses(id),
    version     BIGINT NOT NULL,
    policy      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (license_id, version)
);
INSERT INTO license_policies (license_id, version, policy, created_at) SELECT id, 1, policy, created_at FROM licenses;

CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    name        TEXT NOT NULL,
    email       TEXT,
    access_plan TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX connections_name ON connections(tenant_id, name);

ALTER TABLE sessions ADD COLUMN connection_id TEXT;
ALTER TABLE sessions ADD COLUMN email TEXT;
ALTER TABLE sessions ADD COLUMN sso BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN named BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN policy_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN window_closes_at BIGINT;
ALTER TABLE sessions ADD COLUMN ends_at_window_close BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN license_ends_at BIGINT;

-- The opaque document a client saves (open screens, ...), handed on at a takeover. Kept apart
-- from sessions so the holders a checkout reads stay small.
CREATE TABLE session_states (
    session_id  TEXT PRIMARY KEY REFERENCES sessions(id),
    document    TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
