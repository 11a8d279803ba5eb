//! The names of what the gateway keeps in Redis. Every name starts with the configured prefix
//! (`INTENT_EDGE_STORE_PREFIX`, default `intent-edge:`), so one Redis can serve several gateways, and a purge by
//! prefix can match cache entries only. Keys are binary-safe in Redis: a cache key or client key goes in as it is.

/// The names under one prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpace {
    prefix: String,
}

impl KeySpace {
    pub fn new(prefix: &str) -> Self {
        KeySpace {
            prefix: prefix.to_owned(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A limiter's state for `key` in `scope` (a route, or a route and an intent).
    pub fn limiter(&self, scope: &str, key: &str) -> Vec<u8> {
        self.name(&["rl:", scope, "\u{0}", key])
    }

    /// The stored response for a cache key.
    pub fn cache_entry(&self, cache_key: &str) -> Vec<u8> {
        self.name(&["c:", cache_key])
    }

    /// The `SCAN MATCH` pattern of every cache entry whose key starts with `cache_key_prefix`.
    pub fn cache_entries_matching(&self, cache_key_prefix: &str) -> Vec<u8> {
        let mut pattern = glob_escape(&self.prefix);
        pattern.push_str("c:");
        pattern.push_str(&glob_escape(cache_key_prefix));
        pattern.push('*');
        pattern.into_bytes()
    }

    /// The coalescing lease of a cache key: who calls the origin for it now.
    pub fn lease(&self, cache_key: &str) -> Vec<u8> {
        self.name(&["lease:", cache_key])
    }

    /// The failure the lease holder of a cache key met (a 502/504 for its waiters), kept for a moment.
    pub fn failure(&self, cache_key: &str) -> Vec<u8> {
        self.name(&["fail:", cache_key])
    }

    /// The mark of a cache key lately answered with something not shareable (no coalescing for a while).
    pub fn hit_for_miss(&self, cache_key: &str) -> Vec<u8> {
        self.name(&["hfm:", cache_key])
    }

    /// The set of cache entry names tagged `tag`.
    pub fn tag(&self, tag: &str) -> Vec<u8> {
        self.name(&["tag:", tag])
    }

    /// The purge counter: bumped by every purge, read with every limiter decision, so an instance learns that its
    /// own copies may be out of date.
    pub fn purge_epoch(&self) -> Vec<u8> {
        self.name(&["epoch"])
    }

    fn name(&self, parts: &[&str]) -> Vec<u8> {
        let mut name =
            Vec::with_capacity(self.prefix.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        name.extend_from_slice(self.prefix.as_bytes());
        for part in parts {
            name.extend_from_slice(part.as_bytes());
        }
        name
    }
}

/// `text` with the glob characters of `SCAN MATCH` (`*`, `?`, `[`, `]`, `\`) escaped, so it matches only itself.
pub fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_share_the_prefix_and_patterns_match_only_literally() {
        let keys = KeySpace::new("ie:");
        assert_eq!(keys.cache_entry("/a?b=1"), b"ie:c:/a?b=1");
        assert_eq!(keys.limiter("api", "1.2.3.4"), b"ie:rl:api\x001.2.3.4");
        assert_eq!(
            keys.cache_entries_matching("/a?[x]*"),
            b"ie:c:/a\\?\\[x\\]\\**"
        );
    }
}
