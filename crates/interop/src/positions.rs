//! Byte offsets of hamkor against character positions of REFI-QDA.
//!
//! hamkor's evidence spans are byte offsets into the original UTF-8 text. REFI-QDA's
//! `startPosition`/`endPosition` count characters (Unicode scalar values, zero-based, end
//! exclusive) of the plain text the project carries, which must have LF line ends. So a text goes
//! out with CR LF and lone CR turned into LF, and every span is counted again in characters of
//! that text: a Cyrillic letter is 2 bytes and one character, ʻ (U+02BB) 2 bytes and one
//! character, a combining acute (U+0301) 2 bytes and one character of its own (REFI-QDA counts
//! code points, not what a reader sees as one letter), a character outside the BMP 4 bytes and
//! one character.

/// A text as REFI-QDA gets it, with the maps between its characters and the original's bytes.
#[derive(Debug, Clone)]
pub struct QdaText {
    /// The text with LF line ends.
    pub text: String,
    /// For every byte offset of the original (and its end), the character position in `text`;
    /// `u32::MAX` inside a character.
    char_at: Vec<u32>,
    /// For every character position of `text` (and its end), the byte offset in the original.
    byte_at: Vec<usize>,
}

impl QdaText {
    pub fn new(original: &str) -> QdaText {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len());
        let mut char_at = vec![u32::MAX; original.len() + 1];
        let mut byte_at = Vec::with_capacity(original.len() + 1);
        let mut chars = 0u32;
        for (b, c) in original.char_indices() {
            char_at[b] = chars;
            if c == '\r' && bytes.get(b + 1) == Some(&b'\n') {
                // CR of CR LF: gone; it stands at the position of the LF that follows.
                continue;
            }
            if c == '\r' {
                text.push('\n');
            } else {
                text.push(c);
            }
            // The LF of a CR LF starts where its CR did.
            let start = if c == '\n' && b > 0 && bytes[b - 1] == b'\r' { b - 1 } else { b };
            byte_at.push(start);
            chars += 1;
        }
        char_at[original.len()] = chars;
        byte_at.push(original.len());
        QdaText { text, char_at, byte_at }
    }

    /// Characters in the text.
    pub fn chars(&self) -> usize {
        self.byte_at.len() - 1
    }

    /// The character position of a byte offset of the original; `None` when it is past the end
    /// or inside a character.
    pub fn char_of_byte(&self, byte: usize) -> Option<usize> {
        self.char_at.get(byte).filter(|&&c| c != u32::MAX).map(|&c| c as usize)
    }

    /// The byte offset in the original of a character position; `None` when it is past the end.
    pub fn byte_of_char(&self, pos: usize) -> Option<usize> {
        self.byte_at.get(pos).copied()
    }

    /// The characters `[start, end)` of the text.
    pub fn slice_chars(&self, start: usize, end: usize) -> Option<&str> {
        if start > end || end > self.chars() {
            return None;
        }
        // Byte offsets in `text` of the two positions.
        let mut it = self.text.char_indices().map(|(b, _)| b).chain(std::iter::once(self.text.len()));
        let s = it.nth(start)?;
        let e = if end == start { s } else { it.nth(end - start - 1)? };
        self.text.get(s..e)
    }
}

/// The text with CR LF and lone CR turned into LF (what a span's text is compared with).
pub fn lf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte span on character boundaries goes to characters and back to itself, and the
    /// characters cut the same text.
    fn check(original: &str) {
        let q = QdaText::new(original);
        let boundaries: Vec<usize> =
            original.char_indices().map(|(b, _)| b).chain(std::iter::once(original.len())).collect();
        for &s in &boundaries {
            for &e in boundaries.iter().filter(|&&e| e >= s) {
                let (cs, ce) = (q.char_of_byte(s).unwrap(), q.char_of_byte(e).unwrap());
                let cut = q.slice_chars(cs, ce).unwrap();
                let want = lf(&original[s..e]);
                // A span that starts or ends between CR and LF loses or gains that LF only.
                if !original[..s].ends_with('\r') && !original[..e].ends_with('\r') {
                    assert_eq!(cut, want, "{original:?} bytes {s}..{e}");
                    let back = (q.byte_of_char(cs).unwrap(), q.byte_of_char(ce).unwrap());
                    assert_eq!(back, (s, e), "{original:?} bytes {s}..{e} back from chars {cs}..{ce}");
                }
            }
        }
        assert_eq!(q.chars(), q.text.chars().count());
    }

    #[test]
    fn cyrillic_apostrophes_combining_marks_and_astral_characters() {
        check("Ўзбекистон ва Қозоғистон");
        check("Oʻzbekiston va Qozogʻiston oʼrtasida");
        check("Tojikistonda suv kelishuvi imzolandi\u{301} va e\u{301}lon qilindi");
        check("Bir 𝔸 iki 😀 uch");
        check("");
        let q = QdaText::new("Ўз ʻa e\u{301}b");
        assert_eq!(q.chars(), 9);
        assert_eq!(q.char_of_byte(2), Some(1), "Ў is two bytes, one character");
        assert_eq!(q.char_of_byte(1), None, "inside Ў");
        assert_eq!(q.char_of_byte("Ўз ʻ".len()), Some(4), "ʻ is one character");
        assert_eq!(q.char_of_byte("Ўз ʻa e\u{301}".len()), Some(8), "the combining acute is a character of its own");
    }

    #[test]
    fn line_ends_become_lf_and_positions_follow() {
        let original = "Birinchi.\r\nIkkinchi jumla.\rUchinchi.\nTo‘rtinchi.";
        let q = QdaText::new(original);
        assert_eq!(q.text, "Birinchi.\nIkkinchi jumla.\nUchinchi.\nTo‘rtinchi.");
        let s = original.find("Ikkinchi").unwrap();
        let e = original.find("Uchinchi").unwrap();
        let (cs, ce) = (q.char_of_byte(s).unwrap(), q.char_of_byte(e).unwrap());
        assert_eq!((cs, ce), (10, 26));
        assert_eq!(q.slice_chars(cs, ce), Some("Ikkinchi jumla.\n"));
        check(original);
    }
}
