//! A desk for every role: where each user lands after signing in, and what their desk (*My work*)
//! counts and lists. One table, tested below; the sign-in middleware, the service behind *My work*
//! and the page ask it and decide nothing themselves.

use serde::{Deserialize, Serialize};

use super::Role;
use super::clock::ClockStatus;
use super::workflow::EscalationPurpose;

/// Where a role works from: the page `/` is for them, or sends them on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Landing {
    /// *My work*, at `/`: caseloads, and the specialist teams' queues.
    MyWork,
    /// Administration: agencies, users, tokens (administrators do no casework).
    Administration,
    /// The partner agency's referrals: partners have nothing else in Hearth.
    Referrals,
}

impl Landing {
    pub fn path(self) -> &'static str {
        match self {
            Landing::MyWork => "/",
            Landing::Administration => "/admin",
            Landing::Referrals => "/referrals",
        }
    }
}

/// One tile on the desk: a number the role works by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tile {
    /// Active tenancies the officer manages (or covers).
    Tenancies,
    /// Of those, introductory (trial) tenancies.
    IntroductoryTenancies,
    /// Of those, in arrears over the threshold.
    Arrears,
    /// Open cases the officer holds.
    OpenCases,
    /// Listed tenancies and cases past their clock.
    Overdue,
    /// Listed cases due within the due-soon window.
    DueSoon,
    /// Proposals in the Team Leader's area waiting for their decision.
    ProposalsToDecide,
    /// Introductory reviews in the area due within the warning window (or past it) with no decision.
    AreaReviewsDue,
    /// Open escalations waiting for the user's team (Legal, the Community Safety Hub).
    Escalations,
    /// Of those, past their clock.
    EscalationsOverdue,
    /// Of those, due soon.
    EscalationsDueSoon,
    /// Of those, by what they were escalated for.
    Notices,
    Possession,
    EvidenceReviews,
    Injunctions,
}

impl Tile {
    pub fn label(self) -> String {
        match self {
            Tile::Tenancies => "Tenancies".into(),
            Tile::IntroductoryTenancies => "Introductory tenancies".into(),
            Tile::Arrears => format!("Arrears over {}", super::money::ARREARS_THRESHOLD.pounds().trim_end_matches(".00")),
            Tile::OpenCases => "Open cases".into(),
            Tile::Overdue => "Overdue".into(),
            Tile::DueSoon => "Due soon".into(),
            Tile::ProposalsToDecide => "Proposals to decide".into(),
            Tile::AreaReviewsDue => "Introductory reviews due".into(),
            Tile::Escalations => "Escalations waiting".into(),
            // Named as escalations: the Hub's desk also counts its own overdue cases.
            Tile::EscalationsOverdue => "Escalations overdue".into(),
            Tile::EscalationsDueSoon => "Escalations due soon".into(),
            Tile::Notices => "Notices to serve".into(),
            Tile::Possession => "Possession".into(),
            Tile::EvidenceReviews => "Evidence reviews".into(),
            Tile::Injunctions => "Injunctions".into(),
        }
    }

    /// The tile that counts escalations for `purpose`.
    pub fn for_purpose(purpose: EscalationPurpose) -> Tile {
        match purpose {
            EscalationPurpose::Notice => Tile::Notices,
            EscalationPurpose::Possession => Tile::Possession,
            EscalationPurpose::EvidenceReview => Tile::EvidenceReviews,
            EscalationPurpose::Injunction => Tile::Injunctions,
        }
    }
}

/// The parts of the desk, in the order the page shows them. A part a desk does not list is not
/// shown (and not read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Cover periods the officer gives or receives.
    Covers,
    /// Items waiting for the officer: proposals sent back, hand-backs to acknowledge (shown when there are any).
    Waiting,
    /// The escalations waiting for the user's team, with their clocks (always shown: it is the team's work).
    TeamQueue,
    /// Follow-ups that findings at visits to the officer's homes started, still open, with their clocks.
    FollowUps,
    /// Partner referrals the officer made that need them.
    Referrals,
    /// Open cases the officer holds.
    Cases,
    /// Tenancies the officer manages.
    Tenancies,
}

