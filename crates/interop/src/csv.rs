//! Records of delimited text (RFC 4180: quoted fields may hold the delimiter, doubled quotes
//! and line breaks), each with the line it starts on, so that a bad row can be named.

/// One record: its fields and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Split `text` into records. `quoted`: honour quotes (CSV); GDELT's tab-separated files
/// do not quote, and a quote there is part of the field.
pub fn records(text: &str, delimiter: char, quoted: bool) -> Vec<Record> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut chars = text.strip_prefix('\u{FEFF}').unwrap_or(text).chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            continue;
        }
        if quoted && c == '"' && at_field_start {
            in_quotes = true;
            at_field_start = false;
            continue;
        }
        if c == delimiter {
            fields.push(std::mem::take(&mut field));
            at_field_start = true;
            continue;
        }
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if c == '\n' || c == '\r' {
            fields.push(std::mem::take(&mut field));
            if !(fields.len() == 1 && fields[0].is_empty()) {
                out.push(Record { line: start_line, fields: std::mem::take(&mut fields) });
            }
            fields.clear();
            line += 1;
            start_line = line;
            at_field_start = true;
            any = false;
            continue;
        }
        at_field_start = false;
        field.push(c);
    }
    if any || !fields.is_empty() {
        fields.push(field);
        if !(fields.len() == 1 && fields[0].is_empty()) {
            out.push(Record { line: start_line, fields });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_with_commas_quotes_and_line_breaks() {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n\n3,,\n";
        let r = records(text, ',', true);
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].fields, ["1", "x, y", "say \"hi\""]);
        assert_eq!((r[2].line, r[2].fields[1].as_str()), (3, "two\nlines"));
        assert_eq!((r[3].line, r[3].fields.clone()), (6, vec!["3".to_string(), String::new(), String::new()]));
    }

    #[test]
    fn tabs_without_quoting() {
        let r = records("1\t\"a\tb\n2\tc\td", '\t', false);
        assert_eq!(r[0].fields, ["1", "\"a", "b"]);
        assert_eq!((r[1].line, r[1].fields.len()), (2, 3));
    }
}
