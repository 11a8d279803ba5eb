//! What the edge gateway decides, as sans-IO functions: the policy half of the gateway, kept apart from the
//! `wasi:http` adapter (`src/edge/`) so it is tested natively, fuzzed, and read without any I/O in the way.
//!
//! | module | decides |
//! |---|---|
//! | [`cache_control`] | what a request's or response's `Cache-Control` says (RFC 9111 §5.2) |
//! | [`http_cache`] | storability, freshness, age, stale use, revalidation, invalidation, `Cache-Status` (RFC 9111, 5861, 9211) |
//! | [`cache_key`] | which stored responses could answer a request (the primary key) |
//! | [`identity`] | who the client is, from headers something trusted wrote |
//! | [`proxy_headers`] | which header fields cross the gateway, each way |
//! | [`request_path`] | the one normal form of a request path that routes, keys and forwarding all use |
//! | [`routes`] | per-route policy from a routes file |
//! | [`shared`] | state shared across instances in Redis: the commands, scripts and records (no socket) |
//!
//! Times are [`crate::Timestamp`]s from the Unix epoch, passed in by the caller.

pub mod cache_control;
pub mod cache_key;
pub mod http_cache;
pub mod identity;
pub mod proxy_headers;
pub mod request_path;
pub mod routes;
pub mod shared;
