//! The origin call: the request rewritten for the origin (hop-by-hop fields removed, forwarding fields from trusted
//! parts only, the matched intent as headers), sent with connect and first-byte timeouts and a deadline for the
//! whole exchange; the response's hop-by-hop fields removed, and its body handed on as a stream that is cut when it
//! passes `INTENT_EDGE_MAX_RESPONSE_BYTES` or the deadline. Nothing is buffered here: the stage that needs the
//! bytes (the cache, a shared flight) reads them into one buffer ([`OriginBody::read_all`]).
//!
//! Failures are 502 (`origin-unavailable`) or 504 (`origin-timeout`) problems that name no internal address; the
//! details go to the component's stderr for the operator.

use super::{Exchange, OriginTiming, Reply, ReplyBody};
use crate::edge::clock;
use crate::edge::config::GatewayConfig;
use crate::edge::metrics::{self, Counter};
use crate::edge::problem::Problem;
use crate::gateway::proxy_headers::{self, ForwardContext, OWN_PREFIX};
use crate::gateway::routes::Route;
use bytes::{Bytes, BytesMut};
use futures::future::{select, Either};
use http::{HeaderName, HeaderValue, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use spin_sdk::wasip3::http::types::{ErrorCode, RequestOptions};
use spin_sdk::wasip3::http_compat::{IncomingResponseBody, RequestOptionsExtension};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Why an origin exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginFailure {
    Unreachable,
    Timeout,
    TooLarge,
    Invalid,
}

impl OriginFailure {
    fn kind(self) -> &'static str {
        match self {
            OriginFailure::Unreachable => "unreachable",
            OriginFailure::Timeout => "timeout",
            OriginFailure::TooLarge => "too-large",
            OriginFailure::Invalid => "invalid",
        }
    }

    /// Counts the failure for `/metrics`.
    fn count(self) {
        metrics::count(Counter::OriginErrors, &[self.kind()]);
    }

    /// The problem the client gets.
    pub fn problem(self, path: &str, detail: String) -> Problem {
        let (status, kind, title) = match self {
            OriginFailure::Timeout => (
                StatusCode::GATEWAY_TIMEOUT,
                "origin-timeout",
                "Origin timed out",
            ),
            _ => (
                StatusCode::BAD_GATEWAY,
                "origin-unavailable",
                "Origin unavailable",
            ),
        };
        Problem::new(status, kind, title, detail).for_path(path)
    }
}

/// A deadline as a future: the monotonic clock's `wait-for` from now.
fn sleep(duration: Duration) -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(spin_sdk::time::sleep(duration))
}

/// An origin response body: streamed, bounded in bytes and by the exchange's deadline.
pub struct OriginBody {
    inner: IncomingResponseBody,
    limit: usize,
    read: usize,
    deadline: Pin<Box<dyn Future<Output = ()>>>,
    path: String,
}

/// A body that ended early: too large, too slow, or broken.
#[derive(Debug)]
pub struct BodyCut {
    pub failure: OriginFailure,
    pub detail: String,
}

impl BodyCut {
    fn new(failure: OriginFailure, detail: String) -> Self {
        failure.count();
        BodyCut { failure, detail }
    }
}

impl std::fmt::Display for BodyCut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for BodyCut {}

impl Body for OriginBody {
    type Data = Bytes;
    type Error = BodyCut;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyCut>>> {
        let this = &mut *self;
        if this.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(BodyCut::new(
                OriginFailure::Timeout,
                format!(
                    "the origin's response body for {} did not finish in time",
                    this.path
                ),
            ))));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.read += data.len();
                    if this.read > this.limit {
                        return Poll::Ready(Some(Err(BodyCut::new(
                            OriginFailure::TooLarge,
                            format!(
                                "the origin's response exceeds INTENT_EDGE_MAX_RESPONSE_BYTES ({} bytes)",
                                this.limit
                            ),
                        ))));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(BodyCut::new(
                OriginFailure::Invalid,
                format!("reading the origin's response failed: {e}"),
            )))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl OriginBody {
    /// The whole body in one buffer (sized from `Content-Length` when the origin sent one), at most `limit` bytes.
    pub async fn read_all(mut self, limit: usize) -> Result<Bytes, Problem> {
        self.limit = self.limit.min(limit);
        let capacity = self
            .inner
            .size_hint()
            .exact()
            .map_or(0, |n| n as usize)
            .min(self.limit);
        let mut buffer = BytesMut::with_capacity(capacity);
        let path = self.path.clone();
        loop {
            let frame = std::future::poll_fn(|cx| Pin::new(&mut self).poll_frame(cx)).await;
            match frame {
                None => return Ok(buffer.freeze()),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        buffer.extend_from_slice(&data);
                    }
                }
                Some(Err(cut)) => return Err(cut.failure.problem(&path, cut.detail)),
            }
        }
    }
}

/// Maps a `wasi:http` error to what went wrong.
fn failure_of(error: &ErrorCode) -> OriginFailure {
    match error {
        ErrorCode::ConnectionTimeout
        | ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout
        | ErrorCode::HttpResponseTimeout => OriginFailure::Timeout,
        ErrorCode::HttpResponseHeaderSectionSize(_)
        | ErrorCode::HttpResponseHeaderSize(_)
        | ErrorCode::HttpResponseBodySize(_) => OriginFailure::TooLarge,
        ErrorCode::HttpProtocolError
        | ErrorCode::HttpResponseIncomplete
        | ErrorCode::HttpResponseContentCoding(_)
        | ErrorCode::HttpResponseTransferCoding(_) => OriginFailure::Invalid,
        _ => OriginFailure::Unreachable,
    }
}

