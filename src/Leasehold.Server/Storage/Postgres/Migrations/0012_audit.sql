-- The PostgreSQL twin of Sqlite/Migrations/0012_audit.sql: the audit trail, one hash chain per tenant.
-- Nodes append to a chain one at a time: each append takes a transaction-scoped advisory lock on its
-- chain before reading the chain's head (AuditSql.AppendAsync), and the unique (chain, sequence) index
-- refuses a fork should anything write without it.
CREATE TABLE audit_records (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    chain TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_key_id TEXT NOT NULL,
    actor_key_name TEXT,
    actor_role TEXT NOT NULL,
    tenant_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    before_json TEXT,
    after_json TEXT,
    previous_hash TEXT,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_records_by_chain ON audit_records (chain, sequence);
CREATE INDEX audit_records_by_tenant ON audit_records (tenant_id, position);
