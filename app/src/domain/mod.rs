//! Pure domain rules and vocabulary, compiled for the browser and the server.
//! No I/O here: storage, HTTP and UI are thin layers around these modules.

pub mod clock;
pub mod codes;
pub mod money;
pub mod occupancy;
pub mod access;
pub mod search;
pub mod signin;
pub mod sustain;
pub mod tsm;
pub mod feedback;
pub mod cover;
pub mod workflow;
pub mod referral;
pub mod patchmap;
pub mod mapdata;

pub use codes::*;
pub use money::Pence;
