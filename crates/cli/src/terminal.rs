//! Text from documents and file names on a terminal: never as control sequences.
//!
//! A document (or a file name) can carry escape sequences that recolour the terminal, rewrite
//! its title, move the cursor over earlier output or, on some terminals, do worse; and bidi
//! overrides can make a line read differently from what it holds. Everything hamkor prints in
//! its tables comes from such text, so it passes through here first. JSON output needs none of
//! this: serde_json escapes control characters itself.

use std::borrow::Cow;

/// A control character a terminal may act on: C0 (but tab and line feed), DEL, C1, and the
/// bidirectional overrides and isolates.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text with each hostile character replaced by U+FFFD, line breaks and tabs kept; `keep` are
/// characters the caller uses as its own marks (the store's match marks).
pub fn printable<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_hostile(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if is_hostile(c) && !keep.contains(&c) { '\u{FFFD}' } else { c }).collect())
}

/// One line naming something (a path, a reason): every control character, line breaks too,
/// written as an escape (`\n`, `\u{1b}`), so the name stays readable and on its line.
pub fn escaped(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hostile(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) || c == '\n' || c == '\t' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_reach_the_terminal() {
        let hostile = "a\x1b]0;owned\x07b\x1b[2Jc\r\u{9b}d\u{202E}e\nf\tg";
        let p = printable(hostile, &[]);
        assert!(!p.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{p:?}");
        assert!(!p.contains('\u{202E}'));
        assert_eq!(p, "a\u{FFFD}]0;owned\u{FFFD}b\u{FFFD}[2Jc\u{FFFD}\u{FFFD}d\u{FFFD}e\nf\tg");
        assert_eq!(printable("x\u{2}y\u{3}", &['\u{2}', '\u{3}']), "x\u{2}y\u{3}");
        assert_eq!(escaped("dir/line\nbreak \x1b[1m.txt"), "dir/line\\nbreak \\u{1b}[1m.txt");
        assert!(matches!(printable("Ташкент", &[]), Cow::Borrowed(_)));
    }
}
