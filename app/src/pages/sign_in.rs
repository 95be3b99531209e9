//! Sign-in. A plain form posting to the server's `/auth/sign-in`, so it works without JavaScript;
//! on failure the server sends the user back here with the message and the username they typed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    // Only the sign-in problems' own words: a link cannot write into the error box.
    let error = move || query.read().get("error").and_then(|c| crate::domain::signin::SignInProblem::parse(&c)).map(|p| p.message());
    let username = move || query.read().get("username").unwrap_or_default();
    let next = move || crate::domain::signin::safe_next(&query.read().get("next").unwrap_or_default());
    view! {
        <Title text="Sign in" />
        <main id="main" class="container narrow sign-in">
            <div class="brand-large">
                <img src="/favicon.svg" alt="" width="48" height="48" />
                <span>"Hearth"</span>
            </div>
            <h1>"Sign in"</h1>
            <p class="lede">"Housing management for council officers, team leaders and partner agencies."</p>
            {move || error().map(|e| view! {
                <div class="error-summary" role="alert" data-testid="sign-in-error">
                    <h2>"There is a problem"</h2>
                    <p>{e}</p>
                </div>
            })}
            <form method="post" action="/auth/sign-in" class="stack">
                <input type="hidden" name="next" value=next />
                <div class="form-group">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value=username />
                </div>
                <div class="form-group">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <button type="submit" class="button">"Sign in"</button>
            </form>
            <p class="muted small"><a href="/accessibility" rel="external">"Accessibility statement"</a></p>
        </main>
    }
}
