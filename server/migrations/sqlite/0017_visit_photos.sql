-- Photos taken at the door (`domain::photo`): kept in the database with the visit, their
-- location removed unless the officer kept it on purpose.
CREATE TABLE visit_photos (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    -- The finding it shows, if one (a safeguarding finding's photos are need-to-know).
    finding TEXT,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    size_bytes INTEGER NOT NULL,
    location_kept INTEGER NOT NULL DEFAULT 0,
    added_by INTEGER REFERENCES users(id),
    added_at TEXT NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos (visit_id);

-- Every change moves the change counter (migration 0010).
CREATE TRIGGER visit_photos_counted_i AFTER INSERT ON visit_photos BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER visit_photos_counted_u AFTER UPDATE ON visit_photos BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER visit_photos_counted_d AFTER DELETE ON visit_photos BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
