//! Canonical request keys: two requests get the same key exactly when they ask for the same thing.
//!
//! The key is `METHOD URL` followed, when headers or a body take part, by `#` and the SHA-256 of those parts:
//! - the method is upper-cased;
//! - in an absolute URL (one that starts with `scheme://`) the scheme and host are lower-cased; a path is kept as
//!   sent, whatever it contains (`/go/http://Example.com` stays as it is);
//! - the fragment is dropped and the query's `name=value` pairs are sorted by *name* (stable: pairs with the same
//!   name keep their order, so `?a=1&a=2` and `?a=2&a=1` stay different), empty pairs removed; percent-encoding is
//!   kept as sent;
//! - only the headers the caller names take part (names are case-insensitive, values are trimmed);
//! - the body takes part through its SHA-256 digest.
//!
//! Keys stay readable up to the `#`, so a cache can invalidate by prefix (`GET https://api.example/users/`).

use sha2::{Digest, Sha256};
use std::fmt::Write;

/// A canonical request key (see the module docs for what it contains).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestKey(String);

impl RequestKey {
    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a string that the caller already made canonical (for example one returned by [`RequestKey::new`] on
    /// another machine, or an application-level id). It is used as is.
    pub fn from_canonical(key: impl Into<String>) -> Self {
        RequestKey(key.into())
    }

    /// Builds the key of a request. `headers` are the request's headers; only those named in `vary` are used.
    pub fn new<'a>(
        method: &str,
        url: &str,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        vary: &[&str],
        body: &[u8],
    ) -> Self {
        let mut key = method.trim().to_ascii_uppercase();
        key.push(' ');
        key.push_str(&canonical_url(url));
        let mut chosen: Vec<(String, &[u8])> = headers
            .into_iter()
            .filter(|(name, _)| vary.iter().any(|v| v.eq_ignore_ascii_case(name.trim())))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().as_bytes()))
            .collect();
        chosen.sort();
        if !chosen.is_empty() || !body.is_empty() {
            let mut digest = Sha256::new();
            for (name, value) in &chosen {
                digest.update(name.as_bytes());
                digest.update(b":");
                digest.update(value);
                digest.update(b"\n");
            }
            digest.update(b"\n");
            digest.update(Sha256::digest(body));
            key.push('#');
            for byte in digest.finalize() {
                let _ = write!(key, "{byte:02x}");
            }
        }
        RequestKey(key)
    }
}

impl std::fmt::Display for RequestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<RequestKey> for String {
    fn from(key: RequestKey) -> String {
        key.0
    }
}

/// Whether `s` starts with an RFC 3986 scheme followed by `://` (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`).
fn scheme_of(s: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = s.split_once("://")?;
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    (first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .then_some((scheme, rest))
}

/// The URL with lower-cased scheme and host, no fragment, and a query sorted by parameter name.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut out = String::with_capacity(url.len());
    match scheme_of(base) {
        Some((scheme, rest)) => {
            let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
            out.push_str(&scheme.to_ascii_lowercase());
            out.push_str("://");
            out.push_str(&authority.to_ascii_lowercase());
            out.push_str(if path.is_empty() { "/" } else { path });
        }
        None => out.push_str(base),
    }
    if let Some(query) = query {
        let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        pairs.sort_by_key(|pair| pair.split_once('=').map_or(*pair, |(name, _)| name));
        if !pairs.is_empty() {
            out.push('?');
            out.push_str(&pairs.join("&"));
        }
    }
    out
}
