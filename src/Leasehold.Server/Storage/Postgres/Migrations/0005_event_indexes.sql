-- The PostgreSQL twin of Sqlite/Migrations/0005_event_indexes.sql.
-- Fewer index entries per usage event (issue 4: every event is written on the single writer, and
-- the reaper writes one per session it ends).
-- Besides a license's and a tenant's events in time order, reports need the admissions still open
-- when a period starts. They found those through two indexes every event went into: admissions by
-- license, kind and time, and every event by session (to look for the admission's end). Now only
-- admissions go into an index of admissions (a partial index: the query names kind = 'admitted'
-- literally, which lets the planner use it), and whether an admission's session was still open is
-- read from the session's own row (sessions are never deleted; ended_at is the time of its ended
-- event), so ends, refusals and checks go into no index beyond the two by time.
DROP INDEX usage_events_by_license_kind;
DROP INDEX usage_events_by_session;
CREATE INDEX usage_admissions_by_license ON usage_events(license_id, at) WHERE kind = 'admitted';
