//! `Cache-Control` directives (RFC 9111 §5.2) of requests and responses, parsed once into typed values.
//!
//! Parsing is lenient where the RFC asks for it and conservative where a mistake would serve something wrong:
//! - names are case-insensitive, values may be tokens or quoted strings, every field line of the header counts;
//! - a `delta-seconds` larger than 2³¹ is taken as 2³¹ (§1.2.2); an invalid one (`max-age=soon`) makes a response
//!   stale (`max-age=0`) and is ignored in a request;
//! - when a directive appears twice with different values, the response is treated as stale (§4.2.1);
//! - the qualified forms `no-cache="Set-Cookie"` and `private="X"` are treated as their unqualified forms (allowed by
//!   §5.2.2.4 and §5.2.2.7, and what a shared cache must do if it does not strip the named fields);
//! - `Pragma: no-cache` counts as `no-cache` in a request that has no `Cache-Control` (§5.4).

use http::header::{CACHE_CONTROL, PRAGMA};
use http::HeaderMap;

/// The largest delta-seconds a cache must represent (§1.2.2).
pub const MAX_DELTA_SECONDS: u64 = 1 << 31;

/// One `name[=value]` directive, name lower-cased, value unquoted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    name: String,
    value: Option<String>,
}

/// Splits every `Cache-Control` field line of `headers` into directives. Commas inside quoted strings do not split.
fn directives(headers: &HeaderMap) -> Vec<Directive> {
    let mut out = Vec::new();
    for line in headers.get_all(CACHE_CONTROL) {
        // Bytes outside visible ASCII make the whole line unreadable; ignoring it is the conservative reading only
        // for requests, so responses treat an unreadable line as `no-store` (see `ResponseDirectives::of`).
        let Ok(line) = line.to_str() else {
            out.push(Directive {
                name: "\u{0}unreadable".into(),
                value: None,
            });
            continue;
        };
        for item in split_outside_quotes(line, b',') {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let (name, value) = match item.split_once('=') {
                Some((name, value)) => (name.trim(), Some(unquote(value.trim()))),
                None => (item, None),
            };
            out.push(Directive {
                name: name.to_ascii_lowercase(),
                value,
            });
        }
    }
    out
}

/// Splits `s` at `separator` bytes that are not inside a quoted string (with `\` escapes).
pub(crate) fn split_outside_quotes(s: &str, separator: u8) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut pieces = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
        } else if in_quotes && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == separator && !in_quotes {
            pieces.push(&s[start..i]);
            start = i + 1;
        }
    }
    pieces.push(&s[start..]);
    pieces.into_iter()
}

/// A token or quoted string's value (quotes and `\` escapes removed).
pub(crate) fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => value.to_owned(),
    }
}

/// How a `delta-seconds` argument read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seconds {
    Absent,
    Valid(u64),
    /// Present but not a number, or given twice with different values.
    Invalid,
}

/// A `delta-seconds` value (§1.2.2): digits only (no sign, no space), a value past 2³¹ taken as 2³¹; `None` when
/// absent or not digits.
pub fn delta_seconds(value: Option<&str>) -> Option<u64> {
    let value = value?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Overflow means "more than we can count": 2^31 (§1.2.2).
    Some(
        value
            .parse::<u64>()
            .map_or(MAX_DELTA_SECONDS, |v| v.min(MAX_DELTA_SECONDS)),
    )
}

fn seconds(directives: &[Directive], name: &str) -> Seconds {
    let mut found = Seconds::Absent;
    for d in directives.iter().filter(|d| d.name == name) {
        let this = match delta_seconds(d.value.as_deref()) {
            Some(v) => Seconds::Valid(v),
            None => Seconds::Invalid,
        };
        found = match (found, this) {
            (Seconds::Absent, this) => this,
            (Seconds::Valid(a), Seconds::Valid(b)) if a == b => found,
            _ => Seconds::Invalid,
        };
    }
    found
}

fn has(directives: &[Directive], name: &str) -> bool {
    directives.iter().any(|d| d.name == name)
}

/// What a response's `Cache-Control` says to a shared cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseDirectives {
    pub no_store: bool,
    /// `no-cache` (qualified or not): every use needs a successful revalidation.
    pub no_cache: bool,
    /// `private` (qualified or not): a shared cache must not store it.
    pub private: bool,
    pub public: bool,
    /// `must-revalidate` or `proxy-revalidate`: never served stale.
    pub must_revalidate: bool,
    /// `s-maxage`, else `max-age`, in seconds; `Some(0)` when the value was invalid or contradictory.
    pub max_age: Option<u64>,
    /// `s-maxage` was present (it also permits storing a response to a request with `Authorization`).
    pub s_maxage_present: bool,
    /// RFC 5861: serve stale for this long while revalidating in the background.
    pub stale_while_revalidate: Option<u64>,
    /// RFC 5861: serve stale for this long when the origin fails.
    pub stale_if_error: Option<u64>,
}

impl ResponseDirectives {
    /// The directives of a response's headers.
    pub fn of(headers: &HeaderMap) -> Self {
        let d = directives(headers);
        let age = |name| match seconds(&d, name) {
            Seconds::Absent => None,
            Seconds::Valid(v) => Some(v),
            Seconds::Invalid => Some(0),
        };
        let s_maxage = age("s-maxage");
        let optional = |name| match seconds(&d, name) {
            Seconds::Valid(v) => Some(v),
            _ => None,
        };
        ResponseDirectives {
            no_store: has(&d, "no-store") || has(&d, "\u{0}unreadable"),
            no_cache: has(&d, "no-cache"),
            private: has(&d, "private"),
            public: has(&d, "public"),
            must_revalidate: has(&d, "must-revalidate") || has(&d, "proxy-revalidate"),
            max_age: s_maxage.or_else(|| age("max-age")),
            s_maxage_present: s_maxage.is_some(),
            stale_while_revalidate: optional("stale-while-revalidate"),
            stale_if_error: optional("stale-if-error"),
        }
    }
}

