//! The store, area by area: each area's services ask only for what they use (`<area>/store.rs`,
//! implemented with sqlx in `server/src/store/<area>.rs`), and `Store` is all of them, injected
//! as context. Every method that changes a record takes the `AuditEntry` that accounts for it and
//! writes it in the change's own transaction: both are kept, or neither.

pub use super::admin::store::AdminStore;
pub use super::casework::store::CaseStore;
pub use super::desk::store::DeskStore;
pub use super::feedback::store::FeedbackStore;
pub use super::hazards::store::HazardStore;
pub use super::kit::store::{KitStore, WorkflowStore};
pub use super::map::store::MapStore;
pub use super::pipeline::store::PipelineStore;
pub use super::referrals::store::ReferralStore;
pub use super::reviews::store::ReviewStore;
pub use super::visits::store::VisitStore;

/// The area traits, for `use store::traits::*` where a concrete store is called.
pub mod traits {
    pub use super::{
        AdminStore, CaseStore, DeskStore, FeedbackStore, HazardStore, KitStore, MapStore, PipelineStore, ReferralStore, ReviewStore, VisitStore, WorkflowStore,
    };
}

pub trait Store:
    KitStore
    + WorkflowStore
    + DeskStore
    + ReviewStore
    + CaseStore
    + FeedbackStore
    + ReferralStore
    + AdminStore
    + MapStore
    + VisitStore
    + PipelineStore
    + HazardStore
{
}

impl<
    T: KitStore
        + WorkflowStore
        + DeskStore
        + ReviewStore
        + CaseStore
        + FeedbackStore
        + ReferralStore
        + AdminStore
        + MapStore
        + VisitStore
        + PipelineStore
        + HazardStore,
> Store for T
{
}
