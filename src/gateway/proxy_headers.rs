//! Which header fields cross the gateway, in each direction (RFC 9110 §7.6).
//!
//! - Hop-by-hop fields describe one connection and are removed both ways: the fixed list, every field the
//!   request's or response's `Connection` names, and every field the `wasi:http` runtime refuses to send
//!   (`http2-settings`, …), so a client cannot turn a request into a runtime error.
//! - Toward the origin: the client's `Host` becomes `X-Forwarded-Host` (the runtime sets the origin's authority),
//!   the forwarding list keeps only what trusted proxies wrote (see [`super::identity::trusted_chain`]) plus the
//!   address the gateway itself learned, `Via` gains this hop, and fields in the gateway's own namespace
//!   (`x-intent-edge-*`, which it uses to tell the origin the matched intent) are removed so a client cannot forge
//!   them. So are the fields only a proxy may write and many origins believe (`X-Forwarded-Host`, `-Proto`, `-Port`,
//!   `X-Original-URL`, …): sent by a client they are unkeyed inputs an origin may reflect into a cached page.
//! - Toward the client: `Via` gains this hop, and the origin's cache tags (`Cache-Tag`, `Surrogate-Key`: an
//!   instruction to this cache) are removed after the cache has read them.

use super::identity::{trusted_chain, IdentityConfig, IdentitySource};
use http::header::{self, HeaderName};
use http::{HeaderMap, HeaderValue};

/// This hop in `Via`.
pub const VIA: &str = "1.1 intent-edge";

/// The prefix of header fields the gateway writes for the origin.
pub const OWN_PREFIX: &str = "x-intent-edge-";

/// Connection-specific fields (RFC 9110 §7.6.1, RFC 9112) and the ones `wasi:http` hosts refuse
/// (`DEFAULT_FORBIDDEN_HEADERS` of wasmtime-wasi-http).
const HOP_BY_HOP: [HeaderName; 10] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    HeaderName::from_static("http2-settings"),
];

/// Fields a proxy writes about the client's request, which a client must not be able to set: origins and their
/// frameworks build URLs, schemes, routing, client addresses and even the signed-in user from them (Rails and Rack read
/// `X-Forwarded-Ssl` and `Front-End-Https`, Tornado `X-Scheme`, IIS `X-Original-URL`, auth proxies' apps
/// `X-Forwarded-User`, many logs and limiters `X-Real-IP`), and they are not part of the cache key. X-Forwarded-For
/// and Forwarded are rebuilt from their trusted part instead, and the fields the deployment's front proxy sets
/// (`INTENT_EDGE_CLIENT_HEADER` when it names one, `INTENT_EDGE_FRONT_FIELDS`) are kept. Whole families go by prefix
/// ([`PROXY_WRITTEN_PREFIXES`]).
const PROXY_WRITTEN: [&str; 29] = [
    // Scheme, host and path as the client asked for them.
    "front-end-https",
    "x-url-scheme",
    "x-scheme",
    "x-https",
    "x-host",
    "x-http-host-override",
    "x-rewrite-url",
    // The client's address, as other proxies and CDNs write it.
    "x-real-ip",
    "true-client-ip",
    "x-client-ip",
    "client-ip",
    "cf-connecting-ip",
    "fastly-client-ip",
    "fly-client-ip",
    "x-cluster-client-ip",
    "x-originating-ip",
    "x-remote-ip",
    "x-remote-addr",
    "x-proxyuser-ip",
    "x-azure-clientip",
    "x-azure-socketip",
    "forwarded-for",
    // The client's certificate and the signed-in user, as TLS terminators and auth proxies write them.
    "x-client-cert",
    "x-client-verify",
    "ssl-client-cert",
    "remote-user",
    "x-remote-user",
    "x-user",
    "x-email",
];