/// Which introductory reviews a desk counts for its alarms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reviews {
    /// The officer's own introductory tenancies.
    Own,
    /// Every one in the Team Leader's area.
    Area,
}

/// A role's desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desk {
    pub landing: Landing,
    pub tiles: Vec<Tile>,
    pub sections: Vec<Section>,
    /// The introductory reviews whose anniversaries sound as alarms.
    pub reviews: Option<Reviews>,
    /// Proposals in the area waiting for the user's decision sound as an alarm.
    pub proposals: bool,
    /// The team whose escalation queue the desk lists: the role that concludes them.
    pub team: Option<Role>,
}

impl Desk {
    pub fn shows(&self, s: Section) -> bool {
        self.sections.contains(&s)
    }
    pub fn counts(&self, t: Tile) -> bool {
        self.tiles.contains(&t)
    }
}

/// Where `role` lands.
pub fn landing(role: Role) -> Landing {
    match role {
        Role::Admin => Landing::Administration,
        Role::Partner => Landing::Referrals,
        Role::IntroductoryHmo | Role::CommunityHmo | Role::SustainableHmo | Role::TeamLeader | Role::AsbOfficer | Role::Legal => Landing::MyWork,
    }
}

/// Where a signed-in request for the page `path` goes instead: `/` sends a role that does not work
/// from *My work* to where it does.
pub fn redirect(role: Role, path: &str) -> Option<&'static str> {
    let to = landing(role);
    (path == "/" && to != Landing::MyWork).then(|| to.path())
}

/// The desk of `role`; `covering`: the user covers today for an absent officer, whose tenancies
/// then come to them (a Team Leader covering an officer works that officer's caseload too).
pub fn desk(role: Role, covering: bool) -> Desk {
    use Section::{Cases, Covers, FollowUps, Referrals, TeamQueue, Waiting};
    use Tile::*;
    let landing = landing(role);
    let tenancy_tiles = [Tenancies, IntroductoryTenancies, Arrears];
    let (tiles, sections, reviews, proposals, team): (Vec<Tile>, Vec<Section>, _, _, _) = match role {
        Role::IntroductoryHmo => (
            vec![Tenancies, IntroductoryTenancies, Arrears, OpenCases, Overdue],
            vec![Covers, Waiting, FollowUps, Referrals, Cases, Section::Tenancies],
            Some(Reviews::Own),
            false,
            None,
        ),
        // Introductory tenancies are the Introductory HMO's, and cover comes from the same role.
        Role::CommunityHmo => {
            (vec![Tenancies, Arrears, OpenCases, Overdue], vec![Covers, Waiting, FollowUps, Referrals, Cases, Section::Tenancies], None, false, None)
        }
        // Sustainment works cases (their action plans), not tenancies.
        Role::SustainableHmo => (vec![OpenCases, DueSoon, Overdue], vec![Covers, Waiting, Referrals, Cases], None, false, None),
        Role::TeamLeader => {
            let mut tiles = vec![ProposalsToDecide, AreaReviewsDue, OpenCases, Overdue];
            let mut sections = vec![Covers, Waiting, Referrals, Cases];
            if covering {
                tiles.splice(2..2, tenancy_tiles);
                sections.insert(2, FollowUps);
                sections.push(Section::Tenancies);
            }
            (tiles, sections, Some(Reviews::Area), true, None)
        }
        Role::Legal | Role::AsbOfficer => {
            let mut tiles = vec![Escalations, EscalationsOverdue, EscalationsDueSoon];
            tiles.extend(EscalationPurpose::ALL.into_iter().filter(|p| EscalationPurpose::target_role(p.target()) == Some(role)).map(Tile::for_purpose));
            // The Hub also holds the ASB cases escalated to it.
            let sections = if role == Role::AsbOfficer {
                tiles.extend([OpenCases, Overdue]);
                vec![TeamQueue, Referrals, Cases]
            } else {
                vec![TeamQueue]
            };
            (tiles, sections, None, false, Some(role))
        }
        Role::Partner | Role::Admin => (vec![], vec![], None, false, None),
    };
    Desk { landing, tiles, sections, reviews, proposals, team }
}

