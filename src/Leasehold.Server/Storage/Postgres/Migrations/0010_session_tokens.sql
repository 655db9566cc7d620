-- The PostgreSQL twin of Sqlite/Migrations/0010_session_tokens.sql.
-- Session tokens (issue 15): a checkout answers a secret for its session, and heartbeat, sign-off,
-- saved state and the events stream of a client key require it. Only its SHA-256 is stored
-- (hex; null for sessions written before this migration, which are accepted without a token
-- until they end, so an upgrade signs nobody off). The token is an HMAC of the session id under
-- the server's session-token secret, kept in server_secrets (made at first use, shared by every
-- node), so an idempotent retry of a checkout answers the same token without it being stored.
ALTER TABLE sessions ADD COLUMN token_hash TEXT;
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