/// `max-stale` in a request: any staleness, or up to a number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxStale {
    Any,
    Seconds(u64),
}

/// What a request's `Cache-Control` (or `Pragma`) asks of the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDirectives {
    /// `no-cache` (or `Pragma: no-cache`): do not answer from storage without revalidating.
    pub no_cache: bool,
    /// `no-store`: do not store the response.
    pub no_store: bool,
    /// `max-age`: the client accepts no response older than this.
    pub max_age: Option<u64>,
    /// `min-fresh`: the response must stay fresh for at least this long.
    pub min_fresh: Option<u64>,
    /// `max-stale`: the client accepts a stale response.
    pub max_stale: Option<MaxStale>,
    /// `only-if-cached`: answer from storage or 504.
    pub only_if_cached: bool,
    /// RFC 5861 `stale-if-error` in a request.
    pub stale_if_error: Option<u64>,
}

impl RequestDirectives {
    /// The directives of a request's headers.
    pub fn of(headers: &HeaderMap) -> Self {
        let d = directives(headers);
        let valid = |name| match seconds(&d, name) {
            Seconds::Valid(v) => Some(v),
            _ => None,
        };
        let pragma_no_cache = !headers.contains_key(CACHE_CONTROL)
            && headers
                .get_all(PRAGMA)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|v| v.trim().eq_ignore_ascii_case("no-cache"));
        let max_stale =
            d.iter()
                .find(|d| d.name == "max-stale")
                .map(|d| match d.value.as_deref() {
                    None => MaxStale::Any,
                    Some(v) => {
                        delta_seconds(Some(v)).map_or(MaxStale::Seconds(0), MaxStale::Seconds)
                    }
                });
        RequestDirectives {
            no_cache: has(&d, "no-cache") || pragma_no_cache,
            no_store: has(&d, "no-store"),
            max_age: valid("max-age"),
            min_fresh: valid("min-fresh"),
            max_stale,
            only_if_cached: has(&d, "only-if-cached"),
            stale_if_error: valid("stale-if-error"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for line in lines {
            h.append(CACHE_CONTROL, HeaderValue::from_str(line).unwrap());
        }
        h
    }

    #[test]
    fn response_directives_read_every_line_quoted_values_and_case() {
        let d = ResponseDirectives::of(&headers(&[
            "Public, MAX-AGE=60",
            "stale-while-revalidate=\"30\", no-cache=\"set-cookie, x\"",
        ]));
        assert!(d.public && d.no_cache && !d.no_store && !d.private);
        assert_eq!(d.max_age, Some(60));
        assert_eq!(d.stale_while_revalidate, Some(30));
    }

    #[test]
    fn s_maxage_wins_over_max_age_and_bad_values_make_stale() {
        let d = ResponseDirectives::of(&headers(&["max-age=600, s-maxage=5"]));
        assert_eq!((d.max_age, d.s_maxage_present), (Some(5), true));
        assert_eq!(
            ResponseDirectives::of(&headers(&["max-age=soon"])).max_age,
            Some(0)
        );
        assert_eq!(
            ResponseDirectives::of(&headers(&["max-age=5, max-age=6"])).max_age,
            Some(0)
        );
        assert_eq!(
            ResponseDirectives::of(&headers(&["max-age=5, max-age=5"])).max_age,
            Some(5)
        );
        assert_eq!(
            ResponseDirectives::of(&headers(&["max-age=99999999999999999999999"])).max_age,
            Some(MAX_DELTA_SECONDS)
        );
        assert_eq!(
            ResponseDirectives::of(&headers(&["max-age=-1"])).max_age,
            Some(0)
        );
    }

    #[test]
    fn unreadable_response_cache_control_is_no_store() {
        let mut h = HeaderMap::new();
        h.append(
            CACHE_CONTROL,
            HeaderValue::from_bytes(b"max-age=60, \xff").unwrap(),
        );
        assert!(ResponseDirectives::of(&h).no_store);
    }

    #[test]
    fn commas_inside_quotes_do_not_split() {
        let d = ResponseDirectives::of(&headers(&["private=\"a, max-age=9\", s-maxage=3"]));
        assert!(d.private);
        assert_eq!(d.max_age, Some(3));
    }

    #[test]
    fn request_directives() {
        let d = RequestDirectives::of(&headers(&[
            "max-age=0, min-fresh=10, max-stale, only-if-cached",
        ]));
        assert_eq!(d.max_age, Some(0));
        assert_eq!(d.min_fresh, Some(10));
        assert_eq!(d.max_stale, Some(MaxStale::Any));
        assert!(d.only_if_cached && !d.no_cache);
        let d = RequestDirectives::of(&headers(&["max-stale=30, no-store"]));
        assert_eq!(d.max_stale, Some(MaxStale::Seconds(30)));
        assert!(d.no_store);
        let mut pragma = HeaderMap::new();
        pragma.insert(PRAGMA, HeaderValue::from_static("no-cache"));
        assert!(RequestDirectives::of(&pragma).no_cache);
        // Cache-Control present: Pragma is ignored (RFC 9111 §5.4).
        pragma.insert(CACHE_CONTROL, HeaderValue::from_static("max-age=5"));
        assert!(!RequestDirectives::of(&pragma).no_cache);
    }
}
