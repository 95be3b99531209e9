//! Search by address, postcode, tenant name, property or tenancy reference.
//! Without JavaScript it is a GET form; with it, results follow the typing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::desk::search;
use crate::components::{ErrorPanel, loading};
use crate::domain::search::{MIN_QUERY_CHARS, normalise_query};
use crate::model::HitKind;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, |q| async move { if normalise_query(&q).is_none() { None } else { Some(search(q).await) } });
    let navigate = use_navigate();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let url = format!("/search?q={}", urlencode(&value));
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    view! {
        <Title text="Search" />
        <h1>"Search"</h1>
        <form method="get" action="/search" role="search" class="search-form" on:submit=|ev| ev.prevent_default()>
            <label for="q">"Address, postcode, tenant name, or property or tenancy reference"</label>
            <div class="search-row">
                <input id="q" name="q" type="search" autocomplete="off" value=q on:input=on_input data-testid="search-input" />
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    None => view! { <p class="muted">{format!("Type at least {MIN_QUERY_CHARS} characters.")}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                    Some(Ok(r)) if r.hits.is_empty() => view! { <p data-testid="no-results">{format!("No tenancies or properties match \u{201c}{}\u{201d}.", r.query)}</p> }.into_any(),
                    Some(Ok(r)) => view! {
                        <p class="muted" aria-live="polite">{if r.truncated { format!("First {} matches. Add more words to narrow it down.", r.hits.len()) } else { format!("{} match{}", r.hits.len(), if r.hits.len() == 1 { "" } else { "es" }) }}</p>
                        <ul class="results" data-testid="results">
                            {r.hits.into_iter().map(|h| {
                                let (href, tag) = match h.kind {
                                    HitKind::Tenancy => (format!("/tenancies/{}", h.reference), "Tenancy"),
                                    HitKind::Property => (format!("/properties/{}", h.reference), "Property"),
                                };
                                view! {
                                    <li>
                                        <span class="tag">{tag}</span>
                                        <a href=href>{h.title}</a>
                                        <div class="muted small">{h.reference}" · "{h.detail}</div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
