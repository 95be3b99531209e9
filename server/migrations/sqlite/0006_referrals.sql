-- Referrals to partner agencies (issue 4). What the agency receives is a snapshot of the fields the
-- officer ticked, taken when the referral is sent (`shared_data`, JSON); partner users are served
-- from it alone. `basis_detail` is how consent was given, or which duty / why vital interests.
-- Each message on the thread records which side wrote it. People named on a restricted referral
-- are rows of access_grants with subject_type 'referral'.
ALTER TABLE referrals ADD COLUMN shared_data TEXT NOT NULL DEFAULT '{}';
ALTER TABLE referrals ADD COLUMN basis_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN updated_at TEXT;
ALTER TABLE referral_messages ADD COLUMN side TEXT NOT NULL DEFAULT 'council';
CREATE INDEX referrals_area ON referrals(area_team_id, status);
CREATE INDEX referrals_creator ON referrals(created_by, status);
CREATE INDEX referral_messages_referral ON referral_messages(referral_id, id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
