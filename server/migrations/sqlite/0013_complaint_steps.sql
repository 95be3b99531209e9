-- The Housing Ombudsman's Complaint Handling Code (statutory since 1 April 2024): each step of a
-- complaint case at stage 1 and stage 2 (acknowledged, extended with the reason told, answered,
-- escalation requested), in the order recorded (domain::complaint checks the order and who may
-- take it). Clocks run from when the resident complained; CH01 and CH02 are counted from here.
CREATE TABLE complaint_steps (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    on_date TEXT NOT NULL,
    extension_days INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX complaint_steps_case ON complaint_steps (case_id, id);
-- Counted like every table (migration 0010), so no kept view outlives a change.
CREATE TRIGGER complaint_steps_counted_i AFTER INSERT ON complaint_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER complaint_steps_counted_u AFTER UPDATE ON complaint_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER complaint_steps_counted_d AFTER DELETE ON complaint_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
