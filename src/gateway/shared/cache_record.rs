//! A stored response as one Redis value: a little-endian `u32` length, the metadata ([`RecordHead`], encoded with
//! `postcard`), then the body as it is (no copy to encode it, none to decode it: the body is a slice of the value).
//!
//! The freshness of a record is not stored: a reader computes it again from the status, the fields and the two
//! times, with the same RFC 9111 functions the writer used ([`crate::gateway::http_cache::storable`]), so a record
//! means the same to every instance and every version that reads it.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The metadata of a stored response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordHead {
    pub status: u16,
    /// The response's fields, in order (names lower-case, values as raw bytes).
    pub fields: Vec<(String, Vec<u8>)>,
    /// When the request that produced it was sent and when the response arrived (nanoseconds, Unix epoch).
    pub request_time_nanos: u64,
    pub response_time_nanos: u64,
    /// For a response with `Vary`: the digest of the request's values of those fields
    /// ([`crate::gateway::http_cache::Vary::secondary_key`]); the record answers only requests with the same.
    pub variant: Option<String>,
    /// The tags it is filed under (`Cache-Tag` / `Surrogate-Key`), for purging by tag.
    pub tags: Vec<String>,
}

/// A record that cannot be read (written by something else, or cut short).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError(pub String);

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable cache record: {}", self.0)
    }
}

impl std::error::Error for RecordError {}

impl RecordHead {
    /// The metadata of a response with `status` and `headers`.
    pub fn new(
        status: StatusCode,
        headers: &HeaderMap,
        request_time_nanos: u64,
        response_time_nanos: u64,
        variant: Option<String>,
    ) -> Self {
        RecordHead {
            status: status.as_u16(),
            fields: headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
                .collect(),
            request_time_nanos,
            response_time_nanos,
            variant,
            tags: Vec::new(),
        }
    }

    /// The status and fields as `http` types.
    pub fn response_parts(&self) -> Result<(StatusCode, HeaderMap), RecordError> {
        let status = StatusCode::from_u16(self.status)
            .map_err(|_| RecordError(format!("status {}", self.status)))?;
        let mut headers = HeaderMap::with_capacity(self.fields.len());
        for (name, value) in &self.fields {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| RecordError(format!("field name {name:?}")))?;
            let value = HeaderValue::from_bytes(value)
                .map_err(|_| RecordError(format!("value of field {name}")))?;
            headers.append(name, value);
        }
        Ok((status, headers))
    }
}

/// The Redis value of a response.
pub fn encode(head: &RecordHead, body: &[u8]) -> Vec<u8> {
    let meta = postcard::to_allocvec(head).expect("a RecordHead always serializes");
    let mut out = Vec::with_capacity(4 + meta.len() + body.len());
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    out.extend_from_slice(body);
    out
}

/// A response from its Redis value: the metadata, and the body (a slice of `value`).
pub fn decode(value: Bytes) -> Result<(RecordHead, Bytes), RecordError> {
    let Some(len) = value.get(..4) else {
        return Err(RecordError("shorter than its length prefix".into()));
    };
    let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
    let meta = value
        .get(4..4 + len)
        .ok_or_else(|| RecordError(format!("metadata of {len} bytes cut short")))?;
    let head: RecordHead = postcard::from_bytes(meta).map_err(|e| RecordError(e.to_string()))?;
    Ok((head, value.slice(4 + len..)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written_and_bad_bytes_are_errors() {
        let mut headers = HeaderMap::new();
        headers.append("cache-control", HeaderValue::from_static("max-age=60"));
        headers.append("set-thing", HeaderValue::from_bytes(b"a\xffb").unwrap());
        headers.append("set-thing", HeaderValue::from_static("2"));
        let head = RecordHead::new(StatusCode::OK, &headers, 1, 2, Some("v".into()));
        let value = Bytes::from(encode(&head, b"body \x00 bytes"));
        let (read, body) = decode(value.clone()).unwrap();
        assert_eq!(read, head);
        assert_eq!(&body[..], b"body \x00 bytes");
        let (status, fields) = read.response_parts().unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fields, headers);
        for cut in [0, 3, 6] {
            assert!(decode(value.slice(..cut)).is_err(), "cut at {cut}");
        }
        assert!(decode(Bytes::from_static(b"\xff\xff\xff\x7fxx")).is_err());
    }
}
