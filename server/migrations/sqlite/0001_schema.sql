-- Hearth schema. Portable SQL shared by SQLite and PostgreSQL: the build script
-- turns INTEGER PRIMARY KEY into each backend's identity column and INTEGER/REAL into its types.
-- Dates are ISO-8601 text ('YYYY-MM-DD'), instants are RFC 3339 UTC text
-- ('YYYY-MM-DDTHH:MM:SSZ'); money is integer pence; flags are 0/1 integers.

CREATE TABLE area_teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE wards (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    geojson TEXT NOT NULL
);

CREATE TABLE agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    team TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);

-- Everyone who signs in: officers, team leaders, specialist teams, partner-agency staff, administrators.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    area_team_id INTEGER REFERENCES area_teams(id),
    agency_id INTEGER REFERENCES agencies(id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE estates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id)
);

CREATE TABLE blocks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    estate_id INTEGER REFERENCES estates(id),
    storeys INTEGER NOT NULL,
    postcode TEXT NOT NULL
);

CREATE TABLE patches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id),
    officer_id INTEGER REFERENCES users(id),
    challenging INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE properties (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL DEFAULT '',
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    property_type TEXT NOT NULL,
    bedrooms INTEGER NOT NULL,
    block_id INTEGER REFERENCES blocks(id),
    floor INTEGER,
    estate_id INTEGER REFERENCES estates(id),
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id),
    patch_id INTEGER NOT NULL REFERENCES patches(id),
    independent_living INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX properties_patch ON properties(patch_id);
CREATE INDEX properties_postcode ON properties(postcode);
CREATE INDEX properties_block ON properties(block_id);

-- One row per tenancy of a property; the current one has status 'active'.
CREATE TABLE tenancies (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    property_id INTEGER NOT NULL REFERENCES properties(id),
    tenure TEXT NOT NULL,
    status TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    trial_ends_on TEXT,
    extension_reason TEXT,
    extension_notice_served_on TEXT,
    owner_id INTEGER REFERENCES users(id),
    owner_role TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX tenancies_property ON tenancies(property_id);
CREATE INDEX tenancies_owner ON tenancies(owner_id, status);

-- Tenants and everyone else in the household (dates of birth, never ages).
CREATE TABLE household_members (
    id INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex TEXT NOT NULL,
    relationship TEXT NOT NULL,
    is_tenant INTEGER NOT NULL DEFAULT 0,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    joined_on TEXT NOT NULL,
    left_on TEXT
);
CREATE INDEX household_tenancy ON household_members(tenancy_id);

CREATE TABLE rent_accounts (
    id INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL UNIQUE REFERENCES tenancies(id),
    weekly_rent_pence INTEGER NOT NULL,
    balance_pence INTEGER NOT NULL,
    universal_credit INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

CREATE TABLE rent_transactions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES rent_accounts(id),
    posted_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_pence INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rent_transactions_account ON rent_transactions(account_id, posted_on);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    tenancy_id INTEGER REFERENCES tenancies(id),
    property_id INTEGER REFERENCES properties(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    ends_on TEXT
);
CREATE INDEX alerts_tenancy ON alerts(tenancy_id);

-- Casework: ASB, arrears, sustainment, introductory reviews, safeguarding... one owner at a time.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    tenancy_id INTEGER REFERENCES tenancies(id),
    property_id INTEGER REFERENCES properties(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT '',
    restricted INTEGER NOT NULL DEFAULT 0,
    owner_id INTEGER REFERENCES users(id),
    owner_role TEXT NOT NULL,
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id),
    opened_at TEXT NOT NULL,
    due_at TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_owner ON cases(owner_id, status);
CREATE INDEX cases_tenancy ON cases(tenancy_id);

-- Named people allowed to see a restricted case or referral (need-to-know).
CREATE TABLE access_grants (
    id INTEGER PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    granted_by INTEGER REFERENCES users(id),
    granted_at TEXT NOT NULL
);
CREATE INDEX access_grants_subject ON access_grants(subject_type, subject_id);

-- Every change of owner of a tenancy or case, kept for ever.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    from_user_id INTEGER REFERENCES users(id),
    from_role TEXT,
    to_user_id INTEGER REFERENCES users(id),
    to_role TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by INTEGER REFERENCES users(id),
    approved_by INTEGER REFERENCES users(id),
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    effective_at TEXT
);
CREATE INDEX transfers_subject ON transfers(subject_type, subject_id);

CREATE TABLE covers (
    id INTEGER PRIMARY KEY,
    absent_user_id INTEGER NOT NULL REFERENCES users(id),
    cover_user_id INTEGER NOT NULL REFERENCES users(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    property_id INTEGER NOT NULL REFERENCES properties(id),
    tenancy_id INTEGER REFERENCES tenancies(id),
    visit_type TEXT NOT NULL,
    officer_id INTEGER REFERENCES users(id),
    scheduled_for TEXT NOT NULL,
    completed_at TEXT,
    outcome TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX visits_tenancy ON visits(tenancy_id, scheduled_for);
CREATE INDEX visits_property ON visits(property_id);

CREATE TABLE visit_findings (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    due_at TEXT,
    actioned_at TEXT
);
CREATE INDEX visit_findings_visit ON visit_findings(visit_id);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    tenancy_id INTEGER REFERENCES tenancies(id),
    case_id INTEGER REFERENCES cases(id),
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    category TEXT NOT NULL,
    reason TEXT NOT NULL,
    urgency TEXT NOT NULL,
    shared_fields TEXT NOT NULL DEFAULT '[]',
    lawful_basis TEXT NOT NULL,
    consent_given_on TEXT,
    consent_how TEXT,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_detail TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    decline_reason TEXT,
    outcome TEXT,
    restricted INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES users(id),
    area_team_id INTEGER NOT NULL REFERENCES area_teams(id),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    responded_at TEXT,
    due_at TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_agency ON referrals(agency_id, status);
CREATE INDEX referrals_tenancy ON referrals(tenancy_id);

CREATE TABLE referral_messages (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE feedback_links (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    scope_type TEXT NOT NULL,
    scope_id INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE feedback_responses (
    id INTEGER PRIMARY KEY,
    link_id INTEGER REFERENCES feedback_links(id),
    respondent_kind TEXT NOT NULL,
    officer_id INTEGER REFERENCES users(id),
    officer_role TEXT,
    patch_id INTEGER REFERENCES patches(id),
    area_team_id INTEGER REFERENCES area_teams(id),
    agency_id INTEGER REFERENCES agencies(id),
    submitted_at TEXT NOT NULL,
    answers TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    contact_name TEXT,
    contact_detail TEXT,
    idempotency_key TEXT NOT NULL UNIQUE
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE bank_holidays (
    holiday_on TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- Server-side sessions (tower-sessions store).
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Append-only: who saw or changed what, when, and why.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id INTEGER,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_subject ON audit_log(subject_type, subject_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
