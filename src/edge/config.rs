//! Gateway configuration, read once per instance from environment variables (`environment` in spin.toml,
//! `--env` under `wasmtime serve`), so nothing is tied to one deployment and no rebuild is needed to change it.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `INTENT_EDGE_INTENTS` | `/config/intents.json` | intent-set file (mounted into the component) |
//! | `INTENT_EDGE_MAX_BODY_BYTES` | `65536` | largest request body read by the API |
//! | `INTENT_EDGE_MAX_BATCH` | `1000` | most texts in one batch request |
//! | `INTENT_EDGE_WWW` | `/www` | directory of static files served at `/` (absent directory: not served) |

use super::problem::Problem;
use http::StatusCode;

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    pub intents_path: String,
    pub max_body_bytes: usize,
    pub max_batch: usize,
    pub www_dir: String,
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
            intents_path: var("INTENT_EDGE_INTENTS").unwrap_or_else(|| "/config/intents.json".into()),
            max_body_bytes: number("INTENT_EDGE_MAX_BODY_BYTES", 64 * 1024)?,
            max_batch: number("INTENT_EDGE_MAX_BATCH", 1000)?,
            www_dir: var("INTENT_EDGE_WWW").unwrap_or_else(|| "/www".into()),
        })
    }
}
