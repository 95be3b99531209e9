//! What every area uses: today and the calendar ([`clock`]), the audit log ([`audit`]), the deployment's settings ([`settings`]),
//! what every area's store offers ([`store`]), and workflow items in lists and decisions
//! ([`workflow`]). The kit imports no area.

pub mod audit;
pub mod clock;
pub mod settings;
pub mod store;
pub mod workflow;
