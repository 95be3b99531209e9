//! Who may see what: the object-level authorisation rules, as pure functions.
//! The server calls these for every record it returns; the tests below enumerate them.

use serde::{Deserialize, Serialize};

use super::Role;

/// The signed-in user as the rules see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_team_id: Option<i64>,
    pub area_team: Option<String>,
    pub agency_id: Option<i64>,
    pub agency: Option<String>,
    /// Officers this user covers for today (their work routes here while the cover lasts).
    #[serde(default)]
    pub covering: Vec<i64>,
}

impl Principal {
    /// Holds the record: owns it, or covers today for the officer who does.
    pub fn acts_for(&self, owner_id: Option<i64>) -> bool {
        owner_id.is_some_and(|o| o == self.user_id || self.covering.contains(&o))
    }
}

/// Where a housing record (property, tenancy, case) sits and who holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordScope {
    pub area_team_id: i64,
    pub owner_id: Option<i64>,
    /// Need-to-know (domestic abuse / MARAC, MAPPA, safeguarding).
    pub restricted: bool,
    /// The user is named on the record's access list.
    pub granted: bool,
    /// An open step on the record waits for the user: an escalation sent to their team, a
    /// hand-back to their patch (`workflow::waits_on`). They may open it while the step is open,
    /// or they could never conclude it.
    pub duty: bool,
}

/// How a list shows a record the user may or may not open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// The user may not open it: the list leaves it out.
    Hidden,
    /// Need-to-know: listed by reference only, with [`RESTRICTED_ABOUT`] in place of who and what
    /// it concerns; opening it (which is audited) shows the rest.
    Restricted,
    /// Listed in full.
    Full,
}

/// `item` as a list shows it to `who` ([`listing`]): `None` when hidden, after `redact` when
/// need-to-know (which blanks whatever says who or what it concerns).
pub fn list_as<T>(who: &Principal, record: &RecordScope, mut item: T, redact: impl FnOnce(&mut T)) -> Option<T> {
    match listing(who, record) {
        Listing::Hidden => None,
        Listing::Restricted => {
            redact(&mut item);
            Some(item)
        }
        Listing::Full => Some(item),
    }
}

/// What a list shows of a restricted record the user may open.
pub const RESTRICTED_ABOUT: &str = "Restricted: open it to see who it concerns";

/// The one rule for every list (queues, caseloads, plans, a tenancy's cases): the record's own
/// rule, [`can_view_record`], decides whether it is listed at all, and a list never says who or
/// what a restricted record concerns, to anyone.
pub fn listing(who: &Principal, record: &RecordScope) -> Listing {
    match can_view_record(who, record) {
        Err(_) => Listing::Hidden,
        Ok(()) if record.restricted => Listing::Restricted,
        Ok(()) => Listing::Full,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Denial {
    NotSignedIn,
    /// The role never sees housing records (partner users, administrators).
    WrongRole,
    /// A record of another area team.
    OtherArea,
    /// A need-to-know record the user is not named on.
    NeedToKnow,
    /// A referral that was not shared with the partner user's agency (answered as "not found",
    /// so a partner cannot even learn that it exists).
    NotShared,
}

impl Denial {
    pub fn message(self) -> &'static str {
        match self {
            Denial::NotSignedIn => "Sign in to continue.",
            Denial::WrongRole => "Your role does not give access to housing records.",
            Denial::OtherArea => "This record belongs to another area team. Ask its Team Leader if you need access.",
            Denial::NeedToKnow => "This record is restricted to named officers. Your attempt has been recorded.",
            Denial::NotShared => "This referral was not found.",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Denial::NotSignedIn => "not_signed_in",
            Denial::WrongRole => "wrong_role",
            Denial::OtherArea => "other_area",
            Denial::NeedToKnow => "need_to_know",
            Denial::NotShared => "not_shared",
        }
    }
}

/// Roles that work across every area team (specialist teams).
fn council_wide(role: Role) -> bool {
    matches!(role, Role::AsbOfficer | Role::Legal)
}

/// May `who` see housing records at all (search, tenancy and property pages)?
pub fn can_use_housing_records(who: &Principal) -> Result<(), Denial> {
    match who.role {
        Role::Partner | Role::Admin => Err(Denial::WrongRole),
        _ => Ok(()),
    }
}

/// May `who` see this property, tenancy or case?
///
/// - partner users and administrators: never (partners see only referrals shared with their agency);
/// - restricted records: the owner (or whoever covers for them today), the owning area's Team Leader,
///   people named on the record, and those an open step on it waits for (an escalation's team, a
///   hand-back's Community HMO);
/// - otherwise: Team Leaders and HMOs within their own area team, anyone for a record they own,
///   and the council-wide specialist teams (ASB / Community Safety Hub, Legal).
pub fn can_view_record(who: &Principal, record: &RecordScope) -> Result<(), Denial> {
    can_use_housing_records(who)?;
    let owns = who.acts_for(record.owner_id);
    let same_area = who.area_team_id == Some(record.area_team_id);
    if record.restricted {
        let team_leader = who.role == Role::TeamLeader && same_area;
        return if owns || team_leader || record.granted || record.duty { Ok(()) } else { Err(Denial::NeedToKnow) };
    }
    if owns || record.granted || record.duty || same_area || council_wide(who.role) { Ok(()) } else { Err(Denial::OtherArea) }
}

/// The area teams whose records `who` may find by search; `None` means every area.
pub fn searchable_area(who: &Principal) -> Result<Option<i64>, Denial> {
    can_use_housing_records(who)?;
    if council_wide(who.role) { Ok(None) } else { Ok(Some(who.area_team_id.ok_or(Denial::OtherArea)?)) }
}

/// The server functions a partner-agency user may call: their referrals, one referral, its moves
/// and thread, and who they are.
pub const PARTNER_SERVER_FNS: [&str; 5] = ["/fn/referrals", "/fn/referral", "/fn/move_referral", "/fn/referral_message", "/fn/whoami"];

/// The area a Team Leader leads: the team's views, cover, visiting figures and the visiting
/// programme are theirs and nobody else's.
pub fn led_area(who: &Principal) -> Option<i64> {
    if who.role == Role::TeamLeader { who.area_team_id } else { None }
}

/// Whose homes a programme list reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// A Team Leader's whole area.
    Area(i64),
    /// An officer's own tenancies (the Community and Introductory HMOs hold tenancies).
    Own(i64),
}