/// Families of proxy-written fields ([`PROXY_WRITTEN`]), by prefix: `X-Forwarded-*` (host, proto, port, ssl, prefix,
/// path, uri, server, user, email, client cert, …; the gateway writes its own `-For`, `-Host` and `-Proto`),
/// `X-Original-*` (URL, URI, host, forwarded-for), and the ones of Envoy, CloudFront, IIS ARR, App Engine, TLS
/// terminators (`X-SSL-*`) and auth proxies (`X-Auth-Request-*`).
const PROXY_WRITTEN_PREFIXES: [&str; 8] = [
    "x-forwarded",
    "x-original-",
    "x-envoy-",
    "cloudfront-",
    "x-arr-",
    "x-appengine-",
    "x-ssl-",
    "x-auth-request-",
];

/// A field's name as the origin's framework may read it: CGI, WSGI, Rack and PHP turn `-` and `_` into the same
/// character, so `X_Forwarded_Ssl` is `X-Forwarded-Ssl` to them.
fn as_the_origin_reads(name: &HeaderName) -> std::borrow::Cow<'_, str> {
    let name = name.as_str();
    if name.contains('_') {
        std::borrow::Cow::Owned(name.replace('_', "-"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// Whether a client-sent field (its name as the origin reads it) is one only the gateway or a proxy may write.
fn only_a_proxy_writes(read_as: &str) -> bool {
    read_as.starts_with(OWN_PREFIX)
        || PROXY_WRITTEN.contains(&read_as)
        || PROXY_WRITTEN_PREFIXES
            .iter()
            .any(|prefix| read_as.starts_with(prefix))
        || read_as == "forwarded"
        || HOP_BY_HOP.iter().any(|hop| hop.as_str() == read_as)
}

/// Fields that only this cache reads (tags for purging).
pub const CACHE_TAG_HEADERS: [HeaderName; 2] = [
    HeaderName::from_static("cache-tag"),
    HeaderName::from_static("surrogate-key"),
];

/// Removes hop-by-hop fields, including every field named in `Connection`.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named.iter().chain(HOP_BY_HOP.iter()) {
        headers.remove(name);
    }
}

/// Adds this hop to `Via`.
pub fn append_via(headers: &mut HeaderMap) {
    headers.append(header::VIA, HeaderValue::from_static(VIA));
}

/// What the gateway knows about the client-side connection.
pub struct ForwardContext<'a> {
    pub identity: &'a IdentityConfig,
    /// `http` or `https`, as the client reached the gateway.
    pub proto: &'a str,
    /// The authority the client asked for (`Host`, or the request URI's authority where the runtime carries it
    /// there instead of in a field).
    pub host: Option<&'a str>,
    /// Proxy-written fields the deployment's front proxy sets, overwriting the client's, and the origin relies on
    /// (`INTENT_EDGE_FRONT_FIELDS`): passed on, where the list of proxy-written fields would drop them.
    pub front_fields: &'a [HeaderName],
}

/// The origin request's fields made from the client's.
pub fn to_origin(client: &HeaderMap, context: &ForwardContext<'_>) -> HeaderMap {
    let mut headers = client.clone();
    strip_hop_by_hop(&mut headers);
    // Fields only the gateway or a proxy may write, under any spelling the origin reads as theirs (`_` for `-`), go;
    // those the platform or the front proxy set, in their exact spelling, stay.
    let set_by_the_platform = match &context.identity.source {
        IdentitySource::Header(name) => Some(name),
        _ => None,
    };
    let forged: Vec<HeaderName> = headers
        .keys()
        .filter(|name| {
            let kept = Some(*name) == set_by_the_platform || context.front_fields.contains(name);
            !kept && only_a_proxy_writes(&as_the_origin_reads(name))
        })
        .cloned()
        .collect();
    for name in forged {
        headers.remove(name);
    }
    // The runtime frames the body and sets the authority itself.
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::HOST);
    if let Some(host) = context.host.and_then(|h| HeaderValue::from_str(h).ok()) {
        headers.insert(HeaderName::from_static("x-forwarded-host"), host);
    }
    if let Ok(proto) = HeaderValue::from_str(context.proto) {
        headers.insert(HeaderName::from_static("x-forwarded-proto"), proto);
    }
    rewrite_forwarding(client, &mut headers, context.identity);
    append_via(&mut headers);
    headers
}

