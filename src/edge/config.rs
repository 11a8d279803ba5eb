//! Gateway configuration, read once per instance from environment variables (`environment` in spin.toml,
//! `--env` under `wasmtime serve`) or, built with the `spin-variables` feature, from Spin variables first (same
//! names, lower-cased). Nothing is tied to one deployment and no rebuild is needed to change it.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `INTENT_EDGE_INTENTS` | `embedded` with the `embedded-set` feature, else `/config/intents.json` | the intent set: `embedded` (compiled into the component by `scripts/build.sh`), or a mounted file, JSON (compiled at first use) or precompiled `.iedge` (loaded) |
//! | `INTENT_EDGE_MAX_BODY_BYTES` | `65536` | largest request body read by the API |
//! | `INTENT_EDGE_MAX_BATCH` | `1000` | most texts in one batch request |
//! | `INTENT_EDGE_WWW` | `/www` | directory of static files served at `/` when no origin is set |
//! | `INTENT_EDGE_ORIGIN` | unset | origin URL (`http://127.0.0.1:3001`); when set, every other path is proxied to it |
//! | `INTENT_EDGE_MAX_RESPONSE_BYTES` | `4194304` | largest origin response buffered (larger: 502) |
//! | `INTENT_EDGE_CLIENT_HEADER` | `x-forwarded-for` | header whose first value is the rate-limit key |
//! | `INTENT_EDGE_RATE_LIMIT` | `{"quotas":[{"name":"default","limit":600,"windowMs":60000}]}` | limiter config (JSON, same shape as the JS `LimiterConfig`) |
//! | `INTENT_EDGE_CACHE` | `{"maxEntries":1000,"maxBytes":16777216}` | cache bounds (JSON, the JS `CacheConfig`) |
//! | `INTENT_EDGE_COALESCE` | `{}` | coalescer bounds (JSON, the JS `CoalescerConfig`; `windowMs` is ignored) |

use super::problem::Problem;
use http::StatusCode;
use std::rc::Rc;

/// `INTENT_EDGE_INTENTS` value meaning "the set compiled into this component".
pub const EMBEDDED: &str = "embedded";

#[cfg(feature = "embedded-set")]
const DEFAULT_INTENTS: &str = EMBEDDED;
#[cfg(not(feature = "embedded-set"))]
const DEFAULT_INTENTS: &str = "/config/intents.json";

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    pub intents_path: String,
    pub max_body_bytes: usize,
    pub max_batch: usize,
    pub www_dir: String,
    pub origin: Option<String>,
    pub max_response_bytes: usize,
    pub client_header: String,
    pub rate_limit_json: String,
    pub cache_json: String,
    pub coalesce_json: String,
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

    async fn number(&self, name: &str, default: usize) -> Result<usize, Problem> {
        match self.get(name).await? {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| misconfigured(format!("{name}={v:?} is not a whole number"))),
        }
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

thread_local! {
    static LOADED: std::cell::OnceCell<Rc<GatewayConfig>> = const { std::cell::OnceCell::new() };
}

impl GatewayConfig {
    /// The instance's configuration, read on its first request and kept for the instance's life. A bad value is
    /// a 500 problem naming the variable (and read again on the next request).
    pub async fn load() -> Result<Rc<Self>, Problem> {
        if let Some(config) = LOADED.with(|c| c.get().cloned()) {
            return Ok(config);
        }
        let config = Rc::new(Self::read(&Source).await?);
        // Another request may have finished reading first while this one awaited: keep a single copy.
        Ok(LOADED.with(|c| Rc::clone(c.get_or_init(|| config))))
    }

    async fn read(source: &Source) -> Result<Self, Problem> {
        Ok(GatewayConfig {
            intents_path: source.text("INTENT_EDGE_INTENTS", DEFAULT_INTENTS).await?,
            max_body_bytes: source
                .number("INTENT_EDGE_MAX_BODY_BYTES", 64 * 1024)
                .await?,
            max_batch: source.number("INTENT_EDGE_MAX_BATCH", 1000).await?,
            www_dir: source.text("INTENT_EDGE_WWW", "/www").await?,
            origin: source.get("INTENT_EDGE_ORIGIN").await?,
            max_response_bytes: source
                .number("INTENT_EDGE_MAX_RESPONSE_BYTES", 4 * 1024 * 1024)
                .await?,
            client_header: source
                .text("INTENT_EDGE_CLIENT_HEADER", "x-forwarded-for")
                .await?
                .to_ascii_lowercase(),
            rate_limit_json: source
                .text(
                    "INTENT_EDGE_RATE_LIMIT",
                    r#"{"quotas":[{"name":"default","limit":600,"windowMs":60000}]}"#,
                )
                .await?,
            cache_json: source
                .text(
                    "INTENT_EDGE_CACHE",
                    r#"{"maxEntries":1000,"maxBytes":16777216}"#,
                )
                .await?,
            coalesce_json: source.text("INTENT_EDGE_COALESCE", "{}").await?,
        })
    }
}
