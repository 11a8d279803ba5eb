//! Per-route policy, from a routes file (JSON, mounted or given inline, so it changes without a rebuild): which
//! paths go to which origin, and for each route its quotas and client identity, cache rules, coalescing, timeouts
//! and intent matching.
//!
//! ```json
//! { "routes": [
//!   { "name": "support", "prefix": "/api/support", "methods": ["POST"],
//!     "intent": { "textPointer": "/text", "cacheKey": true },
//!     "limit": { "key": "client", "quotas": [{ "name": "default", "limit": 60, "windowMs": 60000 }],
//!                "byIntent": { "transfer_money": { "quotas": [{ "name": "transfers", "limit": 3, "windowMs": 60000 }] } } },
//!     "cache": { "ttlSeconds": 300 } },
//!   { "name": "assets", "glob": "/static/*", "cache": { "ttlSeconds": 3600, "sortQuery": true } },
//!   { "name": "me", "path": "/me", "limit": { "key": "apiKey", "apiKeyHeader": "x-api-key",
//!                                              "quotas": [{ "name": "user", "limit": 100, "windowMs": 60000 }] },
//!     "cache": { "enabled": false }, "coalesce": false },
//!   { "name": "default", "prefix": "/" }
//! ] }
//! ```
//!
//! Routes are tried in order; the first whose path (`path`: exact, `prefix`, or `glob` with `*` and `?`) and
//! `methods` match wins. A request no route matches gets a 404 problem. Anything a route leaves out comes from the
//! gateway's defaults (the `INTENT_EDGE_*` environment); unknown fields are errors, and every error names its JSON
//! pointer (`/routes/2/limit/quotas/0/limit`).

use super::cache_control::MAX_DELTA_SECONDS;
use super::cache_key::KeyRules;
use super::http_cache::CachePolicy;
use crate::json::{self, JsonError};
use crate::ratelimit::{LimiterConfig, QuotaConfig, RateLimiter};
use http::header::HeaderName;
use http::Method;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;
use wildmatch::WildMatch;

/// A routes file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutesFile {
    pub routes: Vec<RouteConfig>,
}

/// One route as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouteConfig {
    /// A name for metrics and problems (default `route-<index>`).
    pub name: Option<String>,
    /// Exactly this path.
    pub path: Option<String>,
    /// Every path starting with this.
    pub prefix: Option<String>,
    /// Paths matching this glob (`*`: any run of characters, `?`: one).
    pub glob: Option<String>,
    /// Only these methods (default: any).
    pub methods: Option<Vec<String>>,
    /// Origin base URL (default `INTENT_EDGE_ORIGIN`).
    pub origin: Option<String>,
    /// Rate limiting: `"none"`, or a policy (default: the gateway's limit).
    pub limit: Option<LimitSpec>,
    pub cache: Option<CacheSpec>,
    /// Coalesce identical in-flight requests (default true).
    pub coalesce: Option<bool>,
    pub intent: Option<IntentSpec>,
    pub timeouts: Option<TimeoutSpec>,
}

/// `"none"` or a limit policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LimitSpec {
    Off(Off),
    Policy(LimitPolicySpec),
}

/// The literal `"none"`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Off {
    None,
}

