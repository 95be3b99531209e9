-- One counter that every committed change to the council's records moves on, inside the change's
-- own transaction: a reader that finds it unchanged knows that nothing it read before has changed.
-- The worklist cache (`store::WorkListCache`) keys on it. Tables left out are written per request or
-- in bulk and read by no cached view: audit_log, sessions, api_tokens and rent_transactions (the
-- worklists read balances from rent_accounts). Test: every other table carries the triggers.
CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
INSERT INTO change_counter (id, n) VALUES (1, 0);
-- Counted at commit (deferred), after every other lock the transaction takes, so two transactions
-- never wait on each other through the counter; and once per transaction (a transaction-local
-- setting remembers it), since every further update of one row in one transaction would walk the
-- row's whole chain of versions: a seed of 60,000 homes would never commit.
CREATE FUNCTION hearth_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('hearth.change_counted', true) IS DISTINCT FROM 'yes' THEN
    UPDATE change_counter SET n = n + 1 WHERE id = 1;
    PERFORM set_config('hearth.change_counted', 'yes', true);
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER access_grants_counted AFTER INSERT OR UPDATE OR DELETE ON access_grants DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER agencies_counted AFTER INSERT OR UPDATE OR DELETE ON agencies DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER alerts_counted AFTER INSERT OR UPDATE OR DELETE ON alerts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER area_teams_counted AFTER INSERT OR UPDATE OR DELETE ON area_teams DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER bank_holidays_counted AFTER INSERT OR UPDATE OR DELETE ON bank_holidays DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER blocks_counted AFTER INSERT OR UPDATE OR DELETE ON blocks DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER cases_counted AFTER INSERT OR UPDATE OR DELETE ON cases DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER covers_counted AFTER INSERT OR UPDATE OR DELETE ON covers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER estates_counted AFTER INSERT OR UPDATE OR DELETE ON estates DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER feedback_links_counted AFTER INSERT OR UPDATE OR DELETE ON feedback_links DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER feedback_responses_counted AFTER INSERT OR UPDATE OR DELETE ON feedback_responses DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER household_members_counted AFTER INSERT OR UPDATE OR DELETE ON household_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER patch_change_homes_counted AFTER INSERT OR UPDATE OR DELETE ON patch_change_homes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER patch_changes_counted AFTER INSERT OR UPDATE OR DELETE ON patch_changes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER patches_counted AFTER INSERT OR UPDATE OR DELETE ON patches DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER plan_actions_counted AFTER INSERT OR UPDATE OR DELETE ON plan_actions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER properties_counted AFTER INSERT OR UPDATE OR DELETE ON properties DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER referral_messages_counted AFTER INSERT OR UPDATE OR DELETE ON referral_messages DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER referrals_counted AFTER INSERT OR UPDATE OR DELETE ON referrals DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER rent_accounts_counted AFTER INSERT OR UPDATE OR DELETE ON rent_accounts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER settings_counted AFTER INSERT OR UPDATE OR DELETE ON settings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER tenancies_counted AFTER INSERT OR UPDATE OR DELETE ON tenancies DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER transfers_counted AFTER INSERT OR UPDATE OR DELETE ON transfers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER tsm_benchmarks_counted AFTER INSERT OR UPDATE OR DELETE ON tsm_benchmarks DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER users_counted AFTER INSERT OR UPDATE OR DELETE ON users DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER visit_findings_counted AFTER INSERT OR UPDATE OR DELETE ON visit_findings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER visits_counted AFTER INSERT OR UPDATE OR DELETE ON visits DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER wards_counted AFTER INSERT OR UPDATE OR DELETE ON wards DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
CREATE CONSTRAINT TRIGGER workflow_items_counted AFTER INSERT OR UPDATE OR DELETE ON workflow_items DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hearth_count_change();
