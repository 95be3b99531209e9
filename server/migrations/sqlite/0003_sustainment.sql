-- Action plans for cases worked by the Sustainable Tenancy HMO (app::domain::sustain), and
-- the indexes that routing work through cover needs (app::domain::cover).
CREATE TABLE plan_actions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    description TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_name TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plan_actions_case ON plan_actions(case_id, status);

-- The plan as agreed with the tenant, and its next review (the case's clock while it is worked).
ALTER TABLE cases ADD COLUMN plan_agreed_on TEXT;
ALTER TABLE cases ADD COLUMN next_review_on TEXT;

-- A Team Leader may end cover early (or call it off): the work returns at once.
ALTER TABLE covers ADD COLUMN ended_at TEXT;
CREATE INDEX covers_cover ON covers(cover_user_id, starts_on, ends_on);
CREATE INDEX covers_absent ON covers(absent_user_id, starts_on, ends_on);
