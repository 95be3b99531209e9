//! Sign-in and sign-out for the browser (HTML forms that work without JavaScript)
//! and the token endpoint for API clients.

use app::api::RequestMeta;
use app::api::kit::store::AuditEntry;
use app::error::AppError;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use app::domain::signin::{SignInProblem, safe_next};

use super::SESSION_USER_KEY;
use super::password::{dummy_hash, verify_password};
use crate::api::errors::{ErrorBody, app_error, rejection};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: &'static str,
    pub expires_at: String,
}

/// Minimal `application/x-www-form-urlencoded` encoding for redirect query strings.
pub fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Checks the credentials (rate-limited, constant work for unknown users) and audits the attempt.
pub async fn authenticate(state: &AppState, ip: &str, username: &str, password: &str) -> Result<i64, AppError> {
    let refuse = |p: SignInProblem| match p {
        SignInProblem::RateLimited => AppError::RateLimited,
        p => AppError::Invalid(p.message().into()),
    };
    let username = username.trim();
    if username.is_empty() || password.is_empty() {
        return Err(refuse(SignInProblem::Missing));
    }
    if username.len() > 100 || password.len() > 1000 {
        return Err(refuse(SignInProblem::TooLong));
    }
    let audit = |outcome: &str, user_id: Option<i64>| AuditEntry {
        user_id,
        username: username.to_lowercase(),
        action: "sign_in".into(),
        subject_type: "user".into(),
        subject_id: user_id,
        outcome: outcome.into(),
        ip: ip.into(),
        ..Default::default()
    };
    if !state.limiter.attempt(&state.db, ip, username).await? {
        state.store.audit(audit("denied:rate_limited", None)).await?;
        return Err(AppError::RateLimited);
    }
    let (id, hash, active) = match crate::store::accounts::credentials(&state.db, username).await? {
        Some(c) => (Some(c.id), c.password_hash.clone(), c.active()),
        None => (None, dummy_hash().to_string(), false),
    };
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash)).await.unwrap_or(false);
    match (ok && active, id) {
        (true, Some(id)) => {
            state.store.audit(audit("allowed", Some(id))).await?;
            Ok(id)
        }
        _ => {
            state.store.audit(audit("denied:bad_credentials", id)).await?;
            Err(refuse(SignInProblem::BadCredentials))
        }
    }
}

/// The sign-in problem an error from [`authenticate`] stands for (the page shows only these).
fn problem(e: &AppError) -> SignInProblem {
    match e {
        AppError::RateLimited => SignInProblem::RateLimited,
        AppError::Invalid(m) => SignInProblem::ALL.into_iter().find(|p| p.message() == m).unwrap_or(SignInProblem::BadCredentials),
        _ => SignInProblem::Unavailable,
    }
}

pub async fn sign_in(State(state): State<AppState>, Extension(meta): Extension<RequestMeta>, session: Session, Form(form): Form<SignInForm>) -> Response {
    let next = safe_next(&form.next);
    match authenticate(&state, &meta.ip, &form.username, &form.password).await {
        Ok(user_id) => {
            // A new session id at every sign-in (no session fixation).
            if session.cycle_id().await.is_err() || session.insert(SESSION_USER_KEY, user_id).await.is_err() {
                return Redirect::to(&format!("/sign-in?error={}", SignInProblem::Session.code())).into_response();
            }
            Redirect::to(&next).into_response()
        }
        Err(e) => Redirect::to(&format!("/sign-in?error={}&username={}&next={}", problem(&e).code(), form_encode(form.username.trim()), form_encode(&next)))
            .into_response(),
    }
}

pub async fn sign_out(session: Session) -> Response {
    let _ = session.flush().await;
    Redirect::to("/sign-in").into_response()
}

/// Exchange a username and password for a bearer token (12 hours).
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 400, description = "Bad credentials, or a body that is not the JSON asked for", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody), (status = 429, description = "Too many attempts", body = ErrorBody)))]
pub async fn api_token(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    body: Result<Json<TokenRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return rejection(e.status(), &e.body_text()),
    };
    match authenticate(&state, &meta.ip, &req.username, &req.password).await {
        Ok(user_id) => match crate::store::admin::issue_sign_in_token(&state.db, user_id, "api sign-in").await {
            Ok((token, expires_at)) => Json(TokenResponse { token, token_type: "Bearer", expires_at }).into_response(),
            Err(e) => app_error(e),
        },
        Err(e) => app_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(form_encode("a b&c=/d"), "a%20b%26c%3D/d");
    }
}
