//! The HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::pages::{
    approvals::ApprovalsPage, case::CasePage, layout::Layout, my_work::MyWorkPage, not_found::NotFound, property::PropertyPage, satisfaction::SatisfactionPage,
    search::SearchPage, sign_in::SignInPage, team::TeamPage, tenancy::TenancyPage,
};

/// The document around the app. Only the server renders it; the browser hydrates `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <leptos_meta::HashedStylesheet options=options.clone() id="hearth" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The server's middleware chooses a nonce per request (it also writes the CSP header);
/// the hydration script carries it so the policy needs no 'unsafe-inline'.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    if let Some(parts) = use_context::<axum::http::request::Parts>()
        && let Some(nonce) = parts.extensions.get::<CspNonce>()
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
    }
}

/// The per-request CSP nonce, set by the server's security-headers middleware.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| if page.is_empty() { "Hearth".to_string() } else { format!("{page} – Hearth") } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/") view=|| view! { <Layout><MyWorkPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/day") view=|| view! { <Layout><crate::pages::day::DayPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/approvals") view=|| view! { <Layout><ApprovalsPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/search") view=|| view! { <Layout><SearchPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/tenancies/:reference") view=|| view! { <Layout><TenancyPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:reference") view=|| view! { <Layout><CasePage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/map") view=|| view! { <Layout><crate::pages::map::MapPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/team") view=|| view! { <Layout><TeamPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/satisfaction") view=|| view! { <Layout><SatisfactionPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/properties/:reference") view=|| view! { <Layout><PropertyPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/tenancies/:reference/refer") view=|| view! { <Layout><crate::pages::referrals::NewReferralPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/admin") view=|| view! { <Layout><crate::pages::admin::AdminPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/referrals") view=|| view! { <Layout><crate::pages::referrals::ReferralsPage /></Layout> } ssr=SsrMode::Async />
                <Route path=path!("/referrals/:reference") view=|| view! { <Layout><crate::pages::referrals::ReferralPage /></Layout> } ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
