//! A hello-world `wasi:http` component (spin-sdk 7, the same SDK and runtime path as the gateway), the baseline of
//! `bench/gateway.mjs`: what a request costs the runtime when the component does nothing. Bench-only; built by
//! `cargo build --release --target wasm32-wasip2 --example hello_component`.
//!
//! `GET /` answers a bare `hello, world`. `GET /fields` answers the same body with the nine fields a gateway cache
//! hit carries (the origin's four, then `Age`, `Via`, `Cache-Status` and the two RateLimit fields), fixed strings
//! and nothing computed: what sending those fields costs the runtime, apart from any work to decide them.

#[cfg(target_os = "wasi")]
mod component {
    use http_body_util::Full;
    use spin_sdk::http::Request;
    use spin_sdk::http_service;

    const BODY: &str = "hello, world\n";

    #[http_service]
    async fn handle(request: Request) -> http::Response<Full<&'static [u8]>> {
        // What spin-sdk does with a returned `&'static str`.
        let body = || Full::new(BODY.as_bytes());
        if request.uri().path() != "/fields" {
            return http::Response::new(body());
        }
        http::Response::builder()
            .header("content-type", "text/plain; charset=utf-8")
            .header("cache-control", "public, max-age=86400")
            .header("date", "Thu, 03 Dec 2026 11:30:00 GMT")
            .header("content-length", "13")
            .header("age", "12")
            .header("via", "1.1 intent-edge")
            .header("cache-status", "intent-edge; hit; ttl=86388")
            .header("ratelimit-policy", "\"bench\";q=1000000000;w=1")
            .header("ratelimit", "\"bench\";r=999999999;t=1")
            .body(body())
            .unwrap_or_else(|_| http::Response::new(body()))
    }
}
