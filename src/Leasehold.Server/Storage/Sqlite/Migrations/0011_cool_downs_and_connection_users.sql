-- Stops that stick (issue 15): an admin stop may begin a cool-down during which the stopped user's
-- checkouts on the license are refused (stopped_recently). One row per stop, named by the stopped
-- session; user_key is the user upper-cased (users compare case-insensitively). Lifted rows are
-- kept, with who lifted them. Times are Unix ms.
CREATE TABLE cool_downs (
    session_id  TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    license_id  TEXT NOT NULL REFERENCES licenses(id),
    user_name   TEXT NOT NULL,
    user_key    TEXT NOT NULL,
    at          INTEGER NOT NULL,
    until       INTEGER NOT NULL,
    actor       TEXT,
    lifted_at   INTEGER,
    lifted_by   TEXT
);
-- What a ledger reads: the license's cool-downs not lifted (those past their end are few and ignored).
CREATE INDEX cool_downs_by_license ON cool_downs(license_id, until) WHERE lifted_at IS NULL;

-- Connections that belong to someone (issue 15): its user, the only one who may use it without its
-- shared e-mail. Named by an admin, or the first user to sign in on it; for connections used
-- before, the user of the earliest session on it.
ALTER TABLE connections ADD COLUMN user_name TEXT;
-- One pass over the sessions (not one per connection).
UPDATE connections SET user_name = firsts.user_name
FROM (SELECT connection_id, user_name, ROW_NUMBER() OVER (PARTITION BY connection_id ORDER BY started_at, id) AS n
      FROM sessions WHERE connection_id IS NOT NULL) AS firsts
WHERE firsts.connection_id = connections.id AND firsts.n = 1;
