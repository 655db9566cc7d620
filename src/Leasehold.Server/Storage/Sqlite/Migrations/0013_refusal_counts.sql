-- Refusals collapse (issue 15, quotas): a refused checkout or failed check repeated by the same user
-- and device (same license, kind, code, client type) within the clock hour of the first is one event
-- whose count grows, so a client retrying in a loop adds a counter increment, not a row.
-- count: how many decisions the event stands for (existing events: 1); last_at: the time of the last
-- (null while there is only one). collapse_hour (hours since the epoch, UTC) and collapse_key (a digest
-- of kind, code, client, user and device: Leasehold.Core.Usage.RefusalCollapse) are set on refusals only;
-- the unique index is what the upsert folds on, and counts a license's refusal events in an hour.
ALTER TABLE usage_events ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE usage_events ADD COLUMN last_at INTEGER;
ALTER TABLE usage_events ADD COLUMN collapse_hour INTEGER;
ALTER TABLE usage_events ADD COLUMN collapse_key TEXT;
CREATE UNIQUE INDEX usage_refusals_collapse ON usage_events(license_id, collapse_hour, collapse_key) WHERE collapse_key IS NOT NULL;
