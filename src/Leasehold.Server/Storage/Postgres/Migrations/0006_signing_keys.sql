-- The PostgreSQL twin of Sqlite/Migrations/0006_signing_keys.sql: the keys the server signs license
-- files with, shared by every node (access to this table is access to the keys: grant it to the
-- server's role only).
CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
