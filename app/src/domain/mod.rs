//! Pure domain rules and vocabulary, compiled for the browser and the server.
//! No I/O here: storage, HTTP and UI are thin layers around these modules.

pub mod access;
pub mod admin;
pub mod clock;
pub mod codes;
pub mod complaint;
pub mod cover;
pub mod desk;
pub mod feedback;
pub mod hazard;
pub mod introductory;
pub mod mapdata;
pub mod money;
pub mod occupancy;
pub mod patchmap;
pub mod photo;
pub mod pipeline;
pub mod programme;
pub mod referral;
pub mod route;
pub mod search;
pub mod signin;
pub mod subject_access;
pub mod sustain;
pub mod timescales;
pub mod tsm;
pub mod visits;
pub mod workflow;

pub use codes::*;
pub use money::Pence;
