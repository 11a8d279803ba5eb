//! Thompson NFAs to bytes and back, so a build without the regex compiler can still run them.
//!
//! `regex-automata` serializes its dense DFAs but not its NFAs, and an NFA is what the lazy DFA and the PikeVM
//! (captures) run on. Compiling one from a pattern needs the parser, the Unicode tables and the Thompson
//! compiler — most of a `.wasm`. So a precompiled set stores the NFAs themselves (the whole set's when it is too
//! big for a dense DFA, and each pattern's capture NFA) and [`decode`] rebuilds them state by state through
//! `regex-automata`'s public NFA [`Builder`]: a linear pass with no regex compilation at all.
//!
//! Decoding checks everything the builder would otherwise panic or loop on (state and pattern ids in range, capture
//! groups started before they end, patterns in order, only ASCII word boundaries, unions of at least two
//! alternates), so corrupt bytes give an error naming the state and byte offset, never a trap or a hang.
//!
//! Layout, integers little-endian `u32` unless noted:
//!
//! | field | content |
//! |---|---|
//! | header | state count `S`, pattern count `P`, anchored start, unanchored start, `u8` flags (bit 0 UTF-8, bit 1 reverse), `u8` line terminator |
//! | pattern starts | `P` state ids |
//! | capture names | per pattern: group count `G`, then per group a name length (`u32::MAX` = unnamed) and its bytes |
//! | states | `S` states, each a `u8` tag and its fields (see [`tag`]) |

use super::error::LoadError;
use super::wire::Reader;
use regex_automata::nfa::thompson::{Builder, State, Transition, NFA};
use regex_automata::util::look::{Look, LookMatcher};
use regex_automata::util::primitives::StateID;
use std::sync::Arc;

/// State kinds in the byte layout, with the fields that follow each tag.
mod tag {
    /// `u8` start, `u8` end, next.
    pub const BYTE_RANGE: u8 = 0;
    /// count, then `u8` start, `u8` end, next per transition.
    pub const SPARSE: u8 = 1;
    /// look-around repr, next.
    pub const LOOK: u8 = 2;
    /// count, then that many alternates in preference order.
    pub const UNION: u8 = 3;
    /// two alternates in preference order.
    pub const BINARY_UNION: u8 = 4;
    /// next, pattern, group index, `u8` 0 = group start / 1 = group end.
    pub const CAPTURE: u8 = 5;
    /// nothing.
    pub const FAIL: u8 = 6;
    /// pattern.
    pub const MATCH: u8 = 7;
}

const UNNAMED: u32 = u32::MAX;

fn push_u32(out: &mut Vec<u8>, n: usize) {
    // NFA ids and counts are bounded by `regex-automata` far below u32::MAX.
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn push_transition(out: &mut Vec<u8>, t: &Transition) {
    out.push(t.start);
    out.push(t.end);
    push_u32(out, t.next.as_usize());
}

/// Appends `nfa` in the layout above.
pub(crate) fn encode(nfa: &NFA, out: &mut Vec<u8>) {
    push_u32(out, nfa.states().len());
    push_u32(out, nfa.pattern_len());
    push_u32(out, nfa.start_anchored().as_usize());
    push_u32(out, nfa.start_unanchored().as_usize());
    out.push(u8::from(nfa.is_utf8()) | (u8::from(nfa.is_reverse()) << 1));
    out.push(nfa.look_matcher().get_line_terminator());
    for pid in nfa.patterns() {
        push_u32(out, nfa.start_pattern(pid).map_or(0, |s| s.as_usize()));
    }
    let groups = nfa.group_info();
    for pid in nfa.patterns() {
        push_u32(out, groups.group_len(pid));
        for name in groups.pattern_names(pid) {
            match name {
                Some(name) => {
                    push_u32(out, name.len());
                    out.extend_from_slice(name.as_bytes());
                }
                None => out.extend_from_slice(&UNNAMED.to_le_bytes()),
            }
        }
    }
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                out.push(tag::BYTE_RANGE);
                push_transition(out, trans);
            }
            State::Sparse(sparse) => {
                out.push(tag::SPARSE);
                push_u32(out, sparse.transitions.len());
                sparse
                    .transitions
                    .iter()
                    .for_each(|t| push_transition(out, t));
            }
            State::Dense(dense) => {
                // The NFA compiler never emits dense states (`regex-automata` keeps the variant for later use);
                // should it, the equivalent sparse state is written.
                let transitions = dense_as_sparse(&dense.transitions);
                out.push(tag::SPARSE);
                push_u32(out, transitions.len());
                transitions.iter().for_each(|t| push_transition(out, t));
            }
            State::Look { look, next } => {
                out.push(tag::LOOK);
                push_u32(out, look.as_repr() as usize);
                push_u32(out, next.as_usize());
            }
            State::Union { alternates } => {
                out.push(tag::UNION);
                push_u32(out, alternates.len());
                alternates.iter().for_each(|a| push_u32(out, a.as_usize()));
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(tag::BINARY_UNION);
                push_u32(out, alt1.as_usize());
                push_u32(out, alt2.as_usize());
            }
            State::Capture {
                next,
                pattern_id,
                group_index,
                slot,
            } => {
                out.push(tag::CAPTURE);
                push_u32(out, next.as_usize());
                push_u32(out, pattern_id.as_usize());
                push_u32(out, group_index.as_usize());
                // A group's start slot is even (relative to the pattern's first slot), its end slot the next one.
                let start_slot = groups.slot(*pattern_id, group_index.as_usize());
                out.push(u8::from(start_slot != Some(slot.as_usize())));
            }
            State::Fail => out.push(tag::FAIL),
            State::Match { pattern_id } => {
                out.push(tag::MATCH);
                push_u32(out, pattern_id.as_usize());
            }
        }
    }
}

