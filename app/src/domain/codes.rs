//! The closed vocabularies of the housing domain. Each is stored as its
//! snake_case code (`as_str`) and shown to people with `label`.

use serde::{Deserialize, Serialize};

/// Declares a string-coded enum with its stored code and its human label.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code stored in the database and sent over the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            /// What a person reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::parse(s).ok_or_else(|| format!("unknown {}: {s:?}", stringify!($name)))
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// What a signed-in user is. Officers' roles are the three HMO roles of the York model.
    Role {
        IntroductoryHmo = "introductory_hmo": "Introductory Tenancy HMO",
        CommunityHmo = "community_hmo": "Community HMO",
        SustainableHmo = "sustainable_hmo": "Sustainable Tenancy HMO",
        TeamLeader = "team_leader": "Team Leader",
        AsbOfficer = "asb_officer": "ASB / Community Safety Hub",
        Legal = "legal": "Legal",
        Partner = "partner": "Partner agency",
        Admin = "admin": "Administrator",
    }
);

impl Role {
    /// Housing Management Officers in one of the three HMO roles.
    pub fn is_hmo(self) -> bool {
        matches!(self, Role::IntroductoryHmo | Role::CommunityHmo | Role::SustainableHmo)
    }
    /// Council staff (everyone but partner-agency users).
    pub fn is_council_staff(self) -> bool {
        !matches!(self, Role::Partner)
    }
}

code_enum!(
    Tenure {
        Introductory = "introductory": "Introductory",
        ExtendedIntroductory = "extended_introductory": "Extended introductory",
        Secure = "secure": "Secure",
        NonSecure = "non_secure": "Non-secure (temporary)",
        Leasehold = "leasehold": "Leasehold",
    }
);

impl Tenure {
    /// Introductory (trial) tenancies, extended or not: they carry a review clock.
    pub fn is_introductory(self) -> bool {
        matches!(self, Tenure::Introductory | Tenure::ExtendedIntroductory)
    }

    /// Whether the tenancy pays rent, and so can be in rent arrears. A leaseholder pays ground
    /// rent and service charges under the lease (Landlord and Tenant Act 1985 s.18), which are
    /// not rent arrears and are never chased as such.
    pub fn pays_rent(self) -> bool {
        self != Tenure::Leasehold
    }
}

code_enum!(
    TenancyStatus {
        Active = "active": "Active",
        Ended = "ended": "Ended",
    }
);

code_enum!(
    PropertyType {
        House = "house": "House",
        Bungalow = "bungalow": "Bungalow",
        Flat = "flat": "Flat",
        Maisonette = "maisonette": "Maisonette",
        Bedsit = "bedsit": "Bedsit",
    }
);

code_enum!(
    Relationship {
        Tenant = "tenant": "Tenant",
        JointTenant = "joint_tenant": "Joint tenant",
        Partner = "partner": "Partner",
        Child = "child": "Child",
        Parent = "parent": "Parent",
        OtherRelative = "other_relative": "Other relative",
        Lodger = "lodger": "Lodger",
        Carer = "carer": "Overnight carer",
    }
);

code_enum!(
    AlertKind {
        Vulnerability = "vulnerability": "Vulnerability",
        RiskToStaff = "risk_to_staff": "Risk to staff",
        Disability = "disability": "Disability / adaptations",
        Interpreter = "interpreter": "Interpreter needed",
        Safeguarding = "safeguarding": "Safeguarding",
    }
);

code_enum!(
    CaseKind {
        Asb = "asb": "Anti-social behaviour",
        Arrears = "arrears": "Rent arrears",
        NeighbourDispute = "neighbour_dispute": "Neighbour issue",
        Sustainment = "sustainment": "Tenancy sustainment",
        IntroductoryReview = "introductory_review": "Introductory tenancy review",
        Vulnerability = "vulnerability": "Vulnerability",
        DomesticAbuse = "domestic_abuse": "Domestic abuse (MARAC)",
        Safeguarding = "safeguarding": "Safeguarding",
        TenancyFraud = "tenancy_fraud": "Tenancy fraud / subletting",
        Disrepair = "disrepair": "Disrepair",
        Complaint = "complaint": "Complaint",
    }
);

impl CaseKind {
    /// Kinds that are need-to-know even inside the council.
    pub fn is_restricted(self) -> bool {
        matches!(self, CaseKind::DomesticAbuse | CaseKind::Safeguarding)
    }
}

code_enum!(
    CaseStatus {
        Open = "open": "Open",
        Closed = "closed": "Closed",
    }
);

code_enum!(
    TransferKind {
        Allocation = "allocation": "Allocated",
        SecureHandover = "secure_handover": "Made secure: to Community HMO",
        ReferralToSustainable = "referral_to_sustainable": "Referred to Sustainable Tenancy HMO",
        HandBack = "hand_back": "Handed back to Community HMO",
        EscalationLegal = "escalation_legal": "Escalated to Legal",
        EscalationHub = "escalation_hub": "Escalated to Community Safety Hub",
        Cover = "cover": "Covered during absence",
        CoverReturn = "cover_return": "Returned after cover",
        PatchChange = "patch_change": "Patch change",
        Reassignment = "reassignment": "Reassigned",
    }
);

