-- Sign-in limits per account are kept in the database, so every Hearth process behind a load
-- balancer counts the same attempts: each attempt is already an audit row (action 'sign_in'),
-- and this index finds an account's recent ones.
CREATE INDEX audit_sign_in ON audit_log(username, at) WHERE action = 'sign_in';
