//! Gateway configuration, read and validated once per instance from environment variables (`environment` in
//! spin.toml, `--env` under `wasmtime serve`) or, built with the `spin-variables` feature, from Spin variables first
//! (same names, lower-cased). Nothing is tied to one deployment and no rebuild is needed to change it. A value that
//! cannot be used is a 500 problem naming the variable (and the JSON pointer inside it), on every request.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `INTENT_EDGE_INTENTS` | `embedded` with the `embedded-set` feature, else `/config/intents.json` | the intent set: `embedded` (compiled into the component by `scripts/build.sh`), or a mounted file, JSON (compiled at first use) or precompiled `.iedge` (loaded) |
//! | `INTENT_EDGE_MAX_BODY_BYTES` | `65536` | largest request body read (API and proxied requests; larger: 413) |
//! | `INTENT_EDGE_MERGE_SLASHES` | `true` | `//` in a request path counts as `/` (see `crate::gateway::request_path`); `false` for APIs that carry URLs in their paths |
//! | `INTENT_EDGE_BODY_TIMEOUT_MS` | `10000` | time for a request body to arrive once the gateway reads it (later: 408) |
//! | `INTENT_EDGE_MAX_HEADER_BYTES` | `32768` | largest request header section, names and values (larger: 431) |
//! | `INTENT_EDGE_MAX_BATCH` | `1000` | most texts in one batch request |
//! | `INTENT_EDGE_WWW` | `/www` | directory of static files served at `/` when no origin is set |
//! | `INTENT_EDGE_ORIGIN` | unset | origin URL (`http://127.0.0.1:3001`); when set (or with a routes file), other paths are proxied |
//! | `INTENT_EDGE_ROUTES` | unset | per-route policy: a mounted JSON file, or the JSON itself (see `crate::gateway::routes`) |
//! | `INTENT_EDGE_MAX_RESPONSE_BYTES` | `4194304` | largest origin response buffered or streamed (larger: 502, or the stream is cut) |
//! | `INTENT_EDGE_CONNECT_TIMEOUT_MS` / `_FIRST_BYTE_TIMEOUT_MS` / `_TOTAL_TIMEOUT_MS` | `5000` / `15000` / `30000` | origin timeouts (504 problem) |
//! | `INTENT_EDGE_CLIENT_HEADER` | `x-forwarded-for` | header that identifies the client (see `crate::gateway::identity`) |
//! | `INTENT_EDGE_TRUSTED_HOPS` | `1` | proxies in front of the gateway that append to `X-Forwarded-For` / `Forwarded` |
//! | `INTENT_EDGE_FRONT_FIELDS` | unset | proxy-written fields the front proxy sets (overwriting the client's) that the origin needs, comma-separated (`x-forwarded-user,x-forwarded-email`): passed on; every other such field from a client is dropped (see `crate::gateway::proxy_headers`) |
//! | `INTENT_EDGE_IPV6_PREFIX` | `64` | IPv6 clients are limited per prefix of this length |
//! | `INTENT_EDGE_UNIDENTIFIED` | `shared` | requests without a trusted identity: `shared` (one bucket for all of them) or `reject` (403) |
//! | `INTENT_EDGE_RATE_LIMIT` | `{"quotas":[{"name":"default","limit":600,"windowMs":60000}]}` | default limiter (JSON, the JS `LimiterConfig`, with `onFull`) |
//! | `INTENT_EDGE_CACHE` | `{"maxEntries":1000,"maxBytes":16777216}` | cache bounds (JSON, the JS `CacheConfig`) |
//! | `INTENT_EDGE_STALE_RETENTION_SECONDS` | `3600` | how long a stale response is kept (for revalidation, `max-stale`, `stale-if-error`) unless evicted first |
//! | `INTENT_EDGE_COALESCE` | `{}` | coalescer bounds (JSON, the JS `CoalescerConfig`; `windowMs` is ignored) |
//! | `INTENT_EDGE_PURGE_TOKEN` | unset | bearer token for `POST /api/purge` (unset: purging is off) |
//! | `INTENT_EDGE_METRICS_TOKEN` | unset | bearer token for `GET /metrics` (unset: open) |
//! | `INTENT_EDGE_STORE` | `memory` | where limits, cached responses and coalescing live: `memory` (per instance) or `redis://HOST[:PORT][/DB]` (shared; see `super::store`) |
//! | `INTENT_EDGE_STORE_PREFIX` | `intent-edge:` | prefix of every Redis key the gateway writes |
//! | `INTENT_EDGE_STORE_TIMEOUT_MS` | `50` | deadline of one Redis call, connecting included |
//! | `INTENT_EDGE_STORE_POOL` | `8` | idle Redis connections an instance keeps open |
//! | `INTENT_EDGE_STORE_RETRY_MS` | `1000` | after three Redis faults in a row, how long an instance stops asking Redis before trying again |
//! | `INTENT_EDGE_STORE_ON_ERROR` | `local` | limiter decisions Redis cannot make: `local` (the instance's own limiter), `open` (allow), `closed` (503) |
//! | `INTENT_EDGE_STORE_LOCAL_TTL_MS` | `1000` | longest an instance serves its own copy of a shared response before looking in Redis again |
//! | `INTENT_EDGE_STORE_POLL_MS` | `5` | how often a request waiting for another instance's origin call looks for its answer |

