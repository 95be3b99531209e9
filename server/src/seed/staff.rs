//! Partner agencies and the council's people: Team Leaders, Introductory and Sustainable HMOs per
//! area, council-wide roles and the agencies' partner accounts. (Community HMOs come with their
//! patches, see [`super::patches`].)

use app::domain::{AgencyKind, Role};
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::writer::V;
use super::{AREAS, Ctx, DEMO_PASSWORD, DemoAccount, names, person_name};

/// The partner agencies: kind, name, and the username of their demo account.
pub const AGENCIES: [(AgencyKind, &str, &str); 9] = [
    (AgencyKind::AdultSocialCare, "City of York Adult Social Care", "partner.asc"),
    (AgencyKind::Police, "North Yorkshire Police", "partner.police"),
    (AgencyKind::MentalHealth, "Tees, Esk and Wear Valleys Mental Health", "partner.mh"),
    (AgencyKind::Mediation, "York Mediation Service", "partner.mediation"),
    (AgencyKind::ChildrensServices, "York Children's Services", "partner.children"),
    (AgencyKind::Fire, "North Yorkshire Fire and Rescue", "partner.fire"),
    (AgencyKind::DrugIntervention, "Changing Lives Tenancy Sustainment", "partner.dit"),
    (AgencyKind::FinancialInclusion, "York Financial Inclusion Team", "partner.money"),
    (AgencyKind::Marac, "York MARAC", "partner.marac"),
];

const USER_COLUMNS: [&str; 10] = ["id", "username", "display_name", "email", "password_hash", "role", "area_team_id", "agency_id", "active", "created_at"];

pub struct User {
    pub id: i64,
    pub role: Role,
    pub display: String,
}

/// A new account: its username, role, area team and agency, the note shown on the demo sign-in
/// list, and whether it is listed there at all.
pub struct NewUser<'s> {
    pub username: String,
    pub role: Role,
    pub area: Option<usize>,
    pub agency: Option<i64>,
    pub note: &'s str,
    pub listed: bool,
}

pub struct Staff {
    pub users: Vec<User>,
    pub accounts: Vec<DemoAccount>,
    pub admin_id: i64,
    pub asb_id: i64,
    pub team_leaders: [i64; 3],
    pub ihmos: [Vec<i64>; 3],
    pub sthmos: [Vec<i64>; 3],
    hash: String,
}

impl Staff {
    pub fn add(&mut self, ctx: &mut Ctx, u: NewUser) -> i64 {
        let sex = ctx.sex(0.6);
        let display = format!("{} {}", ctx.first_name(sex), ctx.surname());
        let id = self.users.len() as i64 + 1;
        ctx.w.row(
            "users",
            &USER_COLUMNS,
            vec![
                V::I(id),
                V::S(u.username.clone()),
                V::S(display.clone()),
                V::S(format!("{}@hearth.example", u.username)),
                V::S(self.hash.clone()),
                V::s(u.role.as_str()),
                u.area.map(|a| V::I(a as i64 + 1)).unwrap_or(V::N),
                u.agency.map(V::I).unwrap_or(V::N),
                V::I(1),
                V::s("2022-04-01T09:00:00Z"),
            ],
        );
        if u.listed {
            self.accounts.push(DemoAccount {
                username: u.username,
                password: DEMO_PASSWORD.into(),
                role: u.role,
                display_name: display.clone(),
                area: u.area.map(|a| AREAS[a].to_string()),
                note: u.note.into(),
            });
        }
        self.users.push(User { id, role: u.role, display });
        id
    }

    /// The display name of a user (the contact named on referrals).
    pub fn name_of(&self, id: i64) -> String {
        self.users.iter().find(|u| u.id == id).map(|u| u.display.clone()).unwrap_or_default()
    }

    /// The partner account of agency `agency` (1-based), in the order of [`AGENCIES`].
    pub fn partner_of(&self, agency: i64) -> Option<i64> {
        self.users.iter().filter(|u| u.role == Role::Partner).nth((agency - 1) as usize).map(|u| u.id)
    }
}

