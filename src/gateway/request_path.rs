//! The request path the gateway routes on, caches under and forwards: one normal form, so that what a route
//! matched is what the origin is asked for.
//!
//! Origins and the frameworks in front of them resolve paths in different ways: they decode `%61` to `a`, remove
//! `.` and `..` segments, merge `//`, and some decode `%2F` to `/` or take `\` as `/`. A gateway that routes on the
//! raw path while the origin resolves it lets a client dress one path up as another — `/public/../admin` matches a
//! `/public` route (its quotas, its cache policy, its shared credentials) and reaches `/admin`; `//admin` or
//! `/%61dmin` slip past an `/admin` route. So, as proxies do (nginx's `merge_slashes`, Envoy's `normalize_path`):
//!
//! - percent-encoded unreserved characters (`A–Z a–z 0–9 - . _ ~`, RFC 3986 §2.3) are decoded, and the hex digits of
//!   the remaining escapes are upper-cased (§6.2.2.1–2): `/%7euser/%e2%82%ac` → `/~user/%E2%82%AC`;
//! - runs of `/` become one (unless turned off: an API that carries URLs in its path, `/fetch/https://…`, needs
//!   them kept; then an empty segment is a segment like any other);
//! - `.` and `..` segments are removed (§5.2.4; `..` never climbs above the root);
//! - an escaped `/` or `\` (`%2F`, `%5C`), a raw `\`, a malformed escape, an escaped control character (`%00`–`%1F`,
//!   `%7F`) and a path that does not start with `/` are refused: there is no single meaning to give them.
//!
//! The query is not part of this (it is keyed byte for byte). The result is what every later stage sees.

use std::borrow::Cow;
use std::fmt;

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The byte offset in the path where the problem is.
    pub at: usize,
    /// What is wrong there.
    pub reason: &'static str,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {} of the path", self.reason, self.at)
    }
}

impl std::error::Error for PathError {}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Whether `path` is already in normal form, checked without allocating (the common case: a path a browser or an
/// HTTP library sent).
fn is_normal(path: &[u8], merge_slashes: bool) -> bool {
    if path.first() != Some(&b'/') {
        return false;
    }
    let mut previous_slash = false;
    let mut i = 0;
    while i < path.len() {
        let byte = path[i];
        i += 1;
        match byte {
            b'/' => {
                if previous_slash && merge_slashes {
                    return false;
                }
                previous_slash = true;
                continue;
            }
            // An escape stays only with upper-case hex digits, for a byte that is not decoded or refused.
            b'%' => {
                let upper_hex = |b: Option<&u8>| matches!(b, Some(b'0'..=b'9' | b'A'..=b'F'));
                if !(upper_hex(path.get(i)) && upper_hex(path.get(i + 1))) {
                    return false;
                }
                let decoded =
                    hex_value(path[i]).unwrap_or(0) * 16 + hex_value(path[i + 1]).unwrap_or(0);
                if is_unreserved(decoded) || matches!(decoded, b'/' | b'\\' | 0x00..=0x1f | 0x7f) {
                    return false;
                }
                i += 2;
            }
            b'\\' => return false,
            b'.' if previous_slash => {
                // A segment that is `.` or `..`.
                let rest = &path[i - 1..];
                let segment = rest.split(|&b| b == b'/').next().unwrap_or_default();
                if segment == b"." || segment == b".." {
                    return false;
                }
            }
            _ => {}
        }
        previous_slash = false;
    }
    true
}

/// The normal form of a request path (see the module docs), borrowed when the path is already normal;
/// `merge_slashes`: runs of `/` become one.
pub fn normalize(path: &str, merge_slashes: bool) -> Result<Cow<'_, str>, PathError> {
    let bytes = path.as_bytes();
    if is_normal(bytes, merge_slashes) {
        return Ok(Cow::Borrowed(path));
    }
    if bytes.first() != Some(&b'/') {
        return Err(PathError {
            at: 0,
            reason: "the path does not start with `/`",
        });
    }
    // Segments after decoding, each kept with its escapes upper-cased; `..` pops, `.` and empty segments vanish.
    let mut segments: Vec<String> = Vec::new();
    let mut trailing_slash = false;
    let mut start = 1;
    while start <= bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'/')
            .map_or(bytes.len(), |p| start + p);
        let raw = &bytes[start..end];
        let mut segment = String::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let at = start + i;
            match raw[i] {
                b'\\' => {
                    return Err(PathError {
                        at,
                        reason: "a backslash (some servers take it as `/`)",
                    })
                }
                b'%' => {
                    let (Some(high), Some(low)) = (
                        raw.get(i + 1).copied().and_then(hex_value),
                        raw.get(i + 2).copied().and_then(hex_value),
                    ) else {
                        return Err(PathError {
                            at,
                            reason: "a `%` not followed by two hex digits",
                        });
                    };
                    let decoded = high * 16 + low;
                    match decoded {
                        b'/' | b'\\' => {
                            return Err(PathError {
                                at,
                                reason: "an escaped `/` or `\\` (`%2F`, `%5C`)",
                            })
                        }
                        0x00..=0x1f | 0x7f => {
                            return Err(PathError {
                                at,
                                reason: "an escaped control character",
                            })
                        }
                        _ if is_unreserved(decoded) => segment.push(char::from(decoded)),
                        _ => {
                            segment.push('%');
                            segment.push(char::from(raw[i + 1].to_ascii_uppercase()));
                            segment.push(char::from(raw[i + 2].to_ascii_uppercase()));
                        }
                    }
                    i += 3;
                    continue;
                }
                _ => {}
            }
            // Any other byte stays as it is (the runtime has already refused what a request line cannot carry);
            // a multi-byte character is copied whole.
            let width = utf8_width(raw[i]);
            let piece = &path[start + i..(start + i + width).min(end)];
            segment.push_str(piece);
            i += width.max(1);
        }
        trailing_slash = end == bytes.len() && raw.is_empty();
        match segment.as_str() {
            // The path's last `/` is the trailing slash, not an empty segment.
            "" if !merge_slashes && end != bytes.len() => segments.push(segment),
            "" => {}
            "." => trailing_slash = end == bytes.len(),
            ".." => {
                segments.pop();
                trailing_slash = end == bytes.len();
            }
            _ => segments.push(segment),
        }
        start = end + 1;
    }
    let mut normal = String::with_capacity(path.len());
    for segment in &segments {
        normal.push('/');
        normal.push_str(segment);
    }
    if normal.is_empty() || trailing_slash {
        normal.push('/');
    }
    Ok(Cow::Owned(normal))
}