/// Keeps only the trusted part of the forwarding list, and adds the address a set header gave.
fn rewrite_forwarding(client: &HeaderMap, headers: &mut HeaderMap, identity: &IdentityConfig) {
    let xff = HeaderName::from_static("x-forwarded-for");
    headers.remove(&xff);
    headers.remove(header::FORWARDED);
    match &identity.source {
        IdentitySource::ForwardedFor { .. } => {
            let chain = trusted_chain(client, identity);
            if let Ok(value) = HeaderValue::from_str(&chain.join(", ")) {
                if !chain.is_empty() {
                    headers.insert(xff, value);
                }
            }
        }
        IdentitySource::Forwarded { .. } => {
            let chain = trusted_chain(client, identity);
            if let Ok(value) = HeaderValue::from_str(&chain.join(", ")) {
                if !chain.is_empty() {
                    headers.insert(header::FORWARDED, value);
                }
            }
        }
        IdentitySource::Header(name) => {
            // The platform set the peer address: pass it on as the start of a fresh forwarding list.
            if let Some(peer) = client
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(super::identity::parse_address)
            {
                if let Ok(value) = HeaderValue::from_str(&peer.to_string()) {
                    headers.insert(xff, value);
                }
            }
        }
    }
}

/// Removes the cache's tag fields (after the cache has read them).
pub fn strip_cache_tags(headers: &mut HeaderMap) {
    for name in &CACHE_TAG_HEADERS {
        headers.remove(name);
    }
}

/// The client response's fields made from the origin's (after the cache has read the tags).
pub fn to_client(origin: &mut HeaderMap) {
    strip_hop_by_hop(origin);
    strip_cache_tags(origin);
    append_via(origin);
}

