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
use regex_syntax::hir::Hir;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        let hir = to_hir(pattern, &MatchOptions::default()).unwrap();
        regex_automata::meta::Builder::new()
            .build_from_hir(&hir)
            .unwrap()
            .is_match(text)
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
    fn syntax_errors_are_reported_not_panicked() {
        assert!(to_hir("(unclosed", &MatchOptions::default())
            .unwrap_err()
            .contains("unclosed"));
        let deep = "(".repeat(300) + &")".repeat(300);
        assert!(to_hir(&deep, &MatchOptions::default()).is_err());
    }
}
