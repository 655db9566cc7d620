-- The PostgreSQL twin of Sqlite/Migrations/0003_deadline_reason.sql.
-- Why a live session ends at its deadline_at (Session.NextEnd: expired, idle, window_closed or
-- license_expired), written with every session so the reaper can end every due session in one
-- statement: ended_at = deadline_at, end_reason = deadline_reason.
ALTER TABLE sessions ADD COLUMN deadline_reason TEXT NOT NULL DEFAULT 'expired';

-- Live rows written before this column existed: the same precedence as Session.NextEnd.
UPDATE sessions SET deadline_reason = CASE
    WHEN license_ends_at IS NOT NULL AND deadline_at = GREATEST(license_ends_at, last_heartbeat_at)
         AND license_ends_at < last_heartbeat_at + ttl_ms THEN 'license_expired'
    WHEN ends_at_window_close AND window_closes_at = deadline_at THEN 'window_closed'
    WHEN idle_timeout_ms IS NOT NULL AND last_activity_at + idle_timeout_ms = deadline_at THEN 'idle'
    ELSE 'expired' END
WHERE ended_at IS NULL;
