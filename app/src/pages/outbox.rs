//! Visits recorded where there is no signal: kept on the phone (the browser's local storage), shown
//! as waiting on every page, and sent when the connection returns or Hearth is next opened. Each is
//! recorded once however often it is sent: the server records a report's key once.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::visits::{VisitForm, record_visit};
use crate::error::AppError;

/// A visit waiting on this phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub reference: String,
    pub visit: VisitForm,
    /// Why the server refused it when it was sent, for the officer to resolve.
    #[serde(default)]
    pub problem: Option<String>,
}

/// The visits waiting on this phone; provided once, by the layout.
#[derive(Clone, Copy)]
pub struct Outbox(RwSignal<Vec<Pending>>);

#[cfg(feature = "hydrate")]
const KEY: &str = "hearth.outbox.visits";

fn stored() -> Vec<Pending> {
    #[cfg(feature = "hydrate")]
    if let Some(Ok(Some(text))) = window().local_storage().ok().flatten().map(|s| s.get_item(KEY)) {
        return serde_json::from_str(&text).unwrap_or_default();
    }
    Vec::new()
}

fn write(_items: &[Pending]) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = if _items.is_empty() { s.remove_item(KEY) } else { s.set_item(KEY, &serde_json::to_string(_items).unwrap_or_default()) };
    }
}

/// Provides the outbox and, in the browser, sends what it holds now and whenever the signal returns.
pub fn provide_outbox() {
    let outbox = Outbox(RwSignal::new(Vec::new()));
    provide_context(outbox);
    Effect::new(move |_| {
        outbox.0.set(stored());
        outbox.send();
    });
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| outbox.send());
        on_cleanup(move || handle.remove());
    }
}

impl Outbox {
    pub fn get() -> Option<Outbox> {
        use_context::<Outbox>()
    }

    /// Keeps a report the network failed to carry (once per key).
    pub fn keep(self, reference: String, visit: VisitForm) {
        self.0.update(|v| {
            if !v.iter().any(|p| p.visit.client_key == visit.client_key) {
                v.push(Pending { reference, visit, problem: None });
            }
        });
        write(&self.0.get_untracked());
    }

    fn discard(self, key: &str) {
        self.0.update(|v| v.retain(|p| p.visit.client_key != key));
        write(&self.0.get_untracked());
    }

    /// Sends every waiting report in turn; stops at the first that finds no signal.
    pub fn send(self) {
        let items = self.0.get_untracked();
        if items.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            for p in items.into_iter().filter(|p| p.problem.is_none()) {
                let key = p.visit.client_key.clone();
                match record_visit(p.reference, p.visit).await {
                    Ok(_) => self.0.update(|v| v.retain(|x| x.visit.client_key != key)),
                    Err(AppError::ServerFn(_)) => break,
                    Err(e) => self.0.update(|v| {
                        if let Some(x) = v.iter_mut().find(|x| x.visit.client_key == key) {
                            x.problem = Some(e.to_string());
                        }
                    }),
                }
                write(&self.0.get_untracked());
            }
        });
    }
}

/// What waits on this phone, on every page, with any refusal to resolve.
#[component]
pub fn OutboxBanner() -> impl IntoView {
    let Some(outbox) = Outbox::get() else { return ().into_any() };
    (move || {
        let waiting = outbox.0.get();
        (!waiting.is_empty()).then(|| {
            let n = waiting.len();
            view! {
                <div class="notice outbox" role="status" data-testid="outbox">
                    <p><strong>{format!("{n} visit{} waiting to be sent", if n == 1 { "" } else { "s" })}</strong>
                        ": kept on this phone, and sent as soon as there is a signal."</p>
                    <ul>
                        {waiting.into_iter().map(|p| {
                            let key = p.visit.client_key.clone();
                            view! {
                                <li>
                                    <a href=format!("/tenancies/{}", p.reference)>{p.reference.clone()}</a>
                                    {format!(": visit on {} at {}", p.visit.on, p.visit.at)}
                                    {p.problem.map(|e| view! {
                                        <span class="error">{format!(" Not recorded: {e} ")}</span>
                                        <button type="button" class="link-button" on:click=move |_| outbox.discard(&key)>"Discard it"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    })
    .into_any()
}
