-- Worklist speed on large councils (bench/worklist.mjs): introductory reviews coming due are
-- found by tenure and trial end, open workflow items by state, without scanning every row.
CREATE INDEX tenancies_trial ON tenancies(tenure, trial_ends_on);
CREATE INDEX workflow_state ON workflow_items(state, flow);
