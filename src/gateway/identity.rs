//! Who the client is, taken only from what something trusted wrote.
//!
//! A `wasi:http` component sees no peer address, so a client's identity comes from a request header. Which header,
//! and how much of it, is configuration, because only the deployment knows what sits in front of the gateway:
//!
//! - [`IdentitySource::Header`]: a header the platform or the last trusted proxy *sets* (replacing whatever the
//!   client sent), such as Spin's `spin-client-addr`, `cf-connecting-ip` or `x-real-ip`. Its whole value is the
//!   client's address.
//! - [`IdentitySource::ForwardedFor`] / [`IdentitySource::Forwarded`]: `X-Forwarded-For` or `Forwarded` (RFC 7239),
//!   a list every proxy *appends* to. With `trusted_hops = N` proxies in front of the gateway, the N-th entry from
//!   the right is the address the outermost trusted proxy saw: the client. Everything left of it was written by the
//!   client and is never used. With `N = 0` nothing in the list is trusted.
//!
//! Addresses are normalized (ports and brackets dropped, IPv4-mapped IPv6 as IPv4), and IPv6 clients are grouped
//! by prefix (`/64` by default: one subscriber's allocation), so rotating through one's own addresses does not make
//! a new client. Keys are bounded in bytes. A request with no usable identity is [`Unidentified`]; what that means
//! (one shared bucket, or a refusal) is the caller's policy.

use super::cache_control::{split_outside_quotes, unquote};
use super::http_cache::hex16;
use http::header::HeaderName;
use http::HeaderMap;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// Where the client's address comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentitySource {
    /// A header whose whole value a trusted party sets.
    Header(HeaderName),
    /// `X-Forwarded-For`: the `trusted_hops`-th entry from the right.
    ForwardedFor { trusted_hops: usize },
    /// `Forwarded` (RFC 7239): the `for=` of the `trusted_hops`-th element from the right.
    Forwarded { trusted_hops: usize },
}

impl IdentitySource {
    /// The source for a configured header name: `x-forwarded-for` and `forwarded` are lists read with
    /// `trusted_hops`; any other header is taken whole.
    pub fn for_header(name: HeaderName, trusted_hops: usize) -> Self {
        match name.as_str() {
            "x-forwarded-for" => IdentitySource::ForwardedFor { trusted_hops },
            "forwarded" => IdentitySource::Forwarded { trusted_hops },
            _ => IdentitySource::Header(name),
        }
    }

    /// The header this source reads.
    pub fn header(&self) -> HeaderName {
        match self {
            IdentitySource::Header(name) => name.clone(),
            IdentitySource::ForwardedFor { .. } => HeaderName::from_static("x-forwarded-for"),
            IdentitySource::Forwarded { .. } => http::header::FORWARDED,
        }
    }
}

/// How client addresses become keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityConfig {
    pub source: IdentitySource,
    /// IPv6 clients are keyed by this prefix length (1–128; 64 by default).
    pub ipv6_prefix: u8,
}

/// Why a request has no client identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unidentified {
    /// The header is absent (or `trusted_hops` is 0).
    Missing,
    /// The list has fewer entries than trusted proxies: the request did not come through them.
    TooFewHops { found: usize, trusted: usize },
    /// The trusted entry is not an address (or not readable text).
    Malformed,
}

impl Unidentified {
    /// A short token for metrics: `missing`, `too-few-hops` or `malformed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unidentified::Missing => "missing",
            Unidentified::TooFewHops { .. } => "too-few-hops",
            Unidentified::Malformed => "malformed",
        }
    }
}

impl std::fmt::Display for Unidentified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unidentified::Missing => f.write_str("no trusted client address header"),
            Unidentified::TooFewHops { found, trusted } => write!(
                f,
                "the forwarding list has {found} entries but {trusted} trusted proxies are configured"
            ),
            Unidentified::Malformed => f.write_str("the trusted client address is not an IP address"),
        }
    }
}

