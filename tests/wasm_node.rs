//! The wasm suite under Node: `wasm-pack test --node`.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

#[path = "wasm/suite.rs"]
mod suite;
