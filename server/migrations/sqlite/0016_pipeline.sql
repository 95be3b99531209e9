-- What visits lead to (`domain::pipeline`): downsizing (interest, options, referred, moved or
-- withdrawn) and investigations of fraud, subletting and abandonment (investigating, then
-- recovered, regularised or no fraud). One open entry of a kind per tenancy.
CREATE TABLE pipeline (
    id INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    -- The visit that opened it, if a visit did.
    visit_id INTEGER REFERENCES visits(id),
    opened_at TEXT NOT NULL,
    opened_by INTEGER REFERENCES users(id),
    stage_at TEXT NOT NULL,
    -- When it reached its final stage.
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX pipeline_open ON pipeline (tenancy_id, kind) WHERE closed_at IS NULL;
CREATE INDEX pipeline_closed ON pipeline (closed_at);

-- Each step with what happened.
CREATE TABLE pipeline_steps (
    id INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL REFERENCES pipeline(id),
    stage TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    note TEXT NOT NULL
);
CREATE INDEX pipeline_steps_entry ON pipeline_steps (pipeline_id, at);

-- Every change moves the change counter (migration 0010), so the worklist cache is never stale.
CREATE TRIGGER pipeline_counted_i AFTER INSERT ON pipeline BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pipeline_counted_u AFTER UPDATE ON pipeline BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pipeline_counted_d AFTER DELETE ON pipeline BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pipeline_steps_counted_i AFTER INSERT ON pipeline_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pipeline_steps_counted_u AFTER UPDATE ON pipeline_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pipeline_steps_counted_d AFTER DELETE ON pipeline_steps BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