use super::problem::Problem;
use crate::cache::CacheConfig;
use crate::coalesce::CoalescerConfig;
use crate::gateway::http_cache::CachePolicy;
use crate::gateway::identity::{IdentityConfig, IdentitySource};
use crate::gateway::routes::{RouteDefaults, Routes, Timeouts};
use crate::ratelimit::{LimiterConfig, RateLimiter};
use http::header::HeaderName;
use http::StatusCode;
use std::time::Duration;

/// `INTENT_EDGE_INTENTS` value meaning "the set compiled into this component".
pub const EMBEDDED: &str = "embedded";

#[cfg(feature = "embedded-set")]
const DEFAULT_INTENTS: &str = EMBEDDED;
#[cfg(not(feature = "embedded-set"))]
const DEFAULT_INTENTS: &str = "/config/intents.json";

const DEFAULT_RATE_LIMIT: &str = r#"{"quotas":[{"name":"default","limit":600,"windowMs":60000}]}"#;
const DEFAULT_CACHE: &str = r#"{"maxEntries":1000,"maxBytes":16777216}"#;

/// Requests without a trusted client identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnidentifiedPolicy {
    /// One limiter bucket shared by all of them.
    Shared,
    /// A 403 problem.
    Reject,
}

/// The instance's configuration, validated.
#[derive(Debug)]
pub struct GatewayConfig {
    pub intents_path: String,
    pub max_body_bytes: usize,
    /// Whether runs of `/` in a request path become one.
    pub merge_slashes: bool,
    /// How long a request body may take to arrive once reading it began.
    pub body_timeout: Duration,
    pub max_header_bytes: usize,
    pub max_batch: usize,
    pub www_dir: String,
    /// The proxied routes; `None` when neither an origin nor a routes file is configured (static files instead).
    pub routes: Option<Routes>,
    pub max_response_bytes: usize,
    pub identity: IdentityConfig,
    /// Proxy-written fields the front proxy sets and the origin relies on: passed on (`INTENT_EDGE_FRONT_FIELDS`).
    pub front_fields: Vec<HeaderName>,
    pub unidentified: UnidentifiedPolicy,
    /// The limiter of routes that do not set their own, and of the intent API and static files.
    pub limiter: LimiterConfig,
    pub cache: CacheConfig,
    pub stale_retention: Duration,
    pub coalesce: CoalescerConfig,
    pub purge_token: Option<String>,
    pub metrics_token: Option<String>,
    /// The shared store; `None`: state is per instance.
    pub store: Option<super::store::StoreConfig>,
}

/// Where configuration values come from: Spin variables (with the `spin-variables` feature, names lower-cased:
/// `intent_edge_origin`) first, then environment variables. The default build reads only the environment, so it
/// imports no Spin-only interface and runs unchanged under `wasmtime serve`.
struct Source;

