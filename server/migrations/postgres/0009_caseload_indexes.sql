-- My work's caseload reads indexes alone: an officer's active tenancies with every column the
-- page sorts and shows (replacing the (owner_id, status) index it extends), each tenancy's
-- balance, and the tenants' names in order. Only the page's 50 homes are then read from
-- `properties`.
DROP INDEX tenancies_owner;
CREATE INDEX tenancies_caseload ON tenancies(owner_id, status, trial_ends_on, reference, tenure, start_date, property_id);
CREATE INDEX rent_accounts_balance ON rent_accounts(tenancy_id, balance_pence);
DROP INDEX household_tenancy;
CREATE INDEX household_names ON household_members(tenancy_id, is_tenant, id, first_name, last_name);