/// The elements of one `Forwarded` line, split at the commas outside quoted strings, found from the right.
///
/// The trusted elements are the last ones, written by proxies, and well-formed; what is left of them is the
/// client's and may be anything. Read from the left, a quote the client leaves open would swallow the commas after
/// it, and with them the trusted elements (`for=1.2.3.4;x=", for=<peer>` would be one element whose first `for=` is
/// the client's). Read from the right, every element a proxy wrote is found whatever the client wrote before it.
/// For a well-formed line both readings give the same elements. A leftmost element whose quotes do not pair up is
/// given as empty (unusable), so no quote of it can pair with one the client writes in front of it.
fn forwarded_elements(line: &[u8]) -> Vec<&[u8]> {
    let mut elements = Vec::new();
    let mut end = line.len();
    let mut in_quotes = false;
    let mut at = line.len();
    while at > 0 {
        at -= 1;
        match line[at] {
            b'"' => {
                // A quote preceded by an odd number of backslashes is escaped (inside a quoted string).
                let backslashes = line[..at].iter().rev().take_while(|&&b| b == b'\\').count();
                if backslashes % 2 == 0 {
                    in_quotes = !in_quotes;
                }
            }
            b',' if !in_quotes => {
                elements.push(&line[at + 1..end]);
                end = at;
            }
            _ => {}
        }
    }
    // A quote still open at the start of the line: the leftmost element's quotes do not pair up, so it is no
    // element a proxy wrote (empty: no `for=` in it). Only a client's text can be that.
    elements.push(if in_quotes { &[] } else { &line[..end] });
    elements.reverse();
    elements
}

/// The list entries of every line of `name` in order, each `None` where it is not text. Lines are split as bytes, so
/// a byte that is not text in what the client wrote spoils only its own entry, never the ones proxies appended.
fn list_entries(
    headers: &HeaderMap,
    name: &HeaderName,
    forwarded_syntax: bool,
) -> Vec<Option<String>> {
    let mut entries = Vec::new();
    for line in headers.get_all(name) {
        let line = line.as_bytes();
        let pieces: Vec<&[u8]> = if forwarded_syntax {
            forwarded_elements(line)
        } else {
            line.split(|&b| b == b',').collect()
        };
        entries.extend(pieces.into_iter().map(|piece| {
            std::str::from_utf8(piece)
                .ok()
                .map(|text| text.trim().to_owned())
        }));
    }
    entries
}

/// The `trusted_hops`-th entry from the right of a list header (the client as the outermost trusted proxy saw it).
fn trusted_entry(
    headers: &HeaderMap,
    name: &HeaderName,
    trusted_hops: usize,
    forwarded_syntax: bool,
) -> Result<String, Unidentified> {
    if trusted_hops == 0 || !headers.contains_key(name) {
        return Err(Unidentified::Missing);
    }
    let entries = list_entries(headers, name, forwarded_syntax);
    if entries.len() < trusted_hops {
        return Err(Unidentified::TooFewHops {
            found: entries.len(),
            trusted: trusted_hops,
        });
    }
    entries[entries.len() - trusted_hops]
        .clone()
        .ok_or(Unidentified::Malformed)
}

/// The `for=` parameter of one `Forwarded` element; `None` when it has none, or more than one (RFC 7239 §4: a
/// parameter occurs at most once in an element, so two are not something a proxy wrote).
fn forwarded_for(element: &str) -> Option<String> {
    let mut values = split_outside_quotes(element, b';').filter_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| unquote(value.trim()))
    });
    match (values.next(), values.next()) {
        (Some(value), None) => Some(value),
        _ => None,
    }
}

/// An address as written in a forwarding header: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]:80`.
pub fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    text.strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .and_then(|t| t.parse::<Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

/// The limiter key of an address: `ip:1.2.3.4`, or `ip:2001:db8:1:2::/64` for IPv6 grouped by prefix.
pub fn address_key(ip: IpAddr, ipv6_prefix: u8) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let prefix = ipv6_prefix.clamp(1, 128);
                let mask = if prefix == 128 {
                    u128::MAX
                } else {
                    !(u128::MAX >> prefix)
                };
                let network = Ipv6Addr::from(u128::from(v6) & mask);
                if prefix == 128 {
                    format!("ip:{network}")
                } else {
                    format!("ip:{network}/{prefix}")
                }
            }
        },
    }
}

/// The client's key under `config`, or why there is none.
pub fn client_key(headers: &HeaderMap, config: &IdentityConfig) -> Result<String, Unidentified> {
    let text = match &config.source {
        IdentitySource::Header(name) => {
            let mut lines = headers.get_all(name).iter();
            let (Some(value), None) = (lines.next(), lines.next()) else {
                // Absent, or set more than once: a trusted party sets it exactly once.
                return Err(if headers.contains_key(name) {
                    Unidentified::Malformed
                } else {
                    Unidentified::Missing
                });
            };
            value
                .to_str()
                .map_err(|_| Unidentified::Malformed)?
                .to_owned()
        }
        IdentitySource::ForwardedFor { trusted_hops } => {
            trusted_entry(headers, &config.source.header(), *trusted_hops, false)?
        }
        IdentitySource::Forwarded { trusted_hops } => {
            let element = trusted_entry(headers, &config.source.header(), *trusted_hops, true)?;
            forwarded_for(&element).ok_or(Unidentified::Malformed)?
        }
    };
    parse_address(&text)
        .map(|ip| address_key(ip, config.ipv6_prefix))
        .ok_or(Unidentified::Malformed)
}

