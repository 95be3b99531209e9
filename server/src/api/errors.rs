//! How the JSON API answers a failure: an `ErrorBody` with a stable code and words a person can
//! act on, with the status the error calls for.

use app::error::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
}

pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(ErrorBody { error: code.into(), message: message.into() })).into_response()
}

pub fn app_error(e: AppError) -> Response {
    error_response(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.code(), &e.to_string())
}

pub fn reply<T: Serialize>(r: Result<T, AppError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => app_error(e),
    }
}

/// Our JSON answer to a request whose body, query string or path did not parse: 413 for a body
/// over the limit, otherwise 400 (never axum's plain-text 400, 415 or 422), with the parser's words.
pub fn rejection(status: StatusCode, words: &str) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        error_response(status, "too_large", &format!("The request body is too large: {words}"))
    } else {
        error_response(StatusCode::BAD_REQUEST, "invalid", words)
    }
}
