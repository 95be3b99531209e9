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

/// The council that runs Hearth, in its own words: what tenants see on the public pages (the
/// feedback form, its privacy notice and how to complain, the accessibility statement). It comes
/// from the `[council]` table of the configuration file (`HEARTH_CONFIG`); no council's words are
/// in the code. Other languages give their own words under `[council.languages.<code>]`; a word
/// a language leaves out is the English one.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Council {
    /// As tenants know it: "City of York Council".
    pub name: String,
    /// The team tenants call: "Housing Services".
    pub service: String,
    /// The number tenants call.
    pub phone: String,
    /// Where to write to.
    pub address: String,
    /// How to reach the data protection officer (an address, an email or both).
    pub data_protection_officer: String,
    /// Who collects feedback, why, and on what lawful basis: the privacy notice's first paragraph.
    pub privacy: String,
    /// How to complain to this council: the complaints notice's first paragraph.
    pub complaints: String,
    /// When the council last reviewed the accessibility statement (`/accessibility`), as the
    /// accessibility regulations ask it to say.
    pub accessibility_reviewed: chrono::NaiveDate,
    /// The council's email for housing questions, if it gives one.
    #[serde(default)]
    pub email: Option<String>,
    /// The council's website.
    #[serde(default)]
    pub website: Option<String>,
    /// The words in other languages, by language code (`cy` for Welsh).
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, CouncilWords>,
}

/// A council's words in another language: each left out is the English one.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilWords {
    pub name: Option<String>,
    pub service: Option<String>,
    pub address: Option<String>,
    pub data_protection_officer: Option<String>,
    pub privacy: Option<String>,
    pub complaints: Option<String>,
}

/// A council's words in one language, every one given.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Words {
    pub name: String,
    pub service: String,
    pub phone: String,
    pub address: String,
    pub data_protection_officer: String,
    pub privacy: String,
    pub complaints: String,
    pub email: Option<String>,
    pub accessibility_reviewed: chrono::NaiveDate,
}

/// The longest paragraph the council's words may be.
pub const MAX_WORDS: usize = 2000;

impl Council {
    /// The words in language `code` (`en` or one under `languages`), English where none is given.
    pub fn words(&self, code: &str) -> Words {
        let l = self.languages.get(code).cloned().unwrap_or_default();
        Words {
            name: l.name.unwrap_or_else(|| self.name.clone()),
            service: l.service.unwrap_or_else(|| self.service.clone()),
            phone: self.phone.clone(),
            address: l.address.unwrap_or_else(|| self.address.clone()),
            data_protection_officer: l.data_protection_officer.unwrap_or_else(|| self.data_protection_officer.clone()),
            privacy: l.privacy.unwrap_or_else(|| self.privacy.clone()),
            complaints: l.complaints.unwrap_or_else(|| self.complaints.clone()),
            email: self.email.clone(),
            accessibility_reviewed: self.accessibility_reviewed,
        }
    }

    /// Every problem with the words, each naming its key (`council.phone`), or none.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut text = |key: String, v: &str, max: usize| {
            let n = v.trim().chars().count();
            if n == 0 {
                out.push(format!("{key} is empty: give it, as tenants should read it"));
            } else if n > max {
                out.push(format!("{key} is {n} characters: keep it to {max}"));
            } else if v.contains(['<', '>']) {
                out.push(format!("{key} has < or >: give plain text (Hearth shows it as written)"));
            }
        };
        text("council.name".into(), &self.name, 120);
        text("council.service".into(), &self.service, 120);
        text("council.address".into(), &self.address, 300);
        text("council.data_protection_officer".into(), &self.data_protection_officer, 300);
        text("council.privacy".into(), &self.privacy, MAX_WORDS);
        text("council.complaints".into(), &self.complaints, MAX_WORDS);
        for (code, w) in &self.languages {
            let fields = [
                ("name", &w.name, 120),
                ("service", &w.service, 120),
                ("address", &w.address, 300),
                ("data_protection_officer", &w.data_protection_officer, 300),
                ("privacy", &w.privacy, MAX_WORDS),
                ("complaints", &w.complaints, MAX_WORDS),
            ];
            for (field, v, max) in fields {
                if let Some(v) = v {
                    text(format!("council.languages.{code}.{field}"), v, max);
                }
            }
        }
        if let Err(e) = check_phone(&self.phone) {
            out.push(format!("council.phone {e}"));
        }
        if let Some(e) = self.email.as_deref().and_then(|e| check_email(e).err()) {
            out.push(format!("council.email {e}"));
        }
        if let Some(e) = self.website.as_deref().and_then(|w| check_public_url(w).err()) {
            out.push(format!("council.website: {e}"));
        }
        out
    }
}

/// A UK telephone number as people write it: digits, spaces and perhaps a leading +, 10 to 13 digits.
pub fn check_phone(p: &str) -> Result<(), String> {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if p.trim().is_empty() || !p.trim().chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == ' ' || (i == 0 && c == '+')) || !(10..=13).contains(&digits)
    {
        return Err(format!("{p:?} is not a telephone number (digits and spaces, such as 01632 960123)"));
    }
    Ok(())
}

fn check_email(e: &str) -> Result<(), String> {
    match e.trim().split_once('@') {
        Some((who, host)) if !who.is_empty() && host.contains('.') && !e.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!("{e:?} is not an email address (such as housing@example.gov.uk)")),
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

    fn council() -> Council {
        Council {
            name: "Fenwick Borough Council".into(),
            service: "Homes Team".into(),
            phone: "01632 960123".into(),
            address: "Civic Centre, Fenwick FW1 1AA".into(),
            data_protection_officer: "dpo@fenwick.example".into(),
            privacy: "Fenwick collects feedback.".into(),
            complaints: "Complain to the Homes Team.".into(),
            accessibility_reviewed: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            email: Some("homes@fenwick.example".into()),
            website: None,
            languages: [("cy".to_string(), CouncilWords { name: Some("Cyngor Fenwick".into()), ..CouncilWords::default() })].into(),
        }
    }

    #[test]
    fn a_language_gives_its_own_words_and_english_fills_the_rest() {
        let c = council();
        assert_eq!(c.words("en").name, "Fenwick Borough Council");
        let cy = c.words("cy");
        assert_eq!((cy.name.as_str(), cy.service.as_str(), cy.phone.as_str()), ("Cyngor Fenwick", "Homes Team", "01632 960123"));
        assert_eq!(c.words("pl"), c.words("en"));
        assert!(c.problems().is_empty(), "{:?}", c.problems());
    }

    #[test]
    fn the_councils_words_are_checked_naming_each_key() {
        let mut c = council();
        c.name = " ".into();
        c.phone = "ring us".into();
        c.email = Some("homes".into());
        c.privacy = "x".repeat(MAX_WORDS + 1);
        c.languages.get_mut("cy").unwrap().complaints = Some("<b>Cwyn</b>".into());
        let p = c.problems();
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p[0].starts_with("council.name is empty"));
        assert!(p.iter().any(|m| m.starts_with("council.privacy is 2001 characters")));
        assert!(p.iter().any(|m| m.starts_with("council.languages.cy.complaints has < or >")));
        assert!(p.iter().any(|m| m.starts_with("council.phone \"ring us\" is not a telephone number")));
        assert!(p.iter().any(|m| m.starts_with("council.email")));
        assert!(check_phone("+44 1632 960123").is_ok());
        assert!(check_phone("999").is_err());
    }
}