/// What the limiter is keyed by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LimitKey {
    /// The client address (trusted header; see `identity`).
    #[default]
    Client,
    /// An API key header (digested); requests without one are keyed by client address.
    ApiKey,
    /// The matched intent: one budget per intent for everyone (intent routes only).
    Intent,
    /// Client address and intent together.
    ClientIntent,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitPolicySpec {
    #[serde(default)]
    pub key: LimitKey,
    /// Header holding the API key (for `key: "apiKey"`; default `x-api-key`).
    pub api_key_header: Option<String>,
    /// Quotas (default: the gateway's).
    pub quotas: Option<Vec<QuotaConfig>>,
    /// Most keys tracked (default: the gateway's).
    pub max_keys: Option<usize>,
    /// Quotas that replace `quotas` for requests matched to an intent (intent routes only).
    #[serde(default)]
    pub by_intent: BTreeMap<String, IntentQuotas>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IntentQuotas {
    pub quotas: Vec<QuotaConfig>,
}

/// How the shared cache treats credentialed requests (`Authorization` or `Cookie`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Credentials {
    /// Never look up, store or coalesce them (the default: the origin may answer per user without saying so).
    #[default]
    Bypass,
    /// Treat them like any request, under RFC 9111's rules (`Authorization` responses stored only when `public`,
    /// `s-maxage` or `must-revalidate`; `private`, `no-store` and `Set-Cookie` never stored or shared).
    Share,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CacheSpec {
    /// Cache this route at all (default true).
    pub enabled: Option<bool>,
    /// Replace the origin's freshness lifetime for storable responses (at most 2^31 s).
    pub ttl_seconds: Option<u64>,
    /// Request headers that take part in the key (raw bytes).
    #[serde(default)]
    pub key_headers: Vec<String>,
    /// Sort the query by parameter name in the key.
    #[serde(default)]
    pub sort_query: bool,
    #[serde(default)]
    pub credentials: Credentials,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IntentSpec {
    /// JSON pointer to the text in a JSON body (default: the whole body is the text).
    pub text_pointer: Option<String>,
    /// Key the cache by intent and slots instead of the body (default false).
    #[serde(default)]
    pub cache_key: bool,
    /// Send `x-intent-edge-intent` and `x-intent-edge-slots` to the origin (default true).
    pub forward_headers: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TimeoutSpec {
    pub connect_ms: Option<u64>,
    pub first_byte_ms: Option<u64>,
    pub total_ms: Option<u64>,
}

/// The origin of a route: a base URL the request target is appended to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: String,
    /// `host[:port]`.
    pub authority: String,
    /// A path prefix (no trailing `/`; empty for none).
    pub base_path: String,
}

impl Origin {
    /// Parses `http(s)://host[:port][/base]`.
    pub fn parse(url: &str) -> Result<Origin, String> {
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("{url:?} is not an absolute http(s) URL"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!("{url:?}: the scheme must be http or https"));
        }
        let (authority, base_path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        if authority.is_empty() || authority.contains(['@', '?', '#', ' ']) {
            return Err(format!("{url:?}: the host is missing or has user info"));
        }
        if base_path.contains(['?', '#']) {
            return Err(format!(
                "{url:?}: the origin may not have a query or fragment"
            ));
        }
        Ok(Origin {
            scheme,
            authority: authority.to_ascii_lowercase(),
            base_path: base_path.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL for a request target (origin-form `/path?query`).
    pub fn url(&self, target: &str) -> String {
        format!(
            "{}://{}{}{}",
            self.scheme, self.authority, self.base_path, target
        )
    }
}

/// Request timeouts toward the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub first_byte: Duration,
    /// The whole exchange, response body included.
    pub total: Duration,
}

/// A route's resolved limit policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitPolicy {
    pub key: LimitKey,
    pub api_key_header: HeaderName,
    pub limiter: LimiterConfig,
    pub by_intent: BTreeMap<String, LimiterConfig>,
}

/// A route's resolved cache policy.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheRoutePolicy {
    pub enabled: bool,
    pub policy: CachePolicy,
    pub key: KeyRules,
    pub credentials: Credentials,
}

/// A route's resolved intent matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentRoute {
    pub text_pointer: Option<String>,
    pub cache_key: bool,
    pub forward_headers: bool,
}

#[derive(Debug, Clone)]
enum PathMatch {
    Exact(String),
    Prefix(String),
    Glob(WildMatch, String),
}

/// One resolved route.
#[derive(Debug, Clone)]
pub struct Route {
    pub name: String,
    path: PathMatch,
    methods: Option<Vec<Method>>,
    pub origin: Origin,
    pub limit: Option<LimitPolicy>,
    pub cache: CacheRoutePolicy,
    pub coalesce: bool,
    pub intent: Option<IntentRoute>,
    pub timeouts: Timeouts,
}

impl Route {
    /// Whether this route takes `method path`.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        let path_ok = match &self.path {
            PathMatch::Exact(p) => p == path,
            PathMatch::Prefix(p) => path.starts_with(p.as_str()),
            PathMatch::Glob(glob, _) => glob.matches(path),
        };
        path_ok && self.methods.as_ref().is_none_or(|m| m.contains(method))
    }

    /// The path rule as written (for `/metrics` and errors).
    pub fn pattern(&self) -> &str {
        match &self.path {
            PathMatch::Exact(p) | PathMatch::Prefix(p) | PathMatch::Glob(_, p) => p,
        }
    }
}

