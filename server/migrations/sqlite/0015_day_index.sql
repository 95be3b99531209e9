-- An officer's day (`GET /api/v1/my-day`) reads the visits planned for them on one day.
CREATE INDEX visits_officer_day ON visits (officer_id, scheduled_for);
