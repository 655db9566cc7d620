-- The PostgreSQL twin of Sqlite/Migrations/0014_list_pages.sql. Pages of every list (issue 15): each
-- list is read a page at a time by keyset, ordered by a time column and then the id (Keyset.Clauses):
-- WHERE (created_at, id) > (@afterAt, @afterId) ORDER BY created_at, id LIMIT n, with ids compared byte
-- by byte (COLLATE "C", as SqlDialect.IdOrder says, so the indexes carry it too). These indexes let a page
-- be read off an index in that order, whoever asks (the operator: all rows; a tenant admin: the tenant's;
-- a filter by license: the license's), so that its cost does not grow with the table.
CREATE INDEX tenants_by_creation ON tenants(created_at, id COLLATE "C");
CREATE INDEX licenses_by_creation ON licenses(created_at, id COLLATE "C");
CREATE INDEX licenses_by_tenant_creation ON licenses(tenant_id, created_at, id COLLATE "C");
CREATE INDEX api_keys_by_creation ON api_keys(created_at, id COLLATE "C");
CREATE INDEX api_keys_by_tenant_creation ON api_keys(tenant_id, created_at, id COLLATE "C");
CREATE INDEX connections_by_creation ON connections(created_at, id COLLATE "C");
CREATE INDEX connections_by_tenant_creation ON connections(tenant_id, created_at, id COLLATE "C");
CREATE INDEX installations_by_creation ON installations(created_at, id COLLATE "C");
CREATE INDEX installations_by_tenant_creation ON installations(tenant_id, created_at, id COLLATE "C");
CREATE INDEX installations_by_license_creation ON installations(license_id, created_at, id COLLATE "C");
-- Open sessions by start: a license's (the same entries as before, which the checkout path reads by
-- license_id alone, now in start order) and a tenant's (the one index this adds to the sessions table).
DROP INDEX sessions_active_by_license;
CREATE INDEX sessions_active_by_license ON sessions(license_id, started_at, id COLLATE "C") WHERE ended_at IS NULL;
CREATE INDEX sessions_active_by_tenant ON sessions(tenant_id, started_at, id COLLATE "C") WHERE ended_at IS NULL;
