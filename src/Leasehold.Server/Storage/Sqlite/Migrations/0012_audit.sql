-- The audit trail (issue 15): every change an admin or operator makes, appended in the transaction
-- of the change itself, never updated or deleted by the server. One hash chain per tenant (chain =
-- the tenant's id; '' for records of no tenant): sequence runs 1, 2, 3... in each chain, and hash is
-- SHA-256 over the record's fields and previous_hash (Leasehold.Core.Audit.AuditChain). position is
-- the order of appending (newest first is position descending), and the cursor of the list.
CREATE TABLE audit_records (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    chain TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    at INTEGER NOT NULL,
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
-- Two appends can never take one place in a chain (the chain cannot fork), and the chain's head is one index seek.
CREATE UNIQUE INDEX audit_records_by_chain ON audit_records (chain, sequence);
CREATE INDEX audit_records_by_tenant ON audit_records (tenant_id, position);
