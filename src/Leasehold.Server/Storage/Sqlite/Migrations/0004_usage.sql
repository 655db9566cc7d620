-- Usage history and reports (issue 5): what reports need on each event, indexes for the history
-- API, and hourly rollups that keep reports working after raw events pass their retention.
ALTER TABLE usage_events ADD COLUMN seat_key TEXT;
ALTER TABLE usage_events ADD COLUMN seats_in_use INTEGER;
ALTER TABLE usage_events ADD COLUMN seat_limit INTEGER;
ALTER TABLE usage_events ADD COLUMN last_activity_at INTEGER;

-- Pairs an admission with its end (reports, point-in-time queries, retention).
CREATE INDEX usage_events_by_session ON usage_events(session_id) WHERE session_id IS NOT NULL;
-- Admissions still open at the start of a report's period.
CREATE INDEX usage_events_by_license_kind ON usage_events(license_id, kind, at);

-- One row per license and hour of the tenant's calendar, for hours whose raw events were rolled up.
CREATE TABLE usage_hours (
    tenant_id      TEXT NOT NULL,
    license_id     TEXT NOT NULL,
    hour_start     INTEGER NOT NULL,
    hour_end       INTEGER NOT NULL,
    peak_seats     INTEGER NOT NULL,
    peak_sessions  INTEGER NOT NULL,
    seat_ms        INTEGER NOT NULL,
    denials        INTEGER NOT NULL,
    failed_checks  INTEGER NOT NULL,
    over_limit     INTEGER NOT NULL,
    PRIMARY KEY (license_id, hour_start)
);

-- How many events of each outcome and client type an hour had, for the same hours.
CREATE TABLE usage_counts (
    tenant_id   TEXT NOT NULL,
    license_id  TEXT NOT NULL,
    hour_start  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    client      TEXT NOT NULL,
    events      INTEGER NOT NULL,
    first_at    INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    PRIMARY KEY (license_id, hour_start, kind, code, client)
);

-- Up to when each license's raw events have been rolled up (and deleted); reports read rollups before it.
CREATE TABLE usage_rollup_marks (
    license_id    TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    rolled_until  INTEGER NOT NULL
);
