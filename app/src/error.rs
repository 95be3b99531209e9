//! One error type across the wire. Database details are logged on the server, never sent.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Sign in to continue.")]
    NotSignedIn,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Wait a minute and try again.")]
    RateLimited,
    #[error("Something went wrong on our side. It has been logged; please try again.")]
    Internal,
    /// A change whose audit row could not be written: the change was rolled back with it.
    #[error(
        "Nothing was saved: the change could not be written to the audit log, which every change needs. Please try again; if it keeps happening, tell your administrator."
    )]
    NotRecorded,
    #[error("{0}")]
    ServerFn(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) | AppError::ServerFn(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Internal | AppError::NotRecorded => 500,
        }
    }
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotSignedIn => "not_signed_in",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Invalid(_) | AppError::ServerFn(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::RateLimited => "rate_limited",
            AppError::Internal => "internal",
            AppError::NotRecorded => "not_recorded",
        }
    }
}

impl From<crate::domain::access::Denial> for AppError {
    fn from(d: crate::domain::access::Denial) -> Self {
        match d {
            crate::domain::access::Denial::NotSignedIn => AppError::NotSignedIn,
            crate::domain::access::Denial::NotShared => AppError::NotFound("This referral".into()),
            other => AppError::Forbidden(other.message().to_string()),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value.to_string())
    }
}