/// What routes inherit when they leave a field out: the gateway's configuration.
#[derive(Debug, Clone)]
pub struct RouteDefaults {
    pub origin: Option<String>,
    pub limiter: LimiterConfig,
    pub cache: CachePolicy,
    pub timeouts: Timeouts,
}

/// A routes file that cannot be used: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutesError {
    /// JSON pointer to the offending value (empty for the document).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for RoutesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}

impl From<JsonError> for RoutesError {
    fn from(e: JsonError) -> Self {
        RoutesError {
            pointer: e.pointer,
            message: e.message,
        }
    }
}

/// The route table.
#[derive(Debug, Clone)]
pub struct Routes {
    pub routes: Vec<Route>,
}

impl Routes {
    /// The table for a gateway with no routes file: one route for every path to the default origin.
    pub fn single(defaults: &RouteDefaults) -> Result<Routes, RoutesError> {
        let route = RouteConfig {
            name: Some("default".into()),
            prefix: Some("/".into()),
            ..RouteConfig::default()
        };
        Ok(Routes {
            routes: vec![resolve(&route, 0, defaults)?],
        })
    }

    /// Parses and resolves a routes file.
    pub fn parse(json: &str, defaults: &RouteDefaults) -> Result<Routes, RoutesError> {
        let file: RoutesFile = json::from_str(json)?;
        if file.routes.is_empty() {
            return Err(RoutesError {
                pointer: "/routes".into(),
                message: "lists no route".into(),
            });
        }
        let routes = file
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| resolve(r, i, defaults))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Routes { routes })
    }

    /// The first route that takes `method path`.
    pub fn find(&self, method: &Method, path: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.matches(method, path))
    }
}

fn error(pointer: String, message: impl Into<String>) -> RoutesError {
    RoutesError {
        pointer,
        message: message.into(),
    }
}

fn check_limiter(config: &LimiterConfig, at: &str) -> Result<(), RoutesError> {
    RateLimiter::new(config.clone()).map(drop).map_err(|e| {
        // The limiter names fields as `quotas[0].limit`: turn that into a pointer below `at`.
        let field = e
            .field
            .replace('[', "/")
            .replace("].", "/")
            .replace(']', "");
        error(format!("{at}/{field}"), e.message)
    })
}

fn header_name(value: &str, at: String) -> Result<HeaderName, RoutesError> {
    HeaderName::from_bytes(value.trim().to_ascii_lowercase().as_bytes())
        .map_err(|_| error(at, format!("{value:?} is not a header name")))
}

