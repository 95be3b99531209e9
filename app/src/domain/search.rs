//! Search input: normalised once, shared by the browser (as-you-type) and the server (query).

/// The shortest query worth sending to the server.
pub const MIN_QUERY_CHARS: usize = 2;
/// Results returned for one query.
pub const MAX_RESULTS: usize = 25;
/// Longest query accepted.
pub const MAX_QUERY_CHARS: usize = 100;

/// Lower-cases, trims and collapses spaces; `None` when too short to search.
pub fn normalise_query(input: &str) -> Option<String> {
    let q: String = input
        .chars()
        .take(MAX_QUERY_CHARS)
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || matches!(c, '\'' | '-' | ',' | '.'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (q.chars().count() >= MIN_QUERY_CHARS).then_some(q)
}

/// The terms a record's `search_text` must all contain. A postcode typed without its space
/// ("yo103ab") matches because `search_text` stores postcodes both ways.
pub fn terms(normalised: &str) -> Vec<String> {
    normalised.split(' ').filter(|t| !t.is_empty()).map(|t| t.trim_matches(|c| c == ',' || c == '.').to_string()).filter(|t| !t.is_empty()).take(6).collect()
}

/// Escapes `%`, `_` and `\` for a SQL LIKE pattern with `ESCAPE '\'`.
pub fn like_pattern(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The text stored for searching: lower case, postcodes with and without their space.
pub fn index_text(parts: &[&str], postcode: &str) -> String {
    let mut text = parts.join(" ").to_lowercase();
    text.push(' ');
    text.push_str(&postcode.to_lowercase());
    text.push(' ');
    text.push_str(&postcode.to_lowercase().replace(' ', ""));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_rejects_short_queries() {
        assert_eq!(normalise_query("  YO10   3AB "), Some("yo10 3ab".into()));
        assert_eq!(normalise_query("a"), None);
        assert_eq!(normalise_query("%_"), None);
        assert_eq!(normalise_query("O'Brien"), Some("o'brien".into()));
        assert_eq!(normalise_query(&"x".repeat(500)).unwrap().len(), MAX_QUERY_CHARS);
    }

    #[test]
    fn splits_terms_and_escapes_like() {
        assert_eq!(terms("12 tang hall lane,"), vec!["12", "tang", "hall", "lane"]);
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn index_text_holds_postcode_both_ways() {
        let t = index_text(&["PR000123", "12 Tang Hall Lane"], "YO31 0AB");
        assert!(t.contains("yo31 0ab") && t.contains("yo310ab") && t.contains("tang hall"));
    }
}
