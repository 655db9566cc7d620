-- Installations of a company license (issue 13): each a share of the license's seats, and the
-- license files the issuer signed for it. The issuer counts what an installation may be using from
-- these (Allocations in Leasehold.Core), so its own online pool and the shares never exceed the license.
CREATE TABLE installations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    license_id TEXT NOT NULL REFERENCES licenses(id),
    name TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    allocated INTEGER NOT NULL,
    taken_serial INTEGER NOT NULL DEFAULT 0,
    last_contact_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX installations_by_license ON installations(license_id);

-- Every file signed for an installation: serials grow per installation; the seats it grants count
-- until the installation has moved past it or it is past its usable end.
CREATE TABLE license_files (
    installation_id TEXT NOT NULL REFERENCES installations(id),
    serial INTEGER NOT NULL,
    seats INTEGER NOT NULL,
    usable_until INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    PRIMARY KEY (installation_id, serial)
);