/// Lists of homes (under-occupiers, the programme's coverage) reach a Team Leader's area or the
/// tenancies an officer holds; nobody else has such a list.
pub fn homes_reach(who: &Principal) -> Option<Reach> {
    match who.role {
        Role::TeamLeader => who.area_team_id.map(Reach::Area),
        Role::CommunityHmo | Role::IntroductoryHmo => Some(Reach::Own(who.user_id)),
        _ => None,
    }
}

/// May a partner-agency user (by session or API token) reach `path` at all? Partners have one
/// place in Hearth, their agency's referrals, so every other server function and API route is
/// refused before it runs. This is the outer lock: each service checks again (`referral::can_view`,
/// `can_use_housing_records`). Pages are decided by [`partner_page_allowed`].
pub fn partner_may_reach(path: &str) -> bool {
    if let Some(rest) = path.strip_prefix("/api/v1/") {
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        return matches!(
            parts.as_slice(),
            ["me"]
                | ["openapi.json"]
                | ["auth", "token"]
                | ["calendar", "working-days"]
                | ["referrals"]
                | ["referrals", _]
                | ["referrals", _, "moves" | "messages"]
        );
    }
    if path == "/api/v1" || path.starts_with("/fn/") {
        return PARTNER_SERVER_FNS.contains(&path);
    }
    true
}

/// May a partner-agency user open this (non-public) page? Only their agency's referrals: any other
/// page sends them to `/referrals`. Public pages (sign-in, feedback forms) are not asked.
pub fn partner_page_allowed(path: &str) -> bool {
    path == "/referrals" || path.starts_with("/referrals/")
}

