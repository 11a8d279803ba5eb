//! Reading JSON documents (intent sets, configs, request bodies) with errors that say where: every parse goes
//! through [`from_str`] / [`from_slice`], whose [`JsonError`] carries an RFC 6901 pointer to the offending value.

use serde::de::DeserializeOwned;
use std::fmt;

/// A JSON document that is malformed or does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// JSON pointer to the offending value (`/intents/2/priority`); empty when the document itself is broken.
    pub pointer: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column of the error.
    pub column: usize,
    /// What is wrong (serde's message: unknown field, wrong type, EOF, …).
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

fn convert(e: serde_path_to_error::Error<serde_json::Error>) -> JsonError {
    let pointer = json_pointer(e.path());
    let inner = e.into_inner();
    JsonError {
        pointer,
        line: inner.line(),
        column: inner.column(),
        message: inner.to_string(),
    }
}

/// Anything but whitespace after the document (RFC 8259: a JSON text is one value). Two readers that stop at
/// different places would read two different requests from one body: the gateway classifying the first document
/// while an origin that reads NDJSON acts on the second.
fn trailing(e: serde_json::Error) -> JsonError {
    JsonError {
        pointer: String::new(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Parses `json` as a `T`: one document, nothing after it but whitespace.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, JsonError> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(convert)?;
    reader.end().map_err(trailing)?;
    Ok(value)
}

/// Parses the bytes `json` (invalid UTF-8 is reported like any other syntax error) as a `T`: one document, nothing
/// after it but whitespace.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, JsonError> {
    let mut reader = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(convert)?;
    reader.end().map_err(trailing)?;
    Ok(value)
}

/// An RFC 6901 JSON pointer for a serde path (`intents[1].id` → `/intents/1/id`).
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<std::collections::BTreeMap<String, u8>>,
    }

    #[test]
    fn nothing_but_whitespace_may_follow_the_document() {
        #[derive(serde::Deserialize, Debug)]
        struct Body {
            #[allow(dead_code)]
            text: String,
        }
        assert!(from_str::<Body>("{\"text\":\"a\"} \n\t").is_ok());
        for bad in [
            "{\"text\":\"a\"} xyz",
            "{\"text\":\"a\"}\n{\"text\":\"b\"}",
            "{\"text\":\"a\"}}",
        ] {
            let e = from_str::<Body>(bad).unwrap_err();
            assert!(e.message.contains("trailing characters"), "{bad}: {e:?}");
            assert_eq!(e.line, 1 + bad.matches('\n').count());
            assert!(from_slice::<Body>(bad.as_bytes()).is_err());
        }
    }

    #[test]
    fn errors_point_at_the_value_and_escape_keys() {
        let e = from_str::<Doc>(r#"{"items":[{"a":1},{"x/y~z":"no"}]}"#).unwrap_err();
        assert_eq!(e.pointer, "/items/1/x~1y~0z");
        assert_eq!((e.line, e.column > 0), (1, true));
        assert!(from_slice::<Doc>(b"{\"items\": [")
            .unwrap_err()
            .pointer
            .starts_with("/items"));
        assert!(from_str::<Doc>("{\"other\": 1}")
            .unwrap_err()
            .message
            .contains("unknown field `other`"));
    }
}
