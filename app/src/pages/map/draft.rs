//! The draft and what changes it: move the selection, undo, discard, save with a reason, reload
//! others' saved changes, and the balance suggestion (ask, show, accept into the draft, discard).

use leptos::prelude::*;

use super::engine::{Engine, Territories};
use super::state::MapState;
use super::{count, homes};
use crate::api::map::{get_balance, get_changes_since, get_draft_territories, save_patch_change};
use crate::domain::mapdata::*;

impl MapState {
    /// Redraws the territories as the draft would make them (the server computes their outlines).
    pub fn shapes_for_draft(self) {
        let Some(area) = self.meta.with_untracked(|m| m.as_ref().map(|m| m.area)) else { return };
        let moves = self.engine.with_value(|e| e.as_ref().map(|e| e.moves()).unwrap_or_default());
        leptos::task::spawn_local(async move {
            if let Ok(ts) = get_draft_territories(area, moves).await {
                self.with_engine(|e| {
                    e.territories = Territories::new(&ts, &e.patches);
                    e.base_gen += 1;
                });
                self.redraw();
            }
        });
    }

    /// Moves the selected homes to the patch chosen in "Move to", in the draft.
    pub fn move_selection(self) {
        let Ok(to) = self.move_to.get_untracked().parse::<u16>() else {
            self.notice.set(Some((true, "Choose the patch to move the selected homes to.".into())));
            return;
        };
        let moved = self.engine.try_update_value(|e| {
            e.as_mut().map(|e| {
                let sel = e.selected_homes();
                let mut now = std::mem::take(&mut e.now);
                let n = e.draft.move_homes(&mut now, &sel, to);
                e.now = now;
                n
            })
        });
        let n = moved.flatten().unwrap_or(0);
        let text = if n == 0 {
            "Those homes are already in that patch.".into()
        } else {
            format!("Moved {} in the draft. Save with a reason to make it real.", homes(n))
        };
        self.notice.set(Some((n == 0, text)));
        self.refresh();
        if n > 0 {
            self.shapes_for_draft();
        }
    }

    /// Changes the draft with `f`, clears the notice and redraws.
    fn change_draft(self, f: impl FnOnce(&mut Engine)) {
        self.with_engine(f);
        self.notice.set(None);
        self.refresh();
        self.shapes_for_draft();
    }

    pub fn undo(self) {
        self.change_draft(|e| {
            let mut now = std::mem::take(&mut e.now);
            e.draft.undo(&mut now);
            e.now = now;
        });
    }

    pub fn discard_draft(self) {
        self.change_draft(|e| {
            e.now = e.base.clone();
            e.draft.clear();
        });
    }

