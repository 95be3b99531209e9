//! Languages of the public feedback forms, by configuration. English is built in (the words are in
//! the code, as each string's default). Every `<code>.json` file in the languages folder
//! (`HEARTH_LANGUAGES`, default `config/languages`) adds a language when Hearth starts:
//!
//! ```json
//! { "name": "Cymraeg", "strings": { "form.title.tenant": "Dywedwch wrthym am eich gwasanaeth tai", ... } }
//! ```
//!
//! A key the file does not give falls back to English, so a council can translate a little at a
//! time. `{name}` style placeholders are filled in by the form. A tenant picks a language with the
//! links at the top of the form (`?lang=cy`), or gets the first one their browser asks for.

use std::collections::HashMap;
use std::path::Path;

use app::api::kit::settings::{Council, Words};
use serde::Deserialize;

#[derive(Clone, Debug, Default)]
pub struct Language {
    /// The file's name: a BCP 47 tag such as `cy` (Welsh) or `pl` (Polish).
    pub code: String,
    /// The language's name in itself, shown on the switch ("Cymraeg").
    pub name: String,
    strings: HashMap<String, String>,
    /// The council's words in this language (`[council]` of the configuration file), which fill
    /// `{council}`, `{service}`, `{phone}` and `{dpo}` in every string.
    pub council: Words,
}

impl Language {
    /// The text for `key`, or the English default.
    pub fn t<'a>(&'a self, key: &str, english: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(english)
    }

    /// As [`Language::t`], with `{placeholder}`s filled in (in the translation and the default
    /// alike), the council's among them.
    pub fn tf(&self, key: &str, english: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.t(key, english).to_string();
        let c = &self.council;
        let council = [("council", c.name.as_str()), ("service", &c.service), ("phone", &c.phone), ("dpo", &c.data_protection_officer)];
        for (k, v) in args.iter().chain(&council) {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    /// As [`Language::tf`] with only the council's words to fill in.
    pub fn tc(&self, key: &str, english: &str) -> String {
        self.tf(key, english, &[])
    }

    /// How many strings the file translates.
    pub fn translated(&self) -> usize {
        self.strings.len()
    }
}

#[derive(Deserialize)]
struct LanguageFile {
    name: String,
    strings: HashMap<String, String>,
}

/// English first, then the configured languages in the order of their codes.
#[derive(Clone, Debug)]
pub struct Languages {
    list: Vec<Language>,
}

impl Default for Languages {
    fn default() -> Self {
        Languages { list: vec![Language { code: "en".into(), name: "English".into(), strings: HashMap::new(), council: Words::default() }] }
    }
}

/// A language code Hearth accepts in a file name or a link: letters, digits and dashes.
fn valid_code(code: &str) -> bool {
    (2..=16).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

impl Languages {
    /// Loads every `<code>.json` in `dir`. A folder that does not exist means English only; a file
    /// that cannot be read is reported in the returned problems and left out, never fatal.
    pub fn load(dir: &Path) -> (Languages, Vec<String>) {
        let mut langs = Languages::default();
        let mut problems = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else { return (langs, problems) };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for path in files {
            let code = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_lowercase();
            if !valid_code(&code) || code == "en" {
                problems.push(format!("{}: the file name must be a language code such as cy.json (English is built in)", path.display()));
                continue;
            }
            match std::fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str::<LanguageFile>(&t).map_err(|e| e.to_string())) {
                Ok(f) => langs.list.push(Language { code, name: f.name, strings: f.strings, council: Words::default() }),
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            }
        }
        (langs, problems)
    }

    /// Gives each language the council's words in it (English where the council gives none).
    pub fn with_council(mut self, council: &Council) -> Languages {
        for l in &mut self.list {
            l.council = council.words(&l.code);
        }
        self
    }

    pub fn all(&self) -> &[Language] {
        &self.list
    }

    pub fn english(&self) -> &Language {
        &self.list[0]
    }

    /// The language asked for by the link (`?lang=`) if Hearth has it, else the first of the
    /// browser's `Accept-Language` that it has, else English.
    pub fn pick(&self, asked: Option<&str>, accept_language: Option<&str>) -> &Language {
        let find = |code: &str| {
            let code = code.trim().to_lowercase();
            self.list.iter().find(|l| l.code == code || code.split('-').next() == Some(l.code.as_str()))
        };
        if let Some(l) = asked.and_then(find) {
            return l;
        }
        let mut wanted: Vec<(f32, &str)> = accept_language
            .unwrap_or_default()
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let tag = bits.next()?.trim();
                let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                (!tag.is_empty() && tag != "*").then_some((q, tag))
            })
            .collect();
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
        wanted.into_iter().find_map(|(_, tag)| find(tag)).unwrap_or(self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_welsh() -> Languages {
        let mut l = Languages::default();
        l.list.push(Language {
            code: "cy".into(),
            name: "Cymraeg".into(),
            strings: HashMap::from([("submit".to_string(), "Anfon adborth".to_string()), ("count".to_string(), "{n} nod".to_string())]),
            council: Words::default(),
        });
        l
    }

    #[test]
    fn a_translation_falls_back_to_english_key_by_key() {
        let l = with_welsh();
        let cy = l.pick(Some("cy"), None);
        assert_eq!(cy.t("submit", "Send feedback"), "Anfon adborth");
        assert_eq!(cy.t("title", "Tell us"), "Tell us", "untranslated: English");
        assert_eq!(cy.tf("count", "{n} characters", &[("n", "20")]), "20 nod");
        assert_eq!(l.english().tf("count", "{n} characters", &[("n", "20")]), "20 characters");
    }

    #[test]
    fn the_link_wins_then_the_browser_then_english() {
        let l = with_welsh();
        assert_eq!(l.pick(Some("cy"), Some("en-GB")).code, "cy");
        assert_eq!(l.pick(Some("xx"), Some("fr;q=0.9, cy-GB;q=0.8, en;q=0.5")).code, "cy", "unknown link language: the browser's first known");
        assert_eq!(l.pick(None, Some("en;q=0.4, cy;q=0.9")).code, "cy", "by quality, not order");
        assert_eq!(l.pick(None, Some("de")).code, "en");
        assert_eq!(l.pick(None, None).code, "en");
    }

    #[test]
    fn files_load_from_the_folder_and_bad_ones_are_reported() {
        let dir = std::env::temp_dir().join(format!("hearth-langs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("cy.json"), r#"{"name": "Cymraeg", "strings": {"submit": "Anfon adborth"}}"#).expect("write");
        std::fs::write(dir.join("pl.json"), "not json").expect("write");
        std::fs::write(dir.join("en.json"), r#"{"name": "English", "strings": {}}"#).expect("write");
        let (l, problems) = Languages::load(&dir);
        assert_eq!(l.all().iter().map(|x| x.code.as_str()).collect::<Vec<_>>(), vec!["en", "cy"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let (none, p) = Languages::load(&dir.join("missing"));
        assert_eq!(none.all().len(), 1);
        assert!(p.is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_shipped_welsh_file_loads_and_uses_only_known_keys() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/languages");
        let (l, problems) = Languages::load(&dir);
        assert!(problems.is_empty(), "{problems:?}");
        let cy = l.all().iter().find(|x| x.code == "cy").expect("Welsh is shipped");
        assert_eq!(cy.name, "Cymraeg");
        for key in cy.strings.keys() {
            assert!(crate::feedback::KEYS.contains(&key.as_str()), "{key} is not a key the form uses");
        }
        assert!(cy.translated() >= crate::feedback::KEYS.len() * 9 / 10, "Welsh covers the form");
    }
}
