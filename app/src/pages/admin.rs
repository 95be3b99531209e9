//! Administration: partner agencies and their users, the API tokens agencies' systems use, and the
//! bank holidays the working-day clocks count around.
//! A new token is shown once, here, and never again (only its hash is kept).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{AddAgencyUser, AddBankHoliday, IssueAgencyToken, RegisterAgency, RevokeAgencyToken, get_admin};
use crate::components::{ActionError, ErrorPanel, loading, succeeded};
use crate::domain::AgencyKind;
use crate::model::{AgencyAdmin, BankHolidayView, TokenView, day_of};

#[component]
pub fn AdminPage() -> impl IntoView {
    let register = ServerAction::<RegisterAgency>::new();
    let add_user = ServerAction::<AddAgencyUser>::new();
    let issue = ServerAction::<IssueAgencyToken>::new();
    let revoke = ServerAction::<RevokeAgencyToken>::new();
    let holiday = ServerAction::<AddBankHoliday>::new();
    let landed = [succeeded(register), succeeded(add_user), succeeded(issue), succeeded(revoke), succeeded(holiday)];
    let data = Resource::new(move || landed.iter().map(|m| m.get()).collect::<Vec<_>>(), |_| get_admin());
    let error = move || {
        [register.value().get().and_then(|r| r.err()), add_user.value().get().and_then(|r| r.err()), revoke.value().get().and_then(|r| r.err())]
            .into_iter()
            .chain([issue.value().get().and_then(|r| r.err()), holiday.value().get().and_then(|r| r.err())])
            .flatten()
            .next()
    };
    view! {
        <Title text="Administration" />
        <h1>"Administration"</h1>
        <p class="lede">"Partner agencies, the people who sign in for them, and the tokens their systems use; and the bank holidays every clock counts around. Agency users see only the referrals sent to their agency."</p>
        <ActionError error=Signal::derive(error) />
        <p><a href="/subject-access" rel="external" data-testid="subject-access-link">"Subject access requests"</a>" · find a person and export what Hearth holds about them, for the data protection officer (UK GDPR Article 15)."</p>
        {move || issue.value().get().and_then(|r| r.ok()).map(|t| view! {
            <div class="notice" role="status" data-testid="new-token">
                <p><strong>"New token, shown once: copy it now."</strong></p>
                <p><code class="token">{t.token}</code></p>
                <p class="muted small">{format!("Expires {}. Hearth keeps only its hash.", day_of(t.expires_at))}</p>
            </div>
        })}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(v) => {
                        let agencies = v.agencies.clone();
                        let partner_users: Vec<(String, String)> = v.agencies.iter().flat_map(|a| a.users.iter().filter(|u| u.active).map(move |u| (u.username.clone(), format!("{} ({})", u.display_name, a.name)))).collect();
                        view! {
                            <AgencyTable agencies=v.agencies.clone() />
                            <AgencyForms agencies register add_user />
                            <Tokens tokens=v.tokens.clone() partner_users issue revoke />
                            <Holidays holidays=v.holidays.clone() holiday />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The partner agencies, their contacts and users.
#[component]
fn AgencyTable(agencies: Vec<AgencyAdmin>) -> impl IntoView {
    view! {
    <section aria-labelledby="agencies-h">
        <h2 id="agencies-h">"Partner agencies"</h2>
        <div class="table-wrap">
            <table class="data" data-testid="agencies">
                <thead><tr><th scope="col">"Agency"</th><th scope="col">"Kind"</th><th scope="col">"Team and contact"</th><th scope="col">"Users"</th></tr></thead>
                <tbody>
                    {agencies.iter().map(|a| view! {
                        <tr>
                            <td><strong>{a.name.clone()}</strong></td>
                            <td>{a.kind.label()}</td>
                            <td>{a.team.clone()}<div class="muted small">{[a.contact_email.clone(), a.contact_phone.clone()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" · ")}</div></td>
                            <td>{a.users.iter().map(|u| format!("{} ({})", u.display_name, u.username)).collect::<Vec<_>>().join(", ")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    </section>
    }
}

/// Registering an agency, and adding a user to one.
#[component]
fn AgencyForms(agencies: Vec<AgencyAdmin>, register: ServerAction<RegisterAgency>, add_user: ServerAction<AddAgencyUser>) -> impl IntoView {
    view! {
    <div class="grid">
        <ActionForm action=register attr:class="card stack" attr:data-testid="agency-form">
            <h2>"Register an agency"</h2>
            <div class="form-group"><label for="ag-name">"Name"</label><input id="ag-name" name="name" type="text" required maxlength="200" /></div>
            <div class="form-group">
                <label for="ag-kind">"Kind"</label>
                <select id="ag-kind" name="kind">{AgencyKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}</select>
            </div>
            <div class="form-group"><label for="ag-team">"Team"</label><input id="ag-team" name="team" type="text" maxlength="200" /></div>
            <div class="form-group"><label for="ag-email">"Contact email"</label><input id="ag-email" name="contact_email" type="email" maxlength="200" /></div>
            <div class="form-group"><label for="ag-phone">"Contact phone"</label><input id="ag-phone" name="contact_phone" type="tel" maxlength="200" /></div>
            <button type="submit" class="button">"Register agency"</button>
        </ActionForm>
        <ActionForm action=add_user attr:class="card stack" attr:data-testid="agency-user-form">
            <h2>"Add a user to an agency"</h2>
            <div class="form-group">
                <label for="au-agency">"Agency"</label>
                <select id="au-agency" name="agency_id">{agencies.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}</select>
            </div>
            <div class="form-group"><label for="au-username">"Username"</label><input id="au-username" name="username" type="text" required minlength="3" maxlength="64" autocomplete="off" /></div>
            <div class="form-group"><label for="au-name">"Their name"</label><input id="au-name" name="display_name" type="text" required maxlength="200" /></div>
            <div class="form-group"><label for="au-email">"Email"</label><input id="au-email" name="email" type="email" maxlength="200" /></div>
            <div class="form-group"><label for="au-password">"First password (at least 12 characters)"</label><input id="au-password" name="password" type="password" required minlength="12" autocomplete="new-password" /></div>
            <button type="submit" class="button">"Add user"</button>
        </ActionForm>
    </div>
    }
}

/// API tokens for agencies' systems: issue one (acting as an agency user) and revoke them.
#[component]
fn Tokens(
    tokens: Vec<TokenView>,
    partner_users: Vec<(String, String)>,
    issue: ServerAction<IssueAgencyToken>,
    revoke: ServerAction<RevokeAgencyToken>,
) -> impl IntoView {
    view! {
    <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">"API tokens for agencies' systems"</h2>
        <ActionForm action=issue attr:class="filters" attr:data-testid="token-form">
            <div class="form-group">
                <label for="tk-user">"Acts as"</label>
                <select id="tk-user" name="username">{partner_users.into_iter().map(|(u, label)| view! { <option value=u>{label}</option> }).collect_view()}</select>
            </div>
            <div class="form-group"><label for="tk-name">"For"</label><input id="tk-name" name="name" type="text" required maxlength="200" placeholder="Case management system" /></div>
            <div class="form-group"><label for="tk-days">"Days"</label><input id="tk-days" name="days" type="number" min="1" max="365" value="90" required /></div>
            <button type="submit" class="button">"Issue token"</button>
        </ActionForm>
        {if tokens.is_empty() { view! { <p class="muted">"No tokens issued."</p> }.into_any() } else { view! {
            <div class="table-wrap">
                <table class="data" data-testid="tokens">
                    <thead><tr><th scope="col">"For"</th><th scope="col">"Acts as"</th><th scope="col">"Issued"</th><th scope="col">"Expires"</th><th scope="col">"State"</th></tr></thead>
                    <tbody>
                        {tokens.into_iter().map(|t| view! {
                            <tr>
                                <td>{t.name.clone()}</td>
                                <td>{t.username.clone()}<div class="muted small">{t.agency.clone()}</div></td>
                                <td>{day_of(t.created_at)}</td>
                                <td>{day_of(t.expires_at)}</td>
                                <td>{match t.revoked_at {
                                    Some(r) => view! { <span>{format!("Revoked {}", day_of(r))}</span> }.into_any(),
                                    None => view! {
                                        <ActionForm action=revoke attr:class="inline">
                                            <input type="hidden" name="id" value=t.id.to_string() />
                                            <button type="submit" class="link-like" aria-label=format!("Revoke the token for {}", t.name)>"Revoke"</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any() }}
    </section>
    }
}

/// The council's calendar: the bank holidays ahead, and adding one.
#[component]
fn Holidays(holidays: Vec<BankHolidayView>, holiday: ServerAction<AddBankHoliday>) -> impl IntoView {
    view! {
    <section aria-labelledby="holidays-h">
        <h2 id="holidays-h">"Bank holidays"</h2>
        <p class="muted">"Every due date and clock counts working days by this calendar: England and Wales bank holidays from GOV.UK, and any added here (a later year's, or a one-off). Partner systems read the same calendar from the API."</p>
        <ActionForm action=holiday attr:class="filters" attr:data-testid="holiday-form">
            <div class="form-group"><label for="bh-date">"Date"</label><input id="bh-date" name="date" type="date" required /></div>
            <div class="form-group"><label for="bh-name">"Name"</label><input id="bh-name" name="name" type="text" required maxlength="200" placeholder="Bank holiday for the coronation" /></div>
            <button type="submit" class="button">"Add bank holiday"</button>
        </ActionForm>
        <div class="table-wrap">
            <table class="data" data-testid="holidays">
                <thead><tr><th scope="col">"Date"</th><th scope="col">"Holiday"</th></tr></thead>
                <tbody>
                    {holidays.iter().map(|h| view! {
                        <tr><td>{h.date.format("%a %-d %b %Y").to_string()}</td><td>{h.name.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    </section>
    }
}
