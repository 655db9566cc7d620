-- The PostgreSQL twin of Sqlite/Migrations/0004_usage.sql.
-- Usage history and reports (issue 5): what reports need on each event, indexes for the history
-- API, and hourly rollups that keep reports working after raw events pass their retention.
ALTER TABLE usage_events ADD COLUMN seat_key TEXT;
ALTER TABLE usage_events ADD COLUMN seats_in_use BIGINT;
ALTER TABLE usage_events ADD COLUMN seat_limit BIGINT;
ALTER TABLE usage_events ADD COLUMN last_activity_at BIGINT;

-- Pairs an admission with its end (reports, point-in-time queries, retention).
CREATE INDEX usage_events_by_session ON usage_events(session_id) WHERE session_id IS NOT NULL;
-- Admissions still open at the start of a report's period.
CREATE INDEX usage_events_by_license_kind ON usage_events(license_id, kind, at);

-- One row per license and hour of the tenant's calendar, for hours whose raw events were rolled up.
CREATE TABLE usage_hours (
    tenant_id      TEXT NOT NULL,
    license_id     TEXT NOT NULL,
    hour_start     BIGINT NOT NULL,
    hour_end       BIGINT NOT NULL,
    peak_seats     BIGINT NOT NULL,
    peak_sessions  BIGINT NOT NULL,
    seat_ms        BIGINT NOT NULL,
    denials        BIGINT NOT NULL,
    failed_checks  BIGINT NOT NULL,
    over_limit     BIGINT NOT NULL,
    PRIMARY KEY (license_id, hour_start)
);

-- How many events of each outcome and client type an hour had, for the same hours.
CREATE TABLE usage_counts (
    tenant_id   TEXT NOT NULL,
    license_id  TEXT NOT NULL,
    hour_start  BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    client      TEXT NOT NULL,
    events      BIGINT NOT NULL,
    first_at    BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    PRIMARY KEY (license_id, hour_start, kind, code, client)
);

-- Up to when each license's raw events have been rolled up (and deleted); reports read rollups before it.
CREATE TABLE usage_rollup_marks (
    license_id    TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    rolled_until  BIGINT NOT NULL
);