/// What the desk's tiles count, as the service found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub tenancies: i64,
    pub introductory: i64,
    pub arrears: i64,
    /// The clocks of the listed tenancies and of the open cases.
    pub tenancy_clocks: Vec<Option<ClockStatus>>,
    pub case_clocks: Vec<Option<ClockStatus>>,
    pub proposals_waiting: i64,
    pub area_reviews_due: i64,
    /// The team queue: each escalation's clock and purpose.
    pub queue: Vec<(Option<ClockStatus>, Option<EscalationPurpose>)>,
}

/// The desk's tiles with their numbers, in the desk's order.
pub fn tiles(desk: &Desk, f: &Facts) -> Vec<(Tile, i64)> {
    let n = |clocks: &[Option<ClockStatus>], s: ClockStatus| clocks.iter().filter(|c| **c == Some(s)).count() as i64;
    let queue_clocks: Vec<Option<ClockStatus>> = f.queue.iter().map(|q| q.0).collect();
    let purpose = |p: EscalationPurpose| f.queue.iter().filter(|q| q.1 == Some(p)).count() as i64;
    desk.tiles
        .iter()
        .map(|&t| {
            let count = match t {
                Tile::Tenancies => f.tenancies,
                Tile::IntroductoryTenancies => f.introductory,
                Tile::Arrears => f.arrears,
                Tile::OpenCases => f.case_clocks.len() as i64,
                Tile::Overdue => n(&f.tenancy_clocks, ClockStatus::Overdue) + n(&f.case_clocks, ClockStatus::Overdue),
                Tile::DueSoon => n(&f.case_clocks, ClockStatus::DueSoon),
                Tile::ProposalsToDecide => f.proposals_waiting,
                Tile::AreaReviewsDue => f.area_reviews_due,
                Tile::Escalations => f.queue.len() as i64,
                Tile::EscalationsOverdue => n(&queue_clocks, ClockStatus::Overdue),
                Tile::EscalationsDueSoon => n(&queue_clocks, ClockStatus::DueSoon),
                Tile::Notices => purpose(EscalationPurpose::Notice),
                Tile::Possession => purpose(EscalationPurpose::Possession),
                Tile::EvidenceReviews => purpose(EscalationPurpose::EvidenceReview),
                Tile::Injunctions => purpose(EscalationPurpose::Injunction),
            };
            (t, count)
        })
        .collect()
}

/// The team that concludes escalations, as a sentence names it.
pub fn team_name(team: Role) -> &'static str {
    match team {
        Role::Legal => "Legal",
        Role::AsbOfficer => "the Community Safety Hub",
        _ => "your team",
    }
}