impl Source {
    async fn get(&self, name: &str) -> Result<Option<String>, Problem> {
        #[cfg(feature = "spin-variables")]
        {
            use spin_sdk::variables::Error;
            match spin_sdk::variables::get(&name.to_ascii_lowercase()).await {
                Ok(value) if !value.trim().is_empty() => return Ok(Some(value)),
                Ok(_) | Err(Error::Undefined(_)) => {}
                Err(e) => {
                    return Err(misconfigured(format!(
                        "Spin variable {}: {e}",
                        name.to_ascii_lowercase()
                    )))
                }
            }
        }
        Ok(std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    async fn text(&self, name: &str, default: &str) -> Result<String, Problem> {
        Ok(self.get(name).await?.unwrap_or_else(|| default.to_owned()))
    }

    async fn number(&self, name: &str, default: u64) -> Result<u64, Problem> {
        match self.get(name).await? {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| misconfigured(format!("{name}={v:?} is not a whole number"))),
        }
    }

    async fn flag(&self, name: &str, default: bool) -> Result<bool, Problem> {
        match self.get(name).await? {
            None => Ok(default),
            Some(v) => match v.trim() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" => Ok(false),
                _ => Err(misconfigured(format!("{name}={v:?} is not true or false"))),
            },
        }
    }

    async fn size(&self, name: &str, default: usize) -> Result<usize, Problem> {
        Ok(usize::try_from(self.number(name, default as u64).await?).unwrap_or(usize::MAX))
    }

    async fn millis(&self, name: &str, default_ms: u64) -> Result<Duration, Problem> {
        match self.number(name, default_ms).await? {
            0 => Err(misconfigured(format!("{name} must be at least 1 ms"))),
            ms => Ok(Duration::from_millis(ms)),
        }
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        default: &str,
    ) -> Result<T, Problem> {
        let text = self.text(name, default).await?;
        crate::json::from_str(&text)
            .map_err(|e| misconfigured(format!("{name} is invalid at {:?}: {e}", e.pointer)))
    }
}

/// The 500 problem for a configuration value that cannot be used.
pub fn misconfigured(detail: String) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "bad-gateway-config",
        "Gateway misconfigured",
        detail,
    )
}

/// `INTENT_EDGE_METRICS_TOKEN` alone: what `/metrics` asks for when the rest of the configuration cannot be read.
pub async fn metrics_token() -> Result<Option<String>, Problem> {
    Source.get("INTENT_EDGE_METRICS_TOKEN").await
}