/// Agencies, then the council-wide roles, then each area's team.
pub fn write(ctx: &mut Ctx) -> Staff {
    let mut s = Staff {
        users: Vec::new(),
        accounts: Vec::new(),
        admin_id: 0,
        asb_id: 0,
        team_leaders: [0; 3],
        ihmos: Default::default(),
        sthmos: Default::default(),
        hash: crate::auth::password::hash_password(DEMO_PASSWORD),
    };
    for (i, (kind, name, user)) in AGENCIES.iter().enumerate() {
        let id = i as i64 + 1;
        ctx.w.row(
            "agencies",
            &["id", "name", "kind", "team", "contact_email", "contact_phone", "active"],
            vec![
                V::I(id),
                V::s(name),
                V::s(kind.as_str()),
                V::s("Referrals team"),
                V::S(format!("referrals@{}.example", user.trim_start_matches("partner."))),
                V::s("01904 000000"),
                V::I(1),
            ],
        );
        let note = format!("{}: only referrals shared with them", kind.label());
        s.add(ctx, NewUser { username: user.to_string(), role: Role::Partner, area: None, agency: Some(id), note: &note, listed: true });
    }
    let council = |username: &str, role, note| NewUser { username: username.into(), role, area: None, agency: None, note, listed: true };
    s.admin_id = s.add(ctx, council("admin", Role::Admin, "users, agencies, configuration; no casework"));
    s.asb_id = s.add(ctx, council("asb.hub", Role::AsbOfficer, "Community Safety Hub: escalated ASB cases, council-wide"));
    s.add(ctx, council("legal", Role::Legal, "Legal: notices and possession, council-wide"));
    for (a, name) in AREAS.iter().enumerate() {
        area_team(ctx, &mut s, a, name);
    }
    s
}

/// One area's Team Leader, three Introductory HMOs and two Sustainable HMOs (the first of each listed).
fn area_team(ctx: &mut Ctx, s: &mut Staff, a: usize, name: &str) {
    let lower = name.to_lowercase();
    let note = format!("everything in the {name} area team");
    s.team_leaders[a] = s.add(ctx, NewUser { username: format!("tl.{lower}"), role: Role::TeamLeader, area: Some(a), agency: None, note: &note, listed: true });
    let note = format!("new tenancies in {name}");
    for n in 1..=3 {
        let id =
            s.add(ctx, NewUser { username: format!("ihmo.{lower}{n}"), role: Role::IntroductoryHmo, area: Some(a), agency: None, note: &note, listed: n == 1 });
        s.ihmos[a].push(id);
    }
    let note = format!("sustainment cases in {name}");
    for n in 1..=2 {
        let id =
            s.add(ctx, NewUser { username: format!("sthmo.{lower}{n}"), role: Role::SustainableHmo, area: Some(a), agency: None, note: &note, listed: n == 1 });
        s.sthmos[a].push(id);
    }
}

/// A second Team Leader for East (a deputy who shares the patch work), with her own random
/// stream so adding her changes nothing else in the demo council.
pub fn write_deputy(ctx: &mut Ctx, s: &mut Staff) {
    let id = s.users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
    let mut rng = ChaCha8Rng::seed_from_u64(ctx.seed ^ 0x7e57);
    let display = format!("{} {}", person_name(&mut rng, 'F'), names::SURNAMES.choose(&mut rng).copied().unwrap_or("Smith"));
    ctx.w.row(
        "users",
        &USER_COLUMNS,
        vec![
            V::I(id),
            V::s("tl.east2"),
            V::S(display.clone()),
            V::s("tl.east2@hearth.example"),
            V::S(s.hash.clone()),
            V::s(Role::TeamLeader.as_str()),
            V::I(1),
            V::N,
            V::I(1),
            V::s("2022-04-01T09:00:00Z"),
        ],
    );
    s.accounts.push(DemoAccount {
        username: "tl.east2".into(),
        password: DEMO_PASSWORD.into(),
        role: Role::TeamLeader,
        display_name: display.clone(),
        area: Some(AREAS[0].to_string()),
        note: "deputy Team Leader, East: reshapes patches too".into(),
    });
    s.users.push(User { id, role: Role::TeamLeader, display });
}