/// The heading of the team queue: who the escalations wait for.
pub fn queue_heading(team: Role) -> String {
    format!("Waiting for {}", team_name(team))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Section::{Cases, Covers, FollowUps, Referrals, TeamQueue, Waiting};
    use Tile::*;

    /// The whole table, written out: role → landing, tiles, sections.
    #[test]
    fn every_role_has_its_desk() {
        let expected: [(Role, Landing, &[Tile], &[Section]); 8] = [
            (
                Role::IntroductoryHmo,
                Landing::MyWork,
                &[Tenancies, IntroductoryTenancies, Arrears, OpenCases, Overdue],
                &[Covers, Waiting, FollowUps, Referrals, Cases, Section::Tenancies],
            ),
            (
                Role::CommunityHmo,
                Landing::MyWork,
                &[Tenancies, Arrears, OpenCases, Overdue],
                &[Covers, Waiting, FollowUps, Referrals, Cases, Section::Tenancies],
            ),
            (Role::SustainableHmo, Landing::MyWork, &[OpenCases, DueSoon, Overdue], &[Covers, Waiting, Referrals, Cases]),
            (Role::TeamLeader, Landing::MyWork, &[ProposalsToDecide, AreaReviewsDue, OpenCases, Overdue], &[Covers, Waiting, Referrals, Cases]),
            (
                Role::AsbOfficer,
                Landing::MyWork,
                &[Escalations, EscalationsOverdue, EscalationsDueSoon, EvidenceReviews, Injunctions, OpenCases, Overdue],
                &[TeamQueue, Referrals, Cases],
            ),
            (Role::Legal, Landing::MyWork, &[Escalations, EscalationsOverdue, EscalationsDueSoon, Notices, Possession], &[TeamQueue]),
            (Role::Partner, Landing::Referrals, &[], &[]),
            (Role::Admin, Landing::Administration, &[], &[]),
        ];
        assert_eq!(expected.len(), Role::ALL.len(), "every role is in the table");
        for (role, landing, tiles, sections) in expected {
            let d = desk(role, false);
            assert_eq!(d.landing, landing, "{role:?}");
            assert_eq!(d.tiles, tiles, "{role:?}");
            assert_eq!(d.sections, sections, "{role:?}");
        }
    }

    #[test]
    fn only_roles_that_manage_tenancies_count_them() {
        for &role in Role::ALL {
            for covering in [false, true] {
                let d = desk(role, covering);
                let manages = matches!(role, Role::IntroductoryHmo | Role::CommunityHmo) || (role == Role::TeamLeader && covering);
                assert_eq!(d.counts(Tenancies) && d.counts(Arrears), manages, "{role:?} covering={covering}");
                assert_eq!(d.shows(Section::Tenancies), manages, "{role:?} covering={covering}");
                assert_eq!(d.shows(Section::FollowUps), manages, "visits' follow-ups go to whoever manages the tenancy: {role:?} covering={covering}");
                assert!(!d.counts(IntroductoryTenancies) || matches!(role, Role::IntroductoryHmo | Role::TeamLeader), "{role:?}");
            }
        }
        let covering = desk(Role::TeamLeader, true);
        assert_eq!(covering.tiles, vec![ProposalsToDecide, AreaReviewsDue, Tenancies, IntroductoryTenancies, Arrears, OpenCases, Overdue]);
    }

    /// Legal and the Hub work from the escalations sent to them: their queue, its clocks and purposes,
    /// exactly those that `workflow` sends to them.
    #[test]
    fn specialist_teams_work_from_their_queue() {
        for role in [Role::Legal, Role::AsbOfficer] {
            let d = desk(role, false);
            assert_eq!(d.team, Some(role));
            assert_eq!(d.sections[0], TeamQueue, "the queue comes first");
            for p in EscalationPurpose::ALL {
                let theirs = EscalationPurpose::target_role(p.target()) == Some(role);
                assert_eq!(d.counts(Tile::for_purpose(p)), theirs, "{role:?} {p:?}");
            }
            assert!(!d.counts(Tenancies) && !d.counts(Arrears) && !d.counts(IntroductoryTenancies));
        }
        for &role in Role::ALL {
            let d = desk(role, false);
            assert!(!(d.shows(Waiting) && d.shows(TeamQueue)), "one list of waiting items per desk: {role:?}");
            if !matches!(role, Role::Legal | Role::AsbOfficer) {
                assert_eq!(d.team, None, "{role:?}");
                assert!(!d.shows(TeamQueue) && !d.counts(Escalations), "{role:?}");
            }
        }
        assert_eq!(queue_heading(Role::Legal), "Waiting for Legal");
        assert_eq!(queue_heading(Role::AsbOfficer), "Waiting for the Community Safety Hub");
    }

    #[test]
    fn alarms_follow_the_role() {
        for &role in Role::ALL {
            let d = desk(role, false);
            let reviews = match role {
                Role::IntroductoryHmo => Some(Reviews::Own),
                Role::TeamLeader => Some(Reviews::Area),
                _ => None,
            };
            assert_eq!(d.reviews, reviews, "{role:?}");
            assert_eq!(d.proposals, role == Role::TeamLeader, "{role:?}");
        }
    }

    /// Nobody lands on a page their role cannot open: administrators on Administration, partners on
    /// their referrals (the only pages they may open), everyone else on *My work*.
    #[test]
    fn everyone_lands_where_they_work() {
        for &role in Role::ALL {
            let to = landing(role);
            assert_eq!(
                to == Landing::MyWork,
                super::super::access::can_use_housing_records(&super::super::access::test_principal(1, role, Some(1), None)).is_ok(),
                "{role:?}"
            );
            if role == Role::Partner {
                assert!(super::super::access::partner_page_allowed(to.path()));
            }
            assert_eq!(redirect(role, "/"), (to != Landing::MyWork).then(|| to.path()), "{role:?}");
            assert_eq!(redirect(role, "/search"), None, "only / is redirected: {role:?}");
            assert_eq!(redirect(role, "/admin"), None, "{role:?}");
        }
        assert_eq!(redirect(Role::Admin, "/"), Some("/admin"));
        assert_eq!(redirect(Role::Partner, "/"), Some("/referrals"));
        assert_eq!(redirect(Role::Legal, "/"), None);
    }

    #[test]
    fn tiles_count_what_they_say() {
        use ClockStatus as C;
        let f = Facts {
            tenancies: 120,
            introductory: 7,
            arrears: 12,
            tenancy_clocks: vec![Some(C::Overdue), Some(C::DueSoon), None],
            case_clocks: vec![Some(C::Overdue), Some(C::Overdue), Some(C::DueSoon), Some(C::OnTime)],
            proposals_waiting: 3,
            area_reviews_due: 9,
            queue: vec![
                (Some(C::Overdue), Some(EscalationPurpose::Notice)),
                (Some(C::DueSoon), Some(EscalationPurpose::Possession)),
                (Some(C::DueSoon), Some(EscalationPurpose::Possession)),
                (Some(C::OnTime), None),
            ],
        };
        assert_eq!(
            tiles(&desk(Role::IntroductoryHmo, false), &f),
            vec![(Tenancies, 120), (IntroductoryTenancies, 7), (Arrears, 12), (OpenCases, 4), (Overdue, 3)]
        );
        assert_eq!(tiles(&desk(Role::SustainableHmo, false), &f), vec![(OpenCases, 4), (DueSoon, 1), (Overdue, 3)]);
        assert_eq!(tiles(&desk(Role::TeamLeader, false), &f), vec![(ProposalsToDecide, 3), (AreaReviewsDue, 9), (OpenCases, 4), (Overdue, 3)]);
        assert_eq!(
            tiles(&desk(Role::Legal, false), &f),
            vec![(Escalations, 4), (EscalationsOverdue, 1), (EscalationsDueSoon, 2), (Notices, 1), (Possession, 2)]
        );
        assert_eq!(tiles(&desk(Role::Admin, false), &f), vec![]);
        for t in [Tenancies, IntroductoryTenancies, Arrears, OpenCases, Overdue, Escalations, Notices, Injunctions] {
            assert!(!t.label().is_empty());
        }
        assert_eq!(Arrears.label(), "Arrears over £150");
        // No desk shows two tiles under one name (the Hub counts overdue escalations and overdue cases).
        for &role in Role::ALL {
            let labels: Vec<String> = desk(role, true).tiles.iter().map(|t| t.label()).collect();
            let unique: std::collections::HashSet<&String> = labels.iter().collect();
            assert_eq!(unique.len(), labels.len(), "{role:?}: {labels:?}");
        }
    }
}