impl GatewayConfig {
    /// Reads and validates every variable.
    pub async fn read() -> Result<Self, Problem> {
        let source = Source;
        let client_header = source
            .text("INTENT_EDGE_CLIENT_HEADER", "x-forwarded-for")
            .await?;
        let client_header = HeaderName::from_bytes(
            client_header.trim().to_ascii_lowercase().as_bytes(),
        )
        .map_err(|_| {
            misconfigured(format!(
                "INTENT_EDGE_CLIENT_HEADER={client_header:?} is not a header name"
            ))
        })?;
        let trusted_hops = source.size("INTENT_EDGE_TRUSTED_HOPS", 1).await?;
        let front_fields = source
            .text("INTENT_EDGE_FRONT_FIELDS", "")
            .await?
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes()).map_err(|_| {
                    misconfigured(format!(
                        "INTENT_EDGE_FRONT_FIELDS: {name:?} is not a header name"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ipv6_prefix = source.number("INTENT_EDGE_IPV6_PREFIX", 64).await?;
        if !(1..=128).contains(&ipv6_prefix) {
            return Err(misconfigured(format!(
                "INTENT_EDGE_IPV6_PREFIX={ipv6_prefix} is not a prefix length (1-128)"
            )));
        }
        let unidentified = match source
            .text("INTENT_EDGE_UNIDENTIFIED", "shared")
            .await?
            .trim()
        {
            "shared" => UnidentifiedPolicy::Shared,
            "reject" => UnidentifiedPolicy::Reject,
            other => {
                return Err(misconfigured(format!(
                    "INTENT_EDGE_UNIDENTIFIED={other:?}: use \"shared\" or \"reject\""
                )))
            }
        };
        let limiter: LimiterConfig = source
            .json("INTENT_EDGE_RATE_LIMIT", DEFAULT_RATE_LIMIT)
            .await?;
        RateLimiter::new(limiter.clone())
            .map_err(|e| misconfigured(format!("INTENT_EDGE_RATE_LIMIT: {e}")))?;
        let cache: CacheConfig = source.json("INTENT_EDGE_CACHE", DEFAULT_CACHE).await?;
        crate::cache::ResponseCache::<()>::new(cache.clone())
            .map_err(|e| misconfigured(format!("INTENT_EDGE_CACHE: {e}")))?;
        let mut coalesce: CoalescerConfig = source.json("INTENT_EDGE_COALESCE", "{}").await?;
        coalesce.window_ms = 0;
        let timeouts = Timeouts {
            connect: source
                .millis("INTENT_EDGE_CONNECT_TIMEOUT_MS", 5_000)
                .await?,
            first_byte: source
                .millis("INTENT_EDGE_FIRST_BYTE_TIMEOUT_MS", 15_000)
                .await?,
            total: source
                .millis("INTENT_EDGE_TOTAL_TIMEOUT_MS", 30_000)
                .await?,
        };
        let origin = source.get("INTENT_EDGE_ORIGIN").await?;
        let defaults = RouteDefaults {
            origin: origin.clone(),
            limiter: limiter.clone(),
            cache: CachePolicy::default(),
            timeouts,
        };
        let routes = match source.get("INTENT_EDGE_ROUTES").await? {
            Some(spec) => Some(read_routes(&spec, &defaults)?),
            None if origin.is_some() => Some(
                Routes::single(&defaults)
                    .map_err(|e| misconfigured(format!("INTENT_EDGE_ORIGIN: {}", e.message)))?,
            ),
            None => None,
        };
        Ok(GatewayConfig {
            intents_path: source.text("INTENT_EDGE_INTENTS", DEFAULT_INTENTS).await?,
            max_body_bytes: source.size("INTENT_EDGE_MAX_BODY_BYTES", 64 * 1024).await?,
            body_timeout: source.millis("INTENT_EDGE_BODY_TIMEOUT_MS", 10_000).await?,
            merge_slashes: source.flag("INTENT_EDGE_MERGE_SLASHES", true).await?,
            max_header_bytes: source
                .size("INTENT_EDGE_MAX_HEADER_BYTES", 32 * 1024)
                .await?,
            max_batch: source.size("INTENT_EDGE_MAX_BATCH", 1000).await?,
            www_dir: source.text("INTENT_EDGE_WWW", "/www").await?,
            routes,
            max_response_bytes: source
                .size("INTENT_EDGE_MAX_RESPONSE_BYTES", 4 * 1024 * 1024)
                .await?,
            identity: IdentityConfig {
                source: IdentitySource::for_header(client_header, trusted_hops),
                ipv6_prefix: ipv6_prefix as u8,
            },
            front_fields,
            unidentified,
            limiter,
            cache,
            stale_retention: Duration::from_secs(
                source
                    .number("INTENT_EDGE_STALE_RETENTION_SECONDS", 3600)
                    .await?,
            ),
            coalesce,
            purge_token: source.get("INTENT_EDGE_PURGE_TOKEN").await?,
            metrics_token: source.get("INTENT_EDGE_METRICS_TOKEN").await?,
            store: read_store(&source).await?,
        })
    }
}

/// `INTENT_EDGE_STORE` and its companions.
async fn read_store(source: &Source) -> Result<Option<super::store::StoreConfig>, Problem> {
    let Some(store) = source.get("INTENT_EDGE_STORE").await? else {
        return Ok(None);
    };
    let mut values = std::collections::HashMap::new();
    for name in [
        "INTENT_EDGE_STORE_PREFIX",
        "INTENT_EDGE_STORE_TIMEOUT_MS",
        "INTENT_EDGE_STORE_POOL",
        "INTENT_EDGE_STORE_RETRY_MS",
        "INTENT_EDGE_STORE_ON_ERROR",
        "INTENT_EDGE_STORE_LOCAL_TTL_MS",
        "INTENT_EDGE_STORE_POLL_MS",
    ] {
        if let Some(value) = source.get(name).await? {
            values.insert(name, value);
        }
    }
    super::store::StoreConfig::from_values(Some(&store), |name| values.get(name).cloned())
}

/// `INTENT_EDGE_ROUTES`: inline JSON (starts with `{`) or the path of a mounted file.
fn read_routes(spec: &str, defaults: &RouteDefaults) -> Result<Routes, Problem> {
    let (json, name) = if spec.trim_start().starts_with('{') {
        (spec.to_owned(), "INTENT_EDGE_ROUTES".to_owned())
    } else {
        let path = spec.trim();
        let json = std::fs::read_to_string(path)
            .map_err(|e| misconfigured(format!("INTENT_EDGE_ROUTES: cannot read {path}: {e}")))?;
        (json, format!("the routes file {path}"))
    };
    Routes::parse(&json, defaults).map_err(|e| misconfigured(format!("{name} is invalid {e}")))
}
