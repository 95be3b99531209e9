-- Housing Act 1996 s.125(3)-(5): time the tenant spent immediately before this tenancy as an
-- introductory tenant of another council, or as an assured shorthold tenant of a registered
-- provider, counts towards the trial period. Recorded once per tenancy (kind, landlord, dates);
-- trial_ends_on is moved earlier by the days it counts (domain::introductory).
ALTER TABLE tenancies ADD COLUMN prior_kind TEXT;
ALTER TABLE tenancies ADD COLUMN prior_landlord TEXT NOT NULL DEFAULT '';
ALTER TABLE tenancies ADD COLUMN prior_from TEXT;
ALTER TABLE tenancies ADD COLUMN prior_to TEXT;
