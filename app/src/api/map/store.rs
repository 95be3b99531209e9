//! The patch map as stored: homes with their facts, patches, changes.

use async_trait::async_trait;

use crate::api::kit::store::AuditEntry;
use crate::error::AppError;

/// One home as the patch map needs it, before packing.
#[derive(Clone, Debug)]
pub struct MapHomeRow {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub patch_id: i64,
    pub line1: String,
    pub estate_id: Option<i64>,
    pub facts: crate::domain::mapdata::HomeFacts,
}

/// An area's homes, patches and outlines, as stored.
#[derive(Clone, Debug)]
pub struct MapSource {
    pub area: String,
    /// The latest patch change of the area (0: none yet).
    pub change: i64,
    /// In property id order.
    pub homes: Vec<MapHomeRow>,
    pub patches: Vec<crate::domain::mapdata::MapPatch>,
    /// (ward name, GeoJSON geometry)
    pub wards: Vec<(String, String)>,
    /// (estate id, name)
    pub estates: Vec<(i64, String)>,
}

/// The patch map: homes, patches, workload weights and patch changes.
#[async_trait]
pub trait MapStore: Send + Sync + 'static {
    /// An area's homes (with the facts behind the map's flags, as of `today`), patches and outlines.
    async fn map_source(&self, area_team_id: i64, today: &str) -> Result<MapSource, AppError>;
    /// The configured workload weights (defaults when unset).
    async fn workload_weights(&self) -> Result<crate::domain::mapdata::WorkloadWeights, AppError>;
    async fn set_workload_weights(&self, w: &crate::domain::mapdata::WorkloadWeights, audit: AuditEntry) -> Result<(), AppError>;
    /// The card of one home, with the property's area team.
    async fn home_card(&self, property_id: i64) -> Result<Option<(crate::domain::mapdata::HomeCard, i64)>, AppError>;
    /// Addresses of homes of an area, by id (the table view's visible page).
    async fn home_rows(&self, area_team_id: i64, ids: &[i64]) -> Result<Vec<crate::domain::mapdata::HomeRow>, AppError>;
    /// Saves a patch change: versions checked, homes, tenancies and their open cases moved, history written.
    async fn apply_patch_change(
        &self,
        c: &crate::domain::mapdata::PatchChangeRequest,
        by: i64,
        audit: AuditEntry,
    ) -> Result<crate::domain::mapdata::SavedPatchChange, AppError>;
    /// Patch assignments changed in the area after change `since`.
    async fn patch_changes_since(&self, area_team_id: i64, since: i64, today: &str) -> Result<crate::domain::mapdata::PatchChangesSince, AppError>;
}
