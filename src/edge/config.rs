//! Gateway configuration, read once per instance from environment variables (`environment` in spin.toml,
//! `--env` under `wasmtime serve`), so nothing is tied to one deployment and no rebuild is needed to change it.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `INTENT_EDGE_INTENTS` | `/config/intents.json` | intent-set file (mounted into the component) |
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

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn number(name: &str, default: usize) -> Result<usize, Problem> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "bad-gateway-config",
                "Gateway misconfigured",
                format!("{name}={v:?} is not a whole number"),
            )
        }),
    }
}

impl GatewayConfig {
    pub fn from_env() -> Result<Self, Problem> {
        Ok(GatewayConfig {
            intents_path: var("INTENT_EDGE_INTENTS")
                .unwrap_or_else(|| "/config/intents.json".into()),
            max_body_bytes: number("INTENT_EDGE_MAX_BODY_BYTES", 64 * 1024)?,
            max_batch: number("INTENT_EDGE_MAX_BATCH", 1000)?,
            www_dir: var("INTENT_EDGE_WWW").unwrap_or_else(|| "/www".into()),
            origin: var("INTENT_EDGE_ORIGIN"),
            max_response_bytes: number("INTENT_EDGE_MAX_RESPONSE_BYTES", 4 * 1024 * 1024)?,
            client_header: var("INTENT_EDGE_CLIENT_HEADER")
                .unwrap_or_else(|| "x-forwarded-for".into())
                .to_ascii_lowercase(),
            rate_limit_json: var("INTENT_EDGE_RATE_LIMIT").unwrap_or_else(|| {
                r#"{"quotas":[{"name":"default","limit":600,"windowMs":60000}]}"#.into()
            }),
            cache_json: var("INTENT_EDGE_CACHE")
                .unwrap_or_else(|| r#"{"maxEntries":1000,"maxBytes":16777216}"#.into()),
            coalesce_json: var("INTENT_EDGE_COALESCE").unwrap_or_else(|| "{}".into()),
        })
    }
}
