//! A hello-world `wasi:http` component (spin-sdk 7, the same SDK and runtime path as the gateway), the baseline of
//! `bench/gateway.mjs`: what a request costs the runtime when the component does nothing. Bench-only; built by
//! `cargo build --release --target wasm32-wasip2 --example hello_component`.

#[cfg(target_os = "wasi")]
mod component {
    use spin_sdk::http::Request;
    use spin_sdk::http_service;

    #[http_service]
    async fn handle(_request: Request) -> &'static str {
        "hello, world\n"
    }
}
