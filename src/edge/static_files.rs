//! Static files (the demo page and the browser package) from a directory mounted into the component.

use super::problem::{method_not_allowed, not_found};
use super::HttpResponse;
use bytes::Bytes;
use http::{header, HeaderValue, Method, StatusCode};

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
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

/// Serves `path` from `root`; `None` if `root` does not exist (static serving is off).
pub fn serve(method: &Method, path: &str, root: &str) -> Option<HttpResponse> {
    if std::fs::metadata(root).map(|m| !m.is_dir()).unwrap_or(true) {
        return None;
    }
    if method != Method::GET && method != Method::HEAD {
        return Some(method_not_allowed(path, "GET, HEAD"));
    }
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    if relative
        .split('/')
        .any(|seg| seg.is_empty() || seg == ".." || seg == "." || seg.contains('\\'))
    {
        return Some(not_found(path));
    }
    let file = format!("{}/{}", root.trim_end_matches('/'), relative);
    let Ok(contents) = std::fs::read(&file) else {
        return Some(not_found(path));
    };
    let body = if method == Method::HEAD {
        Bytes::new()
    } else {
        Bytes::from(contents)
    };
    let mut response = HttpResponse::new(body.into());
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&relative)),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Some(response)
}
