//! Static files (the demo page and the browser package) from a directory mounted into the component. Hidden files
//! and directories (a segment starting with `.`: `.env`, `.git/`) are never served, so a directory that is also a
//! checkout leaks nothing, except `/.well-known/` at the root (RFC 8615); every answer says
//! `X-Content-Type-Options: nosniff`.

use crate::edge::pipeline::{Exchange, Reply};
use crate::edge::problem::{method_not_allowed, not_found};
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};

fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves the exchange's path from `root`; 404 when `root` does not exist (no static files) or has no such file.
pub fn serve(exchange: &Exchange, root: &str) -> Reply {
    let path = exchange.path.as_str();
    if std::fs::metadata(root).map(|m| !m.is_dir()).unwrap_or(true) {
        return not_found(path);
    }
    if exchange.method != Method::GET && exchange.method != Method::HEAD {
        return method_not_allowed(path, "GET, HEAD");
    }
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    if relative.split('/').enumerate().any(|(at, seg)| {
        // `/.well-known/` (RFC 8615: ACME challenges, security.txt) is the one hidden directory served.
        let well_known = at == 0 && seg == ".well-known";
        seg.is_empty() || (seg.starts_with('.') && !well_known) || seg.contains('\\')
    }) {
        return not_found(path);
    }
    let file = format!("{}/{}", root.trim_end_matches('/'), relative);
    let Ok(contents) = std::fs::read(&file) else {
        return not_found(path);
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&relative)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Reply::full(StatusCode::OK, headers, Bytes::from(contents))
}
