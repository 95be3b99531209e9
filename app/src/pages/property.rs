//! The property page: details, block, patch and officer, tenancy history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::desk::property;
use crate::components::{ErrorPanel, Field, loading};

#[component]
pub fn PropertyPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("reference").unwrap_or_default(), property);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Property" /><ErrorPanel error=e /> }.into_any(),
                    Ok(p) => view! {
                        <Title text=format!("Property {}", p.reference) />
                        <h1 data-testid="property-heading">{p.address.clone()}", "{p.postcode.clone()}</h1>
                        <p class="lede"><span class="tag">{p.property_type.clone()}</span>{format!(" Property {} · {} team", p.reference, p.area_team)}</p>
                        <div class="grid">
                            <section class="card">
                                <h2>"Details"</h2>
                                <dl class="summary">
                                    <Field label="Type">{p.property_type.clone()}</Field>
                                    <Field label="Bedrooms">{p.bedrooms}</Field>
                                    <Field label="Block">{p.block.clone().map(|b| format!("{b} ({} storeys), floor {}", p.storeys.unwrap_or(0), p.floor.unwrap_or(0))).unwrap_or_else(|| "—".into())}</Field>
                                    <Field label="Estate">{p.estate.clone().unwrap_or_else(|| "—".into())}</Field>
                                    <Field label="Ward">{p.ward.clone()}</Field>
                                    <Field label="Independent living">{if p.independent_living { "Yes" } else { "No" }}</Field>
                                    <Field label="Location">{format!("{:.5}, {:.5}", p.latitude, p.longitude)}</Field>
                                </dl>
                            </section>
                            <section class="card">
                                <h2>"Patch"</h2>
                                <dl class="summary">
                                    <Field label="Patch">{p.patch.clone()}</Field>
                                    <Field label="Area team">{p.area_team.clone()}</Field>
                                    <Field label="Community HMO">{p.patch_officer.clone().unwrap_or_else(|| "Vacant".into())}</Field>
                                </dl>
                            </section>
                        </div>
                        <section aria-labelledby="tt-h">
                            <h2 id="tt-h">"Tenancy history"</h2>
                            <div class="table-wrap">
                            <table class="data" data-testid="tenancy-history">
                                <thead><tr><th scope="col">"Tenancy"</th><th scope="col">"Tenants"</th><th scope="col">"Tenure"</th><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Status"</th></tr></thead>
                                <tbody>
                                    {p.tenancies.iter().map(|t| view! {
                                        <tr>
                                            <td><a href=format!("/tenancies/{}", t.reference)>{t.reference.clone()}</a></td>
                                            <td>{t.tenants.clone()}</td>
                                            <td>{t.tenure.clone()}</td>
                                            <td>{t.start_date.to_string()}</td>
                                            <td>{t.end_date.map(|d| d.to_string()).unwrap_or_default()}</td>
                                            <td>{t.status.as_str()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