fn dense_as_sparse(next_by_byte: &[StateID]) -> Vec<Transition> {
    let mut transitions: Vec<Transition> = Vec::new();
    for (byte, &next) in next_by_byte.iter().enumerate() {
        if next == StateID::ZERO {
            continue;
        }
        let byte = byte as u8;
        match transitions.last_mut() {
            Some(t) if t.next == next && t.end.checked_add(1) == Some(byte) => t.end = byte,
            _ => transitions.push(Transition {
                start: byte,
                end: byte,
                next,
            }),
        }
    }
    transitions
}

/// Looks an NFA may contain: anchors and ASCII word boundaries. Unicode word boundaries never come out of this
/// crate's compiler (`\b` is ASCII, as in JavaScript) and would need tables a compiler-less build leaves out.
fn supported_look(repr: u32) -> Option<Look> {
    let look = Look::from_repr(repr)?;
    match look {
        Look::WordUnicode
        | Look::WordUnicodeNegate
        | Look::WordStartUnicode
        | Look::WordEndUnicode
        | Look::WordStartHalfUnicode
        | Look::WordEndHalfUnicode => None,
        _ => Some(look),
    }
}

/// Rebuilds an NFA written by [`encode`], checking it on the way (see the module docs).
pub(crate) fn decode(bytes: &[u8]) -> Result<NFA, LoadError> {
    let mut r = Reader::new(bytes);
    let state_len = r.u32("the state count")?;
    let pattern_len = r.u32("the pattern count")?;
    let read_state = |r: &mut Reader, what: &'static str| -> Result<StateID, LoadError> {
        let at = r.at();
        let id = r.u32(what)?;
        match StateID::new(id) {
            Ok(state) if id < state_len => Ok(state),
            _ => Err(LoadError::invalid(
                what,
                format!("{id} at byte {at} is not a state (the NFA has {state_len})"),
            )),
        }
    };
    let read_transition = |r: &mut Reader| -> Result<Transition, LoadError> {
        let range = r.take(2, "a byte range")?;
        let (start, end) = (range[0], range[1]);
        if start > end {
            return Err(LoadError::invalid(
                "byte range",
                format!("{start}-{end} is reversed"),
            ));
        }
        let next = read_state(r, "a transition target")?;
        Ok(Transition { start, end, next })
    };
    let start_anchored = read_state(&mut r, "the anchored start")?;
    let start_unanchored = read_state(&mut r, "the unanchored start")?;
    let flags = r.u8("the flags")?;
    let line_terminator = r.u8("the line terminator")?;
    let mut pattern_starts = Vec::with_capacity(pattern_len.min(bytes.len() / 4));
    for _ in 0..pattern_len {
        pattern_starts.push(read_state(&mut r, "a pattern start")?);
    }
    let mut group_names: Vec<Vec<Option<Arc<str>>>> =
        Vec::with_capacity(pattern_len.min(bytes.len() / 4));
    for _ in 0..pattern_len {
        let groups = r.u32("a capture group count")?;
        let mut names = Vec::with_capacity(groups.min(bytes.len() / 4));
        for _ in 0..groups {
            let len = r.u32("a capture name length")?;
            if len == UNNAMED as usize {
                names.push(None);
            } else {
                let at = r.at();
                let name = std::str::from_utf8(r.take(len, "a capture name")?).map_err(|e| {
                    LoadError::invalid("capture name", format!("at byte {at}: {e}"))
                })?;
                names.push(Some(Arc::from(name)));
            }
        }
        group_names.push(names);
    }
    let all_or_no_captures = group_names.iter().all(Vec::is_empty)
        || group_names
            .iter()
            .all(|names| names.first().is_some_and(Option::is_none));
    if !all_or_no_captures {
        return Err(LoadError::invalid(
            "capture groups:",
            "every pattern needs an unnamed group 0, or none has groups",
        ));
    }

    let mut builder = Builder::new();
    builder.set_utf8(flags & 1 != 0);
    builder.set_reverse(flags & 2 != 0);
    let mut looks = LookMatcher::new();
    looks.set_line_terminator(line_terminator);
    builder.set_look_matcher(looks);
    // Patterns are opened when their first capture or match state appears (their states are contiguous, in
    // pattern order) and closed when the next one opens.
    let mut open_pattern: Option<usize> = None;
    let mut enter_pattern = |pid: usize, builder: &mut Builder| -> Result<(), String> {
        if open_pattern == Some(pid) {
            return Ok(());
        }
        if pid >= pattern_len || builder.pattern_len() != pid {
            return Err(format!(
                "pattern {pid} is out of order (patterns must be contiguous and ascending, {pattern_len} in all)"
            ));
        }
        if let Some(previous) = open_pattern.take() {
            builder
                .finish_pattern(pattern_starts[previous])
                .map_err(|e| e.to_string())?;
        }
        builder.start_pattern().map_err(|e| e.to_string())?;
        open_pattern = Some(pid);
        Ok(())
    };
    let mut started_groups: Vec<usize> = vec![0; pattern_len];
    for index in 0..state_len {
        let at = r.at();
        let err =
            |why: String| LoadError::invalid("NFA state", format!("{index} at byte {at}: {why}"));
        let added = match r.u8("a state tag")? {
            tag::BYTE_RANGE => builder.add_range(read_transition(&mut r)?),
            tag::SPARSE => {
                let count = r.u32("a transition count")?;
                let transitions = (0..count)
                    .map(|_| read_transition(&mut r))
                    .collect::<Result<_, _>>()?;
                builder.add_sparse(transitions)
            }
            tag::LOOK => {
                let repr = r.u32("a look-around")?;
                let look = supported_look(repr as u32)
                    .ok_or_else(|| err(format!("unsupported look-around {repr:#x}")))?;
                builder.add_look(read_state(&mut r, "a look-around target")?, look)
            }
            tag::UNION => {
                let count = r.u32("an alternate count")?;
                // A built NFA holds no union of fewer than two alternates (the builder turns an empty one into a
                // fail state and a single alternate into a goto it removes), so [`encode`] writes none. The
                // builder follows chains of such gotos to their end: a cycle of them would never end building.
                if count < 2 {
                    return Err(err(format!(
                        "a union of {count} alternates (at least 2 are written)"
                    )));
                }
                let alternates = (0..count)
                    .map(|_| read_state(&mut r, "an alternate"))
                    .collect::<Result<_, _>>()?;
                builder.add_union(alternates)
            }
            tag::BINARY_UNION => {
                let alt1 = read_state(&mut r, "an alternate")?;
                let alt2 = read_state(&mut r, "an alternate")?;
                builder.add_union(vec![alt1, alt2])
            }
            tag::CAPTURE => {
                let next = read_state(&mut r, "a capture target")?;
                let pid = r.u32("a capture pattern")?;
                let group = r.u32("a capture group")?;
                let is_end = r.u8("a capture side")?;
                enter_pattern(pid, &mut builder).map_err(err)?;
                let names = &group_names[pid];
                if group >= names.len() {
                    return Err(err(format!(
                        "group {group} of pattern {pid}, which has {} groups",
                        names.len()
                    )));
                }
                match is_end {
                    0 => {
                        started_groups[pid] = started_groups[pid].max(group + 1);
                        builder.add_capture_start(next, group as u32, names[group].clone())
                    }
                    1 if group < started_groups[pid] => builder.add_capture_end(next, group as u32),
                    1 => return Err(err(format!("group {group} ends before it starts"))),
                    other => return Err(err(format!("capture side {other} is neither 0 nor 1"))),
                }
            }
            tag::FAIL => builder.add_fail(),
            tag::MATCH => {
                let pid = r.u32("a match pattern")?;
                enter_pattern(pid, &mut builder).map_err(err)?;
                builder.add_match()
            }
            other => return Err(err(format!("unknown state tag {other}"))),
        };
        let id = added.map_err(|e| err(e.to_string()))?;
        if id.as_usize() != index {
            return Err(err(format!("was numbered {}", id.as_usize())));
        }
    }
    let refused = |e: regex_automata::nfa::thompson::BuildError| {
        LoadError::invalid("the NFA", format!("is refused: {e}"))
    };
    if let Some(last) = open_pattern {
        builder
            .finish_pattern(pattern_starts[last])
            .map_err(refused)?;
    }
    if builder.pattern_len() != pattern_len {
        return Err(LoadError::invalid(
            "the NFA",
            format!(
                "declares {pattern_len} patterns, {} have a match state",
                builder.pattern_len()
            ),
        ));
    }
    if let Some(pid) = (0..pattern_len).find(|&p| started_groups[p] < group_names[p].len()) {
        return Err(LoadError::invalid(
            "pattern",
            format!(
                "{pid} declares {} capture groups but starts {}",
                group_names[pid].len(),
                started_groups[pid]
            ),
        ));
    }
    if !r.is_empty() {
        return Err(LoadError::invalid(
            "the NFA",
            format!("is followed by {} unexpected bytes", r.remaining()),
        ));
    }
    builder
        .build(start_anchored, start_unanchored)
        .map_err(refused)
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson::{pikevm::PikeVM, Compiler, Config, WhichCaptures};

    fn round_trip(patterns: &[&str], captures: WhichCaptures) -> (NFA, NFA) {
        let nfa = Compiler::new()
            .configure(Config::new().which_captures(captures))
            .build_many(patterns)
            .unwrap();
        let mut bytes = Vec::new();
        encode(&nfa, &mut bytes);
        let back = decode(&bytes).unwrap();
        (nfa, back)
    }

    #[test]
    fn round_trip_keeps_every_state_and_capture_name() {
        for (patterns, captures) in [
            (
                &[r"(?i)book (?P<n>\d+) tickets? to (?P<city>\w+)", r"^x|y$"][..],
                WhichCaptures::All,
            ),
            (
                &[r"(?m)^a(?-u:\b).*z$", r"[^a-c]+é", "€|£"][..],
                WhichCaptures::None,
            ),
            (&[r"(a)|(?P<b>b)c{2,5}"][..], WhichCaptures::All),
        ] {
            let (nfa, back) = round_trip(patterns, captures);
            assert_eq!(format!("{nfa:?}"), format!("{back:?}"), "{patterns:?}");
        }
    }

    #[test]
    fn decoded_nfa_finds_the_same_captures() {
        let (_, back) = round_trip(
            &[r"to (?P<city>[a-z]+) on (?P<day>\w+)"],
            WhichCaptures::All,
        );
        let vm = PikeVM::new_from_nfa(back).unwrap();
        let mut cache = vm.create_cache();
        let mut caps = vm.create_captures();
        vm.captures(&mut cache, "fly to lima on monday", &mut caps);
        assert_eq!(caps.get_group_by_name("city").unwrap().range(), 7..11);
        assert_eq!(caps.get_group_by_name("day").unwrap().range(), 15..21);
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let nfa = Compiler::new()
            .build_many(&[r"(?P<x>a+)b|(?-u:\b)c$", "d"])
            .unwrap();
        let mut bytes = Vec::new();
        encode(&nfa, &mut bytes);
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "truncated at {len}");
        }
        // Flipping any byte either still decodes to some NFA or is refused; it never panics.
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[i] ^= flip;
                let _ = decode(&corrupt);
            }
        }
    }

    #[test]
    fn unions_of_fewer_than_two_alternates_are_refused_not_looped_on() {
        // One pattern: state 0 a union whose only alternate is itself (a goto cycle the NFA builder would follow
        // forever), state 1 the match.
        let mut bytes = Vec::new();
        for n in [2, 1, 0, 0] {
            push_u32(&mut bytes, n);
        }
        bytes.extend_from_slice(&[1, 0]);
        push_u32(&mut bytes, 0);
        push_u32(&mut bytes, 0);
        for count in [0, 1] {
            let mut nfa = bytes.clone();
            nfa.push(tag::UNION);
            push_u32(&mut nfa, count);
            (0..count).for_each(|_| push_u32(&mut nfa, 0));
            nfa.push(tag::MATCH);
            push_u32(&mut nfa, 0);
            let error = decode(&nfa).unwrap_err().to_string();
            assert!(
                error.contains(&format!(
                    "NFA state 0 at byte 26: a union of {count} alternates"
                )),
                "{error}"
            );
        }
    }

    #[test]
    fn unicode_word_boundaries_are_refused() {
        let nfa = Compiler::new().build(r"(?u:\b)x").unwrap();
        let mut bytes = Vec::new();
        encode(&nfa, &mut bytes);
        assert!(decode(&bytes)
            .unwrap_err()
            .to_string()
            .contains("unsupported look-around"));
    }
}
