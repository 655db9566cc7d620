-- Borrowed seats (issue 13): a session that holds its seat without heartbeats until borrowed_until
-- (Unix ms; null: not borrowed), and the admission event that records the borrow and its end.
-- A borrowed session's deadline_at is its borrowed_until (deadline_reason 'borrow_ended'), so the
-- reaper needs nothing new.
ALTER TABLE sessions ADD COLUMN borrowed_until INTEGER;
ALTER TABLE usage_events ADD COLUMN borrowed_until INTEGER;