/// The entries of the configured forwarding list that trusted proxies wrote, oldest first — what the gateway passes
/// on to the origin instead of the whole list (the client-written part is dropped). Empty when the source is not a
/// list, or the list is untrusted or too short.
pub fn trusted_chain(headers: &HeaderMap, config: &IdentityConfig) -> Vec<String> {
    let (name, hops, forwarded_syntax) = match &config.source {
        IdentitySource::Header(_) => return Vec::new(),
        IdentitySource::ForwardedFor { trusted_hops } => {
            (config.source.header(), *trusted_hops, false)
        }
        IdentitySource::Forwarded { trusted_hops } => (config.source.header(), *trusted_hops, true),
    };
    let entries = list_entries(headers, &name, forwarded_syntax);
    if hops == 0 || entries.len() < hops {
        return Vec::new();
    }
    entries[entries.len() - hops..]
        .iter()
        .cloned()
        .collect::<Option<Vec<String>>>()
        .unwrap_or_default()
}

/// The limiter key for an API key value: its digest (`key:` + 32 hex digits), so the table holds no secret and
/// every key has the same size.
pub fn api_key(value: &[u8]) -> String {
    format!("key:{}", hex16(&Sha256::digest(value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with(name: &str, lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for line in lines {
            h.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(line).unwrap(),
            );
        }
        h
    }

    fn xff(hops: usize) -> IdentityConfig {
        IdentityConfig {
            source: IdentitySource::ForwardedFor { trusted_hops: hops },
            ipv6_prefix: 64,
        }
    }

    #[test]
    fn forwarded_for_takes_the_entry_the_trusted_proxy_appended() {
        // The client wrote "6.6.6.6, 7.7.7.7"; the one trusted proxy appended the address it saw.
        let h = with("x-forwarded-for", &["6.6.6.6, 7.7.7.7", "203.0.113.9"]);
        assert_eq!(client_key(&h, &xff(1)).unwrap(), "ip:203.0.113.9");
        assert_eq!(client_key(&h, &xff(2)).unwrap(), "ip:7.7.7.7");
        assert_eq!(
            client_key(&h, &xff(4)),
            Err(Unidentified::TooFewHops {
                found: 3,
                trusted: 4
            })
        );
        assert_eq!(client_key(&h, &xff(0)), Err(Unidentified::Missing));
        assert_eq!(
            client_key(&HeaderMap::new(), &xff(1)),
            Err(Unidentified::Missing)
        );
        assert_eq!(trusted_chain(&h, &xff(2)), vec!["7.7.7.7", "203.0.113.9"]);
    }

    #[test]
    fn rotating_client_prefixes_do_not_change_the_key() {
        let keys: std::collections::BTreeSet<String> = (0..50)
            .map(|i| {
                client_key(
                    &with("x-forwarded-for", &[&format!("10.0.0.{i}, 198.51.100.4")]),
                    &xff(1),
                )
                .unwrap()
            })
            .collect();
        assert_eq!(keys.len(), 1);
    }

    #[test]
    fn garbage_in_the_trusted_position_is_malformed_not_a_key() {
        let h = with("x-forwarded-for", &["1.2.3.4, not-an-ip"]);
        assert_eq!(client_key(&h, &xff(1)), Err(Unidentified::Malformed));
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"1.2.3.4, \xff").unwrap(),
        );
        assert_eq!(client_key(&h, &xff(1)), Err(Unidentified::Malformed));
    }

    #[test]
    fn ports_brackets_and_ipv6_prefixes() {
        let h = with("x-forwarded-for", &["[2001:db8:1:2:aaaa::1]:443"]);
        assert_eq!(client_key(&h, &xff(1)).unwrap(), "ip:2001:db8:1:2::/64");
        let other = with("x-forwarded-for", &["2001:db8:1:2:bbbb::7"]);
        assert_eq!(client_key(&other, &xff(1)).unwrap(), "ip:2001:db8:1:2::/64");
        let full = IdentityConfig {
            ipv6_prefix: 128,
            ..xff(1)
        };
        assert_eq!(
            client_key(&other, &full).unwrap(),
            "ip:2001:db8:1:2:bbbb::7"
        );
        assert_eq!(
            client_key(&with("x-forwarded-for", &["1.2.3.4:5678"]), &xff(1)).unwrap(),
            "ip:1.2.3.4"
        );
        assert_eq!(
            client_key(&with("x-forwarded-for", &["::ffff:1.2.3.4"]), &xff(1)).unwrap(),
            "ip:1.2.3.4"
        );
    }

    #[test]
    fn forwarded_header_rfc7239() {
        let config = IdentityConfig {
            source: IdentitySource::Forwarded { trusted_hops: 1 },
            ipv6_prefix: 64,
        };
        let h = with(
            "forwarded",
            &["for=6.6.6.6;proto=http, for=\"[2001:db8:cafe::17]:4711\";by=203.0.113.43"],
        );
        assert_eq!(client_key(&h, &config).unwrap(), "ip:2001:db8:cafe::/64");
        // A quoted comma inside an element does not split it.
        let h = with("forwarded", &["for=\"x,y\", for=192.0.2.60;host=\"a,b\""]);
        assert_eq!(client_key(&h, &config).unwrap(), "ip:192.0.2.60");
        assert_eq!(
            client_key(&with("forwarded", &["for=unknown"]), &config),
            Err(Unidentified::Malformed)
        );
    }

    #[test]
    fn a_quote_the_client_leaves_open_does_not_swallow_the_trusted_element() {
        let config = IdentityConfig {
            source: IdentitySource::Forwarded { trusted_hops: 1 },
            ipv6_prefix: 64,
        };
        // The client wrote `for=203.0.113.77;x="`; the trusted proxy extended the line with the address it saw.
        let h = with("forwarded", &["for=203.0.113.77;x=\", for=198.51.100.9"]);
        assert_eq!(client_key(&h, &config).unwrap(), "ip:198.51.100.9");
        assert_eq!(trusted_chain(&h, &config), vec!["for=198.51.100.9"]);
        // Rotating the open-quoted prefix changes nothing.
        let keys: std::collections::BTreeSet<String> = (0..20)
            .map(|i| {
                let line = format!("for=10.0.0.{i};x=\", for=198.51.100.9");
                client_key(&with("forwarded", &[&line]), &config).unwrap()
            })
            .collect();
        assert_eq!(keys.len(), 1);
        // Quotes and escaped quotes inside the trusted elements still parse, from either side.
        let h = with(
            "forwarded",
            &["x=\"open, for=\"[2001:db8::1]:80\";host=\"a\\\",b\", for=192.0.2.7;by=\"q,\\\\\""],
        );
        assert_eq!(client_key(&h, &config).unwrap(), "ip:192.0.2.7");
        let two = IdentityConfig {
            source: IdentitySource::Forwarded { trusted_hops: 2 },
            ipv6_prefix: 64,
        };
        assert_eq!(client_key(&h, &two).unwrap(), "ip:2001:db8::/64");
        // Two `for=` in one element is not what a proxy writes.
        let h = with("forwarded", &["for=192.0.2.1;for=192.0.2.2"]);
        assert_eq!(client_key(&h, &config), Err(Unidentified::Malformed));
        // A byte that is not text in what the client wrote spoils nothing of the proxies' part.
        let mut h = HeaderMap::new();
        h.insert(
            "forwarded",
            HeaderValue::from_bytes(b"for=\xff\xfe;x=\"\xe9, for=198.51.100.9").unwrap(),
        );
        assert_eq!(client_key(&h, &config).unwrap(), "ip:198.51.100.9");
        assert_eq!(trusted_chain(&h, &config), vec!["for=198.51.100.9"]);
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_bytes(b"\xff").unwrap());
        h.append(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"caf\xc3\xa9, 203.0.113.9").unwrap(),
        );
        assert_eq!(client_key(&h, &xff(1)).unwrap(), "ip:203.0.113.9");
        assert_eq!(trusted_chain(&h, &xff(1)), vec!["203.0.113.9"]);
        // Nor is an element whose quotes do not pair up.
        let h = with("forwarded", &["for=192.0.2.1;x=\""]);
        assert_eq!(client_key(&h, &config), Err(Unidentified::Malformed));
    }

    #[test]
    fn a_set_header_must_appear_once() {
        let config = IdentityConfig {
            source: IdentitySource::for_header(HeaderName::from_static("spin-client-addr"), 1),
            ipv6_prefix: 64,
        };
        assert_eq!(
            client_key(&with("spin-client-addr", &["127.0.0.1:51000"]), &config).unwrap(),
            "ip:127.0.0.1"
        );
        assert_eq!(
            client_key(&with("spin-client-addr", &["1.1.1.1", "2.2.2.2"]), &config),
            Err(Unidentified::Malformed)
        );
    }

    #[test]
    fn api_keys_are_digested_to_a_fixed_size() {
        let a = api_key(b"alice-secret");
        assert_eq!(a.len(), 4 + 32);
        assert_ne!(a, api_key(b"bob-secret"));
        assert!(!a.contains("alice"));
        assert_eq!(api_key(&[b'x'; 400_000]).len(), 36);
    }
}
