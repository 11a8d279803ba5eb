//! Redis' wire protocol (RESP2) for the store adapter: a command is an array of bulk strings, a reply is one
//! frame. Encoding and decoding are `redis-protocol`'s; this module only fixes the shapes the gateway uses and turns
//! error frames into errors.

use bytes::{Bytes, BytesMut};
use redis_protocol::resp2::decode::decode_bytes_mut;
use redis_protocol::resp2::encode::extend_encode_borrowed;
use redis_protocol::resp2::types::{BorrowedFrame, BytesFrame};
use std::fmt;

/// A reply from Redis (a RESP2 frame). An error frame is a [`RespError::Server`], never a `Reply`.
pub type Reply = BytesFrame;

/// What went wrong reading a reply, or what Redis answered instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RespError {
    /// The bytes are not RESP2.
    Protocol(String),
    /// Redis answered with an error (`-ERR …`, `-NOSCRIPT …`).
    Server(String),
    /// The reply does not have the shape the command's caller expects.
    Shape(&'static str),
}

impl fmt::Display for RespError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RespError::Protocol(m) => write!(f, "not a RESP2 reply: {m}"),
            RespError::Server(m) => write!(f, "redis answered: {m}"),
            RespError::Shape(what) => write!(f, "unexpected reply: expected {what}"),
        }
    }
}

impl std::error::Error for RespError {}

impl RespError {
    /// Redis lost the script cache (a restart, `SCRIPT FLUSH`): load the script again.
    pub fn is_noscript(&self) -> bool {
        matches!(self, RespError::Server(m) if is_noscript(m))
    }
}

/// Whether an error Redis answered says it does not know the script (`-NOSCRIPT …`).
pub fn is_noscript(message: &str) -> bool {
    message.starts_with("NOSCRIPT")
}

/// Appends one command (`args[0]` is its name) to `out`.
pub fn encode_command<A: AsRef<[u8]>>(args: &[A], out: &mut BytesMut) {
    let items: Vec<BorrowedFrame<'_>> = args
        .iter()
        .map(|a| BorrowedFrame::BulkString(a.as_ref()))
        .collect();
    let frame = BorrowedFrame::Array(&items);
    // Encoding into a growable buffer cannot run out of room.
    let _ = extend_encode_borrowed(out, &frame, false);
}

/// Takes one complete reply off the front of `buf`, or `None` when more bytes are needed.
pub fn decode_reply(buf: &mut BytesMut) -> Result<Option<Reply>, RespError> {
    match decode_bytes_mut(buf) {
        Ok(Some((BytesFrame::Error(message), _, _))) => Err(RespError::Server(message.to_string())),
        Ok(Some((frame, _, _))) => Ok(Some(frame)),
        Ok(None) => Ok(None),
        Err(e) => Err(RespError::Protocol(e.to_string())),
    }
}

/// A reply's integer.
pub fn integer(reply: &Reply) -> Result<i64, RespError> {
    match reply {
        BytesFrame::Integer(i) => Ok(*i),
        _ => Err(RespError::Shape("an integer")),
    }
}

/// A reply's bulk string, `None` for a null.
pub fn bulk(reply: Reply) -> Result<Option<Bytes>, RespError> {
    match reply {
        BytesFrame::BulkString(b) | BytesFrame::SimpleString(b) => Ok(Some(b)),
        BytesFrame::Null => Ok(None),
        _ => Err(RespError::Shape("a bulk string or null")),
    }
}

/// A reply's array of integers.
pub fn integers(reply: &Reply) -> Result<Vec<i64>, RespError> {
    match reply {
        BytesFrame::Array(items) => items.iter().map(integer).collect(),
        _ => Err(RespError::Shape("an array of integers")),
    }
}

/// A script's tagged answer: `{n}` or `{n, bulk}` (what the lookup and poll scripts return).
pub fn tagged(reply: Reply) -> Result<(i64, Option<Bytes>), RespError> {
    let shape = RespError::Shape("{tag} or {tag, value}");
    let BytesFrame::Array(mut items) = reply else {
        return Err(shape);
    };
    match items.len() {
        1 => Ok((integer(&items[0])?, None)),
        2 => {
            let value = bulk(items.pop().expect("two items"))?.ok_or(shape)?;
            Ok((integer(&items[0])?, Some(value)))
        }
        _ => Err(shape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_arrays_of_bulk_strings() {
        let mut out = BytesMut::new();
        encode_command(&["SET", "k", "v\r\n"], &mut out);
        assert_eq!(&out[..], b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n");
    }

    #[test]
    fn replies_are_read_whole_or_not_at_all() {
        let mut buf = BytesMut::from(&b":42\r\n$3\r\nab"[..]);
        assert_eq!(integer(&decode_reply(&mut buf).unwrap().unwrap()), Ok(42));
        assert_eq!(decode_reply(&mut buf), Ok(None));
        buf.extend_from_slice(b"c\r\n-NOSCRIPT No matching script\r\n");
        assert_eq!(
            bulk(decode_reply(&mut buf).unwrap().unwrap()),
            Ok(Some(Bytes::from_static(b"abc")))
        );
        let err = decode_reply(&mut buf).unwrap_err();
        assert!(err.is_noscript(), "{err}");
        let mut two = BytesMut::from(&b"*2\r\n:1\r\n$2\r\nok\r\n*1\r\n:0\r\n"[..]);
        let first = decode_reply(&mut two).unwrap().unwrap();
        assert_eq!(tagged(first), Ok((1, Some(Bytes::from_static(b"ok")))));
        assert_eq!(
            tagged(decode_reply(&mut two).unwrap().unwrap()),
            Ok((0, None))
        );
        let mut bad = BytesMut::from(&b"?what\r\n"[..]);
        assert!(matches!(
            decode_reply(&mut bad),
            Err(RespError::Protocol(_))
        ));
    }
}
