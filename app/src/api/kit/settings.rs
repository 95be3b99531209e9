//! What the services need to know about this deployment, as one typed value. The server's
//! settings module (`server/src/settings.rs`) builds it once at start from the environment and
//! `.env`, validated; pages and server functions reach it as context, JSON handlers as state.

use std::sync::Arc;

/// City of York Council's code in the Regulator's Tenant Satisfaction Measures data.
pub const DEFAULT_LANDLORD_CODE: &str = "00FF";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// This council's landlord code in the Regulator's TSM data (`HEARTH_LANDLORD_CODE`).
    pub landlord_code: String,
    /// The address printed feedback links and QR codes start with (`HEARTH_PUBLIC_URL`); when
    /// unset, the origin the request came to.
    pub public_url: Option<String>,
    /// The council's own map tile server (`HEARTH_TILE_URL`, with `{z}`, `{x}` and `{y}`).
    pub tile_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { landlord_code: DEFAULT_LANDLORD_CODE.into(), public_url: None, tile_url: None }
    }
}

impl Settings {
    /// The tile server's origin (`scheme://host`), which the content security policy allows images from.
    pub fn tile_origin(&self) -> Option<String> {
        let (scheme, rest) = self.tile_url.as_deref()?.split_once("://")?;
        Some(format!("{scheme}://{}", rest.split('/').next()?))
    }
}

/// A tile server address is usable if it is http(s) and has all three of `{z}`, `{x}` and `{y}`.
pub fn check_tile_url(u: &str) -> Result<String, String> {
    let u = u.trim();
    if !(u.starts_with("https://") || u.starts_with("http://")) {
        return Err(format!("{u:?} must start with https:// or http://"));
    }
    match ["{z}", "{x}", "{y}"].into_iter().find(|p| !u.contains(p)) {
        Some(missing) => Err(format!("{u:?} has no {missing}: a tile address needs {{z}}, {{x}} and {{y}}")),
        None => Ok(u.to_string()),
    }
}

/// A landlord code in the Regulator's data: two to eight letters and digits (e.g. `00FF`, `L0123`).
pub fn check_landlord_code(code: &str) -> Result<String, String> {
    let code = code.trim().to_ascii_uppercase();
    if (2..=8).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(format!("{code:?} is not a landlord code (two to eight letters and digits, e.g. 00FF)"))
    }
}

/// An absolute http(s) address, perhaps with a path (Hearth served under one), with no query
/// or fragment; a trailing slash is dropped.
pub fn check_public_url(u: &str) -> Result<String, String> {
    let u = u.trim().trim_end_matches('/');
    let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).ok_or_else(|| format!("{u:?} must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ']) {
        return Err(format!("{u:?} must be an address such as https://housing.example.gov.uk (no query or #fragment)"));
    }
    Ok(u.to_string())
}

/// The settings, from the context the server provides to every page and server function.
pub fn settings() -> Arc<Settings> {
    leptos::prelude::use_context::<Arc<Settings>>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_urls_need_a_scheme_and_all_three_placeholders() {
        assert!(check_tile_url("https://tiles.example.gov.uk/{z}/{x}/{y}.png").is_ok());
        assert!(check_tile_url("ftp://tiles/{z}/{x}/{y}").unwrap_err().contains("https://"));
        assert!(check_tile_url("https://tiles/{z}/{x}.png").unwrap_err().contains("{y}"));
    }

    #[test]
    fn tile_origin_is_scheme_and_host() {
        let s = Settings { tile_url: Some("https://tiles.example.gov.uk:8443/os/{z}/{x}/{y}.png".into()), ..Settings::default() };
        assert_eq!(s.tile_origin().as_deref(), Some("https://tiles.example.gov.uk:8443"));
        assert_eq!(Settings::default().tile_origin(), None);
    }

    #[test]
    fn landlord_codes_and_public_urls_are_checked() {
        assert_eq!(check_landlord_code(" 00ff ").unwrap(), "00FF");
        assert!(check_landlord_code("City of York").is_err());
        assert_eq!(check_public_url("https://housing.york.gov.uk/").unwrap(), "https://housing.york.gov.uk");
        assert!(check_public_url("housing.york.gov.uk").is_err());
        assert_eq!(check_public_url("https://york.example/housing/").unwrap(), "https://york.example/housing");
        assert!(check_public_url("https://housing.york.gov.uk/?x=1").is_err());
    }
}