    /// Saves the draft with its reason; on success reloads the saved change into the base.
    pub fn save(self, ev: leptos::ev::SubmitEvent) {
        ev.prevent_default();
        let Some(area) = self.meta.with_untracked(|m| m.as_ref().map(|m| m.area)) else { return };
        let (moves, versions, since) = self.engine.with_value(|e| e.as_ref().map(|e| (e.moves(), e.versions(), e.change)).unwrap_or_default());
        let change = PatchChangeRequest { area_team_id: area, reason: self.reason.get_untracked(), moves, versions };
        if let Err(msg) = check_change(&change) {
            self.notice.set(Some((true, msg)));
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            match save_patch_change(change).await {
                Err(e) => self.notice.set(Some((true, e.to_string()))),
                Ok(saved) => {
                    if let Ok(c) = get_changes_since(area, since).await {
                        self.with_engine(|e| {
                            e.apply_saved(&c);
                            e.now = e.base.clone();
                            e.draft.clear();
                        });
                        self.set_change(c.change);
                    }
                    self.reason.set(String::new());
                    let text = format!(
                        "Saved: {} moved; {} and {} passed to the new patches' officers, each with a history entry.",
                        homes(saved.homes_moved as usize),
                        count(saved.tenancies_moved, "tenancy", "tenancies"),
                        count(saved.cases_moved, "case", "cases")
                    );
                    self.notice.set(Some((false, text)));
                    self.refresh();
                    self.shapes_for_draft();
                }
            }
            self.busy.set(false);
        });
    }

    /// The change counter the map is now up to.
    fn set_change(self, change: i64) {
        self.meta.update(|m| {
            if let Some(m) = m {
                m.change = change;
            }
        });
    }

    /// Applies the changes others saved since the map was loaded, keeping this draft on top.
    pub fn reload_changes(self) {
        let Some((area, since)) = self.meta.with_untracked(|m| m.as_ref().map(|m| (m.area, m.change))) else { return };
        leptos::task::spawn_local(async move {
            match get_changes_since(area, since).await {
                Err(e) => self.notice.set(Some((true, e.to_string()))),
                Ok(c) => {
                    let n = c.moves.len();
                    self.with_engine(|e| {
                        // Re-apply the draft's own moves on top of the others' saved change.
                        let mine: Vec<(u32, u16)> = net_moves(&e.base, &e.now).into_iter().map(|(h, _, to)| (h, to)).collect();
                        e.apply_saved(&c);
                        e.now = e.base.clone();
                        e.draft.clear();
                        let mut now = std::mem::take(&mut e.now);
                        e.draft.move_each(&mut now, &mine);
                        e.now = now;
                    });
                    self.set_change(c.change);
                    let text = format!("Reloaded: {} changed patch in others' saves. Your draft is kept on top; check it and save again.", homes(n));
                    self.notice.set(Some((false, text)));
                    self.refresh();
                    self.shapes_for_draft();
                }
            }
        });
    }

    /// Selects every home of the street of the home whose card is open.
    pub fn select_street(self) {
        let Some(h) = self.card_home.get_untracked() else { return };
        self.with_engine(|e| {
            let s = e.street_homes(h);
            e.select(&s, false);
        });
        self.refresh();
    }

    pub fn clear_selection(self) {
        self.with_engine(|e| e.clear_selection());
        self.refresh();
    }

    /// Asks the server for a balance suggestion for the officers and tolerance given.
    pub fn suggest_balance(self, ev: leptos::ev::SubmitEvent) {
        ev.prevent_default();
        let Some(area) = self.meta.with_untracked(|m| m.as_ref().map(|m| m.area)) else { return };
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            match get_balance(area, self.officers.get_untracked(), self.tolerance.get_untracked()).await {
                Err(e) => self.notice.set(Some((true, e.to_string()))),
                Ok(b) => {
                    self.notice.set(None);
                    self.proposal.set(Some(b));
                }
            }
            self.busy.set(false);
        });
    }

    /// Shows the suggestion's patches on the map (`on`), or today's.
    pub fn show_proposal(self, on: bool) {
        let p = self.proposal.get_untracked();
        self.engine.update_value(|e| {
            if let (Some(e), Some(p)) = (e.as_mut(), p.as_ref()) {
                e.proposal = on.then(|| p.assignment.clone()).filter(|a| a.len() == e.xs.len());
                e.territories = Territories::new(&p.territories, &e.patches);
                e.base_gen += 1;
            }
        });
        self.showing_proposal.set(on);
        self.redraw();
    }

    /// Makes the suggestion the draft, unless the patches changed since it was made.
    pub fn accept_proposal(self) {
        let Some(p) = self.proposal.get_untracked() else { return };
        let ok = self.engine.try_update_value(|e| {
            e.as_mut().map(|e| {
                if p.change != e.change || p.assignment.len() != e.xs.len() {
                    return false;
                }
                let moves: Vec<(u32, u16)> = p.assignment.iter().enumerate().map(|(i, to)| (i as u32, *to)).collect();
                let mut now = std::mem::take(&mut e.now);
                e.draft.move_each(&mut now, &moves);
                e.now = now;
                e.proposal = None;
                true
            })
        });
        if ok != Some(Some(true)) {
            self.notice.set(Some((true, "The patches changed since this suggestion was made. Ask for a new suggestion.".into())));
            return;
        }
        self.showing_proposal.set(false);
        self.proposal.set(None);
        self.notice.set(Some((false, "The suggestion is now your draft: adjust it if you need to, then save it with a reason.".into())));
        self.refresh();
        self.shapes_for_draft();
    }

    pub fn discard_proposal(self) {
        self.show_proposal(false);
        self.proposal.set(None);
        self.shapes_for_draft();
    }
}
