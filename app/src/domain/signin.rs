//! The sign-in gate as rules: which paths anyone may open, which are the app's pages (the only
//! places sign-in may send someone afterwards), how a path is put in its one canonical form
//! before either is decided, and the only messages the sign-in page shows.

/// Files served from `public/` that any visitor may fetch.
pub const PUBLIC_FILES: [&str; 2] = ["/favicon.svg", "/sw.js"];

/// A page reference segment (`TEN0001234`, `CAS200153`, `REF300001`...): letters, digits, `-`.
fn is_reference(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Is `path` (canonical, without query) one of the app's pages, as `app::App`'s route table lists them?
pub fn is_page_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else { return false };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [""] | ["approvals" | "search" | "map" | "team" | "satisfaction" | "admin" | "referrals" | "sign-in"] => true,
        ["tenancies" | "cases" | "properties" | "referrals", r] => is_reference(r),
        ["tenancies", r, "refer"] => is_reference(r),
        _ => false,
    }
}

/// May anyone open `path` (canonical) without signing in? The sign-in page and its endpoints, the
/// public feedback forms, the site's assets, and the JSON API and server functions (which answer
/// 401 themselves, in JSON, rather than redirect).
pub fn is_public_path(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["sign-in"] | ["auth", "sign-in" | "sign-out"] | ["accessibility"] | ["metrics"] => true,
        ["feedback", token] | ["feedback", token, "thanks"] => !token.is_empty(),
        ["api", ..] | ["fn", ..] | ["pkg", ..] => true,
        _ => PUBLIC_FILES.contains(&path),
    }
}

/// The one canonical spelling of a request path: no empty, `.` or `..` segments (`..` climbs, never
/// above the root), no trailing slash, with `%2e`/`%2E` read as a dot. `None` when it is already canonical; otherwise
/// the form to send the browser to. The gate decides on canonical paths only, so `/./admin` cannot
/// pass as a file and `/pkg/../map` cannot pass as an asset.
pub fn canonical_path(path: &str) -> Option<String> {
    let decoded = path.replace("%2e", ".").replace("%2E", ".");
    let mut out: Vec<&str> = Vec::new();
    for seg in decoded.split('/').skip(1) {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let canonical = format!("/{}", out.join("/"));
    (canonical != path).then_some(canonical)
}

/// Where sign-in sends someone afterwards: `next` if it is one of the app's pages (with an optional
/// query of plain URL characters), else `/`. Never another site, never a header-breaking byte.
pub fn safe_next(next: &str) -> String {
    let (path, query) = match next.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (next, None),
    };
    let query_ok = query.is_none_or(|q| q.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~=&%+".contains(&b)));
    if canonical_path(path).is_none() && is_page_path(path) && path != "/sign-in" && query_ok { next.to_string() } else { "/".into() }
}

/// Why sign-in refused: the only things the sign-in page says (`?error=<code>`), so a link cannot
/// put its own words in the page's error box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInProblem {
    Missing,
    TooLong,
    BadCredentials,
    RateLimited,
    Session,
    Unavailable,
}

impl SignInProblem {
    pub const ALL: [SignInProblem; 6] = [
        SignInProblem::Missing,
        SignInProblem::TooLong,
        SignInProblem::BadCredentials,
        SignInProblem::RateLimited,
        SignInProblem::Session,
        SignInProblem::Unavailable,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SignInProblem::Missing => "missing",
            SignInProblem::TooLong => "too_long",
            SignInProblem::BadCredentials => "bad_credentials",
            SignInProblem::RateLimited => "rate_limited",
            SignInProblem::Session => "session",
            SignInProblem::Unavailable => "unavailable",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            SignInProblem::Missing => "Enter your username and password.",
            SignInProblem::TooLong => "The username or password is too long.",
            SignInProblem::BadCredentials => "The username or password is not right. Check them and try again.",
            SignInProblem::RateLimited => "Too many attempts. Wait a minute and try again.",
            SignInProblem::Session => "Could not start your session. Try again.",
            SignInProblem::Unavailable => "Something went wrong on our side. It has been logged; please try again.",
        }
    }
    /// The problem a `?error=` code names; unknown codes name none (and the page shows nothing).
    pub fn parse(code: &str) -> Option<SignInProblem> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_the_route_tables_and_nothing_else() {
        for ok in [
            "/",
            "/approvals",
            "/search",
            "/map",
            "/team",
            "/satisfaction",
            "/admin",
            "/referrals",
            "/tenancies/TEN0001234",
            "/cases/CAS200153",
            "/properties/PR000123",
            "/referrals/REF300001",
            "/tenancies/TEN1/refer",
        ] {
            assert!(is_page_path(ok), "{ok}");
        }
        for no in [
            "",
            "//evil.example",
            "/\t/evil.example",
            "/tenancies/",
            "/tenancies/a/b",
            "/x",
            "/api/v1/me",
            "/cases/CAS 1",
            "/cases/%0a",
            "/tenancies/TEN1/refer/x",
            "admin",
        ] {
            assert!(!is_page_path(no), "{no:?}");
        }
    }

    #[test]
    fn next_is_always_one_of_our_pages() {
        assert_eq!(safe_next("/tenancies/TEN1"), "/tenancies/TEN1");
        assert_eq!(safe_next("/search?q=high+street"), "/search?q=high+street");
        assert_eq!(safe_next("/satisfaction?by=officer&months=12"), "/satisfaction?by=officer&months=12");
        for evil in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "/%09/evil.example",
            "/\t/evil.example",
            "/\n",
            "/search?q=a\nb",
            "/search?q=<x>",
            "/./admin",
            "/a/../admin",
            "/sign-in",
            "evil",
            "",
            "/api/v1/me",
        ] {
            assert_eq!(safe_next(evil), "/", "{evil:?}");
        }
    }

    #[test]
    fn paths_have_one_canonical_form() {
        assert_eq!(canonical_path("/admin"), None);
        assert_eq!(canonical_path("/"), None);
        assert_eq!(canonical_path("/feedback/abc/thanks"), None);
        assert_eq!(canonical_path("/./admin").as_deref(), Some("/admin"));
        assert_eq!(canonical_path("/%2e/map").as_deref(), Some("/map"));
        assert_eq!(canonical_path("//admin").as_deref(), Some("/admin"));
        assert_eq!(canonical_path("/pkg/../map").as_deref(), Some("/map"));
        assert_eq!(canonical_path("/../../admin").as_deref(), Some("/admin"));
        assert_eq!(canonical_path("/map/.").as_deref(), Some("/map"));
        assert_eq!(canonical_path("/map/").as_deref(), Some("/map"));
    }

    #[test]
    fn public_paths_are_decided_by_exact_route() {
        for ok in [
            "/sign-in",
            "/auth/sign-in",
            "/auth/sign-out",
            "/feedback/abc",
            "/feedback/abc/thanks",
            "/accessibility",
            "/metrics",
            "/api/v1/me",
            "/fn/whoami",
            "/pkg/hearth.wasm",
            "/favicon.svg",
        ] {
            assert!(is_public_path(ok), "{ok}");
        }
        for no in ["/", "/admin", "/map", "/x.y", "/admin.css", "/feedback/", "/feedback/a/b/c", "/tenancies/TEN1", "/favicon.svg/x"] {
            assert!(!is_public_path(no), "{no}");
        }
    }

    #[test]
    fn the_sign_in_page_says_only_its_own_words() {
        for p in SignInProblem::ALL {
            assert_eq!(SignInProblem::parse(p.code()), Some(p));
        }
        assert_eq!(SignInProblem::parse("Your account is locked: call 0800 EVIL"), None);
    }
}
