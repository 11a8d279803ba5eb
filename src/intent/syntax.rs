//! From pattern text to the HIR every engine compiles: Rust `regex` syntax with JavaScript's meaning for the
//! Perl classes and word boundaries.
//!
//! Users arrive with patterns written for `new RegExp(p, "i")`, where `\w`, `\d` and `\b` are ASCII-only even for
//! Unicode text, while Rust's `regex` makes them Unicode-aware. To give the same answers as the JavaScript loop
//! they replace (and to let the whole set determinize into one DFA: Unicode word boundaries cannot be expressed
//! in a DFA), each pattern's syntax tree is rewritten before translation:
//! - `\b`, `\B` and the other word-boundary assertions become their ASCII form `(?-u:\b)`;
//! - `\w`, `\W`, `\d`, `\D` (also inside brackets) become `[[:word:]]`, `[^[:word:]]`, `[[:digit:]]`, … .
//!
//! `\s`, `.`, `\p{…}` classes, literals and case folding stay Unicode-aware, as with JavaScript's `u` flag.
//! With `unicode: false` every class is ASCII anyway and nothing is rewritten.

use super::config::MatchOptions;
use regex_syntax::ast::{
    self, Assertion, AssertionKind, Ast, ClassAscii, ClassAsciiKind, ClassBracketed, ClassPerl,
    ClassPerlKind, ClassSet, ClassSetItem, Flag, Flags, FlagsItem, FlagsItemKind, Group, GroupKind,
};
use regex_syntax::hir::{Hir, HirKind, Repetition};

/// Deepest nesting of groups and repetitions accepted in one pattern.
const NEST_LIMIT: u32 = 250;

/// Parses `pattern` and translates it to HIR with the set's flags and JavaScript's ASCII classes.
pub fn to_hir(pattern: &str, options: &MatchOptions) -> Result<Hir, String> {
    let mut ast = ast::parse::ParserBuilder::new()
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    if options.unicode {
        ascii_perl_classes(&mut ast);
    }
    regex_syntax::hir::translate::TranslatorBuilder::new()
        .case_insensitive(options.case_insensitive)
        .unicode(options.unicode)
        .utf8(true)
        .build()
        .translate(pattern, &ast)
        .map_err(|e| e.to_string())
}

/// The same pattern reduced for the one question a set automaton answers: *does it match anywhere?*
///
/// Without `^`/`$` around them, a trailing (or leading) `X*` or `X?` never decides whether a match exists, and
/// `X+` decides it as `X` does: `pay (?P<who>\p{L}+)` matches somewhere exactly when `pay \p{L}` does. Dropping
/// them changes no answer to that question, but removes the loops that multiply DFA states when several such
/// patterns share one automaton. Spans and slots still come from the full pattern.
pub fn for_existence(hir: &Hir) -> Hir {
    trim(&trim(hir, End::Last, 0), End::First, 0)
}

#[derive(Clone, Copy)]
enum End {
    Last,
    First,
}

/// Deepest nesting `trim` follows (the parser already bounds nesting; this keeps the recursion obviously finite).
const TRIM_DEPTH: u32 = 64;

fn trim(hir: &Hir, end: End, depth: u32) -> Hir {
    if depth > TRIM_DEPTH {
        return hir.clone();
    }
    match hir.kind() {
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: Some(rep.min),
            greedy: rep.greedy,
            sub: rep.sub.clone(),
        }),
        HirKind::Capture(cap) => trim(&cap.sub, end, depth + 1),
        HirKind::Alternation(alts) => {
            Hir::alternation(alts.iter().map(|a| trim(a, end, depth + 1)).collect())
        }
        HirKind::Concat(parts) => {
            let mut parts: Vec<Hir> = parts.clone();
            while let Some(at) = match end {
                End::Last => parts.len().checked_sub(1),
                End::First => (!parts.is_empty()).then_some(0),
            } {
                let trimmed = trim(&parts[at], end, depth + 1);
                let droppable = matches!(trimmed.kind(), HirKind::Empty)
                    || matches!(trimmed.kind(), HirKind::Repetition(r) if r.max == Some(0));
                if droppable {
                    parts.remove(at);
                    continue;
                }
                parts[at] = trimmed;
                break;
            }
            Hir::concat(parts)
        }
        _ => hir.clone(),
    }
}

/// Rewrites word boundaries and `\w`/`\d` (and their negations) to their ASCII forms, in place.
fn ascii_perl_classes(node: &mut Ast) {
    match node {
        Ast::Assertion(assertion) if is_word_boundary(&assertion.kind) => {
            let span = assertion.span;
            let inner = Ast::Assertion(Box::new(Assertion {
                span,
                kind: assertion.kind.clone(),
            }));
            *node = Ast::group(Group {
                span,
                kind: GroupKind::NonCapturing(Flags {
                    span,
                    items: vec![
                        FlagsItem {
                            span,
                            kind: FlagsItemKind::Negation,
                        },
                        FlagsItem {
                            span,
                            kind: FlagsItemKind::Flag(Flag::Unicode),
                        },
                    ],
                }),
                ast: Box::new(inner),
            });
        }
        Ast::ClassPerl(perl) => {
            if let Some(ascii) = ascii_class(perl) {
                *node = Ast::class_bracketed(ClassBracketed {
                    span: perl.span,
                    negated: false,
                    kind: ClassSet::Item(ClassSetItem::Ascii(ascii)),
                });
            }
        }
        Ast::ClassBracketed(bracketed) => ascii_in_set(&mut bracketed.kind),
        Ast::Repetition(repetition) => ascii_perl_classes(&mut repetition.ast),
        Ast::Group(group) => ascii_perl_classes(&mut group.ast),
        Ast::Alternation(alternation) => alternation.asts.iter_mut().for_each(ascii_perl_classes),
        Ast::Concat(concat) => concat.asts.iter_mut().for_each(ascii_perl_classes),
        _ => {}
    }
}

