//! One module per area of the product.

pub mod admin;
pub mod approvals;
pub mod case;
pub mod complaint;
pub mod day;
pub mod hazards;
pub mod layout;
pub mod map;
pub mod my_work;
pub mod not_found;
pub mod outbox;
pub mod property;
pub mod referrals;
pub mod review;
pub mod satisfaction;
pub mod search;
pub mod sign_in;
pub mod team;
pub mod tenancy;