fn resolve(
    config: &RouteConfig,
    index: usize,
    defaults: &RouteDefaults,
) -> Result<Route, RoutesError> {
    let at = format!("/routes/{index}");
    let name = config
        .name
        .clone()
        .unwrap_or_else(|| format!("route-{index}"));
    if name.is_empty()
        || name.len() > 64
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(error(
            format!("{at}/name"),
            "must be 1-64 letters, digits, '-', '_' or '.'",
        ));
    }
    let path = match (&config.path, &config.prefix, &config.glob) {
        (Some(p), None, None) => PathMatch::Exact(p.clone()),
        (None, Some(p), None) => PathMatch::Prefix(p.clone()),
        (None, None, Some(p)) => PathMatch::Glob(WildMatch::new(p), p.clone()),
        _ => return Err(error(at, "give exactly one of path, prefix or glob")),
    };
    let (PathMatch::Exact(p) | PathMatch::Prefix(p) | PathMatch::Glob(_, p)) = &path;
    if !p.starts_with('/') {
        return Err(error(
            at,
            format!("the path rule {p:?} must start with '/'"),
        ));
    }
    let methods = match &config.methods {
        None => None,
        Some(list) => Some(
            list.iter()
                .enumerate()
                .map(|(i, m)| {
                    Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| {
                        error(
                            format!("{at}/methods/{i}"),
                            format!("{m:?} is not a method"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let origin_url = config
        .origin
        .clone()
        .or_else(|| defaults.origin.clone())
        .ok_or_else(|| {
            error(
                format!("{at}/origin"),
                "no origin: set one on the route or INTENT_EDGE_ORIGIN",
            )
        })?;
    let origin = Origin::parse(&origin_url).map_err(|m| error(format!("{at}/origin"), m))?;

    let limit = match &config.limit {
        Some(LimitSpec::Off(Off::None)) => None,
        None => Some(LimitPolicy {
            key: LimitKey::Client,
            api_key_header: HeaderName::from_static("x-api-key"),
            limiter: defaults.limiter.clone(),
            by_intent: BTreeMap::new(),
        }),
        Some(LimitSpec::Policy(spec)) => {
            let limiter = LimiterConfig {
                quotas: spec
                    .quotas
                    .clone()
                    .unwrap_or_else(|| defaults.limiter.quotas.clone()),
                max_keys: spec.max_keys.unwrap_or(defaults.limiter.max_keys),
                on_full: defaults.limiter.on_full,
            };
            check_limiter(&limiter, &format!("{at}/limit"))?;
            let mut by_intent = BTreeMap::new();
            for (intent, quotas) in &spec.by_intent {
                let config = LimiterConfig {
                    quotas: quotas.quotas.clone(),
                    ..limiter.clone()
                };
                check_limiter(&config, &format!("{at}/limit/byIntent/{intent}"))?;
                by_intent.insert(intent.clone(), config);
            }
            if (!by_intent.is_empty()
                || matches!(spec.key, LimitKey::Intent | LimitKey::ClientIntent))
                && config.intent.is_none()
            {
                return Err(error(
                    format!("{at}/limit"),
                    "byIntent and the intent keys need an intent route (add \"intent\")",
                ));
            }
            Some(LimitPolicy {
                key: spec.key,
                api_key_header: header_name(
                    spec.api_key_header.as_deref().unwrap_or("x-api-key"),
                    format!("{at}/limit/apiKeyHeader"),
                )?,
                limiter,
                by_intent,
            })
        }
    };

    let spec = config.cache.clone().unwrap_or_default();
    if spec.ttl_seconds.is_some_and(|ttl| ttl > MAX_DELTA_SECONDS) {
        return Err(error(
            format!("{at}/cache/ttlSeconds"),
            format!("at most {MAX_DELTA_SECONDS} (2^31 s, the largest delta-seconds of RFC 9111)"),
        ));
    }
    let cache = CacheRoutePolicy {
        enabled: spec.enabled.unwrap_or(true),
        policy: CachePolicy {
            ttl_override: spec.ttl_seconds.map(Duration::from_secs),
            ..defaults.cache.clone()
        },
        key: KeyRules {
            sort_query: spec.sort_query,
            headers: spec
                .key_headers
                .iter()
                .enumerate()
                .map(|(i, h)| header_name(h, format!("{at}/cache/keyHeaders/{i}")))
                .collect::<Result<_, _>>()?,
        },
        credentials: spec.credentials,
    };

    let intent = config.intent.as_ref().map(|spec| IntentRoute {
        text_pointer: spec.text_pointer.clone(),
        cache_key: spec.cache_key,
        forward_headers: spec.forward_headers.unwrap_or(true),
    });
    if let Some(pointer) = intent.as_ref().and_then(|i| i.text_pointer.as_deref()) {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(error(
                format!("{at}/intent/textPointer"),
                "a JSON pointer starts with '/' (or is empty for the whole document)",
            ));
        }
    }

    let t = config.timeouts.clone().unwrap_or_default();
    let ms = |v: Option<u64>, d: Duration| v.map_or(d, Duration::from_millis);
    let timeouts = Timeouts {
        connect: ms(t.connect_ms, defaults.timeouts.connect),
        first_byte: ms(t.first_byte_ms, defaults.timeouts.first_byte),
        total: ms(t.total_ms, defaults.timeouts.total),
    };
    if timeouts.connect.is_zero() || timeouts.first_byte.is_zero() || timeouts.total.is_zero() {
        return Err(error(
            format!("{at}/timeouts"),
            "timeouts must be at least 1 ms",
        ));
    }

    Ok(Route {
        name,
        path,
        methods,
        origin,
        limit,
        cache,
        coalesce: config.coalesce.unwrap_or(true),
        intent,
        timeouts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> RouteDefaults {
        RouteDefaults {
            origin: Some("http://127.0.0.1:3001".into()),
            limiter: LimiterConfig::new(vec![QuotaConfig::per_minute("default", 600)]),
            cache: CachePolicy::default(),
            timeouts: Timeouts {
                connect: Duration::from_secs(5),
                first_byte: Duration::from_secs(15),
                total: Duration::from_secs(30),
            },
        }
    }

    #[test]
    fn first_matching_route_wins_and_defaults_fill_in() {
        let routes = Routes::parse(
            r#"{"routes": [
                {"name": "me", "path": "/me", "methods": ["get"], "cache": {"enabled": false}, "coalesce": false},
                {"name": "assets", "glob": "/static/*.css", "origin": "https://cdn.example/base/", "limit": "none"},
                {"name": "rest", "prefix": "/"}
            ]}"#,
            &defaults(),
        )
        .unwrap();
        let find = |m: Method, p: &str| routes.find(&m, p).map(|r| r.name.as_str());
        assert_eq!(find(Method::GET, "/me"), Some("me"));
        assert_eq!(find(Method::POST, "/me"), Some("rest"));
        assert_eq!(find(Method::GET, "/static/a/b.css"), Some("assets"));
        assert_eq!(find(Method::GET, "/static/a.js"), Some("rest"));
        let assets = routes.find(&Method::GET, "/static/x.css").unwrap();
        assert_eq!(
            assets.origin.url("/static/x.css"),
            "https://cdn.example/base/static/x.css"
        );
        assert!(assets.limit.is_none());
        let me = routes.find(&Method::GET, "/me").unwrap();
        assert!(!me.cache.enabled && !me.coalesce);
        assert_eq!(me.limit.as_ref().unwrap().limiter, defaults().limiter);
    }

    #[test]
    fn errors_name_the_json_pointer() {
        let err = |json: &str| Routes::parse(json, &defaults()).unwrap_err();
        assert_eq!(
            err(r#"{"routes": [{"prefix": "/", "cach": {}}]}"#).pointer,
            "/routes/0/cach"
        );
        let e = err(
            r#"{"routes": [{"prefix": "/"}, {"prefix": "/", "limit": {"quotas": [{"name": "q", "limit": 0, "windowMs": 1}]}}]}"#,
        );
        assert_eq!(e.pointer, "/routes/1/limit/quotas/0/limit");
        assert_eq!(
            err(r#"{"routes": [{"path": "/a", "prefix": "/b"}]}"#).pointer,
            "/routes/0"
        );
        assert_eq!(
            err(r#"{"routes": [{"prefix": "/", "origin": "ftp://x"}]}"#).pointer,
            "/routes/0/origin"
        );
        assert_eq!(
            err(r#"{"routes": [{"prefix": "/", "methods": ["G T"]}]}"#).pointer,
            "/routes/0/methods/0"
        );
        assert_eq!(err(r#"{"routes": []}"#).pointer, "/routes");
        let e = err(r#"{"routes": [{"prefix": "/", "limit": {"key": "intent"}}]}"#);
        assert_eq!(e.pointer, "/routes/0/limit");
        assert_eq!(
            err(r#"{"routes": [{"prefix": "/", "cache": {"keyHeaders": ["bad header"]}}]}"#)
                .pointer,
            "/routes/0/cache/keyHeaders/0"
        );
        // An expiry past what a store takes (Redis refuses one past i64 milliseconds) is refused here, by name.
        let e =
            err(r#"{"routes": [{"prefix": "/", "cache": {"ttlSeconds": 18446744073709551615}}]}"#);
        assert_eq!(e.pointer, "/routes/0/cache/ttlSeconds");
        assert!(e.to_string().contains("at most 2147483648"), "{e}");
        let largest = r#"{"routes": [{"prefix": "/", "cache": {"ttlSeconds": 2147483648}}]}"#;
        assert!(Routes::parse(largest, &defaults()).is_ok());
    }

    #[test]
    fn origins_parse_strictly() {
        assert_eq!(
            Origin::parse("HTTP://Example.com:8080/").unwrap(),
            Origin {
                scheme: "http".into(),
                authority: "example.com:8080".into(),
                base_path: String::new()
            }
        );
        assert!(Origin::parse("http://user@host").is_err());
        assert!(Origin::parse("http:///x").is_err());
        assert!(Origin::parse("http://h/x?y").is_err());
    }
}
