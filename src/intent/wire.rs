//! Bytes on the wire: the leaf every serialized part of a precompiled set is read and written with.
//!
//! A [`Reader`] walks a byte slice and names what is missing and where ([`LoadError`]); a [`Section`] is a part of
//! a file that a loaded set goes on reading (borrowed from bytes compiled into the binary, or a range of the one
//! copy of the file the loader owns); state ids are 2 or 4 bytes, little-endian ([`id_at`], [`push_id`]). This
//! module knows no table, automaton or matcher: every layer above uses it, it uses none of them.

use super::error::LoadError;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A cursor over bytes that names the byte offset of whatever is missing.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// Offset of the next byte to read.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next `n` bytes, `what` naming them in the error when there are fewer.
    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'b [u8], LoadError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(LoadError::Truncated {
                what,
                at: self.at,
                needed: n,
                len: self.bytes.len(),
            })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    /// Every byte left.
    pub(crate) fn rest(&mut self) -> &'b [u8] {
        let slice = &self.bytes[self.at..];
        self.at = self.bytes.len();
        slice
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, LoadError> {
        Ok(self.take(1, what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, LoadError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// A little-endian `u32`, as a `usize`.
    pub(crate) fn u32(&mut self, what: &'static str) -> Result<usize, LoadError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    pub(crate) fn i32(&mut self, what: &'static str) -> Result<i32, LoadError> {
        let b = self.take(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64, LoadError> {
        let b = self.take(8, what)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    /// `count` little-endian `u32`s.
    pub(crate) fn u32s(&mut self, count: usize, what: &'static str) -> Result<Vec<u32>, LoadError> {
        let len = count.checked_mul(4).ok_or(LoadError::Truncated {
            what,
            at: self.at,
            needed: usize::MAX,
            len: self.bytes.len(),
        })?;
        Ok(self
            .take(len, what)?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
}

/// Appends `n` as a little-endian `u32`; `None` when it does not fit 4 bytes.
pub(crate) fn push_u32(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

/// The state id at byte `at` of `bytes`, `width` (2 or 4) bytes little-endian; `None` past the end.
#[inline(always)]
pub(crate) fn id_at(bytes: &[u8], at: usize, width: usize) -> Option<u32> {
    match *bytes.get(at..)?.get(..width)? {
        [a, b] => Some(u32::from(u16::from_le_bytes([a, b]))),
        [a, b, c, d] => Some(u32::from_le_bytes([a, b, c, d])),
        _ => None,
    }
}

/// Appends state id `id` in `width` (2 or 4) bytes, little-endian.
#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
pub(crate) fn push_id(out: &mut Vec<u8>, id: u32, width: usize) {
    if width == 2 {
        out.extend_from_slice(&(id as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&id.to_le_bytes());
    }
}

/// Part of a precompiled file that a loaded set keeps reading (its automaton table, its capture NFAs): borrowed from
/// bytes compiled into the binary, or a range of the one copy of the file the loader owns.
pub(crate) enum Section {
    Static(&'static [u8]),
    Shared(Arc<Vec<u8>>, Range<usize>),
}

impl Section {
    /// A section owning `bytes` alone.
    pub(crate) fn owned(bytes: Vec<u8>) -> Self {
        let len = bytes.len();
        Section::Shared(Arc::new(bytes), 0..len)
    }

    /// The same bytes owned alone: a section that kept a whole file alive for a small part of it lets it go.
    pub(crate) fn detached(self) -> Self {
        match self {
            Section::Shared(..) => Section::owned(self.to_vec()),
            Section::Static(_) => self,
        }
    }
}

impl Deref for Section {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Section::Static(bytes) => bytes,
            // The range was taken from this very buffer by the loader.
            Section::Shared(buffer, range) => buffer.get(range.clone()).unwrap_or_default(),
        }
    }
}

/// Where a loader's parts come from: `keep(range)` turns a byte range of the bytes being read into a [`Section`]
/// that stays valid after loading (a borrow of static bytes, or a share of the owned file).
pub(crate) trait Keep: Fn(Range<usize>) -> Section {}

impl<F: Fn(Range<usize>) -> Section> Keep for F {}

/// The `keep` of a part that starts at byte `at` of the enclosing bytes: ranges relative to the part.
pub(crate) fn keep_within(keep: &impl Keep, at: usize) -> impl Keep + '_ {
    move |range: Range<usize>| keep(at + range.start..at + range.end)
}