fn ascii_in_set(set: &mut ClassSet) {
    match set {
        ClassSet::Item(item) => ascii_in_item(item),
        ClassSet::BinaryOp(op) => {
            ascii_in_set(&mut op.lhs);
            ascii_in_set(&mut op.rhs);
        }
    }
}

fn ascii_in_item(item: &mut ClassSetItem) {
    match item {
        ClassSetItem::Perl(perl) => {
            if let Some(ascii) = ascii_class(perl) {
                *item = ClassSetItem::Ascii(ascii);
            }
        }
        ClassSetItem::Bracketed(bracketed) => ascii_in_set(&mut bracketed.kind),
        ClassSetItem::Union(union) => union.items.iter_mut().for_each(ascii_in_item),
        _ => {}
    }
}

/// `\w`/`\d` and negations as a POSIX ASCII class; `None` for `\s`, which stays Unicode (as in JavaScript).
fn ascii_class(perl: &ClassPerl) -> Option<ClassAscii> {
    let kind = match perl.kind {
        ClassPerlKind::Word => ClassAsciiKind::Word,
        ClassPerlKind::Digit => ClassAsciiKind::Digit,
        ClassPerlKind::Space => return None,
    };
    Some(ClassAscii {
        span: perl.span,
        kind,
        negated: perl.negated,
    })
}

fn is_word_boundary(kind: &AssertionKind) -> bool {
    !matches!(
        kind,
        AssertionKind::StartLine
            | AssertionKind::EndLine
            | AssertionKind::StartText
            | AssertionKind::EndText
    )
}

/// Compiles translated patterns into one Thompson NFA (pattern `i` is `hirs[i]`), within `options.sizeLimit`.
/// The set automaton needs no capture states (`WhichCaptures::None`); a pattern's span and slots do (`All`).
pub(crate) fn compile_nfa(
    hirs: &[Hir],
    captures: regex_automata::nfa::thompson::WhichCaptures,
    options: &MatchOptions,
) -> Result<regex_automata::nfa::thompson::NFA, Box<regex_automata::nfa::thompson::BuildError>> {
    use regex_automata::nfa::thompson;
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(captures)
                .nfa_size_limit(Some(options.size_limit)),
        )
        .build_many_from_hir(hirs)
        .map_err(Box::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        let hir = to_hir(pattern, &MatchOptions::default()).unwrap();
        let nfa = regex_automata::nfa::thompson::Compiler::new()
            .build_from_hir(&hir)
            .unwrap();
        let vm = regex_automata::nfa::thompson::pikevm::PikeVM::new_from_nfa(nfa).unwrap();
        vm.is_match(&mut vm.create_cache(), text)
    }

    #[test]
    fn word_classes_and_boundaries_are_ascii_like_javascript() {
        // JavaScript: /\bcafé\b/i.test("café!") === false: é is not a word character, so there is no boundary.
        assert!(!matches(r"\bcafé\b", "café!"));
        assert!(matches(r"\bcafé", "un café"));
        assert!(!matches(r"^\w+$", "Zoë"));
        assert!(matches(r"^[\w\s]+$", "Zo e"));
        assert!(matches(r"^\W$", "ë"));
        assert!(matches(r"^[^\w]$", "ë"));
        assert!(!matches(r"\d", "٣")); // Arabic-Indic digit three: not \d in JavaScript either
        assert!(matches(r"\s", "\u{a0}")); // \s stays Unicode, as in JavaScript
        assert!(matches(r"(?i)ZOË", "zoë")); // case folding stays Unicode
        assert_ne!(matches(r"\Bé", "xé"), matches(r"\bé", "xé"));
    }

    #[test]
    fn existence_form_drops_only_what_cannot_decide_a_match() {
        let reduced =
            |p: &str| for_existence(&to_hir(p, &MatchOptions::default()).unwrap()).to_string();
        let same = |a: &str, b: &str| assert_eq!(reduced(a), reduced(b), "{a} vs {b}");
        same(r"pay (?P<who>\p{L}+)", r"pay \p{L}");
        same(r"pay (?P<who>\p{L}+(?:\s\p{L}+)?)", r"pay \p{L}");
        same(r"\d*x+y", r"xy");
        same(r"a|b+", r"a|b");
        // Only the ends of the whole pattern: a repetition inside, after `\b`, stays as written.
        assert_eq!(
            reduced(r"\b(?<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"),
            to_hir(r"\b[\w.+-]+@[\w-]+\.[\w-]+", &MatchOptions::default())
                .unwrap()
                .to_string()
        );
        assert_ne!(reduced(r"\b(?:x+y)"), reduced(r"\bxy"));
        // Anchors and word boundaries at either end constrain the match: kept, and what they guard too.
        same(r"^\d+$", r"^\d+$");
        same(r"\w+\b", r"\w+\b");
        same(r"^a+", r"^a"); // still exact: some prefix of a text is `a+` exactly when it starts with `a`
    }

    #[test]
    fn syntax_errors_are_reported_not_panicked() {
        assert!(to_hir("(unclosed", &MatchOptions::default())
            .unwrap_err()
            .contains("unclosed"));
        let deep = "(".repeat(300) + &")".repeat(300);
        assert!(to_hir(&deep, &MatchOptions::default()).is_err());
    }
}
