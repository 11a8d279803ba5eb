//! `POST /api/purge`: removes stored responses by key, prefix or tag, behind a bearer token
//! (`INTENT_EDGE_PURGE_TOKEN`; without one, purging is off).
//!
//! Request: `{"keys": ["/products/7"], "prefixes": ["/products/"], "tags": ["catalog"]}` (any of the three).
//! Response: `{"purged": {"keys": 1, "prefixes": 4, "tags": 2}, "shared": null, "scope": "instance"}`. A key is a
//! request target (`/path?query`) as the cache keys it; its variants and key-header forms go with it.
//!
//! Scope: with the memory store the cache is per instance, so a purge reaches the instance that served it; the
//! others keep their copies until they expire or their instance is retired. With the shared store the purge also
//! removes the entries from Redis (`shared` counts them, `scope` is `"shared"`) and bumps the purge epoch, so every
//! instance drops its own copies within 100 ms (`crate::edge::store::PURGE_CHECK`). If Redis does not answer, the answer is a 503 problem (this instance's copies are gone; retry).

use crate::edge::metrics::{self, Counter};
use crate::edge::pipeline::{CacheStage, Exchange, Reply};
use crate::edge::problem::{method_not_allowed, Problem};
use crate::edge::response::json_reply;
use crate::edge::store::Store;
use http::header::{self, HeaderValue};
use http::{HeaderMap, Method, StatusCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const PATH: &str = "/api/purge";
/// Most keys, prefixes and tags in one purge request.
const MAX_ITEMS: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PurgeRequest {
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Purged {
    keys: usize,
    prefixes: usize,
    tags: usize,
}

#[derive(Serialize)]
struct PurgeAnswer {
    /// This instance's copies removed.
    purged: Purged,
    /// Entries removed from the shared store (`None` without one).
    shared: Option<Purged>,
    scope: &'static str,
}

/// Checks that `headers` carry `Authorization: Bearer <token>`, compared in constant time (over digests, so the
/// length of the token leaks nothing either). Returns the refusal: 401 (no or malformed credentials) or 403 (wrong
/// token); `None` when the token matches.
pub fn bearer_refusal(headers: &HeaderMap, token: &str, path: &str) -> Option<Reply> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    let Some(given) = given else {
        let mut reply = Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Credentials required",
            format!("{path} needs Authorization: Bearer <token>"),
        )
        .for_path(path)
        .into_reply();
        reply
            .headers
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Some(reply);
    };
    let expected = Sha256::digest(token.trim().as_bytes());
    let presented = Sha256::digest(given.trim().as_bytes());
    if bool::from(expected.ct_eq(&presented)) {
        None
    } else {
        Some(
            Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Wrong credentials",
                format!("the token does not allow {path}"),
            )
            .for_path(path)
            .into_reply(),
        )
    }
}

/// Answers `POST /api/purge`.
pub async fn handle(exchange: &mut Exchange, token: Option<&str>, cache: &CacheStage) -> Reply {
    if exchange.method != Method::POST {
        return method_not_allowed(PATH, "POST");
    }
    let Some(token) = token else {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "purge-disabled",
            "Purging is off",
            "set INTENT_EDGE_PURGE_TOKEN to enable POST /api/purge",
        )
        .for_path(PATH)
        .into_reply();
    };
    if let Some(refusal) = bearer_refusal(&exchange.headers, token, PATH) {
        return refusal;
    }
    let body = match exchange.body().await {
        Ok(body) => body,
        Err(problem) => return problem.into_reply(),
    };
    let request: PurgeRequest = match crate::json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-json",
                "Invalid purge request",
                e.to_string(),
            )
            .at(e.pointer)
            .for_path(PATH)
            .into_reply()
        }
    };
    let items = request.keys.len() + request.prefixes.len() + request.tags.len();
    if items == 0 || items > MAX_ITEMS {
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-purge",
            "Invalid purge request",
            format!("give 1 to {MAX_ITEMS} keys, prefixes and tags in all (got {items})"),
        )
        .for_path(PATH)
        .into_reply();
    }
    if let Some(i) = request.prefixes.iter().position(|p| p.is_empty()) {
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-purge",
            "Invalid purge request",
            "an empty prefix would purge everything; name one",
        )
        .at(format!("/prefixes/{i}"))
        .for_path(PATH)
        .into_reply();
    }
    let purged = Purged {
        keys: request.keys.iter().map(|k| cache.purge_key(k)).sum(),
        prefixes: request.prefixes.iter().map(|p| cache.purge_prefix(p)).sum(),
        tags: request.tags.iter().map(|t| cache.purge_tag(t)).sum(),
    };
    metrics::add(Counter::CachePurged, &["key"], purged.keys as u64);
    metrics::add(Counter::CachePurged, &["prefix"], purged.prefixes as u64);
    metrics::add(Counter::CachePurged, &["tag"], purged.tags as u64);
    let Some(store) = cache.shared() else {
        return json_reply(
            StatusCode::OK,
            &PurgeAnswer {
                purged,
                shared: None,
                scope: "instance",
            },
        );
    };
    match purge_shared(store, &request).await {
        Ok(shared) => json_reply(
            StatusCode::OK,
            &PurgeAnswer {
                purged,
                shared: Some(shared),
                scope: "shared",
            },
        ),
        Err(e) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            "Purge not shared",
            format!(
                "this instance purged its own copies, but the shared store did not answer ({e}); \
                 other instances keep theirs: retry"
            ),
        )
        .for_path(PATH)
        .into_reply(),
    }
}

/// The same purge in the shared store: every instance's second level, and (through the purge epoch) their first.
async fn purge_shared(
    store: &Store,
    request: &PurgeRequest,
) -> Result<Purged, crate::edge::store::redis::CallError> {
    let mut shared = Purged {
        keys: 0,
        prefixes: 0,
        tags: 0,
    };
    for key in &request.keys {
        shared.keys += store.purge_key(key).await? as usize;
    }
    for prefix in &request.prefixes {
        shared.prefixes += store.purge_prefix(prefix).await? as usize;
    }
    for tag in &request.tags {
        shared.tags += store.purge_tag(tag).await? as usize;
    }
    Ok(shared)
}