code_enum!(
    TransferStatus {
        Proposed = "proposed": "Proposed",
        Approved = "approved": "Approved",
        Declined = "declined": "Declined",
        Completed = "completed": "Completed",
    }
);

code_enum!(
    VisitType {
        SignUp = "sign_up": "Sign-up",
        SettlingIn = "settling_in": "Settling-in visit",
        HomeCheck = "home_check": "Annual home check",
        OccupancyCheck = "occupancy_check": "Tenancy occupancy check",
        Vulnerability = "vulnerability": "Vulnerability visit",
        PreTermination = "pre_termination": "Pre-termination",
        RightToBuy = "right_to_buy": "Right to buy",
        MutualExchange = "mutual_exchange": "Mutual exchange",
        Asb = "asb": "ASB visit",
        Arrears = "arrears": "Arrears visit",
        NoAccessFollowUp = "no_access_follow_up": "No-access follow-up",
    }
);

code_enum!(
    VisitOutcome {
        Scheduled = "scheduled": "Scheduled",
        Completed = "completed": "Completed",
        NoAccess = "no_access": "No access",
        Cancelled = "cancelled": "Cancelled",
    }
);

code_enum!(
    FindingKind {
        Safeguarding = "safeguarding": "Safeguarding concern",
        Disrepair = "disrepair": "Disrepair",
        DampMould = "damp_mould": "Damp and mould",
        UnderOccupation = "under_occupation": "Under-occupation",
        Overcrowding = "overcrowding": "Overcrowding",
        FireRisk = "fire_risk": "Fire risk",
        UnauthorisedAlteration = "unauthorised_alteration": "Unauthorised alteration",
        Subletting = "subletting": "Signs of subletting",
        Abandonment = "abandonment": "Signs of abandonment",
        Vulnerability = "vulnerability": "Vulnerability",
    }
);

impl FindingKind {
    /// How soon what a visit found must be acted on: Haringey's standards for its visiting
    /// programme (`seeds/003`: "Referral for tenancy enforcement/service of NTQ – within 24 hours
    /// of visit; Report safeguarding concern – same day; Refer disrepair concerns – within 2 days;
    /// Refer for follow up advice or support on downsizing – within 2 days; Record date for follow
    /// up visit – within 3 days"), and for a fire risk the emergency-hazard rule of Awaab's Law
    /// (the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025: an
    /// emergency hazard is investigated and made safe within 24 hours). Damp and mould is referred
    /// like disrepair; it also starts Awaab's Law's own ladder (`domain::hazard`).
    pub fn follow_up(self) -> super::clock::Deadline {
        use super::clock::Deadline;
        match self {
            FindingKind::Safeguarding => Deadline::SAFEGUARDING_CONCERN,
            FindingKind::Subletting | FindingKind::Abandonment => Deadline::ENFORCEMENT_REFERRAL,
            FindingKind::FireRisk => Deadline::Hours(24),
            FindingKind::Disrepair | FindingKind::DampMould => Deadline::DISREPAIR_REFERRAL,
            FindingKind::UnderOccupation | FindingKind::Overcrowding => Deadline::DOWNSIZING_REFERRAL,
            FindingKind::UnauthorisedAlteration | FindingKind::Vulnerability => Deadline::FOLLOW_UP_VISIT_BOOKED,
        }
    }
}

code_enum!(
    AgencyKind {
        AdultSocialCare = "adult_social_care": "Adult Social Care",
        Police = "police": "Police",
        MentalHealth = "mental_health": "Mental Health",
        Mediation = "mediation": "Mediation",
        ChildrensServices = "childrens_services": "Children's Services",
        Fire = "fire": "Fire and Rescue",
        DrugIntervention = "drug_intervention": "Drug intervention tenancy sustainment",
        FinancialInclusion = "financial_inclusion": "Financial inclusion",
        Marac = "marac": "MARAC",
    }
);

code_enum!(
    ReferralCategory {
        Support = "support": "Support needs",
        MentalHealth = "mental_health": "Mental health",
        Asb = "asb": "Anti-social behaviour",
        Crime = "crime": "Crime",
        Mediation = "mediation": "Mediation",
        Financial = "financial": "Money and benefits",
        FireSafety = "fire_safety": "Fire safety",
        Substance = "substance": "Drug or alcohol use",
        Marac = "marac": "MARAC (domestic abuse)",
        Mappa = "mappa": "MAPPA",
        Safeguarding = "safeguarding": "Safeguarding",
    }
);

impl ReferralCategory {
    /// Need-to-know categories: only the referrer, their Team Leader and named people see them.
    pub fn is_restricted(self) -> bool {
        matches!(self, ReferralCategory::Marac | ReferralCategory::Mappa | ReferralCategory::Safeguarding)
    }

