//! Widgets shared by pages.

use leptos::prelude::*;

use crate::domain::clock::ClockStatus;
use crate::error::AppError;

/// On time / due soon / overdue, in words and colour (colour is never the only cue).
#[component]
pub fn ClockBadge(status: Option<ClockStatus>) -> impl IntoView {
    status.map(|s| view! { <span class=s.badge_class()>{s.label()}</span> })
}

/// Under a review's clock, once the review has sounded: the last day the notice of extension may
/// reach the tenant (Housing Act 1996 s.125A(2)), with its own clock.
#[component]
pub fn NoticeBy(by: Option<chrono::NaiveDate>, clock: Option<ClockStatus>, review: Option<ClockStatus>) -> impl IntoView {
    by.filter(|_| review.is_some_and(|r| r != ClockStatus::OnTime))
        .map(|d| view! { <div class="small" data-testid="notice-by">{format!("Extension notice by {d} ")}<ClockBadge status=clock /></div> })
}

/// An error the user can act on.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let title = match &error {
        AppError::Forbidden(_) => "You cannot open this record",
        AppError::NotFound(_) => "Not found",
        AppError::NotSignedIn => "Signed out",
        _ => "There is a problem",
    };
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::from_u16(error.status()).unwrap_or(axum::http::StatusCode::BAD_REQUEST));
    }
    let signed_out = matches!(error, AppError::NotSignedIn);
    view! {
        <div class="error-summary" role="alert" tabindex="-1">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
            {signed_out.then(|| view! { <p><a href="/sign-in">"Sign in"</a></p> })}
        </div>
    }
}

/// A labelled value in a summary list.
#[component]
pub fn Field(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="field">
            <dt>{label}</dt>
            <dd>{children()}</dd>
        </div>
    }
}

pub fn loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">"Loading…"</p> }
}

/// The refusal of the last form sent on this page, as an error summary the screen reader announces.
#[component]
pub fn ActionError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <div class="error-summary" role="alert" data-testid="form-error"><p>{e.to_string()}</p></div> })
}

/// Counts an action's successful completions: a page keyed on it reloads after a change that
/// landed, and not after a refusal, so the refused form keeps what the user typed.
pub fn succeeded<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&usize>| {
        let version = action.version().get();
        match action.value().get() {
            Some(Ok(_)) => version,
            _ => prev.copied().unwrap_or(0),
        }
    })
}

/// The fields every recorded step's form starts with: the record, its version as seen, the step's
/// kind, and the day it happened (`<id>-on`).
#[component]
pub fn StepBasics(reference: String, version: String, kind: &'static str, id: String, date_label: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="reference" value=reference />
        <input type="hidden" name="version" value=version />
        <input type="hidden" name="kind" value=kind />
        <div class="form-group">
            <label for=format!("{id}-on")>{date_label}</label>
            <input id=format!("{id}-on") name="on" type="date" required />
        </div>
    }
}

/// A step's note (`<id>-detail`, sent as `detail`): required, at least 10 characters, when the
/// step records reasons.
#[component]
pub fn StepNote(id: String, label: &'static str, required: bool) -> impl IntoView {
    view! {
        <div class="form-group">
            <label for=format!("{id}-detail")>{label}</label>
            <textarea id=format!("{id}-detail") name="detail" rows="2" maxlength="4000" required=required minlength=if required { "10" } else { "0" }></textarea>
        </div>
    }
}

/// A section of a page whose content loads after the page: its heading, a loading line, then
/// what `show` makes of the answer, or what went wrong. `show` captures nothing (it is copied
/// into each render).
#[component]
pub fn LoadedSection<T, F>(
    /// The heading's id, which labels the section.
    id: &'static str,
    title: &'static str,
    load: Resource<Result<T, AppError>>,
    show: F,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> AnyView + Copy + Send + Sync + 'static,
{
    view! {
        <section aria-labelledby=id data-testid=testid>
            <h2 id=id>{title}</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match load.await {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(v) => show(v),
                    }
                })}
            </Suspense>
        </section>
    }
}