/// The cache tags of a response: `Cache-Tag` (comma-separated) and `Surrogate-Key` (space-separated), each at
/// most `max_tags` tags of at most `max_tag_bytes` bytes (longer ones are dropped, never truncated into another tag).
pub fn cache_tags(headers: &HeaderMap, max_tags: usize, max_tag_bytes: usize) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (name, separator) in [("cache-tag", ','), ("surrogate-key", ' ')] {
        for line in headers.get_all(name).iter().filter_map(|v| v.to_str().ok()) {
            for tag in line
                .split(separator)
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                if tag.len() <= max_tag_bytes
                    && !tags.iter().any(|t| t == tag)
                    && tags.len() < max_tags
                {
                    tags.push(tag.to_owned());
                }
            }
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(source: IdentitySource) -> IdentityConfig {
        IdentityConfig {
            source,
            ipv6_prefix: 64,
        }
    }

    #[test]
    fn hop_by_hop_and_connection_named_fields_are_removed() {
        let mut h = HeaderMap::new();
        h.insert(
            "connection",
            HeaderValue::from_static("close, X-Secret-Hop"),
        );
        h.insert("x-secret-hop", HeaderValue::from_static("1"));
        h.insert(
            "http2-settings",
            HeaderValue::from_static("AAMAAABkAAQCAAAAAAIAAAAA"),
        );
        h.insert("te", HeaderValue::from_static("trailers"));
        h.insert("upgrade", HeaderValue::from_static("h2c"));
        h.insert("accept", HeaderValue::from_static("*/*"));
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key("accept"));
    }

    #[test]
    fn scheme_path_and_address_fields_a_client_writes_never_reach_the_origin() {
        // Every listed name, a member of every family, and the spellings a CGI-style origin reads as the same.
        let mut names: Vec<String> = PROXY_WRITTEN.iter().map(|n| n.to_string()).collect();
        names.extend(
            PROXY_WRITTEN_PREFIXES
                .iter()
                .map(|p| format!("{p}-anything")),
        );
        names.extend(
            [
                "x_forwarded_ssl",
                "x-forwarded_proto",
                "x_intent_edge_intent",
                "x_forwarded_for",
                "transfer_encoding",
            ]
            .map(String::from),
        );
        let mut client = HeaderMap::new();
        for name in &names {
            client.insert(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_static("on"),
            );
        }
        client.insert("accept", HeaderValue::from_static("*/*"));
        client.insert("x_custom_field", HeaderValue::from_static("kept"));
        let xff = identity(IdentitySource::ForwardedFor { trusted_hops: 1 });
        let context = ForwardContext {
            identity: &xff,
            proto: "http",
            host: None,
            front_fields: &[],
        };
        let out = to_origin(&client, &context);
        for name in &names {
            let expected = match name.as_str() {
                "x-forwarded-proto" => Some("http"),
                _ => None,
            };
            assert_eq!(
                out.get(name.as_str()).map(|v| v.to_str().unwrap()),
                expected,
                "{name} from the client"
            );
        }
        assert_eq!(out["accept"], "*/*");
        assert_eq!(
            out["x_custom_field"], "kept",
            "an underscore alone is not a reason"
        );
        // A header the deployment names as the client's address was set by the platform: it is kept, in its exact
        // spelling only; so are the front proxy's fields.
        let set = identity(IdentitySource::Header(HeaderName::from_static("x-real-ip")));
        let mut client = HeaderMap::new();
        client.insert("x-real-ip", HeaderValue::from_static("192.0.2.4"));
        client.insert("x_real_ip", HeaderValue::from_static("6.6.6.6"));
        client.insert("true-client-ip", HeaderValue::from_static("6.6.6.6"));
        client.insert("x-forwarded-user", HeaderValue::from_static("alice"));
        client.insert("x_forwarded_user", HeaderValue::from_static("mallory"));
        let front = [HeaderName::from_static("x-forwarded-user")];
        let out = to_origin(
            &client,
            &ForwardContext {
                identity: &set,
                proto: "http",
                host: None,
                front_fields: &front,
            },
        );
        assert_eq!(out["x-real-ip"], "192.0.2.4");
        assert_eq!(out["x-forwarded-user"], "alice");
        for dropped in ["x_real_ip", "true-client-ip", "x_forwarded_user"] {
            assert!(!out.contains_key(dropped), "{dropped}");
        }
        assert_eq!(out["x-forwarded-for"], "192.0.2.4");
    }

    #[test]
    fn origin_gets_only_the_trusted_chain_and_no_forged_gateway_fields() {
        let mut client = HeaderMap::new();
        client.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9"),
        );
        client.insert("forwarded", HeaderValue::from_static("for=6.6.6.6"));
        client.insert("host", HeaderValue::from_static("shop.example"));
        client.insert("content-length", HeaderValue::from_static("3"));
        client.insert("x-intent-edge-intent", HeaderValue::from_static("admin"));
        client.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        client.insert("x-original-url", HeaderValue::from_static("/admin"));
        let config = identity(IdentitySource::ForwardedFor { trusted_hops: 1 });
        let out = to_origin(
            &client,
            &ForwardContext {
                identity: &config,
                proto: "http",
                host: Some("shop.example"),
                front_fields: &[],
            },
        );
        assert_eq!(out["x-forwarded-for"], "203.0.113.9");
        assert!(!out.contains_key("forwarded"));
        assert!(!out.contains_key("x-intent-edge-intent"));
        assert!(!out.contains_key("x-original-url"));
        assert_eq!(
            out["x-forwarded-proto"], "http",
            "the gateway's, not the client's"
        );
        assert!(!out.contains_key("host") && !out.contains_key("content-length"));
        assert_eq!(out["x-forwarded-host"], "shop.example");
        assert_eq!(out["via"], VIA);
        // Untrusted (0 hops): nothing of the list is passed on.
        let none = identity(IdentitySource::ForwardedFor { trusted_hops: 0 });
        assert!(!to_origin(
            &client,
            &ForwardContext {
                identity: &none,
                proto: "http",
                host: None,
                front_fields: &[],
            }
        )
        .contains_key("x-forwarded-for"));
    }

    #[test]
    fn tags_are_bounded_and_removed_for_the_client() {
        let mut h = HeaderMap::new();
        h.insert("cache-tag", HeaderValue::from_static("a, b,a"));
        h.insert("surrogate-key", HeaderValue::from_static("c  d"));
        assert_eq!(cache_tags(&h, 16, 64), ["a", "b", "c", "d"]);
        assert_eq!(cache_tags(&h, 2, 64), ["a", "b"]);
        to_client(&mut h);
        assert!(!h.contains_key("cache-tag") && !h.contains_key("surrogate-key"));
    }
}
