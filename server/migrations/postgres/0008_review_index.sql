-- The introductory-review count on every Introductory HMO's and Team Leader's My work reads
-- this index alone (tenure, anniversary, status and home), not each tenancy's row.
DROP INDEX tenancies_trial;
CREATE INDEX tenancies_review ON tenancies(tenure, trial_ends_on, status, property_id);