/// A user for the domain's tests: `u<id>`, in a role, an area and an agency.
#[cfg(test)]
pub(crate) fn test_principal(id: i64, role: Role, area: Option<i64>, agency: Option<i64>) -> Principal {
    Principal {
        user_id: id,
        username: format!("u{id}"),
        display_name: format!("User {id}"),
        role,
        area_team_id: area,
        area_team: None,
        agency_id: agency,
        agency: None,
        covering: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_open_only_referral_pages() {
        for ok in ["/referrals", "/referrals/REF300001"] {
            assert!(partner_page_allowed(ok), "{ok}");
        }
        for no in ["/", "/referralsx", "/tenancies/T1", "/cases/C1", "/map", "/team", "/search", "/admin", "/satisfaction", "/me"] {
            assert!(!partner_page_allowed(no), "{no}");
        }
    }

    #[test]
    fn partners_reach_their_referrals_and_nothing_else() {
        for ok in [
            "/fn/referrals",
            "/fn/referral",
            "/fn/move_referral",
            "/fn/referral_message",
            "/fn/whoami",
            "/api/v1/me",
            "/api/v1/openapi.json",
            "/api/v1/auth/token",
            "/api/v1/calendar/working-days",
            "/api/v1/referrals",
            "/api/v1/referrals/REF300001",
            "/api/v1/referrals/REF300001/moves",
            "/api/v1/referrals/REF300001/messages",
            "/referrals",
            "/sign-in",
            "/feedback/abc",
            "/auth/sign-out",
        ] {
            assert!(partner_may_reach(ok), "{ok}");
        }
        for no in [
            "/fn/tenancy",
            "/fn/search",
            "/fn/map_home",
            "/fn/referral_name",
            "/fn/make_referral",
            "/fn/referral_start",
            "/fn/admin",
            "/fn/feedback_results",
            "/fn/referralsx",
            "/fn/",
            "/api/v1",
            "/api/v1/my-work",
            "/api/v1/tenancies/T1",
            "/api/v1/referrals/REF1/access",
            "/api/v1/referrals/REF1/moves/x",
            "/api/v1/admin/tokens",
            "/api/v1/map",
            "/api/v1/feedback/results.csv",
            "/api/v1/benchmarks/tsm",
            "/api/v1/cases/C1",
            "/api/v1/search",
        ] {
            assert!(!partner_may_reach(no), "{no}");
        }
    }

    fn user(id: i64, role: Role, area: Option<i64>) -> Principal {
        test_principal(id, role, area, if role == Role::Partner { Some(1) } else { None })
    }

    #[test]
    fn team_views_are_the_team_leaders_and_home_lists_reach_an_area_or_an_officers_own() {
        assert_eq!(led_area(&user(1, Role::TeamLeader, Some(2))), Some(2));
        for role in [Role::CommunityHmo, Role::IntroductoryHmo, Role::SustainableHmo, Role::Admin, Role::Partner] {
            assert_eq!(led_area(&user(1, role, Some(2))), None, "{role:?}");
        }
        assert_eq!(led_area(&user(1, Role::TeamLeader, None)), None);
        assert_eq!(homes_reach(&user(1, Role::TeamLeader, Some(2))), Some(Reach::Area(2)));
        assert_eq!(homes_reach(&user(5, Role::CommunityHmo, Some(2))), Some(Reach::Own(5)));
        assert_eq!(homes_reach(&user(6, Role::IntroductoryHmo, Some(2))), Some(Reach::Own(6)));
        for role in [Role::SustainableHmo, Role::Admin, Role::Partner] {
            assert_eq!(homes_reach(&user(1, role, Some(2))), None, "{role:?}");
        }
    }

    /// Every role × (own area, other area) × (owner or not) × (restricted or not) × (granted or not).
    #[test]
    fn exhaustive_record_access_table() {
        let mut checked = 0;
        for &role in Role::ALL {
            for same_area in [true, false] {
                for owns in [true, false] {
                    for restricted in [true, false] {
                        for granted in [true, false] {
                            for duty in [true, false] {
                                let who = user(7, role, Some(1));
                                let rec = RecordScope {
                                    area_team_id: if same_area { 1 } else { 2 },
                                    owner_id: Some(if owns { 7 } else { 99 }),
                                    restricted,
                                    granted,
                                    duty,
                                };
                                let got = can_view_record(&who, &rec);
                                let expected = if matches!(role, Role::Partner | Role::Admin) {
                                    Err(Denial::WrongRole)
                                } else if restricted {
                                    if owns || granted || duty || (role == Role::TeamLeader && same_area) { Ok(()) } else { Err(Denial::NeedToKnow) }
                                } else if owns || granted || duty || same_area || matches!(role, Role::AsbOfficer | Role::Legal) {
                                    Ok(())
                                } else {
                                    Err(Denial::OtherArea)
                                };
                                assert_eq!(got, expected, "{role:?} same_area={same_area} owns={owns} restricted={restricted} granted={granted} duty={duty}");
                                let listed = listing(&who, &rec);
                                let expected_listing = match expected {
                                    Err(_) => Listing::Hidden,
                                    Ok(()) if restricted => Listing::Restricted,
                                    Ok(()) => Listing::Full,
                                };
                                assert_eq!(listed, expected_listing, "lists follow the record's rule: {role:?} restricted={restricted}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, Role::ALL.len() * 32);
    }

    #[test]
    fn specialists_search_everywhere_officers_their_area() {
        assert_eq!(searchable_area(&user(1, Role::Legal, None)), Ok(None));
        assert_eq!(searchable_area(&user(1, Role::CommunityHmo, Some(3))), Ok(Some(3)));
        assert_eq!(searchable_area(&user(1, Role::Partner, None)), Err(Denial::WrongRole));
        assert_eq!(searchable_area(&user(1, Role::Admin, None)), Err(Denial::WrongRole));
        assert_eq!(searchable_area(&user(1, Role::CommunityHmo, None)), Err(Denial::OtherArea));
    }

    /// Cover gives the cover officer the absent owner's access, restricted records included, and
    /// nothing more: other officers' restricted records stay closed.
    #[test]
    fn cover_officer_acts_for_the_absent_owner_only() {
        let mut cover = user(7, Role::CommunityHmo, Some(2));
        let rec = RecordScope { area_team_id: 1, owner_id: Some(9), restricted: true, granted: false, duty: false };
        assert_eq!(can_view_record(&cover, &rec), Err(Denial::NeedToKnow));
        cover.covering = vec![9];
        assert_eq!(can_view_record(&cover, &rec), Ok(()));
        assert!(cover.acts_for(Some(9)) && cover.acts_for(Some(7)) && !cover.acts_for(Some(8)) && !cover.acts_for(None));
        let other = RecordScope { owner_id: Some(8), ..rec };
        assert_eq!(can_view_record(&cover, &other), Err(Denial::NeedToKnow));
    }

    #[test]
    fn restricted_records_exclude_the_other_area_team_leader() {
        let tl_other = user(5, Role::TeamLeader, Some(2));
        let rec = RecordScope { area_team_id: 1, owner_id: Some(9), restricted: true, granted: false, duty: false };
        assert_eq!(can_view_record(&tl_other, &rec), Err(Denial::NeedToKnow));
    }
}
