-- Housing Act 1996 ss.125B, 128-130: the legal steps after an introductory review's decision,
-- one row per step in the order recorded (domain::introductory::steps checks the order): the
-- tenant's requests for review and their outcomes, notices of proceedings with the date after
-- which proceedings may begin, and the proceedings themselves, which keep the tenancy
-- introductory until they end (s.130).
CREATE TABLE introductory_steps (
    id INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    proceedings_from TEXT,
    outcome TEXT,
    detail TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX introductory_steps_tenancy ON introductory_steps (tenancy_id, id);
-- Counted like every table (migration 0010), so no kept view outlives a change.
CREATE TRIGGER introductory_steps_counted_i AFTER INSERT ON introductory_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER introductory_steps_counted_u AFTER UPDATE ON introductory_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER introductory_steps_counted_d AFTER DELETE ON introductory_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
