-- The keys the server signs license files with (issue 13). The private key (PKCS#8, base64) is kept
-- in the database so that every node of a deployment signs with the same keys and serves the same
-- key set; the database file is readable by the server's user only. A rotated key is retired: it
-- signs nothing more and is still published, so the files it signed keep verifying.
CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);
