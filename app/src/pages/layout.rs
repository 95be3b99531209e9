//! The frame around every signed-in page: header, navigation, sign-out.

use leptos::prelude::*;

use crate::api::desk::whoami;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let user = Resource::new(|| (), |_| whoami());
    crate::pages::outbox::provide_outbox();
    // Lets a page opened on the estate be reloaded with no signal (`public/sw.js`).
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        let _ = window().navigator().service_worker().register("/sw.js");
    });
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="container header-inner">
                // One boundary for the brand's link (the user's desk), the navigation and the signed-in user: all wait on `whoami`.
                <Suspense fallback=|| view! { <Brand home="/" /> }>
                    {move || Suspend::new(async move {
                        let who = user.await.ok().flatten();
                        let home = who.as_ref().map_or("/", |u| crate::domain::desk::landing(u.role).path());
                        let signed_in = who.map(|u| {
                            use crate::domain::Role;
                            // Partner-agency users have one place in Hearth: their referrals.
                            // Administrators run the system and do no casework.
                            let staff = u.role != Role::Partner && u.role != Role::Admin;
                            view! {
                                <nav aria-label="Main">
                                    {staff.then(|| view! {
                                        <a href="/">"My work"</a>
                                        {(u.role.is_hmo()).then(|| view! { <a href="/day">"My day"</a> })}
                                        <a href="/search">"Search"</a>
                                        <a href="/approvals">"Approvals"</a>
                                        <a href="/map">"Map"</a>
                                    })}
                                    {(u.role != Role::Admin).then(|| view! { <a href="/referrals">"Referrals"</a> })}
                                    {(u.role == Role::TeamLeader).then(|| view! { <a href="/team">"Team"</a> })}
                                    {(u.role == Role::Admin).then(|| view! { <a href="/admin">"Administration"</a> })}
                                    {(u.role == Role::TeamLeader || u.role == Role::Admin || u.role.is_hmo()).then(|| view! { <a href="/satisfaction">"Satisfaction"</a> })}
                                </nav>
                                <div class="who">
                                    <span class="who-name" data-testid="signed-in-as">{u.display_name}</span>
                                    <span class="who-role">
                                        {u.role.label()}
                                        {u.area_team.map(|a| format!(" · {a}"))}
                                        {u.agency.map(|a| format!(" · {a}"))}
                                    </span>
                                    <form method="post" action="/auth/sign-out" class="inline">
                                        <button type="submit" class="link-button">"Sign out"</button>
                                    </form>
                                </div>
                            }
                        });
                        view! { <Brand home /> {signed_in} }
                    })}
                </Suspense>
            </div>
        </header>
        <main id="main" class="container"><crate::pages::outbox::OutboxBanner />{children()}</main>
        <footer class="site-footer container">
            <p>"Hearth housing management · Contains OS data © Crown copyright and database right 2014 · Bank holidays: GOV.UK, OGL v3.0 · "<a href="/accessibility" rel="external">"Accessibility statement"</a></p>
        </footer>
    }
}

/// Hearth's name, leading to the user's desk (`domain::desk::landing`).
#[component]
fn Brand(home: &'static str) -> impl IntoView {
    view! {
        <a class="brand" href=home>
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>"Hearth"</span>
        </a>
    }
}
