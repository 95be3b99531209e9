-- Visits officers record themselves (domain::visits): the key the officer's device gave the report
-- (sending it twice records it once), whether a calling card was left, who recorded it and when.
-- The tables are already counted (migration 0010).
ALTER TABLE visits ADD COLUMN client_key TEXT;
ALTER TABLE visits ADD COLUMN card_left INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visits ADD COLUMN recorded_by BIGINT REFERENCES users(id);
ALTER TABLE visits ADD COLUMN recorded_at TEXT;
CREATE UNIQUE INDEX visits_client_key ON visits (client_key);
-- Who closed a finding's follow-up, and what they did.
ALTER TABLE visit_findings ADD COLUMN actioned_by BIGINT REFERENCES users(id);
ALTER TABLE visit_findings ADD COLUMN action_note TEXT;
-- Open follow-ups by their clock, for the lists that show them.
CREATE INDEX visit_findings_open ON visit_findings (actioned_at, due_at);
