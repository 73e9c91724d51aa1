//! Sentence splitting on the original text, returning byte spans.
//!
//! Rule-based: a sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets)
//! followed by white space and a capital letter, a digit, an opening quote or a dash, unless the
//! word before the full stop is a known abbreviation or an initial; and at every line break that
//! follows a line with text (headlines, list items, paragraphs).

use hamkor_model::Span;

/// Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
const ABBREVIATIONS: &[&str] = &[
    // English
    "mr", "mrs", "ms", "dr", "st", "no", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "gen",
    "gov", "prof", "vs", "e.g", "i.e", "u.s", "u.n", "u.k", "inc", "co", "jr", "sr", "rep", "sen", "approx", "ca",
    // Russian
    "г", "гг", "т.е", "т.к", "т.д", "т.п", "им", "ул", "млн", "млрд", "тыс", "руб", "др", "см", "проф", "акад", "ст", "пр",
    "рис", "стр", "тел", "обл", "р-н", "ген", "зам", "пред", "сов", "мин",
    // Kazakh, Kyrgyz, Uzbek, Tajik, Turkmen year and unit abbreviations
    "ж", "жж", "й", "y", "yy", "mln", "mlrd", "ming", "с", "ý", "tys",
];

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '“')
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '«' | '"' | '“' | '„' | '—' | '–' | '-' | '(' | '\'' | '‘' | 'ʻ')
}

/// Split `text` into sentence spans (trimmed of surrounding white space; empty ones dropped).
pub fn split(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Scan bytes: every terminal mark is ASCII except the ellipsis (E2 80 A6).
    // Bytes that can end a sentence: . ! ? newline, and E2 (the first byte of …).
    const fn terminators() -> [bool; 256] {
        let mut t = [false; 256];
        t[b'.' as usize] = true;
        t[b'!' as usize] = true;
        t[b'?' as usize] = true;
        t[b'\n' as usize] = true;
        t[0xE2] = true;
        t
    }
    static TERMINATOR: [bool; 256] = terminators();
    while i < bytes.len() {
        // Skip ahead to the next byte that could end a sentence.
        match bytes[i..].iter().position(|&b| TERMINATOR[b as usize]) {
            Some(k) => i += k,
            None => break,
        }
        let b = bytes[i];
        let is_ellipsis = b == 0xE2 && bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA6);
        if b == b'\n' {
            // A line that goes on in lower case is one sentence wrapped by a page layout (PDF
            // text, hard-wrapped mail); a new line that starts otherwise ends the sentence.
            let rest = text[i + 1..].trim_start_matches([' ', '\t', '\r']);
            let continues = rest.chars().next().is_some_and(|c| c.is_lowercase());
            if !continues {
                push_trimmed(text, start, i, &mut spans);
                start = i + 1;
            }
            i += 1;
            continue;
        }
        if !(b == b'.' || b == b'!' || b == b'?' || is_ellipsis) {
            i += 1;
            continue;
        }
        // Take the whole run of terminal punctuation and closing quotes.
        let mut end = i + if is_ellipsis { 3 } else { 1 };
        while end < bytes.len() {
            let d = text[end..].chars().next().unwrap_or(' ');
            if matches!(d, '.' | '!' | '?' | '…') || is_closing(d) {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        let after = &text[end..];
        let ws_len = after.len() - after.trim_start_matches([' ', '\t', '\u{a0}']).len();
        let next = after[ws_len..].chars().next();
        let boundary = match next {
            None => true,
            Some('\n') | Some('\r') => true,
            Some(n) => ws_len > 0 && starts_sentence(n),
        };
        if boundary && !(b == b'.' && is_abbreviation(&text[start..i])) {
            push_trimmed(text, start, end, &mut spans);
            start = end;
        }
        i = end;
    }
    push_trimmed(text, start, text.len(), &mut spans);
    spans
}

fn push_trimmed(text: &str, start: usize, end: usize, spans: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        spans.push(Span::new(start + lead, end - trail));
    }
}

/// Whether the text before a full stop ends in an abbreviation or a one-letter initial.
fn is_abbreviation(before: &str) -> bool {
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '«' | '"' | ','))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    // Every abbreviation and initial is short; a long word before a full stop ends a sentence.
    if word.is_empty() || word.len() > 12 {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    // An initial: "Sh. Mirziyoyev", "К.-Ж. Токаев".
    let all_upper = word.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    if all_upper && (letters == 1 || letters == 2 && word.contains('.')) {
        return true;
    }
    // Lower-case into a buffer on the stack: this runs at every full stop of every text.
    let mut buf = [0u8; 64];
    let mut len = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let n = c.len_utf8();
        if len + n > buf.len() {
            return false;
        }
        c.encode_utf8(&mut buf[len..len + n]);
        len += n;
    }
    let lower = std::str::from_utf8(&buf[..len]).unwrap_or("");
    ABBREVIATIONS.contains(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn splits_at_full_stops_before_capitals() {
        assert_eq!(sentences("One. Two! «Three?» Four"), vec!["One.", "Two!", "«Three?»", "Four"]);
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        let s = sentences("Договор подписан 22 декабря 2022 г. в Ташкенте. Ш. Мирзиёев и К.-Ж. Токаев провели переговоры.");
        assert_eq!(s.len(), 2, "{s:?}");
        let s = sentences("Mr. Norov met the U.S. delegation. They agreed.");
        assert_eq!(s.len(), 2, "{s:?}");
    }

    #[test]
    fn line_breaks_end_headlines() {
        assert_eq!(sentences("Headline without stop\nBody text here."), vec!["Headline without stop", "Body text here."]);
    }

    #[test]
    fn a_line_that_goes_on_in_lower_case_is_the_same_sentence() {
        assert_eq!(sentences("Президенты провели\nпереговоры в Ташкенте.\nВторое."), vec!["Президенты провели\nпереговоры в Ташкенте.", "Второе."]);
    }

    #[test]
    fn lower_case_after_a_stop_does_not_split() {
        assert_eq!(sentences("Ташкент. 16 ноября — Sputnik. Встреча прошла.").len(), 3);
        assert_eq!(sentences("в 2022 г. и далее.").len(), 1);
    }
}
