//! The site's built assets. A release build names each by its content's hash
//! (`hash-files = true`, cargo-leptos writes the hashes to `hash.txt` beside the binary), so they
//! can be cached for a year (`edge::cache_control`) and a new release is fetched at once.

use std::sync::OnceLock;

use leptos::prelude::LeptosOptions;

static STYLESHEET: OnceLock<String> = OnceLock::new();

/// Reads the stylesheet's name once, at start: `/pkg/<output>.<hash>.css` when the build hashed
/// its files, else `/pkg/<output>.css`.
pub fn init(options: &LeptosOptions) {
    let _ = STYLESHEET.set(format!("/{}/{}.css", options.site_pkg_dir, hashed_name(options, "css")));
}

/// A release build that hashed its files left `hash.txt` beside the binary: serve those names
/// whether or not `LEPTOS_HASH_FILES` says so, so `target/release/hearth serve` works as it is.
pub fn detect_hashes(options: &mut LeptosOptions) {
    if !options.hash_files {
        options.hash_files = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref()))).is_some_and(|p| p.is_file());
    }
}

/// The stylesheet's address, for pages not rendered by Leptos (the public feedback form).
pub fn stylesheet_href() -> &'static str {
    STYLESHEET.get().map(String::as_str).unwrap_or("/pkg/hearth.css")
}

/// `<output>.<hash>` for a kind of file (`css`, `js`, `wasm`) in the hash file, else `<output>`.
fn hashed_name(options: &LeptosOptions, kind: &str) -> String {
    let name = options.output_name.to_string();
    if !options.hash_files {
        return name;
    }
    let path = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
    let hashes = path.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
    hash_for(&hashes, kind).map(|h| format!("{name}.{h}")).unwrap_or(name)
}

/// The hash of one kind of file in cargo-leptos's hash file (`css: <hash>` lines).
pub fn hash_for<'a>(hashes: &'a str, kind: &str) -> Option<&'a str> {
    hashes.lines().filter_map(|l| l.trim().split_once(':')).find(|(k, _)| k.trim() == kind).map(|(_, h)| h.trim()).filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_are_read_from_cargo_leptos_hash_file() {
        let file = "js: abc\nwasm: def\ncss: Zx9_-\n";
        assert_eq!(super::hash_for(file, "css"), Some("Zx9_-"));
        assert_eq!(super::hash_for(file, "wasm"), Some("def"));
        assert_eq!(super::hash_for(file, "svg"), None);
        assert_eq!(super::hash_for("", "css"), None);
    }
}
