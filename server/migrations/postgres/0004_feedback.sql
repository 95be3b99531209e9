-- Tenant and partner feedback (app::domain::feedback) and the Regulator's TSM peer data
-- (app::domain::tsm). Responses keep the officer, role, patch and area they were about at the
-- time, so figures stay true after patches are reshaped or officers move.
ALTER TABLE feedback_links ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback_links ADD COLUMN revoked_at TEXT;
ALTER TABLE feedback_responses ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE feedback_responses ADD COLUMN wants_reply BIGINT NOT NULL DEFAULT 0;
ALTER TABLE feedback_responses ADD COLUMN case_id BIGINT REFERENCES cases(id);
CREATE INDEX feedback_responses_time ON feedback_responses(submitted_at);
CREATE INDEX feedback_links_scope ON feedback_links(scope_type, scope_id);

CREATE TABLE tsm_benchmarks (
    year TEXT NOT NULL,
    landlord_code TEXT NOT NULL,
    landlord_name TEXT NOT NULL,
    landlord_type TEXT NOT NULL,
    measure TEXT NOT NULL,
    -- counts in millionths of a response (some landlords publish weighted counts)
    satisfied_micro BIGINT NOT NULL,
    base_micro BIGINT NOT NULL,
    dont_know_micro BIGINT NOT NULL,
    percent_tenths BIGINT,
    published_tenths BIGINT,
    imported_at TEXT NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    PRIMARY KEY (year, landlord_code, measure)
);
