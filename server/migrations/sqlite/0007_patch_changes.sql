-- Patch changes (issue 3): a Team Leader moves homes between patches with a reason. Each save is
-- one row here; every home it moved is a row of patch_change_homes (from, to), so a property's
-- patch history is complete. Tenancies whose owner changes get a 'patch_change' transfer.
CREATE TABLE patch_changes (
    id INTEGER PRIMARY KEY,
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id),
    reason TEXT NOT NULL,
    homes_moved INTEGER NOT NULL,
    tenancies_moved INTEGER NOT NULL,
    made_by INTEGER NOT NULL REFERENCES users(id),
    made_at TEXT NOT NULL
);
CREATE INDEX patch_changes_area ON patch_changes(area_team_id, id);

CREATE TABLE patch_change_homes (
    change_id INTEGER NOT NULL REFERENCES patch_changes(id),
    property_id INTEGER NOT NULL REFERENCES properties(id),
    from_patch_id INTEGER NOT NULL REFERENCES patches(id),
    to_patch_id INTEGER NOT NULL REFERENCES patches(id)
);
CREATE INDEX patch_change_homes_property ON patch_change_homes(property_id);
CREATE INDEX patch_change_homes_change ON patch_change_homes(change_id);
CREATE INDEX properties_area ON properties(area_team_id, id);
CREATE INDEX visits_open ON visits(completed_at, scheduled_for);
