//! Hearth's server: configuration, storage, authentication, the HTTP router and the CLI.
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod backup;
pub mod bench_plain;
pub mod db;
pub mod edge;
pub mod feedback;
pub mod housekeeping;
pub mod languages;
pub mod metrics;
pub mod requestlog;
pub mod routes;
pub mod seed;
pub mod settings;
pub mod site;
pub mod state;
pub mod statement;
pub mod store;
pub mod subject_access;