    /// The lawful basis practitioners use for this kind of referral (UK GDPR Art. 6(1)), and the
    /// law it rests on. Consent is not the basis for sharing about risk of serious harm: it cannot
    /// be freely given or withdrawn there (ICO, *Data sharing: a code of practice*, 2021).
    pub fn usual_basis(self) -> (LawfulBasis, &'static str) {
        match self {
            ReferralCategory::Marac => (
                LawfulBasis::PublicTask,
                "UK GDPR Art. 6(1)(e) public task: MARAC information-sharing under the Crime and Disorder Act 1998 s.115; special category data under DPA 2018 Sch. 1 para 18",
            ),
            ReferralCategory::Mappa => {
                (LawfulBasis::LegalDuty, "UK GDPR Art. 6(1)(c): the duty to co-operate with the MAPPA responsible authority, Criminal Justice Act 2003 s.325")
            }
            ReferralCategory::Safeguarding => (
                LawfulBasis::PublicTask,
                "UK GDPR Art. 6(1)(e) public task: safeguarding enquiry, Care Act 2014 s.42 (adults) or Children Act 1989 s.47; DPA 2018 Sch. 1 para 18",
            ),
            _ => (LawfulBasis::Consent, "Verbally, at a home visit"),
        }
    }
}

code_enum!(
    ReferralStatus {
        Draft = "draft": "Draft",
        Sent = "sent": "Sent",
        Accepted = "accepted": "Accepted",
        Declined = "declined": "Declined",
        InProgress = "in_progress": "In progress",
        Closed = "closed": "Closed",
    }
);

code_enum!(
    Urgency {
        Emergency = "emergency": "Emergency (same day)",
        Urgent = "urgent": "Urgent (2 working days)",
        Standard = "standard": "Standard (10 working days)",
    }
);

code_enum!(
    LawfulBasis {
        Consent = "consent": "Consent",
        PublicTask = "public_task": "Public task (a statutory function)",
        LegalDuty = "legal_duty": "Legal duty",
        VitalInterests = "vital_interests": "Vital interests",
    }
);

code_enum!(
    RentTransactionKind {
        Charge = "charge": "Rent charge",
        Payment = "payment": "Payment",
        UniversalCredit = "universal_credit": "Universal Credit payment",
        Adjustment = "adjustment": "Adjustment",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_trial_tenures_are_introductory() {
        // Haringey's visiting standards (seeds/003) and Awaab's Law's emergency hazards.
        use crate::domain::clock::Deadline;
        assert_eq!(FindingKind::Safeguarding.follow_up(), Deadline::SameDay);
        assert_eq!(FindingKind::Subletting.follow_up(), Deadline::Hours(24));
        assert_eq!(FindingKind::Abandonment.follow_up(), Deadline::Hours(24));
        assert_eq!(FindingKind::FireRisk.follow_up(), Deadline::Hours(24));
        assert_eq!(FindingKind::Disrepair.follow_up(), Deadline::WorkingDays(2));
        assert_eq!(FindingKind::DampMould.follow_up(), Deadline::WorkingDays(2));
        assert_eq!(FindingKind::UnderOccupation.follow_up(), Deadline::WorkingDays(2));
        assert_eq!(FindingKind::UnauthorisedAlteration.follow_up(), Deadline::WorkingDays(3));
        let paying: Vec<Tenure> = Tenure::ALL.iter().copied().filter(|t| t.pays_rent()).collect();
        assert!(!paying.contains(&Tenure::Leasehold) && paying.contains(&Tenure::Secure) && paying.contains(&Tenure::Introductory));
        let on_trial: Vec<Tenure> = Tenure::ALL.iter().copied().filter(|t| t.is_introductory()).collect();
        assert_eq!(on_trial, vec![Tenure::Introductory, Tenure::ExtendedIntroductory]);
    }

    #[test]
    fn codes_round_trip_for_every_variant() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        for t in Tenure::ALL {
            assert_eq!(t.as_str().parse::<Tenure>(), Ok(*t));
        }
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.as_str()), Some(*k));
        }
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn serde_uses_the_stored_code() {
        assert_eq!(serde_json::to_string(&Role::TeamLeader).unwrap(), "\"team_leader\"");
        assert_eq!(serde_json::to_string(&Tenure::ExtendedIntroductory).unwrap(), "\"extended_introductory\"");
    }

    #[test]
    fn unknown_codes_are_errors() {
        assert!(Role::parse("superuser").is_none());
        assert!("Secure".parse::<Tenure>().is_err());
    }

    #[test]
    fn restricted_categories() {
        assert!(ReferralCategory::Marac.is_restricted());
        assert!(ReferralCategory::Mappa.is_restricted());
        assert!(ReferralCategory::Safeguarding.is_restricted());
        assert!(!ReferralCategory::Support.is_restricted());
        assert!(CaseKind::DomesticAbuse.is_restricted());
        assert!(!CaseKind::Asb.is_restricted());
    }
}
