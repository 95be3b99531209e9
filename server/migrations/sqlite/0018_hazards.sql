-- Damp and mould under Awaab's Law (`domain::hazard`): each hazard with when the council became
-- aware (every clock runs from there) and the date of each rung: investigation (with what it
-- found), the written summary to the tenant, the safety work. One open hazard per tenancy.
CREATE TABLE hazards (
    id INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    detail TEXT NOT NULL,
    -- The visit that found it, if a visit did.
    visit_id INTEGER REFERENCES visits(id),
    aware_at TEXT NOT NULL,
    reported_by INTEGER REFERENCES users(id),
    investigated_at TEXT,
    finding TEXT,
    summary_at TEXT,
    safe_at TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX hazards_open ON hazards (tenancy_id) WHERE closed_at IS NULL;
CREATE INDEX hazards_closed ON hazards (closed_at);

-- Each step with what was done or found.
CREATE TABLE hazard_steps (
    id INTEGER PRIMARY KEY,
    hazard_id INTEGER NOT NULL REFERENCES hazards(id),
    step TEXT NOT NULL,
    finding TEXT,
    at TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    note TEXT NOT NULL
);
CREATE INDEX hazard_steps_hazard ON hazard_steps (hazard_id, at);

-- Every change moves the change counter (migration 0010), so the worklist cache is never stale.
CREATE TRIGGER hazards_counted_i AFTER INSERT ON hazards BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER hazards_counted_u AFTER UPDATE ON hazards BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER hazards_counted_d AFTER DELETE ON hazards BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER hazard_steps_counted_i AFTER INSERT ON hazard_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER hazard_steps_counted_u AFTER UPDATE ON hazard_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER hazard_steps_counted_d AFTER DELETE ON hazard_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