fn request_options(route: &Route) -> Option<RequestOptions> {
    let options = RequestOptions::new();
    let nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    // A host that does not support a timeout refuses it; the deadline below still holds.
    let _ = options.set_connect_timeout(Some(nanos(route.timeouts.connect)));
    let _ = options.set_first_byte_timeout(Some(nanos(route.timeouts.first_byte)));
    Some(options)
}

/// Sends `exchange` to `route`'s origin.
pub async fn forward(
    config: &GatewayConfig,
    route: &'static Route,
    exchange: &mut Exchange,
) -> Reply {
    let path = exchange.path.clone();
    let body = match exchange.body().await {
        Ok(body) => body,
        Err(problem) => return problem.into_reply(),
    };
    let mut headers = proxy_headers::to_origin(
        &exchange.headers,
        &ForwardContext {
            identity: &config.identity,
            proto: "http",
            host: exchange.host.as_deref(),
            front_fields: &config.front_fields,
        },
    );
    if let (Some(intent), true) = (
        &exchange.intent,
        route.intent.as_ref().is_some_and(|i| i.forward_headers),
    ) {
        add_intent_headers(&mut headers, intent);
    }
    // The body is read whole, so its length is known: say it. Without a length the runtime's client frames a body
    // as chunked, and for a `GET` or `HEAD` (which it will not chunk) it drops the body without a word.
    if !body.is_empty() || exchange.headers.contains_key(http::header::CONTENT_LENGTH) {
        headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from(body.len()),
        );
    }
    let url = route.origin.url(&exchange.target_uri);
    let mut builder = http::Request::builder()
        .method(exchange.method.clone())
        .uri(&url);
    if let Some(h) = builder.headers_mut() {
        *h = headers;
    }
    if let Some(options) = request_options(route) {
        builder = builder.extension(RequestOptionsExtension(options));
    }
    let request = match builder.body(Full::new(body)) {
        Ok(request) => request,
        Err(e) => {
            eprintln!("intent-edge: cannot build the origin request for {url}: {e}");
            OriginFailure::Invalid.count();
            return OriginFailure::Invalid
                .problem(
                    &path,
                    "the request could not be passed on to the origin".into(),
                )
                .into_reply();
        }
    };
    let started = Instant::now();
    let request_time = exchange.now;
    let total = route.timeouts.total;
    let deadline_for_head = sleep(total);
    let sent = Box::pin(spin_sdk::http::send(request));
    let response = match select(sent, deadline_for_head).await {
        Either::Left((Ok(response), _)) => response,
        Either::Left((Err(e), _)) => {
            let failure = failure_of(&e);
            failure.count();
            eprintln!(
                "intent-edge: origin request {} {url} failed: {e:?}",
                exchange.method
            );
            let detail = match failure {
                OriginFailure::Timeout => format!(
                    "the origin did not answer in time (connect {} ms, first byte {} ms)",
                    route.timeouts.connect.as_millis(),
                    route.timeouts.first_byte.as_millis()
                ),
                OriginFailure::TooLarge => "the origin's response head is too large".into(),
                OriginFailure::Invalid => "the origin's response is not valid HTTP".into(),
                OriginFailure::Unreachable => {
                    format!("the origin of route {:?} cannot be reached", route.name)
                }
            };
            return gateway_error(failure.problem(&path, detail));
        }
        Either::Right(((), _)) => {
            eprintln!(
                "intent-edge: origin request {} {url} timed out after {} ms",
                exchange.method,
                total.as_millis()
            );
            OriginFailure::Timeout.count();
            return gateway_error(OriginFailure::Timeout.problem(
                &path,
                format!("the origin did not answer within {} ms", total.as_millis()),
            ));
        }
    };
    let (parts, body) = response.into_parts();
    let declared: Option<usize> = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.trim().parse().ok());
    if declared.is_some_and(|n| n > config.max_response_bytes) {
        OriginFailure::TooLarge.count();
        return gateway_error(OriginFailure::TooLarge.problem(
            &path,
            format!(
                "the origin's response exceeds INTENT_EDGE_MAX_RESPONSE_BYTES ({} bytes)",
                config.max_response_bytes
            ),
        ));
    }
    let mut headers = parts.headers;
    proxy_headers::strip_hop_by_hop(&mut headers);
    let remaining = total.saturating_sub(started.elapsed());
    let body = OriginBody {
        inner: body,
        limit: config.max_response_bytes,
        read: 0,
        deadline: sleep(remaining),
        path: path.clone(),
    };
    Reply {
        status: parts.status,
        headers,
        base_headers: None,
        body: ReplyBody::Stream(body),
        origin: Some(OriginTiming {
            request_time,
            response_time: clock::now(),
        }),
        gateway_error: false,
        cache: None,
        ttl: None,
        collapsed: false,
        storable: None,
        from_shared_store: false,
    }
}

fn gateway_error(problem: Problem) -> Reply {
    let mut reply = problem.into_reply();
    reply.gateway_error = true;
    reply
}

/// `x-intent-edge-intent: <id>` and `x-intent-edge-slots: name=value&…` (form-encoded, so any text fits).
fn add_intent_headers(headers: &mut http::HeaderMap, intent: &super::MatchedIntent) {
    let name = |suffix: &str| {
        HeaderName::from_bytes(format!("{OWN_PREFIX}{suffix}").as_bytes()).expect("valid")
    };
    let value = intent
        .id
        .as_deref()
        .map_or_else(|| "".to_owned(), form_encode);
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(name("intent"), v);
    }
    let slots: Vec<String> = intent
        .slots
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&slots.join("&")) {
        headers.insert(name("slots"), v);
    }
}

/// `application/x-www-form-urlencoded` encoding of one name or value.
pub fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