/// The length of the UTF-8 sequence a leading byte starts (1 for anything else, so progress is always made).
fn utf8_width(byte: u8) -> usize {
    match byte {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(path: &str) -> String {
        normalize(path, true).unwrap().into_owned()
    }

    fn kept(path: &str) -> String {
        normalize(path, false).unwrap().into_owned()
    }

    #[test]
    fn paths_already_normal_are_borrowed_unchanged() {
        for path in [
            "/",
            "/a",
            "/a/b/",
            "/a.b/c..d/.e/..f",
            "/~user/x-y_z",
            "/%E2%82%AC",
            "/zoë/ü",
        ] {
            let got = normalize(path, true).unwrap();
            assert!(
                matches!(got, Cow::Borrowed(_)) || path.contains('%'),
                "{path}"
            );
            assert_eq!(got, path);
        }
    }

    #[test]
    fn dot_segments_are_removed_and_never_climb_above_the_root() {
        assert_eq!(normal("/public/../admin"), "/admin");
        assert_eq!(normal("/a/./b"), "/a/b");
        assert_eq!(normal("/a/b/.."), "/a/");
        assert_eq!(normal("/a/b/."), "/a/b/");
        assert_eq!(normal("/../../etc/passwd"), "/etc/passwd");
        assert_eq!(normal("/.."), "/");
        assert_eq!(normal("/."), "/");
        assert_eq!(normal("/a/%2e%2E/b"), "/b", "escaped dots are dots");
        assert_eq!(normal("/a/.%2e/b"), "/b");
    }

    #[test]
    fn slashes_are_merged_unless_kept() {
        assert_eq!(normal("//admin"), "/admin");
        assert_eq!(normal("/a//b///c//"), "/a/b/c/");
        assert_eq!(
            kept("/fetch/https://example.com/x"),
            "/fetch/https://example.com/x"
        );
        assert!(matches!(
            normalize("/fetch/https://example.com/x", false),
            Ok(Cow::Borrowed(_))
        ));
        assert_eq!(
            kept("/a//../b"),
            "/a/b",
            "`..` removes the empty segment (RFC 3986 §5.2.4)"
        );
        assert_eq!(kept("/a/b//"), "/a/b//");
        assert_eq!(kept("//x/../%61"), "//a");
    }

    #[test]
    fn unreserved_escapes_are_decoded_and_others_upper_cased() {
        assert_eq!(normal("/%61dmin"), "/admin");
        assert_eq!(normal("/%7euser"), "/~user");
        assert_eq!(normal("/%e2%82%ac/x"), "/%E2%82%AC/x");
        assert_eq!(normal("/a%20b"), "/a%20b");
        assert_eq!(normal("/a%3fb"), "/a%3Fb", "an escaped `?` stays escaped");
    }

    #[test]
    fn ambiguous_paths_are_refused_with_where() {
        let err = normalize("/public%2f..%2fadmin", true).unwrap_err();
        assert_eq!(err.at, 7);
        assert!(err.to_string().contains("escaped `/`"), "{err}");
        assert_eq!(normalize("/a%5Cb", true).unwrap_err().at, 2);
        assert_eq!(normalize("/a\\..\\b", true).unwrap_err().at, 2);
        assert_eq!(normalize("/a%2", true).unwrap_err().at, 2);
        assert_eq!(normalize("/a%zz", true).unwrap_err().at, 2);
        assert_eq!(normalize("/a%00b", true).unwrap_err().at, 2);
        assert_eq!(normalize("a/b", true).unwrap_err().at, 0);
        assert_eq!(normalize("", true).unwrap_err().at, 0);
    }

    #[test]
    fn normalizing_is_idempotent_on_examples() {
        for path in [
            "/a/../b//c/./%7e/%e2%82%ac/",
            "//x/..",
            "/%2e/",
            "/a/b/../../../c",
            "/a/%8e",
            "/a//",
        ] {
            for merge in [true, false] {
                let once = normalize(path, merge).unwrap();
                assert!(
                    matches!(normalize(&once, merge), Ok(Cow::Borrowed(_))),
                    "{path} -> {once}"
                );
            }
        }
    }
}
