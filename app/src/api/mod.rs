//! The layer between pages and storage, one folder per area of the product (`desk`, `reviews`,
//! `casework`, `referrals`, `map`, `feedback`, `admin`, `visits`, `pipeline`, `hazards`), each with the same parts:
//! - `mod.rs`: its server functions, which the UI calls; thin: each resolves the signed-in user
//!   and the store from context ([`kit::context`]) and calls the area's service;
//! - `service.rs`: its operations, shared with the `/api/v1` JSON handlers
//!   (`server/src/api/<area>.rs`): authorise with the domain rules, load, derive, audit;
//! - `store.rs`: the storage it needs, as a trait (implemented in `server/src/store/<area>.rs`).
//!
//! [`kit`] is what every area uses; [`store::Store`] is every area's store in one.

pub mod admin;
pub mod casework;
pub mod desk;
pub mod feedback;
pub mod hazards;
#[cfg(feature = "ssr")]
pub mod kit;
pub mod map;
pub mod pipeline;
// `make_referral` takes each form field as its own argument (one checkbox per shareable field, so
// the form posts the same with JavaScript on or off); the client stub `#[server]` generates for it
// cannot carry an attribute, so the allowance is the module's.
#[allow(clippy::too_many_arguments)]
pub mod referrals;
pub mod reviews;
#[cfg(feature = "ssr")]
pub mod store;
pub mod visits;

#[cfg(feature = "ssr")]
pub use ssr::*;

/// The codec for the hydration data of the pages with the most rows (My work, Approvals,
/// Referrals, Team, Satisfaction): postcard, which Leptos writes into the page as base64. It is
/// about half the bytes of JSON, and nothing in it needs escaping inside the page's script, where
/// every quote of JSON does: on the largest caseload that escaping cost more server time than the
/// query (issue 6's bench). Every type it carries must keep serde's plain derive (no
/// `skip_serializing_if`, `flatten` or untagged enums): postcard is not self-describing.
pub type Compact = codee::binary::PostcardCodec;

/// `Resource::new` with its hydration data in [`Compact`] form.
#[track_caller]
pub fn compact_resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> leptos::prelude::Resource<T, Compact>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    leptos::prelude::Resource::new_with_options(source, fetcher, false)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::use_context;

    use crate::api::store::Store;
    use crate::domain::access::Principal;
    use crate::error::AppError;

    /// Facts about the request the server's middleware puts in its extensions.
    #[derive(Clone, Debug, Default)]
    pub struct RequestMeta {
        pub ip: String,
        /// `scheme://host[:port]` the request came to (`domain::feedback::request_origin`); empty if unknown.
        pub origin: String,
    }

    /// The store, provided as context by the server for every page and server function.
    pub fn store() -> Result<Arc<dyn Store>, AppError> {
        use_context::<Arc<dyn Store>>().ok_or(AppError::Internal)
    }

    /// The signed-in user (put in the request's extensions by the server's session middleware).
    pub async fn principal() -> Result<Principal, AppError> {
        match leptos_axum::extract::<axum::Extension<Principal>>().await {
            Ok(axum::Extension(p)) => Ok(p),
            Err(_) => Err(AppError::NotSignedIn),
        }
    }

    pub async fn request_meta() -> RequestMeta {
        leptos_axum::extract::<axum::Extension<RequestMeta>>().await.map(|e| e.0).unwrap_or_default()
    }

    /// Store, user and request facts in one call.
    pub async fn context() -> Result<(Arc<dyn Store>, Principal, RequestMeta), AppError> {
        let store = store()?;
        let who = principal().await.inspect_err(|_| {
            if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(axum::http::StatusCode::UNAUTHORIZED);
            }
        })?;
        Ok((store, who, request_meta().await))
    }
}
