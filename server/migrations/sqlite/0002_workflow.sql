-- Workflow items: every proposal and decision that moves a tenancy or case between roles
-- (introductory reviews, referrals to the Sustainable Tenancy HMO, hand-backs, escalations).
-- The state machine is app::domain::workflow; history is kept for ever (items are never deleted).
CREATE TABLE workflow_items (
    id INTEGER PRIMARY KEY,
    flow TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id),
    proposed_by INTEGER NOT NULL REFERENCES users(id),
    proposed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    effective_on TEXT,
    applied_at TEXT,
    due_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX workflow_subject ON workflow_items(subject_type, subject_id);
CREATE INDEX workflow_open ON workflow_items(area_team_id, state);
